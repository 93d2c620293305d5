/**
 * A submit of a unit the same process checked out skips reading it (docs/engine.md, "The hot
 * path"): what it writes must be exactly what the ordinary submit writes, and anything that
 * changed the unit meanwhile (another process's heartbeat, a reclaim, a release) must send it
 * down the ordinary path, which answers as always. Two Chameleon objects on one store: the
 * first holds what it checked out, the second never holds it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { ConflictError } from "../../src/errors.js";
import type { HistoryEntry } from "../../src/engine/queries.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { TestClock } from "../support/lab.js";

const BLUEPRINT = `
workflow: { name: Held }
roles:
  - { name: Start, type: ALPHA }
  - { name: First, type: BETA, strategy: HOMOGENEOUS }
  - { name: Second, type: BETA, strategy: HOMOGENEOUS }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: First_Q }
  - { name: Second_Q }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Out, role: Start, interaction: First_Q, direction: OUTBOUND }
  - { name: First_In, role: First, interaction: First_Q, direction: INBOUND }
  - { name: First_Big, role: First, interaction: Second_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: "amount >= 100" } } }
  - { name: First_Small, role: First, interaction: Done, direction: OUTBOUND }
  - { name: Second_In, role: Second, interaction: Second_Q, direction: INBOUND }
  - { name: Second_Out, role: Second, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

/** A history with what differs between two units by nature (ids, times, leases) left out. */
const shape = (history: HistoryEntry[]) =>
  history.map((e) => {
    const details = { ...(e.details as Record<string, unknown>) };
    delete details.result;
    return { event: e.event, actor: e.actorName, role: e.role, interaction: e.interaction, details };
  });

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`a held unit's submit on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now, leaseTimeoutSeconds: 30 });
    let other: Chameleon;
    beforeAll(async () => {
      other = await openChameleon({
        templatesUrl: h.fresh.templatesUrl,
        instancesUrl: h.fresh.instancesUrl,
        clock: clock.now,
        leaseTimeoutSeconds: 30,
      });
    });
    afterAll(() => other?.close());
    /** What the store's held-submit operation answered, call by call: true when it wrote. */
    const heldWrites = async (): Promise<boolean[]> =>
      Promise.all(
        spy.mock.results.map(async (r: { value: unknown }) => (await (r.value as Promise<string[]>)).length > 0),
      );
    let spy: ReturnType<typeof vi.spyOn>;
    beforeAll(() => {
      spy = vi.spyOn(h.ch.stores.instances.dialect.hotPath, "submitHeld");
    });

    const newInstance = async () => {
      await h.ch.templates.importYaml(BLUEPRINT);
      const { instanceId } = await h.ch.instances.create({
        workflow: "Held",
        name: uniqueName("held"),
        actors: [{ name: "ann", type: "AI_AGENT", identityKey: "ann", roles: ["Start", "First", "Second"] }],
      });
      return instanceId;
    };
    const start = async (I: string, amount: number) =>
      (await h.ch.work.start(I, { attributes: { amount, note: "same" } })).uowId;
    const take = async (ch: Chameleon, I: string, role = "First") => {
      const unit = await ch.work.checkout(I, { role, actorId: "ann" });
      expect(unit).not.toBeNull();
      return unit!;
    };

    it("writes what the ordinary submit writes: the same audit entries, versions and route", async () => {
      const I = await newInstance();
      const [a, b] = [await start(I, 150), await start(I, 150)];
      // a: checked out and submitted by the same object (held); b: submitted by another one.
      const heldUnit = await take(h.ch, I);
      const plainUnit = await take(h.ch, I);
      expect([heldUnit.uowId, plainUnit.uowId].sort()).toEqual([a, b].sort());
      const submit = (ch: Chameleon, u: { uowId: string; leaseToken: string }) =>
        ch.work.submit(I, {
          uowId: u.uowId,
          leaseToken: u.leaseToken,
          actorId: "ann",
          attributes: { amount: 150, checked: true, note: "changed" },
          reasoning: "looked at it",
        });
      spy.mockClear();
      const r1 = await submit(h.ch, heldUnit);
      expect(await heldWrites()).toEqual([true]);
      const r2 = await submit(other, plainUnit);
      expect(await heldWrites()).toEqual([true]); // the other object never held it
      expect(r1).toEqual({ ...r2, uowId: heldUnit.uowId });
      expect(r1).toMatchObject({ status: "PENDING", interaction: "Second_Q" });
      const [h1, h2] = await Promise.all([h.ch.work.history(I, heldUnit.uowId), h.ch.work.history(I, plainUnit.uowId)]);
      expect(shape(h1)).toEqual(shape(h2));
      const versions = async (id: string) =>
        (await h.ch.work.attributeHistory(I, id)).map((v) => [v.key, v.value, v.version, v.reasoning]);
      expect(await versions(heldUnit.uowId)).toEqual(await versions(plainUnit.uowId));
      // A repeat of the held submit is answered with the first result, as any repeat is.
      expect(await submit(h.ch, heldUnit)).toEqual({ ...r1, alreadyDone: true });
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("goes the ordinary way when another process wrote the unit meanwhile (a heartbeat), and is submitted once", async () => {
      const I = await newInstance();
      const id = await start(I, 5);
      const unit = await take(h.ch, I);
      clock.advance(1);
      await other.work.heartbeat(I, { uowId: id, leaseToken: unit.leaseToken, actorId: "ann" });
      spy.mockClear();
      const result = await h.ch.work.submit(I, {
        uowId: id,
        leaseToken: unit.leaseToken,
        actorId: "ann",
        attributes: { amount: 6 },
      });
      expect(result).toMatchObject({ status: "COMPLETED", interaction: "Done" });
      expect(await heldWrites()).toEqual([false]); // fenced: the ordinary path wrote it
      const submits = (await h.ch.work.history(I, id)).filter((e) => e.event === "SUBMIT");
      expect(submits).toHaveLength(1);
      expect((await h.ch.work.attributeHistory(I, id)).filter((v) => v.key === "amount")).toHaveLength(2);
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("a batch of held units is one fenced write; a unit another process wrote goes the ordinary way, each answered once", async () => {
      const I = await newInstance();
      const ids = [await start(I, 150), await start(I, 5), await start(I, 5), await start(I, 5)];
      const held = await h.ch.work.checkoutMany(I, { role: "First", actorId: "ann", max: 4 });
      expect(held.map((u) => u.uowId).sort()).toEqual([...ids].sort());
      const touched = held.find((u) => u.uowId === ids[2])!;
      clock.advance(1);
      await other.work.heartbeat(I, { uowId: touched.uowId, leaseToken: touched.leaseToken, actorId: "ann" });
      spy.mockClear();
      const answers = await h.ch.work.submitMany(
        I,
        held.map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "ann", attributes: { seen: true } })),
      );
      // One call of the store for the batch, which moved all but the unit the heartbeat wrote.
      expect(spy).toHaveBeenCalledTimes(1);
      expect(((await spy.mock.results[0]!.value) as string[]).sort()).toEqual(
        held
          .map((u) => u.uowId)
          .filter((id) => id !== touched.uowId)
          .sort(),
      );
      expect(answers.map((a) => a.uowId)).toEqual(held.map((u) => u.uowId));
      for (const answer of answers) {
        expect(answer.ok).toBe(true);
        const big = answer.uowId === ids[0];
        expect(answer.ok && answer.result).toEqual({
          uowId: answer.uowId,
          status: big ? "PENDING" : "COMPLETED",
          interaction: big ? "Second_Q" : "Done",
        });
        const history = await h.ch.work.history(I, answer.uowId);
        expect(history.filter((e) => e.event === "SUBMIT")).toHaveLength(1);
        expect((await h.ch.work.attributeHistory(I, answer.uowId)).filter((v) => v.key === "seen")).toHaveLength(1);
      }
      // The batch again: every lease consumed, each answered with its first result.
      const again = await h.ch.work.submitMany(
        I,
        held.map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "ann", attributes: { seen: true } })),
      );
      expect(again.map((a) => a.ok && a.result.alreadyDone)).toEqual(held.map(() => true));
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("its own heartbeat keeps the held way open; a lease lost to the sweep is refused and changes nothing", async () => {
      const I = await newInstance();
      const [kept, lost] = [await start(I, 5), await start(I, 5)];
      const first = await take(h.ch, I);
      const second = await take(h.ch, I);
      expect([first.uowId, second.uowId].sort()).toEqual([kept, lost].sort());
      clock.advance(20);
      await h.ch.work.heartbeat(I, { uowId: first.uowId, leaseToken: first.leaseToken, actorId: "ann" });
      clock.advance(20);
      // The second's lease ran out: the sweep gives it back, the first's heartbeat kept it.
      expect((await h.ch.sweep(I)).reclaimed).toBe(1);
      spy.mockClear();
      expect(
        await h.ch.work.submit(I, { uowId: first.uowId, leaseToken: first.leaseToken, actorId: "ann" }),
      ).toMatchObject({ status: "COMPLETED" });
      expect(await heldWrites()).toEqual([true]);
      const before = await h.ch.work.history(I, second.uowId);
      await expect(
        h.ch.work.submit(I, { uowId: second.uowId, leaseToken: second.leaseToken, actorId: "ann" }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await h.ch.work.history(I, second.uowId)).toEqual(before);
      expect((await h.ch.work.get(I, second.uowId)).status).toBe("PENDING");
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("a held unit released and taken again by someone else cannot be submitted with the old lease", async () => {
      const I = await newInstance();
      const id = await start(I, 5);
      const unit = await take(h.ch, I);
      await h.ch.work.release(I, { uowId: id, leaseToken: unit.leaseToken, actorId: "ann", reason: "later" });
      // `other` reads the database's clock for itself; on one frozen test clock the two objects
      // must still agree on now, or the released unit stays in other's future (store/clock.ts).
      const again = await take(other, I);
      expect(again.uowId).toBe(id);
      await expect(
        h.ch.work.submit(I, { uowId: id, leaseToken: unit.leaseToken, actorId: "ann" }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await other.work.submit(I, { uowId: id, leaseToken: again.leaseToken, actorId: "ann" })).toMatchObject({
        status: "COMPLETED",
      });
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });
  });
}
