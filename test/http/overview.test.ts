/**
 * The instance overview and graphs over HTTP: GET /instances/:id/overview and /graph (SVG, DOT,
 * Mermaid with their media types, a unit marked), the template routes (versions, export,
 * graph); who may read them: admin, a viewer operator, an actor token of the instance only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { useHttp } from "./support.js";

interface Overview {
  instance: { instanceId: string; name: string };
  generatedAt: string;
  totals: { units: number; byStatus: Record<string, number>; waiting: number; held: { actorName: string }[] };
  interactions: { name: string; waiting: number; failuresLastHour: number; finalizedPerMinute: number[] }[];
  roles: { name: string; held: { actorName: string; count: number }[] }[];
  recentFailures: { uowId: string; reason: string; at: string }[];
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the overview over HTTP on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    let inst: string;
    let instName: string;
    let other: string;
    let viewer: string;
    let actorToken: string;
    let otherToken: string;
    let held: string;
    let failed: string;

    beforeAll(async () => {
      instName = uniqueName("httpoverview");
      inst = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: instName,
          actors: [{ name: "Ada", type: "HUMAN", identityKey: "ada@example.com", roles: ["Start", "Work"] }],
        })
      ).instanceId;
      other = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: uniqueName("httpother"),
          actors: [{ name: "Eve", type: "HUMAN", identityKey: "eve@example.com", roles: ["Work"] }],
        })
      ).instanceId;
      await h.ch.work.startMany(
        inst,
        [1, 2, 3].map((n) => ({ attributes: { n } })),
      );
      const a = await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" });
      await h.ch.work.fail(inst, { uowId: a!.uowId, leaseToken: a!.leaseToken, actorId: "Ada", error: "bad scan" });
      failed = a!.uowId;
      held = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" }))!.uowId;
      viewer = (await h.ch.operators.issueToken({ name: "watcher", scope: "viewer" })).token;
      const ada = (await h.ch.instances.get(inst)).actors.find((x) => x.name === "Ada")!;
      actorToken = (await h.ch.actors.issueToken(inst, ada.actorId)).token;
      const eve = (await h.ch.instances.get(other)).actors.find((x) => x.name === "Eve")!;
      otherToken = (await h.ch.actors.issueToken(other, eve.actorId)).token;
    });

    it("GET /instances/:id/overview answers counts, holders and recent failures", async () => {
      const reply = await api.call<Overview>("GET", `/instances/${instName}/overview?maxAgeSeconds=0`);
      expect(reply.status, reply.text).toBe(200);
      const o = reply.body;
      expect(o.instance.instanceId).toBe(inst);
      expect(o.totals).toMatchObject({ units: 3, waiting: 2, held: [{ actorName: "Ada" }] });
      expect(o.totals.byStatus).toEqual({ PENDING: 1, ACTIVE: 1, COMPLETED: 0, FAILED: 1, TIMEOUT: 0, FINALIZED: 0 });
      const todo = o.interactions.find((i) => i.name === "Todo")!;
      expect(todo).toMatchObject({ waiting: 1, failuresLastHour: 1 });
      expect(todo.finalizedPerMinute).toHaveLength(60);
      expect(o.roles.find((r) => r.name === "Work")!.held).toEqual([
        { actorId: expect.any(String), actorName: "Ada", count: 1 },
      ]);
      expect(o.recentFailures).toEqual([
        expect.objectContaining({ uowId: failed, reason: "bad scan", event: "FAIL", interaction: "Todo" }),
      ]);
      expect(new Date(o.recentFailures[0]!.at).getTime()).not.toBeNaN();
    });

    it("refuses a bad query, an unknown instance and an unknown parameter", async () => {
      expect((await api.call("GET", `/instances/${inst}/overview?maxAgeSeconds=61`)).status).toBe(400);
      expect((await api.call("GET", `/instances/${inst}/overview?maxAgeSeconds=abc`)).status).toBe(400);
      expect((await api.call("GET", `/instances/${inst}/overview?since=1`)).status).toBe(400);
      expect((await api.call("GET", `/instances/no-such-one/overview`)).status).toBe(404);
      const badFormat = await api.call("GET", `/instances/${inst}/graph?format=png`);
      expect(badFormat.status).toBe(400);
      expect(badFormat.text).toMatch(/format/);
      const badUnit = await api.call("GET", `/instances/${inst}/graph?uow=nope`);
      expect(badUnit.status).toBe(400);
      expect(badUnit.text).toMatch(/uow/);
      const missing = await api.call("GET", `/instances/${inst}/graph?uow=00000000-0000-4000-8000-000000000000`);
      expect(missing.status).toBe(404);
    });

    it("GET /instances/:id/graph draws SVG by default, DOT and Mermaid on request, with their media types", async () => {
      const svg = await api.call("GET", `/instances/${inst}/graph?maxAgeSeconds=0`);
      expect(svg.status, svg.text).toBe(200);
      expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      expect(svg.text).toMatch(/<svg[\s\S]*1 waiting/);
      const dot = await api.call("GET", `/instances/${inst}/graph?format=dot`);
      expect(dot.headers.get("content-type")).toMatch(/^text\/vnd\.graphviz/);
      expect(dot.text).toMatch(/^digraph/);
      expect(dot.text).toMatch(
        /Todo\\nstale after 600 s\\n1 waiting \(oldest \d+s\), 1 held\\n1 failed in the last hour/,
      );
      expect(dot.text).not.toContain("fillcolor");
      const mermaid = await api.call("GET", `/instances/${inst}/graph?format=mermaid&uow=${held}`);
      expect(mermaid.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(mermaid.text).toMatch(/^flowchart LR/);
      expect(mermaid.text).toMatch(/class [ri]\d+,[ri]\d+ marked/);
      const markedDot = await api.call("GET", `/instances/${inst}/graph?format=dot&uow=${held}`);
      expect(markedDot.text.split("\n").filter((l) => l.includes("fillcolor"))).toHaveLength(2);
    });

    it("template routes: versions, export as YAML, graph in each format", async () => {
      const versions = await api.call<{ version: number; name: string }[]>("GET", "/templates/Minimal/versions");
      expect(versions.status, versions.text).toBe(200);
      expect(versions.body.map((v) => [v.name, v.version])).toEqual([["Minimal", 1]]);
      expect((await api.call("GET", "/templates/Nope/versions")).status).toBe(404);
      const yaml = await api.call("GET", "/templates/Minimal/export?version=1");
      expect(yaml.status, yaml.text).toBe(200);
      expect(yaml.headers.get("content-type")).toMatch(/^application\/yaml/);
      expect(yaml.text).toMatch(/name: Minimal/);
      expect((await api.call("GET", "/templates/Minimal/export?version=9")).status).toBe(404);
      expect((await api.call("GET", "/templates/Minimal/export?version=x")).status).toBe(400);
      const svg = await api.call("GET", "/templates/Minimal/graph");
      expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      expect(svg.text).toMatch(/<svg/);
      const dot = await api.call("GET", "/templates/Minimal/graph?format=dot&version=1");
      expect(dot.text).toMatch(/^digraph "Minimal"/);
      expect(dot.text).not.toMatch(/waiting/);
      const mermaid = await api.call("GET", "/templates/Minimal/graph?format=mermaid");
      expect(mermaid.text).toMatch(/^flowchart LR/);
    });

    it("describes the text answers with their media types, and errors as JSON", async () => {
      type Op = { responses: Record<string, { content?: Record<string, unknown> }> };
      const spec = await api.call<{ paths: Record<string, { get?: Op }> }>("GET", "/openapi.json");
      const types = (path: string, status: string) =>
        Object.keys(spec.body.paths[path]!.get!.responses[status]!.content!);
      expect(types("/instances/{id}/graph", "200")).toEqual([
        "image/svg+xml; charset=utf-8",
        "text/vnd.graphviz; charset=utf-8",
        "text/plain; charset=utf-8",
      ]);
      expect(types("/templates/{name}/graph", "200")).toContain("image/svg+xml; charset=utf-8");
      expect(types("/templates/{name}/export", "200")).toEqual(["application/yaml; charset=utf-8"]);
      expect(types("/instances/{id}/graph", "404")).toEqual(["application/json"]);
      expect(types("/instances/{id}/overview", "200")).toEqual(["application/json"]);
    });

    it("a viewer reads all of them; an actor token reads its own instance only, and no template", async () => {
      for (const path of [
        `/instances/${inst}/overview`,
        `/instances/${inst}/graph?format=dot`,
        "/templates/Minimal/versions",
        "/templates/Minimal/export",
        "/templates/Minimal/graph?format=mermaid",
      ]) {
        const reply = await api.call("GET", path, { token: viewer });
        expect(reply.status, `${path}: ${reply.text}`).toBe(200);
      }
      const own = await api.call<Overview>("GET", `/instances/${inst}/overview`, { token: actorToken });
      expect(own.status, own.text).toBe(200);
      expect(own.body.instance.instanceId).toBe(inst);
      expect((await api.call("GET", `/instances/${inst}/graph?format=dot`, { token: actorToken })).status).toBe(200);
      const foreign = await api.call("GET", `/instances/${inst}/overview`, { token: otherToken });
      expect(foreign.status).toBe(403);
      expect(foreign.text).toMatch(/cannot act in instance/);
      expect((await api.call("GET", `/instances/${inst}/graph`, { token: otherToken })).status).toBe(403);
      expect((await api.call("GET", "/templates/Minimal/versions", { token: actorToken })).status).toBe(403);
      expect((await api.call("GET", `/instances/${inst}/overview`, { token: null })).status).toBe(401);
    });
  });
}
