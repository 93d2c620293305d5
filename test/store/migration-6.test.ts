/**
 * Migration 6 on a populated store of version 5: nothing is paused afterwards, the new tables
 * are empty, and pause, resume and schedules work on the upgraded store with its old units.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { connectStore } from "../../src/store/open.js";
import { engines, type FreshStores } from "../support/engines.js";
import { copyRows } from "../support/copy-rows.js";
import { useChameleon } from "../support/fixtures.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`migration 6 on ${engine.name}`, () => {
    const h = useChameleon(engine);
    let target: FreshStores;
    let upgraded: Chameleon;
    let uowId = "";

    beforeAll(async () => {
      await h.ch.instances.create({
        workflow: "Minimal",
        name: "before6",
        actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
      });
      uowId = (await h.ch.work.start("before6", { attributes: { n: 1 } })).uowId;
      target = await engine.fresh();
      const store = await connectStore("instances", target.instancesUrl);
      try {
        await store.migrate(5);
        await copyRows(h.ch.stores.instances.db, store.db, 5);
      } finally {
        await store.close();
      }
      upgraded = await openChameleon({ templatesUrl: h.fresh.templatesUrl, instancesUrl: target.instancesUrl });
    });
    afterAll(async () => {
      await upgraded?.close();
      await target?.drop();
    });

    it("leaves nothing paused and the new tables empty", async () => {
      const db = upgraded.stores.instances.db;
      const versions = await db.selectFrom("chameleon_migrations").select("version").execute();
      expect(versions.map((v) => v.version)).toContain(6);
      const roles = await db.selectFrom("local_roles").select("paused_at").execute();
      expect(roles.length).toBeGreaterThan(0);
      expect(roles.every((r) => r.paused_at === null)).toBe(true);
      const interactions = await db.selectFrom("local_interactions").select("clock_stopped_at").execute();
      expect(interactions.every((i) => i.clock_stopped_at === null)).toBe(true);
      expect(await db.selectFrom("instance_events").selectAll().execute()).toEqual([]);
      expect(await db.selectFrom("schedules").selectAll().execute()).toEqual([]);
      expect((await upgraded.instances.get("before6")).paused).toEqual({ instance: null, roles: [] });
    });

    it("pauses, resumes and schedules on the upgraded store; the old unit is served after the resume", async () => {
      await upgraded.instances.pause("before6", { by: "olga" });
      expect(await upgraded.work.checkout("before6", { role: "Work", actorId: "ann" })).toBeNull();
      await upgraded.instances.resume("before6", { by: "olga" });
      expect((await upgraded.work.checkout("before6", { role: "Work", actorId: "ann" }))?.uowId).toBe(uowId);
      await upgraded.schedules.create("before6", { name: "s", cron: "0 0 1 1 *", by: "olga" });
      expect((await upgraded.instances.history("before6")).map((e) => e.event)).toEqual([
        "SCHEDULE_CREATE",
        "RESUME",
        "PAUSE",
      ]);
    });
  });
}
