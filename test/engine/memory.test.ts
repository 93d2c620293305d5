/**
 * Role memory on each engine: shared entries overlaid by an actor's own playbook, toxic
 * entries never served, what was served recorded on the CHECKOUT entry, learning written
 * only when OMEGA finalizes the base unit, and decay of entries nobody was served for long.
 */
import { describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
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
      await h.ch.work.startMany(I, [{ attributes: { n: 1 } }, { attributes: { n: 2 } }, { attributes: { n: 3 } }]);

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
      // The engine's time: the test clock moved by the database's offset from this process's clock.
      for (const row of served) expect(row.last_accessed_at?.toISOString()).toBe(h.ch.engine.now().toISOString());

      await h.ch.memory.markToxic(I, limit.memoryId, "led to overpayments");
      expect(byKey(await h.ch.memory.get(I, { role: "Work", actorId: "bob" }))).toEqual({
        tone: { value: "formal", shared: true },
      });
      // A checkout serves it no more, nor names it on its CHECKOUT entry.
      const later = await h.ch.work.checkout(I, { role: "Work", actorId: "bob" });
      expect(byKey(later!.memory)).toEqual({ tone: { value: "formal", shared: true } });
      expect((await checkoutOf(later!.uowId)).details).toMatchObject({ memory: [tone.memoryId] });
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

    /** More facades on the same stores: on the servers each has its own connections. */
    async function others(n: number): Promise<Chameleon[]> {
      return Promise.all(
        Array.from({ length: n }, () =>
          openChameleon({ templatesUrl: h.fresh.templatesUrl, instancesUrl: h.fresh.instancesUrl }),
        ),
      );
    }
    const rowsOf = (I: string, key: string) =>
      h.ch.stores.instances.db
        .selectFrom("local_role_attributes")
        .select(["memory_id", "value", "is_toxic", "toxic_reason", "source_uow_id"])
        .where("instance_id", "=", I)
        .where("key", "=", key)
        .execute();

    it("upserts concurrent puts of the same key from several connections: one row, never a failure", async () => {
      const I = await setup();
      const facades = await others(6);
      try {
        const first = await h.ch.memory.put(I, { role: "Work", key: "race", value: "v0" });
        for (let round = 0; round < 4; round++) {
          const key = `race-${round}`;
          const ids = await Promise.all(
            facades.map((ch, i) => ch.memory.put(I, { role: "Work", key, value: `v${i}` })),
          );
          expect(new Set(ids.map((r) => r.memoryId)).size).toBe(1);
          const rows = await rowsOf(I, key);
          expect(rows).toHaveLength(1);
          expect(facades.map((_, i) => `v${i}`)).toContain(rows[0]!.value);
        }
        // A later put replaces the value of the same row.
        expect(await h.ch.memory.put(I, { role: "Work", key: "race", value: "last" })).toEqual(first);
        expect(await rowsOf(I, "race")).toMatchObject([{ memory_id: first.memoryId, value: "last" }]);
      } finally {
        await Promise.all(facades.map((ch) => ch.close()));
      }
    });

    it("upserts the same key learned by concurrent finalizations from several connections", async () => {
      const I = await setup();
      const n = 6;
      const facades = await others(n);
      try {
        const started = await h.ch.work.startMany(
          I,
          Array.from({ length: n }, (_, i) => ({ attributes: { n: i } })),
        );
        for (let i = 0; i < n; i++) {
          const u = await h.ch.work.checkout(I, { role: "Work", actorId: "ann" });
          await h.ch.work.submit(I, {
            uowId: u!.uowId,
            leaseToken: u!.leaseToken,
            actorId: "ann",
            learn: [
              { key: "lesson", value: { from: i }, shared: true },
              { key: "habit", value: i },
            ],
          });
        }
        const sets = [];
        for (let i = 0; i < n; i++) sets.push((await h.ch.work.checkout(I, { role: "Finish", actorId: "ann" }))!);
        const results = await Promise.all(
          sets.map((set, i) =>
            facades[i]!.work.submit(I, { uowId: set.uowId, leaseToken: set.leaseToken, actorId: "ann" }),
          ),
        );
        expect(results.map((r) => r.status)).toEqual(sets.map(() => "FINALIZED"));
        for (const key of ["lesson", "habit"]) {
          const rows = await rowsOf(I, key);
          expect(rows).toHaveLength(1);
          expect(started.map((s) => s.uowId)).toContain(rows[0]!.source_uow_id);
        }
      } finally {
        await Promise.all(facades.map((ch) => ch.close()));
      }
    });

    it("keeps a toxic entry toxic when the same value is learned again; a different value clears it", async () => {
      const I = await setup();
      const tip = { tip: "pay twice" };
      const { memoryId } = await h.ch.memory.put(I, { role: "Work", key: "payments", value: tip });
      await h.ch.memory.markToxic(I, memoryId, "led to double payments");

      // Again through memory.put, with the keys in another order: the same value.
      expect(await h.ch.memory.put(I, { role: "Work", key: "payments", value: { tip: "pay twice" } })).toEqual({
        memoryId,
      });
      // And again through learning on finalization.
      const unit = (await h.ch.work.startMany(I, [{ attributes: { n: 1 } }]))[0]!;
      const u = await h.ch.work.checkout(I, { role: "Work", actorId: "bob" });
      expect(u!.memory.map((m) => m.key)).not.toContain("payments");
      await h.ch.work.submit(I, {
        uowId: u!.uowId,
        leaseToken: u!.leaseToken,
        actorId: "bob",
        learn: [{ key: "payments", value: tip, shared: true }],
      });
      const set = await h.ch.work.checkout(I, { role: "Finish", actorId: "ann" });
      await h.ch.work.submit(I, { uowId: set!.uowId, leaseToken: set!.leaseToken, actorId: "ann" });
      expect(set!.uowId).toBe(unit.uowId);

      expect(await rowsOf(I, "payments")).toEqual([
        {
          memory_id: memoryId,
          value: tip,
          is_toxic: true,
          toxic_reason: "led to double payments",
          source_uow_id: null,
        },
      ]);
      expect((await h.ch.memory.get(I, { role: "Work", actorId: "bob" })).map((e) => e.key)).not.toContain("payments");

      // A different value is new knowledge: served again.
      await h.ch.memory.put(I, { role: "Work", key: "payments", value: { tip: "pay once" } });
      expect(await rowsOf(I, "payments")).toEqual([
        { memory_id: memoryId, value: { tip: "pay once" }, is_toxic: false, toxic_reason: null, source_uow_id: null },
      ]);
      expect(byKey(await h.ch.memory.get(I, { role: "Work", actorId: "bob" }))).toMatchObject({
        payments: { value: { tip: "pay once" }, shared: true },
      });
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
