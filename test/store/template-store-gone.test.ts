/**
 * Nothing reads the template store after instantiation: with it dropped, a new process opens
 * the instance store and runs its instances; what needs templates fails with one StoreError
 * naming the template store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { StoreError } from "../../src/errors.js";
import { engines, type FreshStores } from "../support/engines.js";
import { example } from "../support/fixtures.js";
import { dropTemplateStore } from "../support/gone.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`a dropped template store on ${engine.name}`, () => {
    let fresh: FreshStores;
    let goneUrl: string;
    let instanceId: string;
    let ch: Chameleon;

    beforeAll(async () => {
      fresh = await engine.fresh();
      const before = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
      try {
        await before.templates.importYaml(example("minimal.yml"));
        instanceId = (
          await before.instances.create({
            workflow: "Minimal",
            name: "after-templates",
            actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] }],
          })
        ).instanceId;
      } finally {
        await before.close();
      }
      goneUrl = await dropTemplateStore(engine, fresh);
      ch = await openChameleon({ templatesUrl: goneUrl, instancesUrl: fresh.instancesUrl });
    });
    afterAll(async () => {
      await ch?.close();
      await fresh?.drop();
    });

    it("opens the instance store and runs a unit to FINALIZED", async () => {
      const { uowId } = await ch.work.start(instanceId, { attributes: { n: 1 }, actorId: "ann" });
      const unit = await ch.work.checkout(instanceId, { role: "Work", actorId: "ann" });
      expect(unit?.uowId).toBe(uowId);
      await ch.work.heartbeat(instanceId, { uowId, leaseToken: unit!.leaseToken, actorId: "ann" });
      await ch.work.submit(instanceId, { uowId, leaseToken: unit!.leaseToken, actorId: "ann", attributes: { n: 2 } });
      const set = await ch.work.checkout(instanceId, { role: "Finish", actorId: "ann" });
      await ch.work.submit(instanceId, { uowId, leaseToken: set!.leaseToken, actorId: "ann" });
      expect(await ch.work.get(instanceId, uowId)).toMatchObject({ status: "FINALIZED", attributes: { n: 2 } });
      expect(await ch.sweep()).toEqual({ reclaimed: 0, timedOut: 0, failures: [] });
      expect((await ch.instances.list()).map((i) => i.name)).toEqual(["after-templates"]);
      expect(await ch.instances.get("after-templates")).toMatchObject({ instanceId });
    });

    it("fails what needs templates with one StoreError naming the template store, every time it is asked", async () => {
      const named = new RegExp(`^template store \\(${goneUrl.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\): `);
      for (let i = 0; i < 2; i++) {
        const listed = ch.templates.list();
        await expect(listed).rejects.toThrow(StoreError);
        await expect(listed).rejects.toThrow(named);
      }
      await expect(ch.templates.get("Minimal")).rejects.toThrow(named);
      await expect(ch.instances.create({ workflow: "Minimal", name: "another" })).rejects.toThrow(named);
      await expect(ch.schemaGuide("templates")).rejects.toThrow(named);
      expect((await ch.schemaGuide("instances")).length).toBeGreaterThan(0);
    });

    it("refuses to open at all when asked to open the template store at open", async () => {
      await expect(
        openChameleon({ templatesUrl: goneUrl, instancesUrl: fresh.instancesUrl, templateStore: "at-open" }),
      ).rejects.toThrow(/^template store \(/);
    });
  });
}
