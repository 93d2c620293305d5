/**
 * The sweep isolates failures: a unit it cannot move is reported in the result and stops
 * neither the other units of its instance nor the other instances.
 */
import { afterAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`sweep failures on ${engine.name}`, () => {
    const clock = new TestClock();
    const settings = { clock: clock.now, leaseTimeoutSeconds: 30 };
    const h = useChameleon(engine, settings);
    let other: Chameleon | undefined;
    afterAll(async () => {
      await other?.close();
    });

    const minimal = (name: string) =>
      h.ch.instances.create({
        workflow: "Minimal",
        name: uniqueName(name),
        actors: [{ name: "ops", type: "HUMAN", identityKey: "ops@example.com", roles: ["Work"] }],
      });
    const status = async (instance: string, uowId: string) => (await h.ch.work.get(instance, uowId)).status;

    it("reports the units it cannot move and still moves everything else, in every instance", async () => {
      // An instance whose TAU pulls from EPSILON's interaction (rule 14 refuses such a blueprint
      // at import, so the instance is rewired in the store): units arrive there FAILED, and
      // timing a stale unit out is a move the transition table refuses.
      const poisoned = await minimal("poisoned");
      const db = h.ch.stores.instances.db;
      const errors = await db
        .selectFrom("local_interactions")
        .innerJoin("local_workflows", "local_workflows.local_workflow_id", "local_interactions.local_workflow_id")
        .select("local_interactions.interaction_id")
        .where("local_workflows.instance_id", "=", poisoned.instanceId)
        .where("local_interactions.name", "=", "Errors")
        .executeTakeFirstOrThrow();
      const rewired = await db
        .updateTable("local_components")
        .set({ interaction_id: errors.interaction_id })
        .where("name", "=", "Watch_In")
        .where("local_workflow_id", "in", (eb) =>
          eb.selectFrom("local_workflows").select("local_workflow_id").where("instance_id", "=", poisoned.instanceId),
        )
        .executeTakeFirst();
      expect(Number(rewired.numUpdatedRows)).toBe(1);
      const healthy = await minimal("healthy");

      const start = (instance: string) => h.ch.work.start(instance, { attributes: { n: 1 } }).then((u) => u.uowId);
      // In each instance: one unit held (its lease will expire), then two left waiting (they go stale).
      const held = { poisoned: await start(poisoned.instanceId), healthy: await start(healthy.instanceId) };
      for (const [instance, id] of [
        [poisoned.instanceId, held.poisoned],
        [healthy.instanceId, held.healthy],
      ] as const) {
        expect((await h.ch.work.checkout(instance, { role: "Work", actorId: "ops" }))?.uowId).toBe(id);
      }
      const stalePoisoned = [await start(poisoned.instanceId), await start(poisoned.instanceId)];
      const staleHealthy = [await start(healthy.instanceId), await start(healthy.instanceId)];
      clock.advance(601); // past the lease timeout (30 s) and Todo's stale_token_limit_seconds (600)

      // A second library on the same stores: it reads the rewired instance graph fresh.
      other = await openChameleon({
        templatesUrl: h.fresh.templatesUrl,
        instancesUrl: h.fresh.instancesUrl,
        ...settings,
      });
      const result = await other.sweep();

      // A reclaimed unit keeps its place in line, so it is stale too: in the healthy instance
      // it is timed out after its reclaim, in the poisoned one it cannot be.
      expect(result.reclaimed).toBe(2);
      expect(result.timedOut).toBe(3);
      expect(result.failures).toHaveLength(3);
      expect(result.failures).toEqual(
        expect.arrayContaining(
          [held.poisoned, ...stalePoisoned].map((uowId) =>
            expect.objectContaining({
              instanceId: poisoned.instanceId,
              uowId,
              move: "timeout",
              error: expect.stringMatching(/^ConflictError: .*PENDING/) as unknown,
            }),
          ),
        ),
      );
      // Moved: both expired leases, and the healthy instance's stale units.
      expect(await status(poisoned.instanceId, held.poisoned)).toBe("PENDING");
      for (const id of [held.healthy, ...staleHealthy]) expect(await status(healthy.instanceId, id)).toBe("TIMEOUT");
      // Not moved, and left as they were.
      for (const id of stalePoisoned) expect(await status(poisoned.instanceId, id)).toBe("PENDING");

      // The next sweep tries them again, and finds nothing else to do.
      const again = await other.sweep();
      expect(again).toMatchObject({ reclaimed: 0, timedOut: 0 });
      expect(again.failures.map((f) => f.uowId).sort()).toEqual([held.poisoned, ...stalePoisoned].sort());
    });

    it("reports an instance it cannot sweep at all and sweeps the others", async () => {
      const broken = await minimal("no-graph");
      const healthy = await minimal("healthy2");
      const id = (await h.ch.work.start(healthy.instanceId, { attributes: { n: 2 } })).uowId;
      await h.ch.work.checkout(healthy.instanceId, { role: "Work", actorId: "ops" });
      // An instance whose TAU has no INBOUND component: its graph cannot be built.
      await h.ch.stores.instances.db
        .deleteFrom("local_components")
        .where("name", "=", "Watch_In")
        .where("local_workflow_id", "in", (eb) =>
          eb.selectFrom("local_workflows").select("local_workflow_id").where("instance_id", "=", broken.instanceId),
        )
        .execute();
      clock.advance(31);
      const fresh = await openChameleon({
        templatesUrl: h.fresh.templatesUrl,
        instancesUrl: h.fresh.instancesUrl,
        ...settings,
      });
      try {
        const result = await fresh.sweep();
        expect(result.failures).toContainEqual(
          expect.objectContaining({ instanceId: broken.instanceId, move: "instance" }),
        );
        expect(result.failures.find((f) => f.instanceId === broken.instanceId)?.uowId).toBeUndefined();
        expect(await status(healthy.instanceId, id)).toBe("PENDING");
      } finally {
        await fresh.close();
      }
    });
  });
}
