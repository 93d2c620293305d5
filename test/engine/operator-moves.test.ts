/**
 * Choosing a unit at checkout, operators' moves on held units (release, reassign) and bulk
 * cancel and release by ids (issue 12).
 */
import { describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";

const ACTORS = [
  { name: "Ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] },
  { name: "Bob", type: "HUMAN", identityKey: "bob@example.com", roles: ["Start", "Work"] },
  { name: "Cy", type: "HUMAN", identityKey: "cy@example.com", roles: ["Start"] },
];

/** Minimal with a criteria gate on Work's INBOUND component: units with `ok: false` are refused. */
const GATED = `
workflow: { name: Gated }
roles:
  - { name: Start, type: ALPHA }
  - { name: Work, type: BETA, strategy: HOMOGENEOUS }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: Todo }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Out, role: Start, interaction: Todo, direction: OUTBOUND }
  - { name: Work_In, role: Work, interaction: Todo, direction: INBOUND, guardian: { type: CRITERIA_GATE, config: { condition: "ok" } } }
  - { name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`choosing a unit and operator moves on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const deploy = async (workflow = "Minimal") =>
      (await h.ch.instances.create({ workflow, name: uniqueName("ops"), actors: ACTORS })).instanceId;
    const systemActor = async (inst: string) => (await h.ch.engine.graphs.get(inst)).systemActorId;
    const snapshot = async (inst: string, uowId: string) => ({
      unit: await h.ch.work.get(inst, uowId),
      history: (await h.ch.work.history(inst, uowId)).length,
    });

    it("checks out the chosen unit, not the oldest", async () => {
      const inst = await deploy();
      await h.ch.work.start(inst, { attributes: { n: 1 } });
      const second = await h.ch.work.start(inst, { attributes: { n: 2 } });
      const unit = await h.ch.work.checkout(inst, { role: "Work", actorId: "Ann", uowId: second.uowId });
      expect(unit).toMatchObject({ uowId: second.uowId, role: "Work", attributes: { n: 2 } });
      expect((await h.ch.work.get(inst, second.uowId)).status).toBe("ACTIVE");
    });

    it("refuses a chosen unit it may not take, naming why, and writes nothing", async () => {
      const inst = await deploy();
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 } });
      // Not in the role's INBOUND interactions (Finish takes from Done).
      let before = await snapshot(inst, uowId);
      await expect(h.ch.work.checkout(inst, { role: "Finish", actorId: "Ann", uowId })).rejects.toThrow(
        /not in one of the role's INBOUND interactions/,
      );
      expect(await snapshot(inst, uowId)).toEqual(before);
      // Taken.
      await h.ch.work.checkout(inst, { role: "Work", actorId: "Ann", uowId });
      before = await snapshot(inst, uowId);
      const taken = h.ch.work.checkout(inst, { role: "Work", actorId: "Bob", uowId });
      await expect(taken).rejects.toThrow(ConflictError);
      await expect(h.ch.work.checkout(inst, { role: "Work", actorId: "Bob", uowId })).rejects.toThrow(/it is taken/);
      expect(await snapshot(inst, uowId)).toEqual(before);
      // Wrong status: a FINALIZED unit.
      await h.ch.work.cancel(inst, { uowId, reason: "gone" });
      before = await snapshot(inst, uowId);
      await expect(h.ch.work.checkout(inst, { role: "Work", actorId: "Bob", uowId })).rejects.toThrow(
        /it is FINALIZED, and the role takes PENDING units/,
      );
      expect(await snapshot(inst, uowId)).toEqual(before);
      // An actor without the role is still refused as before.
      const other = await h.ch.work.start(inst, { attributes: { n: 2 } });
      await expect(h.ch.work.checkout(inst, { role: "Work", actorId: "Cy", uowId: other.uowId })).rejects.toThrow(
        ForbiddenError,
      );
    });

    it("refuses a chosen unit its INBOUND guardian refuses without sending it down the Ate path", async () => {
      await h.ch.templates.importYaml(GATED);
      const inst = await deploy("Gated");
      const { uowId } = await h.ch.work.start(inst, { attributes: { ok: false } });
      const before = await snapshot(inst, uowId);
      await expect(h.ch.work.checkout(inst, { role: "Work", actorId: "Ann", uowId })).rejects.toThrow(
        /refused by its INBOUND guardian/,
      );
      expect(await snapshot(inst, uowId)).toEqual(before);
      expect(before.unit.status).toBe("PENDING");
      // Without a choice, the same unit is refused down the Ate path as before.
      expect(await h.ch.work.checkout(inst, { role: "Work", actorId: "Ann" })).toBeNull();
      expect((await h.ch.work.get(inst, uowId)).status).toBe("FAILED");
    });

    it("gives a unit chosen by two actors at once to exactly one", async () => {
      const inst = await deploy();
      for (let round = 0; round < 5; round++) {
        const { uowId } = await h.ch.work.start(inst, { attributes: { round } });
        const results = await Promise.allSettled(
          ["Ann", "Bob"].map((actorId) => h.ch.work.checkout(inst, { role: "Work", actorId, uowId })),
        );
        const won = results.filter((r) => r.status === "fulfilled");
        expect(won).toHaveLength(1);
        const lost = results.find((r) => r.status === "rejected");
        expect(lost?.reason).toBeInstanceOf(ConflictError);
        const checkouts = (await h.ch.work.history(inst, uowId)).filter((e) => e.event === "CHECKOUT");
        expect(checkouts).toHaveLength(1);
      }
    });

    it("releases a held unit for its holder, audited as SYSTEM with the operator and the reason", async () => {
      const inst = await deploy();
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 } });
      const held = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Ann" }))!;
      const out = await h.ch.work.adminRelease(inst, { uowId, by: "ops-1", reason: "Ann is on leave" });
      expect(out).toEqual({ uowId, status: "PENDING", interaction: "Todo" });
      const last = (await h.ch.work.history(inst, uowId)).at(-1)!;
      expect(last).toMatchObject({ event: "RECLAIM", actorId: await systemActor(inst) });
      expect(last.details).toMatchObject({ released: true, by: "ops-1", reason: "Ann is on leave" });
      await expect(
        h.ch.work.submit(inst, { uowId, leaseToken: held.leaseToken, actorId: "Ann", attributes: {} }),
      ).rejects.toThrow(ConflictError);
      // Not held any more: a second release is refused and writes nothing.
      const before = await snapshot(inst, uowId);
      await expect(h.ch.work.adminRelease(inst, { uowId, by: "ops-1", reason: "again" })).rejects.toThrow(
        /only a unit an actor holds can be released/,
      );
      expect(await snapshot(inst, uowId)).toEqual(before);
      await expect(h.ch.work.adminRelease(inst, { uowId, reason: "no operator" })).rejects.toThrow(ValidationError);
    });

    it("reassigns a held unit to another actor of the role; the old lease is refused from then on", async () => {
      const inst = await deploy();
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 } });
      const first = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Ann" }))!;
      // Cy has no assignment to Work: refused, nothing written.
      const before = await snapshot(inst, uowId);
      await expect(h.ch.work.reassign(inst, { uowId, actorId: "Cy", by: "ops-1", reason: "handover" })).rejects.toThrow(
        ForbiddenError,
      );
      await expect(
        h.ch.work.reassign(inst, { uowId, actorId: "Ann", by: "ops-1", reason: "handover" }),
      ).rejects.toThrow(/already held by actor 'Ann'/);
      expect(await snapshot(inst, uowId)).toEqual(before);

      const moved = await h.ch.work.reassign(inst, { uowId, actorId: "Bob", by: "ops-1", reason: "handover" });
      expect(moved.leaseToken).not.toBe(first.leaseToken);
      const last = (await h.ch.work.history(inst, uowId)).at(-1)!;
      expect(last).toMatchObject({ event: "CHECKOUT", actorId: await systemActor(inst) });
      expect(last.details).toMatchObject({ reassigned: true, by: "ops-1", reason: "handover" });
      await expect(
        h.ch.work.submit(inst, { uowId, leaseToken: first.leaseToken, actorId: "Ann", attributes: {} }),
      ).rejects.toThrow(ConflictError);
      expect(await h.ch.work.held(inst, { actorId: "Ann" })).toEqual([]);
      expect((await h.ch.work.held(inst, { actorId: "Bob" })).map((u) => [u.uowId, u.leaseToken, u.role])).toEqual([
        [uowId, moved.leaseToken, "Work"],
      ]);
      const done = await h.ch.work.submit(inst, {
        uowId,
        leaseToken: moved.leaseToken,
        actorId: "Bob",
        attributes: {},
      });
      expect(done.status).toBe("COMPLETED");
    });

    it("cancels and releases lists of units with a result per unit, each audited", async () => {
      const inst = await deploy();
      const a = await h.ch.work.start(inst, { attributes: { n: 1 } });
      const b = await h.ch.work.start(inst, { attributes: { n: 2 } });
      await h.ch.work.checkout(inst, { role: "Work", actorId: "Ann", uowId: a.uowId });
      const missing = "00000000-0000-4000-8000-000000000000";

      const released = await h.ch.work.releaseMany(inst, { uowIds: [a.uowId, b.uowId], by: "ops-2", reason: "drain" });
      expect(released).toEqual([
        { uowId: a.uowId, ok: true, status: "PENDING" },
        { uowId: b.uowId, ok: false, error: { name: "ConflictError", message: expect.stringMatching(/is PENDING/) } },
      ]);

      const cancelled = await h.ch.work.cancelMany(inst, {
        uowIds: [a.uowId, missing, b.uowId],
        by: "ops-2",
        reason: "duplicate batch",
      });
      expect(cancelled).toEqual([
        { uowId: a.uowId, ok: true, status: "FINALIZED" },
        { uowId: missing, ok: false, error: { name: "NotFoundError", message: expect.any(String) } },
        { uowId: b.uowId, ok: true, status: "FINALIZED" },
      ]);
      for (const { uowId } of [a, b]) {
        const last = (await h.ch.work.history(inst, uowId)).at(-1)!;
        expect(last).toMatchObject({ event: "CANCEL", actorId: await systemActor(inst) });
        expect(last.details).toMatchObject({ by: "ops-2", reason: "duplicate batch" });
      }
      await expect(h.ch.work.cancelMany(inst, { uowIds: [], by: "ops-2", reason: "x" })).rejects.toThrow(
        ValidationError,
      );
    });
  });
}
