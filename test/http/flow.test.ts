/**
 * The main flow through HTTP only, on each engine: import a blueprint, create an instance with
 * actors, issue a token, genesis, checkout, heartbeat, submit, finalize, read the unit, its
 * history and the lists; the admin acting for an actor; the sweep.
 */
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { example, uniqueName, useChameleon } from "../support/fixtures.js";
import { renamed, useHttp } from "./support.js";

interface Unit {
  uowId: string;
  leaseToken: string;
  attributes: Record<string, unknown>;
  memory: unknown[];
  set?: { uowId: string }[];
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the HTTP API on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h, { sweepIntervalMs: 200 });

    it("runs a unit from genesis to FINALIZED with an actor token", async () => {
      const yaml = renamed(example("minimal.yml"), "Minimal", "Http_Minimal");
      const imported = await api.call("POST", "/templates", { raw: { contentType: "application/yaml", text: yaml } });
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ workflows: [{ name: "Http_Minimal", version: 1, created: true }] });
      const again = await api.call("POST", "/templates", { body: { yaml } });
      expect(again.body).toMatchObject({ workflows: [{ name: "Http_Minimal", version: 1, created: false }] });
      const templates = await api.call<{ name: string; createdAt: string }[]>("GET", "/templates");
      const listed = templates.body.find((t) => t.name === "Http_Minimal");
      expect(listed?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      const name = uniqueName("http");
      const created = await api.call<{ instanceId: string; actors: { name: string; actorId: string }[] }>(
        "POST",
        "/instances",
        {
          body: {
            workflow: "Http_Minimal",
            name,
            actors: [
              { name: "ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] },
              { name: "bot", type: "AI_AGENT", identityKey: "bot-1", roles: ["Work"] },
            ],
          },
        },
      );
      expect(created.status).toBe(201);
      const instanceId = created.body.instanceId;
      expect((await api.call("GET", "/instances")).body).toEqual(
        expect.arrayContaining([expect.objectContaining({ instanceId, name, status: "ACTIVE" })]),
      );

      const issued = await api.call<{ token: string; actorId: string }>("POST", `/instances/${name}/actors/ann/tokens`);
      expect(issued.status).toBe(201);
      expect(issued.body.actorId).toBe(created.body.actors.find((a) => a.name === "ann")!.actorId);
      const ann = issued.body.token;

      const shown = await api.call<{ name: string; actors: { name: string; roles: string[] }[] }>(
        "GET",
        `/instances/${instanceId}`,
        { token: ann },
      );
      expect(shown.status).toBe(200);
      expect(shown.body.actors.find((a) => a.name === "ann")?.roles.sort()).toEqual(["Finish", "Start", "Work"]);

      const started = await api.call<{ uowId: string }>("POST", `/instances/${name}/work`, {
        token: ann,
        body: { attributes: { title: "hello" }, reasoning: "a test" },
      });
      expect(started.status).toBe(201);
      const uowId = started.body.uowId;

      const unit = await api.call<Unit>("POST", `/instances/${name}/checkout`, { token: ann, body: { role: "Work" } });
      expect(unit.status).toBe(200);
      expect(unit.body).toMatchObject({ uowId, role: "Work", attempt: 1, attributes: { title: "hello" }, memory: [] });

      const beat = await api.call<{ leaseExpiresAt: string }>("POST", `/instances/${name}/work/${uowId}/heartbeat`, {
        token: ann,
        body: { leaseToken: unit.body.leaseToken },
      });
      expect(beat.status).toBe(200);
      expect(Date.parse(beat.body.leaseExpiresAt)).toBeGreaterThan(Date.now());

      const submitted = await api.call("POST", `/instances/${name}/work/${uowId}/submit`, {
        token: ann,
        body: { leaseToken: unit.body.leaseToken, attributes: { done: true }, reasoning: "looked fine" },
      });
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ uowId, status: "COMPLETED", interaction: "Done" });

      const set = await api.call<Unit>("POST", `/instances/${name}/checkout`, { token: ann, body: { role: "Finish" } });
      expect(set.body.set?.map((m) => m.uowId)).toEqual([uowId]);
      const finalized = await api.call("POST", `/instances/${name}/work/${uowId}/submit`, {
        token: ann,
        body: { leaseToken: set.body.leaseToken },
      });
      expect(finalized.body).toMatchObject({ status: "FINALIZED" });

      const empty = await api.call("POST", `/instances/${name}/checkout`, { token: ann, body: { role: "Work" } });
      expect(empty.status).toBe(200);
      expect(empty.body).toBeNull();

      const got = await api.call("GET", `/instances/${name}/work/${uowId}`, { token: ann });
      expect(got.body).toMatchObject({ uowId, status: "FINALIZED", attributes: { title: "hello", done: true } });
      const history = await api.call<{ event: string; timestamp: string }[]>(
        "GET",
        `/instances/${name}/work/${uowId}/history`,
        { token: ann },
      );
      expect(history.body.map((e) => e.event)).toEqual([
        "GENESIS",
        "CHECKOUT",
        "SUBMIT",
        "SYNC_RELEASE",
        "CHECKOUT",
        "FINALIZE",
      ]);
      // Listing every finalized unit is an operator's read; an actor lists its roles' units.
      const list = await api.call("GET", `/instances/${name}/work?status=FINALIZED&limit=10`);
      expect(list.body).toEqual([expect.objectContaining({ uowId, status: "FINALIZED", workflow: "Http_Minimal" })]);
      expect((await api.call("GET", `/instances/${name}/work?status=FINALIZED`, { token: ann })).status).toBe(403);

      // The same through the library: HTTP wrote what the library reads.
      expect((await h.ch.work.get(instanceId, uowId)).status).toBe("FINALIZED");
    });

    it("answers concurrent writes of the same memory key with one entry, never a server error", async () => {
      const name = uniqueName("http_memory");
      await api.call("POST", "/instances", {
        body: {
          workflow: "Minimal",
          name,
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Work"] }],
        },
      });
      const puts = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.call<{ memoryId: string }>("PUT", `/instances/${name}/memory`, {
            body: { role: "Work", key: "tone", value: i },
          }),
        ),
      );
      expect(puts.map((p) => p.status)).toEqual(puts.map(() => 201));
      expect(new Set(puts.map((p) => p.body.memoryId)).size).toBe(1);
      const memory = await api.call<{ key: string }[]>("GET", `/instances/${name}/memory?role=Work&actorId=ann`);
      expect(memory.body.map((e) => e.key)).toEqual(["tone"]);
    });

    it("lets the admin act for a named actor, write memory, release, fail, cancel and sweep", async () => {
      const name = uniqueName("http_admin");
      await api.call("POST", "/instances", {
        body: {
          workflow: "Minimal",
          name,
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
        },
      });
      const added = await api.call<{ actorId: string }>("POST", `/instances/${name}/actors`, {
        body: { name: "rex", type: "AI_AGENT", identityKey: "rex", roles: ["Work"] },
      });
      expect(added.status).toBe(201);
      expect((await api.call("PUT", `/instances/${name}/actors/rex/roles/Repair`)).status).toBe(204);
      expect((await api.call("DELETE", `/instances/${name}/actors/rex/roles/Repair`)).status).toBe(204);

      const put = await api.call("PUT", `/instances/${name}/memory`, {
        body: { role: "Work", key: "tone", value: { formal: true } },
      });
      expect(put.status).toBe(201);
      const memory = await api.call("GET", `/instances/${name}/memory?role=Work&actorId=rex`);
      expect(memory.body).toEqual([expect.objectContaining({ key: "tone", value: { formal: true }, shared: true })]);

      const a = await api.call<{ uowId: string }>("POST", `/instances/${name}/work`, {
        body: { attributes: { n: 1 } },
      });
      const b = await api.call<{ uowId: string }>("POST", `/instances/${name}/work`, {
        body: { attributes: { n: 2 }, actorId: "ann" },
      });
      const first = await api.call<Unit>("POST", `/instances/${name}/checkout`, {
        body: { role: "Work", actorId: "rex" },
      });
      expect(first.body.uowId).toBe(a.body.uowId);
      expect(first.body.memory).toEqual([expect.objectContaining({ key: "tone" })]);
      const released = await api.call("POST", `/instances/${name}/work/${a.body.uowId}/release`, {
        body: { leaseToken: first.body.leaseToken, actorId: "rex", reason: "lunch" },
      });
      expect(released.body).toMatchObject({ status: "PENDING", interaction: "Todo" });

      const again = await api.call<Unit>("POST", `/instances/${name}/checkout`, {
        body: { role: "Work", actorId: "rex" },
      });
      const failed = await api.call("POST", `/instances/${name}/work/${again.body.uowId}/fail`, {
        body: { leaseToken: again.body.leaseToken, actorId: "rex", error: "cannot read it", details: { page: 3 } },
      });
      expect(failed.body).toMatchObject({ status: "FAILED", interaction: "Errors" });

      const cancelled = await api.call("POST", `/instances/${name}/work/${b.body.uowId}/cancel`, {
        body: { reason: "not needed" },
      });
      expect(cancelled.body).toMatchObject({ uowId: b.body.uowId, status: "FINALIZED" });

      const swept = await api.call("POST", "/admin/sweep", { body: { instanceId: name } });
      expect(swept.body).toEqual({ reclaimed: 0, timedOut: 0, failures: [] });
      expect((await api.call("POST", "/admin/sweep")).status).toBe(200);
    });

    it("answers /health without a token", async () => {
      const health = await api.call("GET", "/health", { token: null });
      expect(health).toMatchObject({ status: 200, body: { status: "ok" } });
    });
  });
}
