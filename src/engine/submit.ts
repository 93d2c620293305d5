/**
 * Submit (ENGINE.md section 5): in one transaction, new attribute versions for the keys that
 * changed, children if any, routing, the audit entries, and the lease released. OMEGA's
 * submit finalizes the set it checked out.
 */
import type { Span } from "@opentelemetry/api";
import { describeType, fitsType, formOf } from "../blueprint/role-settings.js";
import {
  ChameleonError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from "../errors.js";
import type { JsonObject, JsonValue } from "../schema/json.js";
import {
  attributeVersions,
  checkActorAttributes,
  currentAttributesText,
  stateOf,
  visibleAttributes,
  writeVersions,
  type AttributeState,
} from "./attributes.js";
import { findActor, type ActorRow } from "./actors.js";
import type { EngineContext } from "./context.js";
import { checkSplit, split } from "./decompose.js";
import { finalizeSet, LEARN } from "./finalize.js";
import type { RuntimeRole } from "./graph.js";
import { jsonObject, jsonValue, name, parseInput, priority, z } from "./input.js";
import { checkStoredSize, LIMITS } from "./limits.js";
import { assertLease, checkoutRole, consumedLeaseResult, consumeLease, leaseIssuedAt } from "./lease.js";
import { secondsBetween } from "./observe.js";
import { arrivesPlainly, placeUnit, placeUnitDeferred } from "./place.js";
import { chooseRoute, conditionScope } from "./route.js";
import { runStep, updateUnit, type Step, type UnitRow } from "./step.js";
import { DeferredWrites } from "./deferred-writes.js";
import type { HeldUnit } from "./held-units.js";
import { announceCommitted, logRows } from "./audit.js";
import { retryTransient } from "../store/retry.js";
import type { FencedMove } from "../store/dialects/hot-path.js";
import type { RuntimeGraph } from "./graph.js";
import { isUuid } from "../schema/ids.js";
import { ATTR, inSpan, setInstance } from "./trace.js";

const submitInput = z
  .object({
    uowId: z.string(),
    leaseToken: z.string(),
    actorId: name,
    attributes: jsonObject.optional(),
    reasoning: z.string().max(LIMITS.reasoningLength).optional(),
    children: z
      .array(
        z.object({ attributes: jsonObject, reasoning: z.string().max(LIMITS.reasoningLength).optional() }).strict(),
      )
      .optional(),
    learn: z.array(z.object({ key: name, value: jsonValue, shared: z.boolean().optional() }).strict()).optional(),
    /** The unit's new priority (0 to 9), kept from here on; the children of this submit inherit it. */
    priority: priority.optional(),
  })
  .strict();

export interface SubmitResult {
  uowId: string;
  status: string;
  interaction: string;
  children?: string[];
  /** True when this lease had already been submitted: the result is that first submit's. */
  alreadyDone?: true;
}

/** The most submits one submitMany carries (docs/engine.md, "Batches"). */
export const MAX_SUBMIT_BATCH = 100;

type SubmitInput = z.infer<typeof submitInput>;

/** One unit's answer in a submitMany: its result, or the refusal that left it as it was. */
export type SubmitManyItem =
  | { uowId: string; ok: true; result: SubmitResult }
  | { uowId: string; ok: false; error: { name: string; message: string } };

export function submit(ctx: EngineContext, instance: string, raw: unknown): Promise<SubmitResult> {
  return inSpan("chameleon.submit", async (span) => {
    const graph = await ctx.graphs.get(instance);
    setInstance(span, graph);
    const input = checkSubmit(ctx, raw, "work.submit");
    const held = ctx.held.take(input.leaseToken);
    if (held) {
      const result = await submitHeldUnit(ctx, graph, input, held, span);
      if (result) return result;
    }
    return runStep(ctx, graph, async (step) => {
      const units = await lockUnits(step, [input.uowId]);
      const checked = await lockAndCheck(step, input, span, units);
      if ("alreadyDone" in checked) return checked;
      const writes = new DeferredWrites();
      const result = await applySubmit(step, checked, span, writes);
      await writes.finish(step);
      return result;
    });
  });
}

/**
 * submitMany (docs/engine.md, "Batches"): several submits in one write transaction, each with
 * its own audit entries, attribute versions and routing, answered per unit in the given order.
 * A submit refused before it writes (a lost lease, a form not filled, a bad input) is reported
 * and the others go through. A refusal found only while writing (the stored size) would undo
 * the others' writes too: then every submit of the batch is run again on its own, each in its
 * own transaction, so the answers stay per unit.
 */
export async function submitMany(ctx: EngineContext, instance: string, raws: unknown): Promise<SubmitManyItem[]> {
  const graph = await ctx.graphs.get(instance);
  if (!Array.isArray(raws) || raws.length === 0 || raws.length > MAX_SUBMIT_BATCH) {
    throw ValidationError.single(
      "submits",
      `work.submitMany takes an array of 1 to ${MAX_SUBMIT_BATCH} submits, not ${Array.isArray(raws) ? `${raws.length}` : typeof raws}`,
    );
  }
  const items: (SubmitManyItem | null)[] = raws.map(() => null);
  const inputs: (SubmitInput | null)[] = raws.map((raw, i) => {
    try {
      return checkSubmit(ctx, raw, `work.submitMany[${i}]`);
    } catch (error) {
      items[i] = refused(raw, error);
      return null;
    }
  });
  const seen = new Map<string, number>();
  inputs.forEach((input, i) => {
    if (!input) return;
    // Ids are compared as the store compares them: PostgreSQL's uuid ignores case.
    const id = input.uowId.toLowerCase();
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else {
      items[i] = refused(
        input,
        new ValidationError(
          `work.submitMany[${i}]: unit ${input.uowId} is already submitted by [${first}] of this batch`,
        ),
      );
      inputs[i] = null;
    }
  });
  try {
    await inSpan("chameleon.submit", async (span) => {
      setInstance(span, graph);
      if (span.isRecording()) span.setAttribute(ATTR.units, inputs.filter(Boolean).length);
      await submitHeldOfBatch(ctx, graph, inputs, items);
      if (!inputs.some(Boolean)) return;
      await runStep(ctx, graph, async (step) => {
        // Every check first, so that a refusal leaves nothing of that unit written. The units
        // are locked in one statement, in id order: two batches over the same units then never
        // wait for each other in a circle.
        const units = await lockUnits(
          step,
          inputs.flatMap((input) => (input ? [input.uowId] : [])),
        );
        const checked: (CheckedSubmit | (SubmitResult & { alreadyDone: true }) | null)[] = [];
        for (const [i, input] of inputs.entries()) {
          checked.push(null);
          if (!input) continue;
          try {
            checked[i] = await lockAndCheck(step, input, null, units);
          } catch (error) {
            if (!isRefusal(error)) throw error;
            items[i] = refused(input, error);
          }
        }
        const writes = new DeferredWrites();
        for (const [i, c] of checked.entries()) {
          if (!c) continue;
          items[i] = {
            uowId: inputs[i]!.uowId,
            ok: true,
            result: "alreadyDone" in c ? c : await applySubmit(step, c, null, writes),
          };
        }
        await writes.finish(step);
      });
    });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    // Refused while writing: each on its own, so that only the refused one stays as it was.
    for (const [i, input] of inputs.entries()) {
      if (!input) continue;
      try {
        items[i] = { uowId: input.uowId, ok: true, result: await submit(ctx, instance, raws[i]) };
      } catch (single) {
        if (!isRefusal(single)) throw single;
        items[i] = refused(input, single);
      }
    }
  }
  return items as SubmitManyItem[];
}

/** A refusal of one submit: what leaves its unit as it was, and the others of a batch unaffected. */
function isRefusal(error: unknown): error is ChameleonError {
  return (
    error instanceof ValidationError ||
    error instanceof ConflictError ||
    error instanceof NotFoundError ||
    error instanceof ForbiddenError ||
    error instanceof PayloadTooLargeError
  );
}

function refused(raw: unknown, error: unknown): SubmitManyItem {
  if (!(error instanceof ChameleonError)) throw error;
  const uowId = typeof (raw as { uowId?: unknown })?.uowId === "string" ? (raw as { uowId: string }).uowId : "";
  return { uowId, ok: false, error: { name: error.name, message: error.message } };
}

/** The input checked on its own, before any read: shape, reserved keys, counts, size. */
function checkSubmit(ctx: EngineContext, raw: unknown, where: string): SubmitInput {
  const input = parseInput(submitInput, raw, where);
  checkActorAttributes(input.attributes, "attributes");
  input.children?.forEach((c, i) => checkActorAttributes(c.attributes, `children[${i}].attributes`));
  checkSubmitCounts(input);
  // Before anything is read: the data alone over the limit. The reasoning is counted below, once
  // per attribute version it is stored on, when the versions to write are known.
  checkStoredSize(dataOf(input), [], ctx.settings.maxSubmitBytes, "the submit");
  return input;
}

const dataOf = (input: SubmitInput) => ({
  attributes: input.attributes,
  children: input.children?.map((c) => c.attributes),
  learn: input.learn,
});

/** A submit whose unit is locked and whose lease, form and split were checked: nothing written yet. */
interface CheckedSubmit {
  input: SubmitInput;
  actor: ActorRow;
  unit: UnitRow;
  state: AttributeState;
  role: RuntimeRole;
}

/**
 * The units of these ids in the instance, locked for the step in one statement (ids that are
 * no UUIDs are left out, for lockAndCheck to refuse).
 */
async function lockUnits(step: Step, uowIds: readonly string[]): Promise<Map<string, UnitRow>> {
  const ids = [...new Set(uowIds.filter(isUuid).map((id) => id.toLowerCase()))].sort();
  if (ids.length === 0) return new Map();
  const rows = await step.ctx.store.dialect.hotPath.lockUnits(step.trx, {
    instanceId: step.graph.instanceId,
    uowIds: ids,
  });
  return new Map(rows.map((r) => [r.uow_id, r]));
}

/** The submit's unit (locked by lockUnits), its lease, role, form and split checked: nothing written. */
async function lockAndCheck(
  step: Step,
  input: SubmitInput,
  span: Span | null,
  locked: Map<string, UnitRow>,
): Promise<CheckedSubmit | (SubmitResult & { alreadyDone: true })> {
  const actor = await findActor(step.trx, step.graph, input.actorId);
  if (!isUuid(input.uowId)) throw new NotFoundError(`no unit '${input.uowId}': unit ids are UUIDs`);
  const unit = locked.get(input.uowId.toLowerCase());
  if (!unit) throw new NotFoundError(`no unit '${input.uowId}' in instance '${step.graph.instanceName}'`);
  const state = stateOf(unit);
  if (unit.lease_token !== input.leaseToken) {
    const first = await consumedLeaseResult(step, unit, actor, input.leaseToken);
    if (first) {
      if (span?.isRecording()) span.setAttributes({ [ATTR.uowId]: unit.uow_id, [ATTR.outcome]: "already_done" });
      return { ...(first as unknown as SubmitResult), alreadyDone: true };
    }
  }
  assertLease(unit, actor, input.leaseToken);
  const role: RuntimeRole = await checkoutRole(step, unit);
  if (span?.isRecording()) span.setAttributes({ [ATTR.uowId]: unit.uow_id, [ATTR.role]: role.apiName });
  checkForm(role, input.attributes ?? {}, state);
  if (input.children) checkSplit(role, unit, input.children);
  return { input, actor, unit, state, role };
}

/**
 * Writes one checked submit. A submit that only routes its unit to an interaction where arriving
 * changes nothing else (the common step) keeps its writes in `writes`, sent with the others of
 * its batch; anything else (OMEGA, a split, learning, a new priority, a gateway or a Cerberus
 * join, no route) first sends what is kept, then writes as it goes.
 */
async function applySubmit(
  step: Step,
  checked: CheckedSubmit,
  span: Span | null,
  writes: DeferredWrites,
): Promise<SubmitResult> {
  const { input, actor, unit, state, role } = checked;
  const { ctx, graph } = step;
  const by = { actorId: actor.actorId, reasoning: input.reasoning ?? null, at: step.at };
  const versions = attributeVersions(unit.uow_id, state, input.attributes ?? {}, by);
  const changedKeys = versions.changed;
  const learns = input.learn !== undefined && input.learn.length > 0;
  if (learns) {
    const previous = state.get(LEARN)?.value;
    const learned: JsonValue[] = [
      ...(Array.isArray(previous) ? previous : []),
      ...input.learn!.map((l) => ({
        key: l.key,
        value: l.value,
        shared: l.shared ?? false,
        roleId: role.id,
        actorId: actor.actorId,
      })),
    ];
    versions.rows.push(...attributeVersions(unit.uow_id, state, { [LEARN]: learned }, by).rows);
  }

  const childRows = input.children?.map((c) => ({
    text: c.reasoning ?? input.reasoning,
    rows: childKeys(role, state, c),
  }));
  checkStoredSize(
    dataOf(input),
    [{ text: input.reasoning, rows: changedKeys.length + (learns ? 1 : 0) }, ...(childRows ?? [])],
    ctx.settings.maxSubmitBytes,
    "the submit",
  );
  // A submit that changes none of the unit's keys keeps its reasoning in the audit entry.
  const kept: JsonObject =
    changedKeys.length === 0 && input.reasoning !== undefined ? { reasoning: input.reasoning } : {};
  const newPriority = input.priority !== undefined && input.priority !== unit.priority;

  let children: string[] | undefined;
  let outcome = "routed";
  const routes = role.type !== "OMEGA" && !input.children;
  const choice = routes ? chooseRoute(role, conditionScope(unit, visibleAttributes(state), step.at.getTime())) : null;
  const target = choice?.component?.interaction;
  if (target && mayDefer(role, unit, input) && arrivesPlainly(unit, target)) {
    writes.versions.push(...versions.rows);
    placeUnitDeferred(
      step,
      unit,
      target,
      {
        move: "route",
        actorId: actor.actorId,
        role,
        event: "SUBMIT",
        details: { component: choice!.component!.name, changedKeys, ...kept },
      },
      currentAttributesText(state),
      writes,
    );
  } else {
    await writes.flush(step);
    await writeVersions(step, { uowId: unit.uow_id, instanceId: unit.instance_id }, state, versions.rows, step.at);
    if (newPriority) {
      // Before the split, so that the children inherit the new priority.
      kept.priority = { from: unit.priority, to: input.priority! };
      await updateUnit(step, unit, { priority: input.priority! });
    }
    if (role.type === "OMEGA") {
      outcome = "finalized";
      await finalizeSet(step, role, unit, state, actor.actorId, kept);
    } else if (input.children) {
      outcome = "split";
      children = await split(step, role, unit, state, input.children, { ...by, changedKeys, details: kept });
    } else if (choice!.component) {
      await placeUnit(step, unit, choice!.component.interaction, {
        move: "route",
        actorId: actor.actorId,
        role,
        event: "SUBMIT",
        details: { component: choice!.component.name, changedKeys, ...kept },
      });
    } else {
      await placeUnit(step, unit, role.workflow.errors, {
        move: "fail",
        actorId: actor.actorId,
        role,
        event: "FAIL",
        details: { reason: "no eligible route", tried: choice!.tried, changedKeys, ...kept },
      });
      step.observed?.push({ kind: "failure", role: role.apiName, reason: "no_route" });
      outcome = "no_route";
    }
  }
  step.observed?.push({
    kind: "step",
    role: role.apiName,
    outcome: "submitted",
    heldSeconds: secondsBetween(leaseIssuedAt(input.leaseToken), step.at),
  });
  const result: SubmitResult = {
    uowId: unit.uow_id,
    status: unit.status,
    interaction: graph.interactions.get(unit.current_interaction_id)!.apiName,
    ...(children ? { children } : {}),
  };
  consumeLease(step, unit.uow_id, input.leaseToken, { ...result });
  if (span?.isRecording()) {
    span.setAttributes({
      [ATTR.outcome]: outcome,
      [ATTR.status]: result.status,
      [ATTR.interaction]: result.interaction,
    });
  }
  return result;
}

/**
 * A submit of a unit this process checked out and holds (held-units.ts), from what the checkout
 * read: no read of the row, and where the submit only routes the unit (the common step) its
 * writes are one fenced operation of the store (on PostgreSQL one statement). Null, with nothing
 * written, when anything is not as the checkout left it (the fence refused, another actor, a
 * form not filled) or the submit does more than route: the ordinary path then reads the row
 * and answers.
 */
async function submitHeldUnit(
  ctx: EngineContext,
  graph: RuntimeGraph,
  input: SubmitInput,
  held: HeldUnit,
  span: Span,
): Promise<SubmitResult | null> {
  const prepared = await prepareHeld(ctx, graph, input, held, ctx.now(), span);
  if (!prepared) return null;
  const [written] = await writeHeld(ctx, graph, [prepared]);
  return written?.result ?? null;
}

/** A held unit's submit worked out without any read, its writes kept: what writeHeld sends. */
interface PreparedHeld {
  result: SubmitResult;
  step: Step;
  writes: DeferredWrites;
  fenced: FencedMove;
}

/**
 * The submit of a held unit worked out from what its checkout read, nothing written, or null
 * when it must take the ordinary path: the lease, actor or role not as held, a submit that does
 * more than route, a form not filled, or a refusal while working it out (the ordinary path
 * refuses it again, with every check in its order).
 */
async function prepareHeld(
  ctx: EngineContext,
  graph: RuntimeGraph,
  input: SubmitInput,
  held: HeldUnit,
  at: Date,
  span: Span | null,
): Promise<PreparedHeld | null> {
  const unit = { ...held.row };
  const role = graph.roles.get(held.roleId);
  if (!role || unit.uow_id !== input.uowId.toLowerCase()) return null;
  const actor = await findActor(ctx.store.db, graph, input.actorId);
  if (unit.locked_by_actor_id !== actor.actorId || unit.lease_token !== input.leaseToken) return null;
  if (span?.isRecording()) span.setAttributes({ [ATTR.uowId]: unit.uow_id, [ATTR.role]: role.apiName });
  const state = stateOf(unit);
  // One moment for the route asked here and the one applySubmit takes: they must agree.
  if (!routesOnly(role, unit, state, input, at)) return null;
  const step: Step = {
    ctx,
    // Never used: a submit that only routes writes through `writes` (applySubmit).
    trx: undefined as unknown as Step["trx"],
    graph,
    at,
    logs: [],
    observed: ctx.observers.size > 0 ? [] : null,
  };
  const writes = new DeferredWrites();
  let result: SubmitResult;
  try {
    checkForm(role, input.attributes ?? {}, state);
    result = await applySubmit(step, { input, actor, unit, state, role }, span, writes);
  } catch (error) {
    if (isRefusal(error)) return null;
    throw error;
  }
  const [move] = writes.moves;
  if (!move || writes.moves.length !== 1) throw new Error(`unit ${unit.uow_id}: a routed submit made no single move`);
  return {
    result,
    step,
    writes,
    fenced: { move, fence: { leaseToken: input.leaseToken, updatedAt: held.row.updated_at } },
  };
}

/**
 * Sends prepared held submits (all of one moment) as one fenced operation of the store: those
 * whose units were moved, in the given order. The others wrote nothing.
 */
async function writeHeld(ctx: EngineContext, graph: RuntimeGraph, prepared: PreparedHeld[]): Promise<PreparedHeld[]> {
  const { db, dialect } = ctx.store;
  const moved = new Set(
    await retryTransient(dialect, () =>
      dialect.hotPath.submitHeld(db, {
        instanceId: graph.instanceId,
        at: prepared[0]!.step.at,
        units: prepared.map((p) => p.fenced),
        versions: prepared.flatMap((p) => p.writes.versions),
        logs: prepared.flatMap((p) => logRows(p.step.logs)),
      }),
    ),
  );
  const written = prepared.filter((p) => moved.has(p.fenced.move.uowId));
  if (written.length === 0) return [];
  await announceCommitted(ctx, graph.instanceId);
  const observed = written.flatMap((p) => p.step.observed ?? []);
  if (observed.length > 0) ctx.observers.tell(graph.instanceName, observed);
  return written;
}

/**
 * The submits of a batch whose units this process holds, worked out without a read and sent
 * together (writeHeld); each one written is answered in `items` and taken out of `inputs`. What
 * a fence refused, or what needs more than a route, stays for the ordinary path.
 */
async function submitHeldOfBatch(
  ctx: EngineContext,
  graph: RuntimeGraph,
  inputs: (SubmitInput | null)[],
  items: (SubmitManyItem | null)[],
): Promise<void> {
  const at = ctx.now();
  const prepared = new Map<PreparedHeld, number>();
  for (const [i, input] of inputs.entries()) {
    const held = input ? ctx.held.take(input.leaseToken) : undefined;
    if (!input || !held) continue;
    const p = await prepareHeld(ctx, graph, input, held, at, null);
    if (p) prepared.set(p, i);
  }
  if (prepared.size === 0) return;
  for (const written of await writeHeld(ctx, graph, [...prepared.keys()])) {
    const i = prepared.get(written)!;
    items[i] = { uowId: inputs[i]!.uowId, ok: true, result: written.result };
    inputs[i] = null;
  }
}

/**
 * Whether applySubmit takes its deferred path for this submit: not OMEGA, no children, no
 * learning, no new priority, and the route it finds arrives plainly. Read on a copy of the state,
 * so that nothing is changed by asking.
 */
function routesOnly(role: RuntimeRole, unit: UnitRow, state: AttributeState, input: SubmitInput, at: Date): boolean {
  if (!mayDefer(role, unit, input)) return false;
  const after = new Map(state);
  attributeVersions(unit.uow_id, after, input.attributes ?? {}, { actorId: "", reasoning: null });
  const target = chooseRoute(role, conditionScope(unit, visibleAttributes(after), at.getTime())).component?.interaction;
  return target !== undefined && arrivesPlainly(unit, target);
}

/**
 * Whether applySubmit may defer a submit's writes, apart from where its route leads (and so
 * whether the held way may take it): not OMEGA, no children, no learning, no new priority.
 */
function mayDefer(role: RuntimeRole, unit: UnitRow, input: SubmitInput): boolean {
  if (role.type === "OMEGA" || input.children || (input.learn !== undefined && input.learn.length > 0)) return false;
  return input.priority === undefined || input.priority === unit.priority;
}

/** Refuses a submit with more children or attribute keys than one submit may write. */
function checkSubmitCounts(input: SubmitInput): void {
  const children = input.children ?? [];
  if (children.length > LIMITS.childrenPerSubmit) {
    throw new PayloadTooLargeError(
      `children: ${children.length} children in one submit; the limit is ${LIMITS.childrenPerSubmit}`,
    );
  }
  let keys = Object.keys(input.attributes ?? {}).length;
  for (const c of children) keys += Object.keys(c.attributes).length;
  if (keys > LIMITS.keysPerSubmit) {
    throw new PayloadTooLargeError(
      `the submit has ${keys} attribute keys (its own and its children's); the limit is ${LIMITS.keysPerSubmit}`,
    );
  }
}

/** The attribute versions a child is created with: its own keys and the parent's transferable ones. */
function childKeys(role: RuntimeRole, parentState: Map<string, unknown>, child: { attributes: JsonObject }): number {
  const keys = new Set(Object.keys(child.attributes));
  for (const key of role.transferable) if (parentState.has(key) && !key.startsWith("_")) keys.add(key);
  return keys.size;
}

/**
 * The role's form (rule 16): every required field present, in this submit or already on the
 * unit, and every field this submit gives of its type. One issue per field, all at once.
 */
function checkForm(role: RuntimeRole, attributes: JsonObject, state: Map<string, { value: unknown }>): void {
  const form = formOf(role.config);
  if (!form) return;
  const issues = [];
  for (const field of form) {
    const path = `attributes.${field.key}`;
    const given = attributes[field.key];
    const missing = given === null || (given === undefined && (state.get(field.key)?.value ?? null) === null);
    if (field.required && missing) {
      issues.push({ rule: 0, path, message: `${path} is required by the form of role '${role.apiName}'` });
    } else if (given !== undefined && given !== null && !fitsType(given, field)) {
      issues.push({
        rule: 0,
        path,
        message: `${path} must be ${describeType(field)} (form of role '${role.apiName}'), not ${JSON.stringify(given)}`,
      });
    }
  }
  if (issues.length > 0) {
    throw new ValidationError(
      issues.length === 1 ? issues[0]!.message : `the submit does not fill the form of role '${role.apiName}'`,
      issues,
    );
  }
}
