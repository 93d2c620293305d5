/**
 * POST /instances/:id/checkout-many and /instances/:id/submit-many on each engine: an actor
 * token acts as itself, the admin names the actor; the reply holds one unit per lease and one
 * answer per submit, in order, a refused one beside those that went through.
 */
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { useHttp } from "./support.js";

interface Unit {
  uowId: string;
  leaseToken: string;
  attempt: number;
  leaseExpiresAt: string;
}
interface Result {
  uowId: string;
  ok: boolean;
  result?: { status: string; interaction: string; alreadyDone?: true };
  error?: { name: string; message: string };
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`batches over HTTP on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);

    it("checks out and submits several units; per-unit refusals; an actor token acts as itself", async () => {
      const { instanceId: I, actors } = await h.ch.instances.create({
        workflow: "Minimal",
        name: uniqueName("http_batch"),
        actors: [
          { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] },
          { name: "bob", type: "HUMAN", identityKey: "bob", roles: ["Work"] },
        ],
      });
      const ids = [];
      for (let n = 0; n < 5; n++) ids.push((await h.ch.work.start(I, { attributes: { n }, actorId: "ann" })).uowId);
      const { token } = await h.ch.actors.issueToken(I, "bob");
      const bob = actors.find((a) => a.name === "bob")!.actorId;

      const first = await api.call<{ units: Unit[] }>("POST", `/instances/${I}/checkout-many`, {
        token,
        body: { role: "Work", max: 3 },
      });
      expect(first.status).toBe(200);
      expect(first.body.units).toHaveLength(3);
      expect(new Set(first.body.units.map((u) => u.leaseToken)).size).toBe(3);
      for (const u of first.body.units) {
        expect(u.leaseExpiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect((await h.ch.work.get(I, u.uowId)).lockedBy).toBe(bob);
      }
      // The admin names the actor; a bad max is a 400 naming it.
      const rest = await api.call<{ units: Unit[] }>("POST", `/instances/${I}/checkout-many`, {
        body: { role: "Work", actorId: "ann", max: 10 },
      });
      expect(rest.body.units.map((u) => u.uowId).sort()).toEqual(
        ids.filter((id) => !first.body.units.some((u) => u.uowId === id)).sort(),
      );
      const none = await api.call<{ units: Unit[] }>("POST", `/instances/${I}/checkout-many`, {
        token,
        body: { role: "Work", max: 10 },
      });
      expect(none.body).toEqual({ units: [] });
      for (const max of [0, 101]) {
        const bad = await api.call("POST", `/instances/${I}/checkout-many`, { token, body: { role: "Work", max } });
        expect(bad.status).toBe(400);
        expect(bad.text).toContain("max");
      }

      // Bob submits his three and one of ann's (not his lease: refused), in that order.
      const [a, b, c] = first.body.units;
      const submits = [
        { uowId: c!.uowId, leaseToken: c!.leaseToken, attributes: { done: 1 } },
        { uowId: rest.body.units[0]!.uowId, leaseToken: rest.body.units[0]!.leaseToken },
        { uowId: a!.uowId, leaseToken: a!.leaseToken },
        { uowId: b!.uowId, leaseToken: "not-the-lease" },
      ];
      const submitted = await api.call<{ results: Result[] }>("POST", `/instances/${I}/submit-many`, {
        token,
        body: { submits },
      });
      expect(submitted.status).toBe(200);
      const results = submitted.body.results;
      expect(results.map((r) => [r.uowId, r.ok])).toEqual([
        [c!.uowId, true],
        [rest.body.units[0]!.uowId, false],
        [a!.uowId, true],
        [b!.uowId, false],
      ]);
      expect(results[0]!.result).toMatchObject({ status: "COMPLETED", interaction: "Done" });
      expect(results[3]!.error).toMatchObject({ name: "ConflictError" });
      expect((await h.ch.work.get(I, b!.uowId)).status).toBe("ACTIVE");

      // The admin submits for ann; a repeat of bob's answers alreadyDone.
      const admin = await api.call<{ results: Result[] }>("POST", `/instances/${I}/submit-many`, {
        body: {
          submits: rest.body.units.map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "ann" })),
        },
      });
      expect(admin.body.results.every((r) => r.ok)).toBe(true);
      const again = await api.call<{ results: Result[] }>("POST", `/instances/${I}/submit-many`, {
        token,
        body: { submits: submits.slice(0, 1) },
      });
      expect(again.body.results[0]).toMatchObject({ ok: true, result: { alreadyDone: true } });
      for (const body of [{ submits: [] }, { submits: [{ uowId: a!.uowId }] }, {}]) {
        expect((await api.call("POST", `/instances/${I}/submit-many`, { token, body })).status).toBe(400);
      }
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });
  });
}
