/**
 * The full life of the invoice example on each engine: genesis, a rejected invoice, a split
 * into lines, automatic checks, a person's approval, a failed line remediated by EPSILON, a
 * line that waited too long taken by TAU, Cerberus holding and releasing the set, and OMEGA
 * finalizing it with each child disposition.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { example, uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { step, TestClock } from "../support/lab.js";

const INVOICE = example("invoice_approval.yml");
const variant = (name: string, config: string) =>
  INVOICE.replace("name: Invoice_Approval\n", `name: ${name}\n`).replace("{ child_disposition: ARCHIVE }", config);

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the invoice example on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now });

    beforeAll(async () => {
      await h.ch.templates.importYaml(variant("Invoice_Prune", "{ child_disposition: PRUNE }"));
      await h.ch.templates.importYaml(
        variant("Invoice_Selective", '{ child_disposition: SELECTIVE, keep_if: "approved == true" }'),
      );
    });

    const lines = [
      { sku: "pen", price: 2, qty: 100 },
      { sku: "desk", price: 900, qty: 10 },
      { sku: "lamp", price: 40, qty: 5 },
      { sku: "chair", price: 300, qty: 20 },
    ];

    async function run(workflow: string) {
      const { ch } = h;
      const inst = await ch.instances.create({
        workflow,
        name: uniqueName(workflow),
        actors: [
          {
            name: "mail-robot",
            type: "AI_AGENT",
            identityKey: "intake-bot",
            roles: ["Intake", "Splitter", "Line_Checker"],
          },
          {
            name: "Paula",
            type: "HUMAN",
            identityKey: "paula@example.com",
            roles: ["Approver", "Fixer", "Clock", "Reconciler"],
          },
        ],
      });
      const I = inst.instanceId;

      const empty = (
        await ch.work.start(I, { attributes: { vendor: "Void Ltd", total: 0, lines: [] }, actorId: "mail-robot" })
      ).uowId;
      const invoice = (
        await ch.work.start(I, {
          attributes: { vendor: "ACME", currency: "EUR", total: 29_400, lines },
          actorId: "mail-robot",
          reasoning: "received by mail",
        })
      ).uowId;

      // The Splitter's INBOUND gate refuses the empty invoice and takes the real one.
      const split = await ch.work.checkout(I, { role: "Splitter", actorId: "mail-robot" });
      expect(split?.uowId).toBe(invoice);
      expect(await ch.work.get(I, empty)).toMatchObject({ status: "FAILED", interaction: "Errors" });
      const { children } = await ch.work.submit(I, {
        uowId: invoice,
        leaseToken: split!.leaseToken,
        actorId: "mail-robot",
        children: lines.map((l) => ({ attributes: l })),
        reasoning: "one child per line",
      });
      expect(children).toHaveLength(4);
      const [pen, desk, lamp, chair] = children!;
      expect((await ch.work.get(I, pen!)).attributes).toEqual({ ...lines[0], vendor: "ACME", currency: "EUR" });
      // The base unit links its children; its SUBMIT entry keeps the reasoning (no key changed).
      expect([...(await ch.work.get(I, invoice)).children].sort()).toEqual([...children!].sort());
      expect((await ch.work.history(I, invoice)).find((e) => e.event === "SUBMIT")).toMatchObject({
        actorName: "mail-robot",
        reasoning: "one child per line",
      });

      // Line checks: cheap lines go straight to reconciliation, expensive ones to approval.
      await step(ch, I, "Line_Checker", "mail-robot", { attributes: { checked: true } }, pen);
      const deskCheck = await step(ch, I, "Line_Checker", "mail-robot", { attributes: { checked: true } }, desk);
      expect(deskCheck.result).toMatchObject({ status: "PENDING", interaction: "Approvals" });
      const lampCheck = await ch.work.checkout(I, { role: "Line_Checker", actorId: "mail-robot" });
      await ch.work.fail(I, {
        uowId: lamp!,
        leaseToken: lampCheck!.leaseToken,
        actorId: "mail-robot",
        error: "price differs from the order",
      });
      await step(ch, I, "Line_Checker", "mail-robot", { attributes: { checked: true } }, chair);
      expect(await ch.work.get(I, invoice)).toMatchObject({
        status: "COMPLETED",
        childCount: 4,
        finishedChildCount: 1,
      });

      // Paula approves the desk; the chair waits in Approvals for more than a day.
      clock.advance(3600);
      await step(ch, I, "Approver", "Paula", { attributes: { approved: true }, reasoning: "matches PO 77" }, desk);
      clock.advance(86_400);
      expect(await ch.sweep(I)).toEqual({ reclaimed: 0, timedOut: 1, failures: [] });
      expect(await ch.work.get(I, chair!)).toMatchObject({ status: "TIMEOUT", interaction: "Stale" });
      expect(await ch.work.checkout(I, { role: "Reconciler", actorId: "Paula" })).toBeNull();

      // TAU sends the stale line to the Ate path; EPSILON remediates both broken lines and the empty invoice.
      await step(ch, I, "Clock", "Paula", { attributes: { escalated: true } }, chair);
      const fixed = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const { unit } = await step(ch, I, "Fixer", "Paula", { attributes: { remediated: true } });
        fixed.add(unit.uowId);
      }
      expect(fixed).toEqual(new Set([empty, lamp, chair]));
      expect(await ch.work.get(I, invoice)).toMatchObject({ finishedChildCount: 4 });

      // Cerberus releases the empty invoice (no children) and the whole set.
      const closed = new Map<string, string[]>();
      for (let i = 0; i < 2; i++) {
        const set = await ch.work.checkout(I, { role: "Reconciler", actorId: "Paula" });
        closed.set(
          set!.uowId,
          set!.set!.map((m) => m.uowId),
        );
        await ch.work.submit(I, {
          uowId: set!.uowId,
          leaseToken: set!.leaseToken,
          actorId: "Paula",
          attributes: { paid: set!.uowId === invoice },
        });
      }
      expect(closed.get(invoice)).toEqual([invoice, ...children!]);
      expect(closed.get(empty)).toEqual([empty]);
      expect(await ch.work.checkout(I, { role: "Reconciler", actorId: "Paula" })).toBeNull();
      for (const id of [invoice, empty, ...children!]) expect((await ch.work.get(I, id)).status).toBe("FINALIZED");
      expect(await invariantViolations(ch, I)).toEqual([]);
      return { I, invoice, children: children!, desk: desk! };
    }

    it("runs from genesis to FINALIZED with ARCHIVE: every line keeps its history", async () => {
      const { I, children } = await run("Invoice_Approval");
      for (const c of children) expect(Object.keys((await h.ch.work.get(I, c)).attributes).length).toBeGreaterThan(3);
      const deskHistory = await h.ch.work.history(I, children[1]!);
      expect(deskHistory.map((e) => [e.event, e.role])).toEqual([
        ["SPAWN", "Splitter"],
        ["CHECKOUT", "Line_Checker"],
        ["SUBMIT", "Line_Checker"],
        ["CHECKOUT", "Approver"],
        ["SUBMIT", "Approver"],
        ["FINALIZE", "Reconciler"],
      ]);
    });

    it("runs with PRUNE: the lines' history is deleted, their rows and audit stay", async () => {
      const { I, children } = await run("Invoice_Prune");
      for (const c of children) {
        expect((await h.ch.work.get(I, c)).attributes).toEqual({});
        expect((await h.ch.work.history(I, c)).at(-1)!.event).toBe("PRUNE");
      }
    });

    it("runs with SELECTIVE: only approved lines keep their history", async () => {
      const { I, children, desk } = await run("Invoice_Selective");
      for (const c of children) {
        const attributes = (await h.ch.work.get(I, c)).attributes;
        if (c === desk) expect(attributes).toMatchObject({ approved: true, sku: "desk" });
        else expect(attributes).toEqual({});
      }
    });
  });
}
