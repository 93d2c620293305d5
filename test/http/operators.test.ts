/**
 * Operators over HTTP, on each engine: choosing a unit at checkout, operator tokens (admin and
 * viewer) beside the start-up admin token, admin release and reassign of a held unit, bulk
 * cancel and release by ids; each move recorded under the operator's name.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { snapshot, useHttp } from "./support.js";

interface Unit {
  uowId: string;
  leaseToken: string;
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`operators over HTTP on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const inst = uniqueName("http_ops");
    const tokens = {} as { ann: string; ops: string; viewer: string; revokedOps: string };
    let systemId = "";

    beforeAll(async () => {
      await h.ch.instances.create({
        workflow: "Minimal",
        name: inst,
        actors: [
          { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] },
          { name: "bob", type: "HUMAN", identityKey: "bob", roles: ["Work"] },
        ],
      });
      systemId = (await h.ch.engine.graphs.get(inst)).systemActorId;
      tokens.ann = (await h.ch.actors.issueToken(inst, "ann")).token;
      tokens.ops = (await h.ch.operators.issueToken({ name: "olga", scope: "admin" })).token;
      tokens.viewer = (await h.ch.operators.issueToken({ name: "vic", scope: "viewer" })).token;
      const revoked = await h.ch.operators.issueToken({ name: "old", scope: "admin" });
      await h.ch.operators.revokeToken(revoked.tokenId);
      tokens.revokedOps = revoked.token;
    });

    const start = async () => (await h.ch.work.start(inst, { attributes: { n: 1 } })).uowId;
    const lastEntry = async (uowId: string) => (await h.ch.work.history(inst, uowId)).at(-1)!;

    it("tells each token who it is: the admin, an operator, or an actor with its instance and roles", async () => {
      expect((await api.call("GET", "/session")).body).toEqual({ kind: "admin", operator: "admin", actor: null });
      expect((await api.call("GET", "/session", { token: tokens.ops })).body).toEqual({
        kind: "admin",
        operator: "olga",
        actor: null,
      });
      expect((await api.call("GET", "/session", { token: tokens.viewer })).body).toEqual({
        kind: "viewer",
        operator: "vic",
        actor: null,
      });
      const ann = await api.call<{
        kind: string;
        actor: { instanceName: string; actorName: string; roles: unknown[] };
      }>("GET", "/session", { token: tokens.ann });
      expect(ann.body.kind).toBe("actor");
      expect(ann.body.actor).toMatchObject({ instanceName: inst, actorName: "ann" });
      expect(ann.body.actor.roles).toEqual([
        { name: "Start", type: "ALPHA", workflow: "Minimal" },
        { name: "Work", type: "BETA", workflow: "Minimal" },
      ]);
      expect((await api.call("GET", "/session", { token: tokens.revokedOps })).status).toBe(401);
    });

    it("checks out the unit named in uowId, and answers 409 naming why for one it may not take", async () => {
      await start();
      const chosen = await start();
      const got = await api.call<Unit>("POST", `/instances/${inst}/checkout`, {
        token: tokens.ann,
        body: { role: "Work", uowId: chosen },
      });
      expect(got.status).toBe(200);
      expect(got.body.uowId).toBe(chosen);
      const before = await snapshot(h.ch);
      const taken = await api.call<{ error: string; message: string }>("POST", `/instances/${inst}/checkout`, {
        body: { role: "Work", actorId: "bob", uowId: chosen },
      });
      expect(taken.status).toBe(409);
      expect(taken.body.message).toMatch(/it is taken/);
      expect(await snapshot(h.ch)).toEqual(before);
    });

    it("releases and reassigns a held unit under the operator's name; the old lease gets a 409", async () => {
      const uowId = await start();
      const held = (await h.ch.work.checkout(inst, { role: "Work", actorId: "ann", uowId }))!;
      const moved = await api.call<Unit & { actorId: string }>("POST", `/instances/${inst}/work/${uowId}/reassign`, {
        token: tokens.ops,
        body: { actorId: "bob", reason: "ann is away" },
      });
      expect(moved.status).toBe(200);
      expect(await lastEntry(uowId)).toMatchObject({
        event: "CHECKOUT",
        actorId: systemId,
        details: { reassigned: true, by: "olga", reason: "ann is away" },
      });
      const stale = await api.call("POST", `/instances/${inst}/work/${uowId}/submit`, {
        token: tokens.ann,
        body: { leaseToken: held.leaseToken, attributes: {} },
      });
      expect(stale.status).toBe(409);

      const released = await api.call("POST", `/instances/${inst}/work/${uowId}/admin-release`, {
        body: { reason: "rebalance" },
      });
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ uowId, status: "PENDING", interaction: "Todo" });
      expect(await lastEntry(uowId)).toMatchObject({
        event: "RECLAIM",
        actorId: systemId,
        details: { released: true, by: "admin", reason: "rebalance" },
      });
      const again = await api.call("POST", `/instances/${inst}/work/${uowId}/admin-release`, {
        body: { reason: "rebalance" },
      });
      expect(again.status).toBe(409);
      const unknown = await api.call("POST", `/instances/${inst}/work/00000000-0000-4000-8000-000000000000/reassign`, {
        body: { actorId: "bob", reason: "x" },
      });
      expect(unknown.status).toBe(404);
    });

    it("cancels and releases lists of units with a result per unit", async () => {
      const a = await start();
      const b = await start();
      await h.ch.work.checkout(inst, { role: "Work", actorId: "ann", uowId: a });
      const released = await api.call("POST", `/instances/${inst}/bulk/release`, {
        token: tokens.ops,
        body: { uowIds: [a, b], reason: "drain" },
      });
      expect(released.status).toBe(200);
      expect(released.body).toEqual([
        { uowId: a, ok: true, status: "PENDING" },
        { uowId: b, ok: false, error: { name: "ConflictError", message: expect.stringMatching(/is PENDING/) } },
      ]);
      const cancelled = await api.call("POST", `/instances/${inst}/bulk/cancel`, {
        token: tokens.ops,
        body: { uowIds: [a, "nope", b], reason: "duplicates" },
      });
      expect(cancelled.body).toEqual([
        { uowId: a, ok: true, status: "FINALIZED" },
        { uowId: "nope", ok: false, error: { name: "NotFoundError", message: expect.stringMatching(/UUID/) } },
        { uowId: b, ok: true, status: "FINALIZED" },
      ]);
      expect(await lastEntry(b)).toMatchObject({ event: "CANCEL", details: { by: "olga", reason: "duplicates" } });
      // The single-unit cancel of an operator is recorded under its name too.
      const c = await start();
      await api.call("POST", `/instances/${inst}/work/${c}/cancel`, { token: tokens.ops, body: { reason: "one" } });
      expect(await lastEntry(c)).toMatchObject({ event: "CANCEL", actorId: systemId, details: { by: "olga" } });
      const empty = await api.call("POST", `/instances/${inst}/bulk/cancel`, { body: { uowIds: [], reason: "x" } });
      expect(empty.status).toBe(400);
    });

    it("lets a viewer token call every GET and refuses everything else with a 403, writing nothing", async () => {
      const uowId = await start();
      const held = (await h.ch.work.checkout(inst, { role: "Work", actorId: "ann", uowId }))!;
      for (const path of [
        "/templates",
        "/instances",
        `/instances/${inst}`,
        `/instances/${inst}/work`,
        `/instances/${inst}/work/${uowId}`,
        `/instances/${inst}/work/${uowId}/history`,
        `/instances/${inst}/memory?role=Work&actorId=ann`,
        "/openapi.json",
      ]) {
        const reply = await api.call("GET", path, { token: tokens.viewer });
        expect({ path, status: reply.status }).toEqual({ path, status: 200 });
      }
      const before = await snapshot(h.ch);
      const u = `/instances/${inst}/work/${uowId}`;
      for (const [method, path, body] of [
        ["POST", "/instances", { workflow: "Minimal", name: uniqueName("v") }],
        ["POST", `/instances/${inst}/work`, { attributes: {}, actorId: "ann" }],
        ["POST", `/instances/${inst}/checkout`, { role: "Work", actorId: "bob" }],
        ["POST", `${u}/submit`, { leaseToken: held.leaseToken, actorId: "ann", attributes: {} }],
        ["POST", `${u}/cancel`, { reason: "x" }],
        ["POST", `${u}/admin-release`, { reason: "x" }],
        ["POST", `${u}/reassign`, { actorId: "bob", reason: "x" }],
        ["POST", `/instances/${inst}/bulk/cancel`, { uowIds: [uowId], reason: "x" }],
        ["POST", `/instances/${inst}/actors/ann/tokens`, {}],
        ["PUT", `/instances/${inst}/memory`, { role: "Work", key: "k", value: 1 }],
        ["POST", "/admin/sweep", {}],
        ["POST", "/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" }],
      ] as const) {
        const reply = await api.call<{ error: string; message: string }>(method, path, { token: tokens.viewer, body });
        expect({ path, status: reply.status, error: reply.body.error }).toEqual({
          path,
          status: 403,
          error: "ForbiddenError",
        });
        expect(reply.body.message).toMatch(/viewer token of operator 'vic' may only read/);
      }
      expect(await snapshot(h.ch)).toEqual(before);
    });

    it("refuses a revoked operator token with a 401", async () => {
      const reply = await api.call("GET", "/instances", { token: tokens.revokedOps });
      expect(reply.status).toBe(401);
    });
  });
}
