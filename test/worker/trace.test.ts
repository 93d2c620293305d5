/**
 * Spans through the OpenTelemetry SDK's in-memory exporter: one worker step is a
 * `chameleon.worker.step` span whose children are the checkout's and the submit's spans (and
 * whatever the handler traces), all with the instance, role, unit and outcome; a handler that
 * throws makes the step's span an error with a `chameleon.fail` child; polling an empty queue
 * records nothing; a refused verb's span is an error; each unit of a worker's batch has its own step.
 */
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  context.disable();
});

const named = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const childrenOf = (parent: ReadableSpan) =>
  exporter.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`spans of the engine and the worker on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now });
    let inst: string;
    let name: string;
    beforeAll(async () => {
      name = uniqueName("traces");
      inst = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name,
          actors: [{ name: "Bot", type: "AI_AGENT", identityKey: "bot", roles: ["Start", "Work"] }],
        })
      ).instanceId;
    });
    beforeEach(() => exporter.reset());

    async function runWorker(handler: () => Promise<unknown>, units: number, batchSize = 1) {
      const worker = h.ch.worker({
        instanceId: inst,
        batchSize,
        handlers: { Work: handler as never },
        systemRoles: false,
        pollIntervalMs: 10,
        sweepIntervalMs: 0,
      });
      let done = 0;
      const finished = new Promise<void>((resolve) => {
        const count = () => ++done === units && resolve();
        worker.on("processed", count);
        worker.on("failed", count);
      });
      await worker.start();
      await finished;
      // A few empty polls more: they must record nothing.
      await new Promise((r) => setTimeout(r, 100));
      await worker.stop();
    }

    it("makes one worker step the parent of its checkout, its submit and the handler's own spans", async () => {
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 }, actorId: "Bot" });
      const [start] = named("chameleon.start");
      expect(start!.attributes).toMatchObject({
        "chameleon.instance": name,
        "chameleon.instance_id": inst,
        "chameleon.uow_id": uowId,
        "chameleon.outcome": "created",
      });
      const handlerTracer = trace.getTracer("the application");
      await runWorker(async () => {
        handlerTracer.startSpan("ask the model").end();
        return { attributes: { done: true } };
      }, 1);

      const steps = named("chameleon.worker.step");
      expect(steps).toHaveLength(1);
      const step = steps[0]!;
      expect(step.attributes).toMatchObject({
        "chameleon.instance": name,
        "chameleon.role": "Work",
        "chameleon.uow_id": uowId,
        "chameleon.outcome": "submitted",
      });
      expect(step.status.code).not.toBe(SpanStatusCode.ERROR);
      expect(step.parentSpanContext).toBeUndefined();
      const children = childrenOf(step);
      expect(children.map((s) => s.name).sort()).toEqual(["ask the model", "chameleon.checkout", "chameleon.submit"]);
      for (const child of children) expect(child.spanContext().traceId).toBe(step.spanContext().traceId);
      const checkout = children.find((s) => s.name === "chameleon.checkout")!;
      expect(checkout.attributes).toMatchObject({
        "chameleon.instance": name,
        "chameleon.instance_id": inst,
        "chameleon.role": "Work",
        "chameleon.uow_id": uowId,
        "chameleon.interaction": "Todo",
        "chameleon.attempt": 1,
        "chameleon.outcome": "taken",
      });
      const submit = children.find((s) => s.name === "chameleon.submit")!;
      expect(submit.attributes).toMatchObject({
        "chameleon.instance": name,
        "chameleon.role": "Work",
        "chameleon.uow_id": uowId,
        "chameleon.outcome": "routed",
        "chameleon.status": "COMPLETED",
        "chameleon.interaction": "Done",
      });
      // The step began with its checkout and ended after its submit (to the millisecond: a span
      // given its start time is ended on Date.now()).
      const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
      expect(ms(step.startTime)).toBeLessThanOrEqual(ms(checkout.startTime) + 1);
      expect(ms(step.endTime)).toBeGreaterThanOrEqual(ms(submit.endTime) - 1);
      // Empty polls recorded nothing: one checkout span, the one that took the unit.
      expect(named("chameleon.checkout")).toHaveLength(1);
    });

    it("gives each unit of a batch its own step; the batch's checkout and submit are one span each", async () => {
      const started = await h.ch.work.startMany(
        inst,
        [1, 2, 3].map((n) => ({ attributes: { n }, actorId: "Bot" })),
      );
      exporter.reset();
      await runWorker(async () => ({ attributes: { batched: true } }), 3, 10);
      const steps = named("chameleon.worker.step");
      expect(steps.map((s) => s.attributes["chameleon.uow_id"]).sort()).toEqual(started.map((u) => u.uowId).sort());
      for (const step of steps) expect(step.attributes["chameleon.outcome"]).toBe("submitted");
      const stepIds = new Set(steps.map((s) => s.spanContext().spanId));
      const [checkout, ...moreCheckouts] = named("chameleon.checkout");
      expect(moreCheckouts).toEqual([]);
      expect(checkout!.attributes).toMatchObject({ "chameleon.units": 3, "chameleon.outcome": "taken" });
      expect(stepIds.has(checkout!.parentSpanContext!.spanId)).toBe(true);
      const submits = named("chameleon.submit");
      expect(submits).toHaveLength(1);
      expect(submits[0]!.attributes).toMatchObject({ "chameleon.units": 3 });
      expect(stepIds.has(submits[0]!.parentSpanContext!.spanId)).toBe(true);
    });

    it("makes a step whose handler throws an error span, with the fail span as its child", async () => {
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 2 }, actorId: "Bot" });
      await runWorker(async () => {
        throw new Error("the printer is on fire");
      }, 1);
      const [step] = named("chameleon.worker.step");
      expect(step!.attributes).toMatchObject({ "chameleon.uow_id": uowId, "chameleon.outcome": "failed" });
      expect(step!.status).toEqual({ code: SpanStatusCode.ERROR, message: "the printer is on fire" });
      const fail = childrenOf(step!).find((s) => s.name === "chameleon.fail")!;
      expect(fail.attributes).toMatchObject({
        "chameleon.role": "Work",
        "chameleon.uow_id": uowId,
        "chameleon.outcome": "failed",
        "chameleon.interaction": "Errors",
      });
      expect(fail.status.code).not.toBe(SpanStatusCode.ERROR); // the verb did what it was asked
    });

    it("records a refused verb as an error span, and an empty checkout as none", async () => {
      await expect(h.ch.work.checkout(inst, { role: "Finish", actorId: "Bot" })).rejects.toThrow(
        /no active assignment/,
      );
      const [refused] = named("chameleon.checkout");
      expect(refused!.status.code).toBe(SpanStatusCode.ERROR);
      expect(refused!.attributes["error.type"]).toBe("ForbiddenError");
      expect(refused!.events.map((e) => e.name)).toEqual(["exception"]);
      exporter.reset();
      expect(await h.ch.work.checkout(inst, { role: "Work", actorId: "Bot" })).toBeNull();
      expect(exporter.getFinishedSpans()).toEqual([]);
      await expect(
        h.ch.work.submit(inst, { uowId: "0190a0a0-0000-7000-8000-000000000000", leaseToken: "x", actorId: "Bot" }),
      ).rejects.toThrow();
      const [submit] = named("chameleon.submit");
      expect(submit!.status.code).toBe(SpanStatusCode.ERROR);
      expect(submit!.attributes["chameleon.instance"]).toBe(name);
    });

    it("traces instantiate and import", async () => {
      const other = uniqueName("traced");
      await h.ch.instances.create({ workflow: "Minimal", name: other });
      const [created] = named("chameleon.instantiate");
      expect(created!.attributes).toMatchObject({
        "chameleon.workflow": "Minimal",
        "chameleon.instance": other,
        "chameleon.outcome": "created",
      });
      await expect(h.ch.instances.create({ workflow: "Minimal", name: other })).rejects.toThrow(/already exists/);
      expect(named("chameleon.instantiate")[1]!.status.code).toBe(SpanStatusCode.ERROR);
      const yaml = (await h.ch.templates.exportYaml("Minimal")).toString();
      await h.ch.templates.importYaml(yaml);
      const [imported] = named("chameleon.import");
      expect(imported!.attributes).toMatchObject({ "chameleon.workflow": ["Minimal@1"], "chameleon.created": 0 });
    });

    it("records a sweep that moved something, and no idle sweep", async () => {
      await h.ch.sweep(inst);
      expect(named("chameleon.sweep")).toEqual([]);
      await h.ch.work.start(inst, { attributes: { n: 3 }, actorId: "Bot" });
      expect(await h.ch.work.checkout(inst, { role: "Work", actorId: "Bot" })).not.toBeNull();
      clock.advance(301); // past the default lease of 300 s
      expect((await h.ch.sweep(inst)).reclaimed).toBe(1);
      const [sweep] = named("chameleon.sweep");
      expect(sweep!.attributes).toMatchObject({
        "chameleon.instance": name,
        "chameleon.reclaimed": 1,
        "chameleon.timed_out": 0,
        "chameleon.failures": 0,
      });
      expect(sweep!.status.code).not.toBe(SpanStatusCode.ERROR);
    });
  });
}
