/**
 * SIGMA gateways on each engine: a unit entering the gateway is copied into the nested
 * workflow and waits, held by SYSTEM, until the copy is finalized; the copy's results come
 * back as new versions and the original moves on. A cancelled copy fails the original.
 */
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { events, step, TestClock } from "../support/lab.js";

const ROLES = [
  "Order_Desk",
  "Picker",
  "Close_Order",
  "Order_Fixer",
  "Order_Clock",
  "Ship_Start",
  "Packer",
  "Carrier",
  "Ship_End",
  "Ship_Fixer",
  "Ship_Clock",
];

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`nested workflows on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now, leaseTimeoutSeconds: 60 });

    async function order() {
      const inst = await h.ch.instances.create({
        workflow: "Order_Fulfilment",
        name: uniqueName("orders"),
        actors: [{ name: "ops", type: "HUMAN", identityKey: "ops@example.com", roles: ROLES }],
      });
      const I = inst.instanceId;
      const uowId = (await h.ch.work.start(I, { attributes: { order: "O-1", items: 3 }, actorId: "ops" })).uowId;
      const picked = await step(h.ch, I, "Picker", "ops", { attributes: { picked: true } }, uowId);
      return { I, uowId, picked };
    }

    it("clones the nested workflow once and links the gateway", async () => {
      const inst = await h.ch.instances.create({ workflow: "Order_Fulfilment", name: uniqueName("clone") });
      const details = await h.ch.instances.get(inst.instanceId);
      expect(details.workflows.map((w) => [w.name, w.isMaster]).sort()).toEqual([
        ["Order_Fulfilment", true],
        ["Shipping", false],
      ]);
      const ship = await h.ch.stores.instances.db
        .selectFrom("local_roles")
        .select(["is_recursive_gateway", "linked_local_workflow_id"])
        .where("name", "=", "Ship")
        .where("local_workflow_id", "=", details.masterWorkflowId)
        .executeTakeFirstOrThrow();
      expect(ship.is_recursive_gateway).toBe(true);
      expect(ship.linked_local_workflow_id).toBe(details.workflows.find((w) => w.name === "Shipping")!.localWorkflowId);
    });

    it("runs the nested copy and brings its results back onto the waiting unit", async () => {
      const { I, uowId, picked } = await order();
      expect(picked.result).toMatchObject({ status: "ACTIVE", interaction: "To_Ship" });
      const waiting = await h.ch.work.get(I, uowId);
      expect(waiting.lockedBy).toBe((await h.ch.instances.get(I)).actors.find((a) => a.name === "SYSTEM")!.actorId);
      const [copy] = await h.ch.work.list(I, { interaction: "To_Pack" });
      expect(copy).toMatchObject({ workflow: "Shipping", status: "PENDING", parentId: null });
      expect((await h.ch.work.get(I, copy!.uowId)).attributes).toEqual({ order: "O-1", items: 3, picked: true });
      expect((await h.ch.work.history(I, copy!.uowId))[0]).toMatchObject({
        event: "SPAWN",
        role: "Ship",
        actorName: "SYSTEM",
        reasoning: `copied from unit ${uowId} entering gateway Ship`,
        details: { original: uowId, workflow: "Shipping" },
      });
      // Each side links the other; the waiting unit is held by SYSTEM without a lease.
      expect(waiting).toMatchObject({ nestedCopy: copy!.uowId, nestedOriginal: null, heldBy: "SYSTEM" });
      expect(waiting.leaseExpiresAt).toBeNull();
      expect(await h.ch.work.get(I, copy!.uowId)).toMatchObject({ nestedCopy: null, nestedOriginal: uowId });

      // A held unit has no lease to expire.
      clock.advance(3600);
      expect((await h.ch.sweep(I)).reclaimed).toBe(0);

      await step(h.ch, I, "Packer", "ops", { attributes: { parcels: 2 } }, copy!.uowId);
      await step(h.ch, I, "Carrier", "ops", { attributes: { tracking: "TRK-9" } }, copy!.uowId);
      await step(h.ch, I, "Ship_End", "ops", {}, copy!.uowId);

      const back = await h.ch.work.get(I, uowId);
      expect(back).toMatchObject({
        status: "COMPLETED",
        interaction: "Closed",
        attributes: { order: "O-1", picked: true, parcels: 2, tracking: "TRK-9" },
      });
      const history = await h.ch.work.history(I, uowId);
      const nestedReturn = history.find((e) => e.event === "NESTED_RETURN")!;
      expect(nestedReturn.details).toMatchObject({
        copy: copy!.uowId,
        workflow: "Shipping",
        changedKeys: ["parcels", "tracking"],
      });
      const versions = await h.ch.stores.instances.db
        .selectFrom("uow_attributes")
        .selectAll()
        .where("uow_id", "=", uowId)
        .where("key", "=", "tracking")
        .execute();
      expect(versions).toHaveLength(1);
      expect(versions[0]!.reasoning).toContain("nested workflow Shipping");
      await step(h.ch, I, "Close_Order", "ops", {}, uowId);
      expect(await events(h.ch, I, uowId)).toEqual([
        "GENESIS",
        "CHECKOUT",
        "SUBMIT",
        "NESTED_RETURN",
        "SUBMIT",
        "SYNC_RELEASE",
        "CHECKOUT",
        "FINALIZE",
      ]);
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("sends the waiting unit down the Ate path when the nested run is cancelled", async () => {
      const { I, uowId } = await order();
      const [copy] = await h.ch.work.list(I, { interaction: "To_Pack" });
      const packing = await h.ch.work.checkout(I, { role: "Packer", actorId: "ops" });
      await h.ch.work.fail(I, {
        uowId: copy!.uowId,
        leaseToken: packing!.leaseToken,
        actorId: "ops",
        error: "box too small",
      });
      await h.ch.work.checkout(I, { role: "Ship_Fixer", actorId: "ops" });
      await h.ch.work.cancel(I, { uowId: copy!.uowId, actorId: "ops", reason: "cannot ship this" });
      expect(await h.ch.work.get(I, uowId)).toMatchObject({ status: "FAILED", interaction: "Order_Errors" });
      expect((await h.ch.work.history(I, uowId)).at(-1)).toMatchObject({
        event: "FAIL",
        details: { reason: "the nested run was cancelled: cannot ship this" },
      });
      // The order's own EPSILON takes it from there.
      await step(h.ch, I, "Order_Fixer", "ops", { attributes: { refunded: true } }, uowId);
      await step(h.ch, I, "Close_Order", "ops", {}, uowId);
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("cancelling the waiting unit cancels its nested copy too", async () => {
      const { I, uowId } = await order();
      const [copy] = await h.ch.work.list(I, { interaction: "To_Pack" });
      await h.ch.work.cancel(I, { uowId, reason: "customer withdrew" });
      expect((await h.ch.work.get(I, copy!.uowId)).status).toBe("FINALIZED");
      expect((await h.ch.work.history(I, copy!.uowId)).at(-1)).toMatchObject({ event: "CANCEL" });
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("copies each child that enters the gateway on its own (none -> ACTIVE held)", async () => {
      const inst = await h.ch.instances.create({
        workflow: "Order_Fulfilment",
        name: uniqueName("split-orders"),
        actors: [{ name: "ops", type: "HUMAN", identityKey: "ops@example.com", roles: ROLES }],
      });
      const I = inst.instanceId;
      const base = (await h.ch.work.start(I, { attributes: { order: "O-2" }, actorId: "ops" })).uowId;
      const p = await h.ch.work.checkout(I, { role: "Picker", actorId: "ops" });
      const { children } = await h.ch.work.submit(I, {
        uowId: base,
        leaseToken: p!.leaseToken,
        actorId: "ops",
        children: [{ attributes: { box: 1 } }, { attributes: { box: 2 } }],
      });
      for (const c of children!)
        expect(await h.ch.work.get(I, c)).toMatchObject({ status: "ACTIVE", interaction: "To_Ship" });
      const copies = await h.ch.work.list(I, { interaction: "To_Pack" });
      expect(copies).toHaveLength(2);
      for (const _ of copies) {
        const packed = await step(h.ch, I, "Packer", "ops");
        await step(h.ch, I, "Carrier", "ops", {}, packed.unit.uowId);
        await step(h.ch, I, "Ship_End", "ops", {}, packed.unit.uowId);
      }
      expect(await h.ch.work.get(I, base)).toMatchObject({ finishedChildCount: 2 });
      const set = await h.ch.work.checkout(I, { role: "Close_Order", actorId: "ops" });
      expect(set?.set?.map((m) => m.uowId)).toEqual([base, ...children!]);
      await h.ch.work.submit(I, { uowId: base, leaseToken: set!.leaseToken, actorId: "ops" });
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });
  });
}
