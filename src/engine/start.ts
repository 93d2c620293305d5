/**
 * Genesis (ENGINE.md sections 2 and 5): ALPHA of the master workflow creates a base unit with
 * version-1 attributes and routes it through its OUTBOUND components like any role. Several
 * units can be started in one transaction (multi-genesis).
 */
import { createHash } from "node:crypto";
import type { Span } from "@opentelemetry/api";
import { ConflictError, ForbiddenError } from "../errors.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../schema/json.js";
import { checkActorAttributes, writeAttributes } from "./attributes.js";
import type { EngineContext } from "./context.js";
import { findActor, mayTakeRole } from "./actors.js";
import { jsonObject, parseInput, priority, z } from "./input.js";
import { checkStoredSize, LIMITS } from "./limits.js";
import { assertMayStart } from "./pause-state.js";
import { afterArrival, createUnit } from "./place.js";
import { chooseRoute, conditionScope } from "./route.js";
import { runStep, type Step, type UnitRow } from "./step.js";
import { ATTR, inSpan, setInstance } from "./trace.js";

const startInput = z
  .object({
    attributes: jsonObject.optional(),
    actorId: z.string().optional(),
    reasoning: z.string().max(LIMITS.reasoningLength).optional(),
    /** A key of the caller's: the same key returns the same unit instead of creating another. */
    idempotencyKey: z.string().min(1).max(255).optional(),
    /** 0 to 9, higher taken first; default 5. Children and nested copies inherit it. */
    priority: priority.optional(),
  })
  .strict();

export type StartInput = z.infer<typeof startInput>;

export interface Started {
  uowId: string;
  /** False when an earlier start with the same idempotency key made the unit. */
  created: boolean;
}

export async function startWork(ctx: EngineContext, instance: string, raw: unknown): Promise<Started> {
  const [started] = await startMany(ctx, instance, [raw]);
  return started!;
}

export function startMany(ctx: EngineContext, instance: string, raws: unknown[]): Promise<Started[]> {
  return inSpan("chameleon.start", async (span) => {
    const started = await startRacing(ctx, instance, raws, span);
    if (span.isRecording()) {
      const created = started.filter((s) => s.created).length;
      span.setAttributes({ [ATTR.units]: started.length, [ATTR.created]: created });
      if (started.length === 1) {
        span.setAttributes({ [ATTR.uowId]: started[0]!.uowId, [ATTR.outcome]: created === 1 ? "created" : "existing" });
      }
    }
    return started;
  });
}

async function startRacing(ctx: EngineContext, instance: string, raws: unknown[], span: Span): Promise<Started[]> {
  try {
    return await startOnce(ctx, instance, raws, span);
  } catch (error) {
    // Two starts with the same new key raced: the loser's transaction rolled back, and the
    // winner's unit is there now, so the same call answers with it.
    if (!ctx.store.dialect.isUniqueViolation(error) || !raws.some(hasKey)) throw error;
    return startOnce(ctx, instance, raws, span);
  }
}

const hasKey = (raw: unknown) => typeof raw === "object" && raw !== null && "idempotencyKey" in raw;

async function startOnce(ctx: EngineContext, instance: string, raws: unknown[], span: Span): Promise<Started[]> {
  const graph = await ctx.graphs.get(instance);
  setInstance(span, graph);
  const inputs = parseStartInputs(ctx, raws);
  return runStep(ctx, graph, (step) => startInStep(step, inputs));
}

/** The inputs of a start, checked as a whole before anything is read. */
export function parseStartInputs(ctx: EngineContext, raws: unknown[]): StartInput[] {
  return raws.map((raw, i) => {
    const input = parseInput(startInput, raw, raws.length > 1 ? `work.start[${i}]` : "work.start");
    checkActorAttributes(input.attributes, "attributes");
    // Every key is a version 1 row, each with its own copy of the reasoning.
    const rows = Object.keys(input.attributes ?? {}).length;
    checkStoredSize(
      input.attributes,
      [{ text: input.reasoning, rows }],
      ctx.settings.maxSubmitBytes,
      "the attributes of a new unit",
    );
    return input;
  });
}

/** Genesis of checked inputs inside a step of the caller's (a schedule's tick starts its unit in its own). */
export async function startInStep(step: Step, inputs: StartInput[]): Promise<Started[]> {
  const graph = step.graph;
  // Read once, in the transaction; a repeat with a known key is still answered while paused.
  let mayStart: Promise<void> | null = null;
  const actors = new Map<string, string>();
  const results: Started[] = [];
  const keyed = new Map<string, { uowId: string; payload: string }>();
  for (const input of inputs) {
    const key = input.actorId ?? "";
    let actorId = actors.get(key);
    if (!actorId) {
      actorId = input.actorId === undefined ? graph.systemActorId : await authorizeGenesis(step, input.actorId);
      actors.set(key, actorId);
    }
    const payload = payloadHash(input, actorId);
    if (input.idempotencyKey !== undefined) {
      const earlier = keyed.get(input.idempotencyKey) ?? (await startedWithKey(step, input.idempotencyKey));
      if (earlier) {
        if (earlier.payload !== payload) {
          throw new ConflictError(
            `idempotency key '${input.idempotencyKey}' was used for unit ${earlier.uowId} with other attributes, actor or reasoning; nothing was started`,
          );
        }
        results.push({ uowId: earlier.uowId, created: false });
        continue;
      }
    }
    await (mayStart ??= assertMayStart(step.trx, graph));
    const unit = await genesis(step, input, actorId, payload);
    if (input.idempotencyKey !== undefined) keyed.set(input.idempotencyKey, { uowId: unit.uow_id, payload });
    results.push({ uowId: unit.uow_id, created: true });
  }
  return results;
}

async function authorizeGenesis(step: Step, actorRef: string): Promise<string> {
  const actor = await findActor(step.trx, step.graph, actorRef);
  const alpha = step.graph.master.alpha;
  if (actor.type !== "SYSTEM" && !(await mayTakeRole(step.trx, step.graph, actor, alpha.id))) {
    throw new ForbiddenError(
      `actor '${actor.name}' has no assignment to role '${alpha.apiName}' and cannot start work`,
    );
  }
  return actor.actorId;
}

/** What a repeated start must match: the attributes, the actor, the reasoning and the priority. */
function payloadHash(input: StartInput, actorId: string): string {
  // The priority counts only when given, so keys used before priorities existed still match.
  const canonical = JSON.stringify([
    canonicalJson(input.attributes ?? {}),
    actorId,
    input.reasoning ?? null,
    ...(input.priority === undefined ? [] : [input.priority]),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

function canonicalJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(out, key, { value: canonicalJson(value[key]!), enumerable: true });
  }
  return out;
}

/** The unit an earlier start made with this key, and the hash of its payload (kept in its GENESIS entry). */
async function startedWithKey(step: Step, key: string): Promise<{ uowId: string; payload: string } | null> {
  const row = await step.trx
    .selectFrom("units_of_work as u")
    .innerJoin("interaction_logs as l", "l.uow_id", "u.uow_id")
    .select(["u.uow_id", "l.details"])
    .where("u.instance_id", "=", step.graph.instanceId)
    .where("u.idempotency_key", "=", key)
    .where("l.event", "=", "GENESIS")
    .executeTakeFirst();
  if (!row) return null;
  const payload = isJsonObject(row.details) ? row.details.idempotency : null;
  return { uowId: row.uow_id, payload: isJsonObject(payload) ? String(payload.payload) : "" };
}

async function genesis(step: Step, input: StartInput, actorId: string, payload: string): Promise<UnitRow> {
  const attributes = input.attributes ?? {};
  const reasoning = input.reasoning ?? null;
  const key = input.idempotencyKey;
  const alpha = step.graph.master.alpha;
  const draft = {
    uow_id: "",
    status: "PENDING",
    child_count: 0,
    finished_child_count: 0,
    parent_id: null,
    attempt: 0,
  } as UnitRow;
  const choice = chooseRoute(alpha, conditionScope(draft, attributes, step.at.getTime()));
  const destination = choice.component?.interaction ?? alpha.workflow.errors;
  const idempotency: JsonObject = key === undefined ? {} : { idempotency: { key, payload } };
  const unit = await createUnit(
    step,
    { workflowId: alpha.workflow.id, parentId: null, idempotencyKey: key, priority: input.priority },
    destination,
    {
      move: "create",
      actorId,
      role: alpha,
      event: "GENESIS",
      details: choice.component
        ? { component: choice.component.name, ...idempotency }
        : { reason: "no eligible route", tried: choice.tried, ...idempotency },
    },
  );
  await writeAttributes(step, { uowId: unit.uow_id, instanceId: unit.instance_id }, new Map(), attributes, {
    actorId,
    reasoning,
    at: step.at,
  });
  await afterArrival(step, unit, destination, null);
  return unit;
}
