/**
 * Role memory on each engine: shared entries overlaid by an actor's own playbook, toxic
 * entries never served, what was served recorded on the CHECKOUT entry, learning written
 * only when OMEGA finalizes the base unit, and decay of entries nobody was served for long.
 */
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`role memory on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now });

    async function setup() {
      const inst = await h.ch.instances.create({
        workflow: "Minimal",
        name: uniqueName("memory"),
        actors: [
          { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] },
          { name: "bob", type: "AI_AGENT", identityKey: "bob", roles: ["Start", "Work"] },
        ],
      });
      return inst.instanceId;
    }
    const byKey = (entries: { key: string; value: unknown; shared: boolean }[]) =>
      Object.fromEntries(entries.map((e) => [e.key, { value: e.value, shared: e.shared }]));

    it("serves shared entries overlaid by the actor's own, records what was shared, and never serves toxic ones", async () => {
      const I = await setup();
      const tone = await h.ch.memory.put(I, { role: "Work", key: "tone", value: "formal" });
      const limit = await h.ch.memory.put(I, { role: "Work", key: "limit", value: 100 });
      await h.ch.memory.put(I, { role: "Work", actorId: "ann", key: "tone", value: "casual" });
      await h.ch.work.startMany(I, [{ attributes: { n: 1 } }, { attributes: { n: 2 } }]);

      const ann = await h.ch.work.checkout(I, { role: "Work", actorId: "ann" });
      expect(byKey(ann!.memory)).toEqual({
        tone: { value: "casual", shared: false },
        limit: { value: 100, shared: true },
      });
      const bob = await h.ch.work.checkout(I, { role: "Work", actorId: "bob" });
      expect(byKey(bob!.memory)).toEqual({
        tone: { value: "formal", shared: true },
        limit: { value: 100, shared: true },
      });

      const checkoutOf = async (uowId: string) =>
        (await h.ch.work.history(I, uowId)).find((e) => e.event === "CHECKOUT")!;
      expect((await checkoutOf(ann!.uowId)).details).toMatchObject({ memory: [limit.memoryId] });
      expect(((await checkoutOf(bob!.uowId)).details as { memory: string[] }).memory.sort()).toEqual(
        [limit.memoryId, tone.memoryId].sort(),
      );
      const served = await h.ch.stores.instances.db
        .selectFrom("local_role_attributes")
        .select(["key", "last_accessed_at"])
        .execute();
      for (const row of served) expect(row.last_accessed_at?.toISOString()).toBe(clock.now().toISOString());

      await h.ch.memory.markToxic(I, limit.memoryId, "led to overpayments");
      expect(byKey(await h.ch.memory.get(I, { role: "Work", actorId: "bob" }))).toEqual({
        tone: { value: "formal", shared: true },
      });
      expect(await h.ch.memory.get(I, { role: "Work", actorId: "ann", query: "TON" })).toMatchObject([
        { key: "tone", value: "casual" },
      ]);
      const toxic = await h.ch.stores.instances.db
        .selectFrom("local_role_attributes")
        .select(["is_toxic", "toxic_reason"])
        .where("memory_id", "=", limit.memoryId)
        .executeTakeFirstOrThrow();
      expect(toxic).toEqual({ is_toxic: true, toxic_reason: "led to overpayments" });
      await expect(h.ch.memory.markToxic(I, "00000000-0000-4000-8000-000000000000", "x")).rejects.toThrow(
        /no memory entry/,
      );
    });

    it("writes learning only when OMEGA finalizes the base unit, with its source; a cancelled unit's learning is dropped", async () => {
      const I = await setup();
      const [kept, dropped] = await h.ch.work.startMany(I, [{ attributes: { n: 1 } }, { attributes: { n: 2 } }]);
      for (const unit of [kept!, dropped!]) {
        const u = await h.ch.work.checkout(I, { role: "Work", actorId: "ann" });
        await h.ch.work.submit(I, {
          uowId: u!.uowId,
          leaseToken: u!.leaseToken,
          actorId: "ann",
          learn: [
            {
              key: `lesson-${unit.uowId === kept!.uowId ? "kept" : "dropped"}`,
              value: { tip: "check twice" },
              shared: true,
            },
            { key: "habit", value: "coffee first" },
          ],
        });
      }
      expect(await h.ch.memory.get(I, { role: "Work", actorId: "ann" })).toEqual([]);
      expect((await h.ch.work.get(I, kept!.uowId)).attributes).toEqual({ n: 1 }); // learning is the engine's, not an attribute
      await h.ch.work.cancel(I, { uowId: dropped!.uowId, reason: "not needed" });
      const set = await h.ch.work.checkout(I, { role: "Finish", actorId: "ann" });
      await h.ch.work.submit(I, { uowId: set!.uowId, leaseToken: set!.leaseToken, actorId: "ann" });

      expect(byKey(await h.ch.memory.get(I, { role: "Work", actorId: "ann" }))).toEqual({
        "lesson-kept": { value: { tip: "check twice" }, shared: true },
        habit: { value: "coffee first", shared: false },
      });
      expect(byKey(await h.ch.memory.get(I, { role: "Work", actorId: "bob" }))).toEqual({
        "lesson-kept": { value: { tip: "check twice" }, shared: true },
      });
      const rows = await h.ch.stores.instances.db
        .selectFrom("local_role_attributes")
        .select(["key", "source_uow_id"])
        .where("key", "in", ["lesson-kept", "habit"])
        .execute();
      for (const r of rows) expect(r.source_uow_id).toBe(kept!.uowId);
    });

    it("decays entries not served for longer than the given days", async () => {
      const I = await setup();
      await h.ch.memory.put(I, { role: "Work", key: "old", value: 1 });
      clock.advance(5 * 86_400);
      await h.ch.memory.put(I, { role: "Work", key: "young", value: 2 });
      await h.ch.work.start(I, { attributes: {} });
      clock.advance(2 * 86_400);
      await h.ch.work.checkout(I, { role: "Work", actorId: "bob" }); // serves both: both were used just now
      clock.advance(10 * 86_400);
      await h.ch.memory.put(I, { role: "Work", key: "fresh", value: 3 });
      expect(await h.ch.memory.decay(I, 7)).toEqual({ removed: 2 });
      expect((await h.ch.memory.get(I, { role: "Work", actorId: "bob" })).map((e) => e.key)).toEqual(["fresh"]);
      await expect(h.ch.memory.decay(I, -1)).rejects.toThrow(/memory.decay days/);
    });
  });
}
