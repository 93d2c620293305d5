/**
 * Spans of the engine's verbs, through the OpenTelemetry API only: without an SDK registered by
 * the application they are the API's no-op spans, and nothing is recorded or sent. Attributes
 * are set only on a span that records, so a no-op span costs no attribute object. The names
 * are listed in docs/observe.md.
 */
import {
  context,
  createContextKey,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from "@opentelemetry/api";
import { packageVersion } from "../version.js";

/** The package's tracer; the API's proxy hands spans to an SDK registered later too. */
export const tracer = trace.getTracer("chameleon-workflow", packageVersion());

/** The attributes of Chameleon's spans (docs/observe.md). */
export const ATTR = {
  instance: "chameleon.instance",
  instanceId: "chameleon.instance_id",
  role: "chameleon.role",
  uowId: "chameleon.uow_id",
  outcome: "chameleon.outcome",
  interaction: "chameleon.interaction",
  status: "chameleon.status",
  attempt: "chameleon.attempt",
  workflow: "chameleon.workflow",
  units: "chameleon.units",
  created: "chameleon.created",
  reclaimed: "chameleon.reclaimed",
  timedOut: "chameleon.timed_out",
  failures: "chameleon.failures",
} as const;

const OPEN_PARENT = createContextKey("chameleon: the parent of the next verb span, opened on demand");

/**
 * A context in which the next verb span asks `open` for its parent's context: the worker's
 * step span is started only when its checkout starts a span, so that polling an empty queue
 * records nothing.
 */
export function withParentOnDemand(parent: Context, open: () => Context): Context {
  return parent.setValue(OPEN_PARENT, open);
}

/** The instance, on the span of a verb once it knows it. */
export function setInstance(span: Span, graph: { instanceName: string; instanceId: string }): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR.instance, graph.instanceName);
  span.setAttribute(ATTR.instanceId, graph.instanceId);
}

const INTERNAL = { kind: SpanKind.INTERNAL } as const;

/**
 * Runs `fn` in the span `name` (`chameleon.<verb>`), the active span while it runs (when it records),
 * ended when fn settles; an error sets the span's status to ERROR, is recorded and thrown on.
 * `startTime`: when the verb began, for a span started once the verb knows it is worth one.
 * Callers set attributes only after `span.isRecording()`, so that a no-op span builds nothing.
 */
export async function inSpan<T>(name: string, fn: (span: Span) => Promise<T>, startTime?: number): Promise<T> {
  const parent = verbParent();
  const span = startVerbSpan(name, startTime, parent);
  try {
    // A span that does not record is not made active: nothing would read it, and a context costs.
    const value = await (span.isRecording()
      ? context.with(trace.setSpan(parent, span), fn, undefined, span)
      : fn(span));
    span.end();
    return value;
  } catch (error) {
    failSpan(span, error);
    span.end();
    throw error;
  }
}

/** An error on a span: ERROR status with the message, the exception event, and `error.type` (the error's name). */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setAttribute("error.type", e.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

/** Milliseconds since the epoch, on the clock OpenTelemetry's SDK uses, for `inSpan`'s startTime. */
export function spanClock(): number {
  return performance.timeOrigin + performance.now();
}

/** A span that only says that a verb was refused before it started one (see checkout). */
export function failedSpan(name: string, error: unknown, startTime: number): void {
  const span = startVerbSpan(name, startTime, verbParent());
  failSpan(span, error);
  span.end();
}

/** The active context, or the one a withParentOnDemand context opens. */
function verbParent(): Context {
  const active = context.active();
  const open = active.getValue(OPEN_PARENT) as (() => Context) | undefined;
  return open === undefined ? active : open();
}

function startVerbSpan(name: string, startTime: number | undefined, parent: Context): Span {
  const options = startTime === undefined ? INTERNAL : { ...INTERNAL, startTime };
  return tracer.startSpan(name, options, parent);
}
