/**
 * Pause and resume of an instance and of one role (issue 14, part 1): checkout and genesis
 * refused while paused, the sweep still reclaims but the stale clock stands still, and resume
 * gives every unit the wait it had left.
 */
import { describe, expect, it, vi } from "vitest";
import { ConflictError, ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";

// Minimal's Todo times units out after 600 s.
const STALE = 600;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`pause and resume on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now, leaseTimeoutSeconds: 30 });
    const deploy = async () =>
      (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: uniqueName("pause"),
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] }],
        })
      ).instanceId;
    const status = async (inst: string, uowId: string) => (await h.ch.work.get(inst, uowId)).status;

    it("a paused instance checks out nothing and starts nothing; resume restores both, audited", async () => {
      const inst = await deploy();
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 } });
      const keyed = await h.ch.work.start(inst, { attributes: { n: 2 }, idempotencyKey: "k1" });
      await h.ch.instances.pause(inst, { by: "olga", reason: "month-end freeze" });

      expect(await h.ch.work.checkout(inst, { role: "Work", actorId: "ann" })).toBeNull();
      await expect(h.ch.work.checkout(inst, { role: "Work", actorId: "ann", uowId })).rejects.toThrow(/is paused/);
      const refused = h.ch.work.start(inst, { attributes: { n: 3 } });
      await expect(refused).rejects.toThrow(ConflictError);
      await expect(h.ch.work.start(inst, { attributes: { n: 3 } })).rejects.toThrow(/is paused/);
      // A repeat of a start that was made before the pause is still answered.
      expect(await h.ch.work.start(inst, { attributes: { n: 2 }, idempotencyKey: "k1" })).toEqual({
        uowId: keyed.uowId,
        created: false,
      });
      await expect(h.ch.instances.pause(inst, { by: "olga" })).rejects.toThrow(/already paused/);

      const shown = await h.ch.instances.get(inst);
      expect(shown.status).toBe("PAUSED");
      expect(shown.paused.instance).toMatchObject({ by: "olga", reason: "month-end freeze" });
      // The engine's time: the test clock moved by the database's offset (milliseconds here).
      expect(Math.abs(shown.paused.instance!.since.getTime() - clock.ms)).toBeLessThan(5_000);
      const overview = await h.ch.instances.overview(inst, { maxAgeSeconds: 0 });
      expect(overview.instance.paused).toMatchObject({ by: "olga" });

      clock.advance(5);
      await h.ch.instances.resume(inst, { by: "pat", reason: "freeze over" });
      expect((await h.ch.instances.get(inst)).paused).toEqual({ instance: null, roles: [] });
      expect((await h.ch.work.checkout(inst, { role: "Work", actorId: "ann" }))?.uowId).toBe(uowId);
      expect((await h.ch.work.start(inst, { attributes: { n: 3 } })).created).toBe(true);
      await expect(h.ch.instances.resume(inst, { by: "pat" })).rejects.toThrow(/is not paused/);

      const history = await h.ch.instances.history(inst);
      expect(history.map((e) => [e.event, e.role, e.by, e.reason])).toEqual([
        ["RESUME", null, "pat", "freeze over"],
        ["PAUSE", null, "olga", "month-end freeze"],
      ]);
    });

    it("a paused role checks out nothing while the others go on; its ALPHA refuses genesis", async () => {
      const inst = await deploy();
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 } });
      await h.ch.instances.pause(inst, { role: "Work", by: "olga" });
      expect(await h.ch.work.checkout(inst, { role: "Work", actorId: "ann" })).toBeNull();
      // Genesis still works: only Work is paused.
      await h.ch.work.start(inst, { attributes: { n: 2 } });
      const overview = await h.ch.instances.overview(inst, { maxAgeSeconds: 0 });
      expect(overview.roles.find((r) => r.name === "Work")!.paused).toMatchObject({ by: "olga" });
      expect(overview.roles.find((r) => r.name === "Finish")!.paused).toBeNull();
      expect(overview.instance.paused).toBeNull();
      await h.ch.instances.pause(inst, { role: "Start", by: "olga", reason: "no new orders" });
      await expect(h.ch.work.start(inst, { attributes: { n: 3 } })).rejects.toThrow(/role 'Start' .* is paused/);
      expect((await h.ch.instances.get(inst)).paused.roles.map((r) => r.role)).toEqual(["Start", "Work"]);
      await h.ch.instances.resume(inst, { role: "Work", by: "olga" });
      expect((await h.ch.work.checkout(inst, { role: "Work", actorId: "ann" }))?.uowId).toBe(uowId);
    });

    it("refuses what cannot be paused, naming it, and writes nothing", async () => {
      const inst = await deploy();
      await expect(h.ch.instances.pause(inst, { role: "Nope", by: "olga" })).rejects.toThrow(/no role 'Nope'/);
      await expect(h.ch.instances.pause(inst, { by: "" })).rejects.toThrow(ValidationError);
      await expect(h.ch.instances.pause(inst, { by: "olga", extra: 1 })).rejects.toThrow(/extra/);
      await expect(h.ch.instances.resume(inst, { role: "Work", by: "olga" })).rejects.toThrow(/is not paused/);
      expect(await h.ch.instances.history(inst)).toEqual([]);
      expect((await h.ch.instances.get(inst)).status).toBe("ACTIVE");
    });

    it("the sweep reclaims in a paused instance, but its stale clock stands still until resumed", async () => {
      const inst = await deploy();
      const early = (await h.ch.work.start(inst, { attributes: { n: 1 } })).uowId;
      clock.advance(200);
      const held = (await h.ch.work.start(inst, { attributes: { n: 2 } })).uowId;
      expect((await h.ch.work.checkout(inst, { role: "Work", actorId: "ann" }))?.uowId).toBe(early);
      // `early` goes back where it was (it has waited 200 s plus the hold), `held` waits 0 s.
      clock.advance(100);
      await h.ch.instances.pause(inst, { by: "olga" });
      // A pause far longer than the limit: nothing times out, the expired lease is reclaimed.
      clock.advance(10 * STALE);
      const swept = await h.ch.sweep(inst);
      expect(swept).toMatchObject({ reclaimed: 1, timedOut: 0 });
      expect(await status(inst, early)).toBe("PENDING");
      expect(await status(inst, held)).toBe("PENDING");
      await h.ch.instances.resume(inst, { by: "olga" });
      // `early` had waited 300 s before the pause: it times out 300 s after the resume, not at once.
      expect((await h.ch.sweep(inst)).timedOut).toBe(0);
      clock.advance(STALE - 300 - 1);
      expect((await h.ch.sweep(inst)).timedOut).toBe(0);
      clock.advance(2);
      expect((await h.ch.sweep(inst)).timedOut).toBe(1);
      expect(await status(inst, early)).toBe("TIMEOUT");
      // `held` had waited 100 s: it has 500 s left, of which 300 are gone.
      expect(await status(inst, held)).toBe("PENDING");
      clock.advance(STALE - 100 - 300 + 1);
      expect((await h.ch.sweep(inst)).timedOut).toBe(1);
      expect(await status(inst, held)).toBe("TIMEOUT");
    });

    it("resume moves every unit's clock in two statements per interaction, whatever waits", async () => {
      const inst = await deploy();
      const t0 = clock.now().getTime();
      const before: string[] = [];
      for (let i = 0; i < 40; i++) {
        before.push((await h.ch.work.start(inst, { attributes: { n: i } })).uowId);
        clock.advance(1);
      }
      const held = await h.ch.work.checkout(inst, { role: "Work", actorId: "ann" });
      await h.ch.instances.pause(inst, { role: "Work", by: "olga" });
      const stoppedAt = clock.now().getTime();
      clock.advance(1000);
      const during: string[] = [];
      for (let i = 0; i < 10; i++) during.push((await h.ch.work.start(inst, { attributes: { n: 100 + i } })).uowId);
      clock.advance(500);
      const executor = Object.getPrototypeOf(h.ch.stores.instances.db.getExecutor()) as {
        executeQuery: (q: { sql: string }) => Promise<unknown>;
      };
      const spy = vi.spyOn(executor, "executeQuery");
      try {
        await h.ch.instances.resume(inst, { role: "Work", by: "olga" });
        const unitUpdates = spy.mock.calls.filter(([q]) => /^update [`"]?units_of_work/i.test(q.sql));
        expect(unitUpdates).toHaveLength(2);
      } finally {
        spy.mockRestore();
      }
      const resumedAt = clock.now().getTime();
      const pauseMs = resumedAt - stoppedAt;
      for (const [i, id] of before.entries()) {
        const unit = await h.ch.work.get(inst, id);
        expect(unit.enteredInteractionAt.getTime()).toBe(t0 + i * 1000 + pauseMs);
        if (id !== held?.uowId) expect(unit.availableAt.getTime()).toBe(t0 + i * 1000 + pauseMs);
      }
      for (const id of during) expect((await h.ch.work.get(inst, id)).enteredInteractionAt.getTime()).toBe(resumedAt);
      // The line keeps its order: the first to arrive is the first checked out.
      expect((await h.ch.work.checkout(inst, { role: "Work", actorId: "ann" }))?.uowId).toBe(before[1]);
    });

    it("a role's pause stops its interaction's clock; overlapping pauses count once", async () => {
      const inst = await deploy();
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 } });
      clock.advance(100);
      await h.ch.instances.pause(inst, { role: "Work", by: "olga" });
      clock.advance(1000);
      await h.ch.instances.pause(inst, { by: "olga" });
      clock.advance(1000);
      // The instance runs again, Work is still paused: the clock still stands still.
      await h.ch.instances.resume(inst, { by: "olga" });
      clock.advance(1000);
      expect((await h.ch.sweep(inst)).timedOut).toBe(0);
      // A unit that arrives while Work is paused has waited nothing when it is resumed.
      const late = (await h.ch.work.start(inst, { attributes: { n: 2 } })).uowId;
      clock.advance(1000);
      await h.ch.instances.resume(inst, { role: "Work", by: "olga" });
      clock.advance(STALE - 100 - 1);
      expect((await h.ch.sweep(inst)).timedOut).toBe(0);
      clock.advance(2);
      expect((await h.ch.sweep(inst)).timedOut).toBe(1);
      expect(await status(inst, uowId)).toBe("TIMEOUT");
      expect(await status(inst, late)).toBe("PENDING");
      clock.advance(100);
      expect((await h.ch.sweep(inst)).timedOut).toBe(1);
      expect(await status(inst, late)).toBe("TIMEOUT");
    });
  });
}
