/**
 * The worker on each engine: it drives the invoice and the nested order examples to
 * FINALIZED with the built-in demo handlers, turns a thrown error into work.fail, does
 * OMEGA's and TAU's job with SYSTEM, and stops gracefully, giving back what it holds.
 */
import { describe, expect, it } from "vitest";
import type { Chameleon } from "../../src/chameleon.js";
import { invoiceHandlers, orderHandlers } from "../../src/demo/handlers.js";
import { makeInvoices } from "../../src/demo/data.js";
import { RetryableError, type Worker } from "../../src/worker/worker.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { LAB } from "../support/lab.js";

/** Waits until `done()` is true, failing after `ms`. */
async function until(done: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const allFinalized = (ch: Chameleon, instance: string) => async () =>
  (await ch.work.list(instance)).every((u) => u.status === "FINALIZED");

const INVOICE_ACTORS = [
  {
    name: "intake-bot",
    type: "AI_AGENT" as const,
    identityKey: "intake",
    roles: ["Intake", "Splitter", "Line_Checker"],
  },
  { name: "Ada", type: "HUMAN" as const, identityKey: "ada@example.com", roles: ["Approver", "Fixer"] },
];

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the worker on ${engine.name}`, () => {
    const h = useChameleon(engine, { leaseTimeoutSeconds: 5 });
    const workers: Worker[] = [];
    const track = (w: Worker) => (workers.push(w), w);

    it("drives the invoice example to FINALIZED; a thrown error becomes work.fail; SYSTEM reconciles", async () => {
      const { ch } = h;
      const inst = await ch.instances.create({
        workflow: "Invoice_Approval",
        name: uniqueName("inv"),
        actors: INVOICE_ACTORS,
      });
      const handlers = invoiceHandlers({ seed: 7, failureRate: 0.25 });
      delete handlers.Reconciler; // nobody is assigned to the Reconciler: the worker does it as SYSTEM
      const failed: string[] = [];
      const errors: Error[] = [];
      const worker = track(ch.worker({ instanceId: inst.instanceId, handlers, concurrency: 3, pollIntervalMs: 20 }));
      worker.on("failed", (f) => failed.push(f.error));
      worker.on("error", (e) => errors.push(e));
      await worker.start();
      const invoices = makeInvoices(20, 7);
      await ch.work.startMany(
        inst.instanceId,
        invoices.map((attributes) => ({ attributes, actorId: "intake-bot" })),
      );
      await until(allFinalized(ch, inst.instanceId));
      await worker.stop();
      expect(errors).toEqual([]);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0]).toMatch(/line \d+ of INV-\d+: the price differs from the purchase order/);
      const units = await ch.work.list(inst.instanceId);
      expect(units.filter((u) => u.parentId === null)).toHaveLength(20);
      expect(units.length).toBe(20 + invoices.reduce((n, i) => n + i.lines.length, 0));
      const system = (await ch.instances.get(inst.instanceId)).actors.find((a) => a.type === "SYSTEM")!.actorId;
      const base = units.find((u) => u.parentId === null && u.childCount > 0)!;
      const history = await ch.work.history(inst.instanceId, base.uowId);
      expect(history.find((e) => e.event === "FINALIZE")).toMatchObject({ actorId: system, role: "Reconciler" });
      expect(await invariantViolations(ch, inst.instanceId)).toEqual([]);
    });

    it("a handler's RetryableError (or an error flagged retryable) is tried again after the role's backoff", async () => {
      const { ch } = h;
      const inst = await ch.instances.create({
        workflow: "Invoice_Approval",
        name: uniqueName("inv-retry"),
        actors: INVOICE_ACTORS,
      });
      const handlers = invoiceHandlers({ seed: 7, failureRate: 0 });
      const check = handlers.Line_Checker!;
      // The first check of every line meets a passing outage; the second passes.
      handlers.Line_Checker = (unit) => {
        if (unit.attempt > 1) return check(unit);
        if (unit.attributes.line === 1) throw new RetryableError("the order service timed out");
        throw Object.assign(new Error("the order service is restarting"), { retryable: true });
      };
      const failed: { retryable: boolean; status: string }[] = [];
      const worker = track(ch.worker({ instanceId: inst.instanceId, handlers, pollIntervalMs: 20 }));
      worker.on("failed", (f) => failed.push({ retryable: f.retryable, status: f.status }));
      await worker.start();
      const [invoice] = makeInvoices(1, 7);
      await ch.work.start(inst.instanceId, { attributes: invoice!, actorId: "intake-bot" });
      await until(allFinalized(ch, inst.instanceId));
      await worker.stop();
      const lines = (await ch.work.list(inst.instanceId)).filter((u) => u.parentId !== null);
      expect(failed).toEqual(lines.map(() => ({ retryable: true, status: "PENDING" })));
      for (const line of lines) {
        const events = (await ch.work.history(inst.instanceId, line.uowId)).map((e) => e.event);
        // Checked out, failed and sent back, checked out again after the 2 s backoff, submitted.
        expect(events.slice(1, 5)).toEqual(["CHECKOUT", "FAIL", "CHECKOUT", "SUBMIT"]);
      }
      expect(await invariantViolations(ch, inst.instanceId)).toEqual([]);
    });

    it("runs the nested order example; a nested failure is given up by the nested EPSILON and fails the order", async () => {
      const { ch } = h;
      const roles = ["Order_Desk", "Picker", "Packer", "Carrier", "Ship_Fixer", "Order_Fixer"];
      const inst = await ch.instances.create({
        workflow: "Order_Fulfilment",
        name: uniqueName("orders"),
        actors: [{ name: "robot", type: "AI_AGENT", identityKey: "robot", roles }],
      });
      const handlers = orderHandlers({ seed: 3 });
      handlers.Packer = ({ attributes }) => {
        if (attributes.order === "O-3") throw new Error("no box fits");
        return { attributes: { parcels: 1 } };
      };
      handlers.Ship_Fixer = ({ attributes }) => ({ cancel: `cannot ship ${String(attributes.order)}` });
      const worker = track(ch.worker({ instanceId: inst.instanceId, handlers, pollIntervalMs: 20 }));
      await worker.start();
      await ch.work.startMany(
        inst.instanceId,
        [1, 2, 3, 4].map((n) => ({ attributes: { order: `O-${n}`, items: n }, actorId: "robot" })),
      );
      await until(allFinalized(ch, inst.instanceId));
      await worker.stop();
      const orders = (await ch.work.list(inst.instanceId)).filter((u) => u.workflow === "Order_Fulfilment");
      expect(orders).toHaveLength(4);
      for (const o of orders) {
        const detail = await ch.work.get(inst.instanceId, o.uowId);
        const events = (await ch.work.history(inst.instanceId, o.uowId)).map((e) => e.event);
        if (detail.attributes.order === "O-3") {
          expect(detail.attributes).toMatchObject({ refunded: true });
          expect(events).not.toContain("NESTED_RETURN");
        } else {
          expect(detail.attributes).toMatchObject({ carrier: "Demo Express", parcels: expect.any(Number) });
          expect(events).toContain("NESTED_RETURN");
        }
      }
      expect(await invariantViolations(ch, inst.instanceId)).toEqual([]);
    });

    it("takes stale units through TAU with SYSTEM", async () => {
      const { ch } = h;
      await ch.templates.importYaml(LAB);
      const inst = await ch.instances.create({
        workflow: "Lab",
        name: uniqueName("lab"),
        actors: [{ name: "ops", type: "HUMAN", identityKey: "ops", roles: ["Origin", "Sorter", "Medic"] }],
      });
      const worker = track(
        ch.worker({
          instanceId: inst.instanceId,
          handlers: { Sorter: () => ({}), Medic: () => ({ attributes: { healed: true } }) },
          pollIntervalMs: 20,
        }),
      );
      await worker.start();
      const { uowId } = await ch.work.start(inst.instanceId, {
        attributes: { kind: "late", sent_at: new Date().toISOString() },
        actorId: "ops",
      });
      await until(allFinalized(ch, inst.instanceId));
      await worker.stop();
      const history = await ch.work.history(inst.instanceId, uowId);
      expect(history.map((e) => [e.event, e.role])).toEqual([
        ["GENESIS", "Origin"],
        ["CHECKOUT", "Sorter"],
        ["SUBMIT", "Sorter"],
        ["CHECKOUT", "Clock"],
        ["SUBMIT", "Clock"],
        ["CHECKOUT", "Medic"],
        ["SUBMIT", "Medic"],
        ["SYNC_RELEASE", "End"],
        ["CHECKOUT", "End"],
        ["FINALIZE", "End"],
      ]);
    });

    it("stops gracefully: gives back what it still holds, and another worker finishes it once", async () => {
      const { ch } = h;
      const inst = await ch.instances.create({
        workflow: "Invoice_Approval",
        name: uniqueName("stop"),
        actors: INVOICE_ACTORS,
      });
      const started: string[] = [];
      const slow = track(
        ch.worker({
          instanceId: inst.instanceId,
          handlers: {
            Splitter: async ({ uowId }) => {
              started.push(uowId);
              await new Promise((r) => setTimeout(r, 3000));
              return {};
            },
          },
          concurrency: 2,
          pollIntervalMs: 20,
          stopTimeoutMs: 200,
          systemRoles: false,
        }),
      );
      await slow.start();
      const ids = await ch.work.startMany(
        inst.instanceId,
        makeInvoices(3, 1).map((attributes) => ({ attributes, actorId: "intake-bot" })),
      );
      await until(async () => started.length === 2);
      await slow.stop();
      for (const id of started) {
        const unit = await ch.work.get(inst.instanceId, id);
        expect(unit).toMatchObject({ status: "PENDING", interaction: "Inbox", attempt: 1 });
        expect((await ch.work.history(inst.instanceId, id)).at(-1)).toMatchObject({
          event: "RECLAIM",
          details: { released: true },
        });
      }
      const handlers = invoiceHandlers({ failureRate: 0 });
      const next = track(ch.worker({ instanceId: inst.instanceId, handlers, pollIntervalMs: 20 }));
      await next.start();
      await until(allFinalized(ch, inst.instanceId));
      await next.stop();
      for (const { uowId } of ids) {
        const submits = (await ch.work.history(inst.instanceId, uowId)).filter(
          (e) => e.event === "SUBMIT" && e.role === "Splitter",
        );
        expect(submits).toHaveLength(1);
      }
      // The slow handlers finished later; their lease was gone, and nothing they did counted.
      await new Promise((r) => setTimeout(r, 3000));
      expect(await invariantViolations(ch, inst.instanceId)).toEqual([]);
    });

    it("refuses handlers for roles the instance does not have", async () => {
      const inst = await h.ch.instances.create({ workflow: "Minimal", name: uniqueName("bad") });
      await expect(
        h.ch.worker({ instanceId: inst.instanceId, handlers: { Nope: () => ({}) } }).start(),
      ).rejects.toThrow(/no role 'Nope' in instance/);
      await expect(
        h.ch.worker({ instanceId: inst.instanceId, handlers: { Work: () => ({}) } }).start(),
      ).rejects.toThrow(/no actor is assigned to role 'Work'/);
      expect(() => h.ch.worker({ instanceId: inst.instanceId, handlers: {}, concurrency: 0 })).toThrow(/concurrency/);
      // Timers past 2^31-1 ms fire at once: such intervals are refused, naming the option.
      for (const option of ["pollIntervalMs", "sweepIntervalMs", "stopTimeoutMs"]) {
        expect(() => h.ch.worker({ instanceId: inst.instanceId, handlers: {}, [option]: 3_000_000_000 })).toThrow(
          new RegExp(`worker ${option} must be a whole number from 0 to 2147483647, not 3000000000`),
        );
      }
      expect(() => h.ch.worker({ instanceId: inst.instanceId, handlers: {}, concurrency: 1e6 })).toThrow(
        /worker concurrency must be a whole number from 1 to 1000/,
      );
      await Promise.all(workers.map((w) => w.stop()));
    });
  });
}
