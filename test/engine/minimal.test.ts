import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the life of a unit on ${engine.name}`, () => {
    const h = useChameleon(engine);

    it("goes from genesis through one step to FINALIZED", async () => {
      const { ch } = h;
      const inst = await ch.instances.create({
        workflow: "Minimal",
        name: uniqueName("minimal"),
        actors: [{ name: "Ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] }],
      });
      const { uowId } = await ch.work.start(inst.instanceId, { attributes: { title: "hello" }, actorId: "Ann" });
      expect((await ch.work.get(inst.instanceId, uowId)).status).toBe("PENDING");
      const unit = await ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" });
      expect(unit?.uowId).toBe(uowId);
      expect(unit?.attributes).toEqual({ title: "hello" });
      const r = await ch.work.submit(inst.instanceId, {
        uowId,
        leaseToken: unit!.leaseToken,
        actorId: "Ann",
        attributes: { done: true },
      });
      expect(r).toMatchObject({ status: "COMPLETED", interaction: "Done" });
      const set = await ch.work.checkout(inst.instanceId, { role: "Finish", actorId: "Ann" });
      expect(set?.set?.map((m) => m.uowId)).toEqual([uowId]);
      const f = await ch.work.submit(inst.instanceId, { uowId, leaseToken: set!.leaseToken, actorId: "Ann" });
      expect(f.status).toBe("FINALIZED");
      const history = await ch.work.history(inst.instanceId, uowId);
      expect(history.map((e) => e.event)).toEqual([
        "GENESIS",
        "CHECKOUT",
        "SUBMIT",
        "SYNC_RELEASE",
        "CHECKOUT",
        "FINALIZE",
      ]);
    });
  });
}
