/**
 * Pause, resume and schedules over HTTP, on each engine: admin tokens change them, viewers read
 * them, actors neither; each change is recorded with the operator of the token.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { useHttp } from "./support.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`pause, resume and schedules over HTTP on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const inst = uniqueName("http_pause");
    const tokens = {} as { ann: string; ops: string; viewer: string };

    beforeAll(async () => {
      await h.ch.instances.create({
        workflow: "Minimal",
        name: inst,
        actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
      });
      tokens.ann = (await h.ch.actors.issueToken(inst, "ann")).token;
      tokens.ops = (await h.ch.operators.issueToken({ name: "olga", scope: "admin" })).token;
      tokens.viewer = (await h.ch.operators.issueToken({ name: "vic", scope: "viewer" })).token;
    });

    it("pauses and resumes the instance and a role; shows it on the instance and the overview", async () => {
      await h.ch.work.start(inst, { attributes: { n: 1 } });
      // Neither a viewer nor an actor may pause.
      expect((await api.call("POST", `/instances/${inst}/pause`, { token: tokens.viewer, body: {} })).status).toBe(403);
      expect((await api.call("POST", `/instances/${inst}/pause`, { token: tokens.ann, body: {} })).status).toBe(403);

      const paused = await api.call<{ paused: boolean; role: null }>("POST", `/instances/${inst}/pause`, {
        token: tokens.ops,
        body: { reason: "freeze" },
      });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ paused: true, role: null });
      expect((await api.call("POST", `/instances/${inst}/pause`, { token: tokens.ops, body: {} })).status).toBe(409);
      const checkout = await api.call("POST", `/instances/${inst}/checkout`, {
        token: tokens.ann,
        body: { role: "Work" },
      });
      expect(checkout.status).toBe(200);
      expect(checkout.body).toBeNull();
      const start = await api.call<{ message: string }>("POST", `/instances/${inst}/work`, {
        token: tokens.ann,
        body: { attributes: { n: 2 } },
      });
      expect(start.status).toBe(409);
      expect(start.body.message).toMatch(/is paused/);

      const shown = await api.call<{ status: string; paused: { instance: { by: string; reason: string } } }>(
        "GET",
        `/instances/${inst}`,
        { token: tokens.viewer },
      );
      expect(shown.body.status).toBe("PAUSED");
      expect(shown.body.paused.instance).toMatchObject({ by: "olga", reason: "freeze" });
      await api.call("POST", `/instances/${inst}/resume`, { token: tokens.ops, body: {} });

      await api.call("POST", `/instances/${inst}/pause`, { token: tokens.ops, body: { role: "Work" } });
      const overview = await api.call<{ roles: { name: string; paused: { by: string } | null }[] }>(
        "GET",
        `/instances/${inst}/overview?maxAgeSeconds=0`,
        { token: tokens.viewer },
      );
      expect(overview.body.roles.find((r) => r.name === "Work")!.paused).toMatchObject({ by: "olga" });
      const unknownRole = await api.call<{ message: string }>("POST", `/instances/${inst}/resume`, {
        token: tokens.ops,
        body: { role: "Nope" },
      });
      expect(unknownRole.status).toBe(404);
      await api.call("POST", `/instances/${inst}/resume`, { body: { role: "Work" } });

      const history = await api.call<{ event: string; role: string | null; by: string }[]>(
        "GET",
        `/instances/${inst}/history?limit=10`,
        { token: tokens.viewer },
      );
      expect(history.body.map((e) => [e.event, e.role, e.by])).toEqual([
        ["RESUME", "Work", "admin"],
        ["PAUSE", "Work", "olga"],
        ["RESUME", null, "olga"],
        ["PAUSE", null, "olga"],
      ]);
    });

    it("creates, lists, pauses, resumes and deletes schedules", async () => {
      const created = await api.call<{ scheduleId: string; nextTickAt: string; createdBy: string }>(
        "POST",
        `/instances/${inst}/schedules`,
        { token: tokens.ops, body: { name: "hourly", cron: "0 * * * *", attributes: { kind: "poll" } } },
      );
      expect(created.status).toBe(201);
      expect(created.body.createdBy).toBe("olga");
      const bad = await api.call<{ message: string }>("POST", `/instances/${inst}/schedules`, {
        token: tokens.ops,
        body: { name: "bad", cron: "61 * * * *" },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/cron/);
      const viewerCreate = await api.call("POST", `/instances/${inst}/schedules`, {
        token: tokens.viewer,
        body: { name: "v", cron: "* * * * *" },
      });
      expect(viewerCreate.status).toBe(403);
      const listed = await api.call<{ name: string }[]>("GET", `/instances/${inst}/schedules`, {
        token: tokens.viewer,
      });
      expect(listed.body.map((s) => s.name)).toEqual(["hourly"]);
      const pausedS = await api.call<{ pausedAt: string | null }>("POST", `/instances/${inst}/schedules/hourly/pause`, {
        token: tokens.ops,
        body: { reason: "maintenance" },
      });
      expect(pausedS.body.pausedAt).not.toBeNull();
      const resumed = await api.call<{ pausedAt: string | null }>(
        "POST",
        `/instances/${inst}/schedules/${created.body.scheduleId}/resume`,
        { token: tokens.ops, body: {} },
      );
      expect(resumed.body.pausedAt).toBeNull();
      const deleted = await api.call("DELETE", `/instances/${inst}/schedules/hourly`, { token: tokens.ops });
      expect(deleted.body).toEqual({ scheduleId: created.body.scheduleId, deleted: true });
      expect((await api.call("DELETE", `/instances/${inst}/schedules/hourly`, { token: tokens.ops })).status).toBe(404);
    });
  });
}
