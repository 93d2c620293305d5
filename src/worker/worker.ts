/**
 * The worker: runs code for the roles it has handlers for, on top of the public API only.
 * It polls those roles, runs each handler with heartbeats while it works, submits what the
 * handler returns or reports what it threw (work.fail), does the job of OMEGA and TAU with
 * the SYSTEM actor where no actor is assigned to them, sweeps and runs due schedules on a timer, and stops
 * gracefully: it finishes what it holds, or gives it back when that takes too long.
 * Database errors (a server restart, a lost connection) are reported and retried with backoff.
 * Each step (checkout, handler, submit or fail) is one span, the parent of the verbs' spans and
 * of whatever the handler traces; it is started by the checkout's own span, so that polling an
 * empty queue records nothing (engine/trace.ts).
 * With `batchSize` above 1 each lane claims several units at once (work.checkoutMany), runs
 * their handlers side by side as ever, and submits those that finish close together in one
 * work.submitMany (submit-batch.ts); failures and cancels stay single calls.
 */
import { EventEmitter } from "node:events";
import { context, SpanKind, trace, type Context, type Span } from "@opentelemetry/api";
import type { Chameleon } from "../chameleon.js";
import type { CheckedOutUnit } from "../engine/checkout.js";
import { SETTING_RANGES } from "../engine/limits.js";
import { ATTR, failSpan, spanClock, tracer, withParentOnDemand } from "../engine/trace.js";
import { ValidationError } from "../errors.js";
import type { JsonObject, JsonValue } from "../schema/json.js";
import { SubmitBatch } from "./submit-batch.js";

export interface HandlerResult {
  attributes?: JsonObject;
  children?: { attributes: JsonObject; reasoning?: string }[];
  reasoning?: string;
  learn?: { key: string; value: JsonValue; shared?: boolean }[];
  /** Give up on the unit instead of submitting it (EPSILON and TAU only): work.cancel with this reason. */
  cancel?: string;
}

export type Handler = (unit: CheckedOutUnit) => Promise<HandlerResult | void> | HandlerResult | void;

/**
 * Thrown by a handler for a failure that may pass on another attempt (a timeout, a service
 * down): the worker reports it with `retryable: true`, so while the role's attempts remain the
 * unit waits in its interaction again, not before the role's retry backoff (docs/engine.md).
 * Any error with a `retryable: true` property counts the same.
 */
export class RetryableError extends Error {
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryableError";
  }
}

/** Whether a handler's error asks for another attempt: a RetryableError, or any error flagged `retryable: true`. */
export function isRetryable(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === true;
}

export interface WorkerOptions {
  /** The instance, by id or name. */
  instanceId: string;
  /** Code per role name. */
  handlers: Record<string, Handler>;
  /** Units handled at the same time (default 4). */
  concurrency?: number;
  /**
   * Units claimed per checkout of a lane, up to the free slots of `concurrency`, and submitted
   * together when they finish close together (default 1: one checkout and one submit per unit; at most 100).
   */
  batchSize?: number;
  /** The actor the handlers act as (id or name); default: per role, an actor assigned to it. */
  actorId?: string;
  /** Do OMEGA's and TAU's job with the SYSTEM actor where nobody is assigned to them (default true). */
  systemRoles?: boolean;
  /** Pause when no role had work, in ms (default 100, growing to 1 s while idle). */
  pollIntervalMs?: number;
  /** How often to sweep expired leases and stale units and run due schedules, in ms (default 5000; 0: never). */
  sweepIntervalMs?: number;
  /** How long stop() waits for running handlers before giving their units back, in ms (default 30000). */
  stopTimeoutMs?: number;
}

export interface WorkerEvents {
  processed: [{ role: string; uowId: string; ms: number; status: string }];
  /** A handler threw; `retryable` when it asked for another attempt, `status` where the unit went. */
  failed: [{ role: string; uowId: string; error: string; retryable: boolean; status: string }];
  /** Something that will keep units waiting, said once at start(). */
  warning: [{ role: string; message: string }];
  error: [Error];
}

interface Lane {
  role: string;
  actorId: string;
  handler: Handler;
}

/** The span of one step, and the context the handler and the submit run in. */
interface StepTrace {
  span: Span;
  context: Context;
}

/** A ValidationError naming the option unless `value` is a whole number within the range. */
function checkWholeNumber(option: string, value: unknown, range: { min: number; max: number }): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw ValidationError.single(
      option,
      `worker ${option} must be a whole number from ${range.min} to ${range.max}, not ${String(value)}`,
    );
  }
}

/** What the worker does for OMEGA and TAU on its own: finalize the released set; pass the unit on. */
const systemHandler: Handler = () => ({ reasoning: "done by the worker with the SYSTEM actor" });

/**
 * The worker's event methods. Declared here rather than inherited from Node's typed
 * EventEmitter so that the published declarations name no Node type: a consumer compiles
 * against them without `@types/node` (TypeScript 7 no longer loads it by default).
 */
export interface WorkerEventMethods {
  on<K extends keyof WorkerEvents>(event: K, listener: (...args: WorkerEvents[K]) => void): this;
  once<K extends keyof WorkerEvents>(event: K, listener: (...args: WorkerEvents[K]) => void): this;
  off<K extends keyof WorkerEvents>(event: K, listener: (...args: WorkerEvents[K]) => void): this;
  removeAllListeners(event?: keyof WorkerEvents): this;
  listenerCount(event: keyof WorkerEvents): number;
}

/** Node's EventEmitter at run time, typed by WorkerEventMethods (emit stays for the worker itself). */
const WorkerEmitter = EventEmitter as unknown as new () => WorkerEventMethods & {
  emit<K extends keyof WorkerEvents>(event: K, ...args: WorkerEvents[K]): boolean;
};

export class Worker extends WorkerEmitter {
  readonly #ch: Chameleon;
  readonly #options: Required<Omit<WorkerOptions, "actorId">> & { actorId?: string };
  #lanes: Lane[] = [];
  #running = false;
  #loop: Promise<void> | null = null;
  #sweeper: NodeJS.Timeout | null = null;
  readonly #inFlight = new Map<string, { unit: CheckedOutUnit; lane: Lane; done: Promise<void> }>();
  /** The instance's name, for the step spans. */
  #instanceName = "";
  /** Units given back by stop(): their handlers may still finish, but must not submit. */
  readonly #released = new Set<string>();
  #wake: (() => void) | null = null;
  readonly stats = new Map<string, { processed: number; failed: number; totalMs: number }>();

  constructor(ch: Chameleon, options: WorkerOptions) {
    super();
    this.#ch = ch;
    this.#options = {
      concurrency: 4,
      batchSize: 1,
      systemRoles: true,
      pollIntervalMs: 100,
      sweepIntervalMs: 5000,
      stopTimeoutMs: 30_000,
      ...options,
    };
    checkWholeNumber("concurrency", this.#options.concurrency, SETTING_RANGES.concurrency);
    checkWholeNumber("batchSize", this.#options.batchSize, SETTING_RANGES.batchSize);
    checkWholeNumber("pollIntervalMs", this.#options.pollIntervalMs, SETTING_RANGES.intervalMs);
    checkWholeNumber("sweepIntervalMs", this.#options.sweepIntervalMs, SETTING_RANGES.intervalMs);
    checkWholeNumber("stopTimeoutMs", this.#options.stopTimeoutMs, SETTING_RANGES.intervalMs);
  }

  /** An 'error' event, or one line on stderr when nobody listens: a worker never dies of it. */
  #report(error: unknown): void {
    const e = error instanceof Error ? error : new Error(String(error));
    if (this.listenerCount("error") > 0) this.emit("error", e);
    else process.stderr.write(`chameleon worker: ${e.message}\n`);
  }

  /** A 'warning' event, or one line on stderr when nobody listens. */
  #warn(role: string, message: string): void {
    if (this.listenerCount("warning") > 0) this.emit("warning", { role, message });
    else process.stderr.write(`chameleon worker: warning: ${message}\n`);
  }

  get running(): boolean {
    return this.#running;
  }

  /** Resolves the roles and actors, then starts polling. */
  async start(): Promise<this> {
    if (this.#running) return this;
    this.#lanes = await this.#planLanes();
    this.#running = true;
    this.#loop = this.#run();
    if (this.#options.sweepIntervalMs > 0) {
      this.#sweeper = setInterval(() => {
        this.#ch
          .sweep(this.#options.instanceId)
          .then(({ failures }) => {
            for (const f of failures) {
              this.#report(new Error(`sweep could not move ${f.uowId ? `unit ${f.uowId}` : "units"}: ${f.error}`));
            }
          })
          .catch((e: unknown) => this.#report(e));
        // The due schedules of the instance, on the same timer: one start per tick, whoever runs it.
        this.#ch.schedules
          .tick(this.#options.instanceId)
          .then(({ failures }) => {
            for (const f of failures) this.#report(new Error(`schedule ${f.scheduleId} could not run: ${f.error}`));
          })
          .catch((e: unknown) => this.#report(e));
      }, this.#options.sweepIntervalMs);
      this.#sweeper.unref();
    }
    return this;
  }

  /** Stops polling, lets running handlers finish, and gives back what is still held after the timeout. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#wake?.();
    await this.#loop;
    const all = Promise.all([...this.#inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(true), this.#options.stopTimeoutMs)),
    );
    const timedOut = await Promise.race([all.then(() => false), deadline]);
    clearTimeout(timer);
    if (timedOut) {
      await Promise.all(
        [...this.#inFlight.values()].map(({ unit, lane }) => {
          this.#released.add(unit.uowId);
          return this.#ch.work
            .release(this.#options.instanceId, {
              uowId: unit.uowId,
              leaseToken: unit.leaseToken,
              actorId: lane.actorId,
              reason: "worker stopped",
            })
            .catch(() => {});
        }),
      );
    }
  }

  async #planLanes(): Promise<Lane[]> {
    const instance = await this.#ch.instances.get(this.#options.instanceId);
    this.#instanceName = instance.name;
    const system = instance.actors.find((a) => a.type === "SYSTEM")!;
    const lanes: Lane[] = [];
    for (const [role, handler] of Object.entries(this.#options.handlers)) {
      if (!instance.roles.some((r) => r.name === role)) {
        throw new ValidationError(
          `worker: no role '${role}' in instance '${instance.name}' (roles: ${instance.roles.map((r) => r.name).join(", ")})`,
        );
      }
      let actorId = this.#options.actorId;
      if (actorId === undefined) {
        const assigned = instance.actors.find((a) => a.roles.includes(role));
        const type = instance.roles.find((r) => r.name === role)!.type;
        if (assigned) actorId = assigned.actorId;
        else if (type === "OMEGA" || type === "TAU") actorId = system.actorId;
        else throw new ValidationError(`worker: no actor is assigned to role '${role}'; assign one or pass actorId`);
      }
      lanes.push({ role, actorId, handler });
    }
    if (this.#options.systemRoles) {
      for (const r of instance.roles) {
        if ((r.type !== "OMEGA" && r.type !== "TAU") || this.#options.handlers[r.name]) continue;
        const assigned = instance.actors.filter((a) => a.type !== "SYSTEM" && a.roles.includes(r.name));
        if (assigned.length === 0) {
          lanes.push({ role: r.name, actorId: system.actorId, handler: systemHandler });
        } else {
          // The assignment says someone else does this role, so SYSTEM must not; but nobody in
          // this worker will, and units wait there until that actor does.
          this.#warn(
            r.name,
            `role '${r.name}' (${r.type}) is assigned to ${assigned.map((a) => `'${a.name}'`).join(", ")} and this worker has no handler for it, so the SYSTEM actor will not take its units: give a handler for '${r.name}', or revoke the assignment`,
          );
        }
      }
    }
    return lanes;
  }

  async #run(): Promise<void> {
    let idle = 0;
    let next = 0;
    while (this.#running) {
      if (this.#inFlight.size >= this.#options.concurrency || this.#lanes.length === 0) {
        await this.#sleep(this.#options.pollIntervalMs);
        continue;
      }
      let found = false;
      for (let i = 0; i < this.#lanes.length && this.#running && this.#inFlight.size < this.#options.concurrency; i++) {
        const lane = this.#lanes[(next + i) % this.#lanes.length]!;
        try {
          const max = Math.min(this.#options.batchSize, this.#options.concurrency - this.#inFlight.size);
          const claimed = await this.#checkout(lane, max);
          if (claimed.length > 0) {
            found = true;
            // Only a batch claimed by checkoutMany submits together; batchSize 1 submits each unit on its own.
            const batch = this.#options.batchSize > 1 && claimed.length > 1 ? this.#submitBatch(claimed.length) : null;
            for (const { unit, step } of claimed) this.#dispatch(lane, unit, step, batch);
          }
        } catch (error) {
          this.#report(error);
          await this.#sleep(Math.min(5000, 250 * 2 ** Math.min(idle, 4)));
          idle++;
        }
      }
      next = (next + 1) % Math.max(1, this.#lanes.length);
      if (found) idle = 0;
      else await this.#sleep(Math.min(1000, this.#options.pollIntervalMs * 2 ** Math.min(idle++, 4)));
    }
  }

  /** Where the units of one checkoutMany send their submits: submitMany for several, submit for one. */
  #submitBatch(size: number): SubmitBatch {
    const instanceId = this.#options.instanceId;
    return new SubmitBatch(size, {
      one: (input) => this.#retrying(() => this.#ch.work.submit(instanceId, input)),
      // A repeat after a lost connection answers alreadyDone for the units the first one submitted.
      many: (inputs) => this.#retrying(() => this.#ch.work.submitMany(instanceId, inputs)),
    });
  }

  /**
   * One checkout (of up to `max` units: work.checkoutMany when the worker's batchSize is above 1),
   * in a context where the checkout's span opens the step's span as its parent (from the moment
   * the poll began); an empty poll, whose checkout starts no span, records nothing. The first
   * unit of a batch gets that step; each other unit gets a step of its own from the same moment.
   */
  async #checkout(lane: Lane, max: number): Promise<{ unit: CheckedOutUnit; step: StepTrace | null }[]> {
    const base = context.active();
    const began = spanClock();
    let step: StepTrace | null = null;
    const open = (): Context => {
      if (step === null) {
        const span = tracer.startSpan("chameleon.worker.step", { kind: SpanKind.INTERNAL, startTime: began }, base);
        if (span.isRecording()) {
          span.setAttributes({ [ATTR.instance]: this.#instanceName, [ATTR.role]: lane.role });
        }
        step = { span, context: trace.setSpan(base, span) };
      }
      return step.context;
    };
    let units: CheckedOutUnit[];
    try {
      units = await context.with(withParentOnDemand(base, open), async () => {
        const input = { role: lane.role, actorId: lane.actorId };
        if (this.#options.batchSize === 1) {
          const unit = await this.#ch.work.checkout(this.#options.instanceId, input);
          return unit ? [unit] : [];
        }
        return this.#ch.work.checkoutMany(this.#options.instanceId, { ...input, max });
      });
    } catch (error) {
      const opened = step as StepTrace | null;
      if (opened) {
        failSpan(opened.span, error);
        opened.span.end();
      }
      throw error;
    }
    const opened = step as StepTrace | null;
    if (units.length === 0) {
      // Units waited, but another process took them first.
      if (opened) {
        if (opened.span.isRecording()) opened.span.setAttribute(ATTR.outcome, "empty");
        opened.span.end();
      }
      return [];
    }
    return units.map((unit, i) => {
      let own = opened;
      if (i > 0 && opened !== null && opened.span.isRecording()) {
        const span = tracer.startSpan("chameleon.worker.step", { kind: SpanKind.INTERNAL, startTime: began }, base);
        span.setAttributes({ [ATTR.instance]: this.#instanceName, [ATTR.role]: lane.role });
        own = { span, context: trace.setSpan(base, span) };
      } else if (i > 0) {
        own = null;
      }
      if (own?.span.isRecording()) own.span.setAttribute(ATTR.uowId, unit.uowId);
      return { unit, step: own };
    });
  }

  #dispatch(lane: Lane, unit: CheckedOutUnit, step: StepTrace | null, batch: SubmitBatch | null): void {
    const work = () => this.#handle(lane, unit, step?.span ?? null, batch);
    const handled = step ? context.with(step.context, work) : work();
    const done = handled.finally(() => {
      this.#inFlight.delete(unit.uowId);
      this.#wake?.();
    });
    this.#inFlight.set(unit.uowId, { unit, lane, done });
  }

  /**
   * Runs the handler and submits (or fails) the unit; `span` is the step's, ended here with its
   * outcome. A unit of a batch submits through it, and tells it when it will not submit.
   */
  async #handle(lane: Lane, unit: CheckedOutUnit, span: Span | null, batch: SubmitBatch | null): Promise<void> {
    const outcome = (value: string) => {
      if (span?.isRecording()) span.setAttribute(ATTR.outcome, value);
    };
    const started = Date.now();
    const instanceId = this.#options.instanceId;
    const lease = { uowId: unit.uowId, leaseToken: unit.leaseToken, actorId: lane.actorId };
    // Three beats per lease of the unit's role (the engine's clock set its expiry).
    const leaseMs = unit.leaseExpiresAt.getTime() - this.#ch.engine.now().getTime();
    const beat = setInterval(
      () => {
        this.#ch.work.heartbeat(instanceId, lease).catch((e: unknown) => this.#report(e));
      },
      Math.min(2 ** 31 - 1, Math.max(1000, leaseMs / 3)),
    );
    const stat = this.stats.get(lane.role) ?? { processed: 0, failed: 0, totalMs: 0 };
    this.stats.set(lane.role, stat);
    // The batch hears once that this unit's handler is done: by its submit, or by skip().
    let heard = batch === null;
    const skip = () => {
      if (!heard) batch!.skip();
      heard = true;
    };
    try {
      let returned: HandlerResult | void;
      try {
        returned = await lane.handler(unit);
      } catch (error) {
        clearInterval(beat);
        skip();
        if (this.#released.delete(unit.uowId)) return outcome("released");
        if (span) failSpan(span, error);
        const message = error instanceof Error ? error.message : String(error);
        const report = (retryable: boolean) =>
          this.#retrying(() =>
            this.#ch.work.fail(instanceId, {
              ...lease,
              error: message || "the handler failed",
              details: { role: lane.role },
              ...(retryable ? { retryable: true } : {}),
            }),
          );
        const retryable = isRetryable(error);
        // Only the units of processing roles are retried: elsewhere the failure is reported as it is.
        const moved = await report(retryable).catch((e: unknown) => {
          if (retryable && e instanceof ValidationError) return report(false);
          throw e;
        });
        stat.failed++;
        outcome(retryable && moved.status === "PENDING" ? "retried" : "failed");
        this.emit("failed", { role: lane.role, uowId: unit.uowId, error: message, retryable, status: moved.status });
        return;
      }
      clearInterval(beat);
      if (this.#released.delete(unit.uowId)) return outcome("released");
      const { cancel, ...submission } = returned ?? {};
      let result: { status: string };
      if (cancel !== undefined) {
        skip();
        result = await this.#retrying(() =>
          this.#ch.work.cancel(instanceId, { uowId: unit.uowId, actorId: lane.actorId, reason: cancel }),
        );
      } else if (batch !== null) {
        heard = true;
        result = await batch.submit({ ...lease, ...submission });
      } else {
        result = await this.#retrying(() => this.#ch.work.submit(instanceId, { ...lease, ...submission }));
      }
      const ms = Date.now() - started;
      stat.processed++;
      stat.totalMs += ms;
      outcome(cancel !== undefined ? "cancelled" : "submitted");
      this.emit("processed", { role: lane.role, uowId: unit.uowId, ms, status: result.status });
    } catch (error) {
      if (span) failSpan(span, error);
      outcome("error");
      this.#report(error);
    } finally {
      skip();
      clearInterval(beat);
      span?.end();
    }
  }

  /** Retries a submit or fail through a lost connection; a refusal (a ChameleonError) is final. */
  async #retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (isRefusal(error) || attempt >= 5) throw error;
        await sleep(200 * 2 ** attempt);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(t);
        this.#wake = null;
        resolve();
      };
    });
  }
}

function isRefusal(error: unknown): boolean {
  return ["ValidationError", "NotFoundError", "ConflictError", "ForbiddenError", "PayloadTooLargeError"].includes(
    (error as Error)?.name,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
