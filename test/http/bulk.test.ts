/**
 * Operators' moves on a selection and the admin retry over HTTP, on each engine: a dry run that
 * writes nothing, `max` and `more`, the moves recorded under the operator's name, retry
 * targets checked (400 naming the allowed ones), and a viewer refused even a dry run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { failedUnit, RETRY_ACTORS, RETRYABLE } from "../support/retryable.js";
import { snapshot, useHttp } from "./support.js";

interface Report {
  count: number;
  uowIds: string[];
  more: boolean;
  nextAfter: string | null;
  moved: number;
  skipped: number;
  results: { uowId: string; outcome: string; status?: string }[];
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`bulk moves over HTTP on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const tokens = {} as { ops: string; viewer: string };
    beforeAll(async () => {
      await h.ch.templates.importYaml(RETRYABLE);
      tokens.ops = (await h.ch.operators.issueToken({ name: "olga", scope: "admin" })).token;
      tokens.viewer = (await h.ch.operators.issueToken({ name: "vic", scope: "viewer" })).token;
    });
    const deploy = async () =>
      (await h.ch.instances.create({ workflow: "Retryable", name: uniqueName("http_bulk"), actors: RETRY_ACTORS }))
        .name;

    it("answers a dry run with count and ids, writing nothing, then moves the units chosen in pages of max", async () => {
      const inst = await deploy();
      const ids = [await failedUnit(h.ch, inst, { n: 1 }), await failedUnit(h.ch, inst, { n: 2 })];
      ids.push(await failedUnit(h.ch, inst, { n: 3 }));
      const before = await snapshot(h.ch);
      const dry = await api.call<Report>("POST", `/instances/${inst}/bulk`, {
        token: tokens.ops,
        body: { move: "retry", filter: { status: "FAILED" }, to: "Todo", dryRun: true, max: 2 },
      });
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ dryRun: true, count: 2, uowIds: [ids[0], ids[1]], more: true, results: [] });
      expect(await snapshot(h.ch)).toEqual(before);

      const first = await api.call<Report>("POST", `/instances/${inst}/bulk`, {
        token: tokens.ops,
        body: { move: "retry", filter: { status: "FAILED" }, to: "Todo", max: 2, reason: "mail is back" },
      });
      expect(first.body).toMatchObject({ count: 2, moved: 2, more: true, nextAfter: ids[1] });
      const rest = await api.call<Report>("POST", `/instances/${inst}/bulk`, {
        token: tokens.ops,
        body: { move: "retry", filter: { status: "FAILED" }, to: "Todo", max: 2, reason: "mail is back" },
      });
      expect(rest.body).toMatchObject({ count: 1, uowIds: [ids[2]], moved: 1, more: false, nextAfter: null });
      for (const id of ids) {
        expect((await h.ch.work.get(inst, id)).status).toBe("PENDING");
        expect((await h.ch.work.history(inst, id)).at(-1)).toMatchObject({
          event: "SUBMIT",
          details: { retried: true, by: "olga", reason: "mail is back", to: "Todo" },
        });
      }

      // Cancel by a condition; release what Bob holds.
      const held = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Bob" }))!.uowId;
      const released = await api.call<Report>("POST", `/instances/${inst}/bulk`, {
        body: { move: "release", filter: { heldBy: "Bob" }, reason: "Bob is away" },
      });
      expect(released.body).toMatchObject({ count: 1, uowIds: [held], moved: 1 });
      expect((await h.ch.work.history(inst, held)).at(-1)).toMatchObject({
        event: "RECLAIM",
        details: { by: "admin", released: true },
      });
      const cancelled = await api.call<Report>("POST", `/instances/${inst}/bulk`, {
        token: tokens.ops,
        body: { move: "cancel", filter: { where: "n >= 2" }, reason: "duplicates" },
      });
      expect(cancelled.body).toMatchObject({ count: 2, uowIds: [ids[1], ids[2]], moved: 2 });
      expect((await h.ch.work.get(inst, ids[0]!)).status).toBe("PENDING");
    });

    it("retries one unit by its route, and refuses a target EPSILON does not route to with a 400 naming the allowed ones", async () => {
      const inst = await deploy();
      const uowId = await failedUnit(h.ch, inst, { n: 1 });
      const before = await snapshot(h.ch);
      const wrong = await api.call<{ error: string; issues: { path: string; message: string }[] }>(
        "POST",
        `/instances/${inst}/work/${uowId}/admin-retry`,
        { token: tokens.ops, body: { to: "Done", reason: "x" } },
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body.issues[0]).toMatchObject({ path: "to", message: expect.stringMatching(/allowed: Todo;/) });
      const bulkWrong = await api.call("POST", `/instances/${inst}/bulk`, {
        body: { move: "retry", filter: { status: "FAILED" }, to: "Done", dryRun: true },
      });
      expect(bulkWrong.status).toBe(400);
      expect(await snapshot(h.ch)).toEqual(before);
      const instance = await api.call<{ workflows: { retryTargets: string[] }[] }>("GET", `/instances/${inst}`);
      expect(instance.body.workflows[0]!.retryTargets).toEqual(["Todo"]);

      const moved = await api.call("POST", `/instances/${inst}/work/${uowId}/admin-retry`, {
        token: tokens.ops,
        body: { to: "Todo", reason: "mail is back" },
      });
      expect(moved.body).toEqual({ uowId, status: "PENDING", interaction: "Todo" });
      expect((await h.ch.work.history(inst, uowId)).at(-1)).toMatchObject({ details: { by: "olga" } });
      const again = await api.call("POST", `/instances/${inst}/work/${uowId}/admin-retry`, {
        body: { to: "Todo", reason: "again" },
      });
      expect(again.status).toBe(409);
    });

    it("refuses a viewer even a dry run, and an empty selection", async () => {
      const inst = await deploy();
      await failedUnit(h.ch, inst, { n: 1 });
      const viewer = await api.call<{ message: string }>("POST", `/instances/${inst}/bulk`, {
        token: tokens.viewer,
        body: { move: "cancel", filter: { status: "FAILED" }, dryRun: true },
      });
      expect(viewer.status).toBe(403);
      expect(viewer.body.message).toMatch(/may only read/);
      const empty = await api.call<{ message: string }>("POST", `/instances/${inst}/bulk`, {
        body: { move: "cancel", filter: {}, reason: "x" },
      });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toMatch(/at least one criterion/);
    });
  });
}
