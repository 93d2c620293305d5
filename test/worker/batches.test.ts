/**
 * The worker's batchSize on each engine: units claimed by work.checkoutMany and submitted
 * together by work.submitMany, each finalized once; a handler's failure and a submit refused
 * in a batch stay per unit; stop() gives a held batch back; batchSize 1 uses the single verbs.
 */
import { describe, expect, it, vi } from "vitest";
import type { Chameleon } from "../../src/chameleon.js";
import type { Worker } from "../../src/worker/worker.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";

async function until(done: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ACTORS = [{ name: "bot", type: "AI_AGENT" as const, identityKey: "bot", roles: ["Start", "Work", "Repair"] }];

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the worker's batches on ${engine.name}`, () => {
    const h = useChameleon(engine, { leaseTimeoutSeconds: 2 });
    const workers: Worker[] = [];
    const track = (w: Worker) => (workers.push(w), w);

    const newInstance = async (ch: Chameleon, units: number) => {
      const { instanceId } = await ch.instances.create({ workflow: "Minimal", name: uniqueName("wb"), actors: ACTORS });
      const started = await ch.work.startMany(
        instanceId,
        Array.from({ length: units }, (_, n) => ({ attributes: { n }, actorId: "bot" })),
      );
      return { I: instanceId, ids: started.map((s) => s.uowId) };
    };

    it("batchSize 10 drains a queue: every unit finalized once, failures and refusals per unit", async () => {
      const { ch } = h;
      const { I, ids } = await newInstance(ch, 60);
      const checkoutMany = vi.spyOn(ch.work, "checkoutMany");
      const submitMany = vi.spyOn(ch.work, "submitMany");
      const refusedOnce = new Set<number>();
      const errors: string[] = [];
      const failed: string[] = [];
      const worker = track(
        ch.worker({
          instanceId: I,
          batchSize: 10,
          concurrency: 10,
          pollIntervalMs: 20,
          sweepIntervalMs: 200,
          handlers: {
            Work: async (unit) => {
              const n = unit.attributes.n as number;
              await new Promise((r) => setTimeout(r, n % 3));
              if (n % 7 === 0) throw new Error(`unit ${n} breaks`);
              // One submit of the batch is refused (a priority out of range) the first time: reported, then reclaimed.
              if (n === 10 && !refusedOnce.has(n)) {
                refusedOnce.add(n);
                return { attributes: { done: n }, priority: 42 } as never;
              }
              return { attributes: { done: n } };
            },
            Repair: () => ({ reasoning: "repaired" }),
          },
        }),
      );
      worker.on("error", (e) => errors.push(e.message));
      worker.on("failed", (f) => failed.push(f.error));
      await worker.start();
      await until(async () => (await ch.work.list(I, { limit: 100 })).every((u) => u.status === "FINALIZED"));
      await worker.stop();
      // mockRestore forgets the calls: read them first.
      const checkouts = checkoutMany.mock.calls.length;
      const batchSizes = submitMany.mock.calls.map(([, inputs]) => inputs.length);
      checkoutMany.mockRestore();
      submitMany.mockRestore();

      expect(checkouts).toBeGreaterThan(0);
      expect(Math.max(...batchSizes)).toBeGreaterThan(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/priority/);
      expect(failed).toHaveLength(ids.filter((_, n) => n % 7 === 0).length);
      for (const [n, id] of ids.entries()) {
        const history = await ch.work.history(I, id);
        expect(history.filter((e) => e.event === "FINALIZE")).toHaveLength(1);
        expect(history.filter((e) => e.event === "SUBMIT" && e.role === "Work")).toHaveLength(n % 7 === 0 ? 0 : 1);
      }
      expect(await invariantViolations(ch, I)).toEqual([]);
    });

    it("stop() gives a held batch back, and the handlers' late answers count for nothing", async () => {
      const { ch } = h;
      const { I, ids } = await newInstance(ch, 5);
      let open: () => void = () => {};
      const gate = new Promise<void>((r) => (open = r));
      const started: string[] = [];
      const worker = track(
        ch.worker({
          instanceId: I,
          batchSize: 5,
          concurrency: 5,
          pollIntervalMs: 20,
          stopTimeoutMs: 200,
          systemRoles: false,
          handlers: {
            Work: async ({ uowId }) => {
              started.push(uowId);
              await gate;
              return { attributes: { late: true } };
            },
          },
        }),
      );
      await worker.start();
      await until(async () => started.length === 5);
      await worker.stop();
      for (const id of ids) {
        expect(await ch.work.get(I, id)).toMatchObject({ status: "PENDING", interaction: "Todo" });
        expect((await ch.work.history(I, id)).at(-1)).toMatchObject({ event: "RECLAIM", details: { released: true } });
      }
      open();
      await new Promise((r) => setTimeout(r, 100));
      for (const id of ids) {
        expect((await ch.work.history(I, id)).some((e) => e.event === "SUBMIT")).toBe(false);
      }
      expect(await invariantViolations(ch, I)).toEqual([]);
    });

    it("batchSize 1 keeps to work.checkout and work.submit; a bad batchSize is refused, naming it", async () => {
      const { ch } = h;
      const { I } = await newInstance(ch, 5);
      const checkoutMany = vi.spyOn(ch.work, "checkoutMany");
      const submitMany = vi.spyOn(ch.work, "submitMany");
      const worker = track(
        ch.worker({ instanceId: I, concurrency: 4, pollIntervalMs: 20, handlers: { Work: () => ({}) } }),
      );
      await worker.start();
      await until(async () => (await ch.work.list(I)).every((u) => u.status === "FINALIZED"));
      await worker.stop();
      const batchCalls = checkoutMany.mock.calls.length + submitMany.mock.calls.length;
      checkoutMany.mockRestore();
      submitMany.mockRestore();
      expect(batchCalls).toBe(0);
      for (const batchSize of [0, 101, 2.5]) {
        expect(() => ch.worker({ instanceId: I, handlers: {}, batchSize })).toThrow(
          new RegExp(`worker batchSize must be a whole number from 1 to 100, not ${batchSize}`),
        );
      }
      await Promise.all(workers.map((w) => w.stop()));
    });
  });
}
