/**
 * Placing a unit in an interaction: the one way units move. The interaction's kind decides
 * the status it gets there (PENDING, FAILED, TIMEOUT, COMPLETED, or ACTIVE held by SYSTEM in
 * a SIGMA gateway), the transition table is asked, and the consequences of arriving happen
 * in the same transaction: a child that comes back is counted by its parent, and a unit that
 * enters a gateway starts its nested copy.
 */
import type { LogEvent, UOWStatus } from "../schema/enums.js";
import { jsonText, type JsonObject } from "../schema/json.js";
import { newId } from "../schema/ids.js";
import { ARRIVAL_STATUS, type RuntimeInteraction, type RuntimeRole } from "./graph.js";
import { assertTransition, type Move } from "./transitions.js";
import { updateUnit, type Step, type UnitRow } from "./step.js";
import { spawnNestedCopy } from "./gateway.js";
import { dueAt } from "./deadline.js";
import { UNIT_PRIORITY } from "../schema/enums.js";
import type { DeferredWrites } from "./deferred-writes.js";

export interface Arrival {
  /** The move of the transition table this arrival is. */
  move: Move;
  /** Who causes it, in the name of which role. */
  actorId: string;
  role: RuntimeRole | null;
  event: LogEvent;
  details?: JsonObject;
}

/** Moves an existing unit into `interaction`. */
export async function placeUnit(
  step: Step,
  unit: UnitRow,
  interaction: RuntimeInteraction,
  how: Arrival,
): Promise<void> {
  const status = ARRIVAL_STATUS[interaction.kind];
  const from = unit.status;
  assertTransition(unit.uow_id, from, status, how.move);
  const fromInteraction = step.graph.interactions.get(unit.current_interaction_id);
  await updateUnit(step, unit, {
    current_interaction_id: interaction.id,
    status,
    entered_interaction_at: step.at,
    available_at: step.at,
    due_at: dueAt(interaction, step.at),
    attempt: 0,
    locked_by_actor_id: interaction.kind === "gateway" ? step.graph.systemActorId : null,
    lease_token: null,
    last_heartbeat_at: null,
  });
  step.logs.push({
    uowId: unit.uow_id,
    actorId: how.actorId,
    roleId: how.role?.id ?? null,
    interactionId: interaction.id,
    event: how.event,
    details: { from: fromInteraction?.apiName ?? null, to: interaction.apiName, status, ...how.details },
  });
  await afterArrival(step, unit, interaction, from);
}

/**
 * Whether arriving in `interaction` changes nothing beyond the unit's own row: not a gateway
 * (which starts a nested copy), not a Cerberus interaction a child comes back to (its parent
 * counts it).
 */
export function arrivesPlainly(unit: UnitRow, interaction: RuntimeInteraction): boolean {
  return interaction.kind !== "gateway" && !(interaction.kind === "cerberus" && unit.parent_id !== null);
}

/**
 * placeUnit for a move that arrives plainly (arrivesPlainly), written later with the others of
 * its batch (deferred-writes.ts), together with the unit's current attributes (`attributes`,
 * JSON text). The row in hand and the audit entry are as placeUnit makes them.
 */
export function placeUnitDeferred(
  step: Step,
  unit: UnitRow,
  interaction: RuntimeInteraction,
  how: Arrival,
  attributes: string,
  writes: DeferredWrites,
): void {
  if (!arrivesPlainly(unit, interaction))
    throw new Error(`unit ${unit.uow_id}: arriving in '${interaction.apiName}' does more than a move`);
  const status = ARRIVAL_STATUS[interaction.kind];
  assertTransition(unit.uow_id, unit.status, status, how.move);
  const fromInteraction = step.graph.interactions.get(unit.current_interaction_id);
  const dueAtArrival = dueAt(interaction, step.at);
  Object.assign(unit, {
    current_interaction_id: interaction.id,
    status,
    entered_interaction_at: step.at,
    available_at: step.at,
    due_at: dueAtArrival,
    attempt: 0,
    locked_by_actor_id: null,
    lease_token: null,
    last_heartbeat_at: null,
    updated_at: step.at,
  });
  writes.moves.push({
    uowId: unit.uow_id,
    interactionId: interaction.id,
    status,
    dueAt: dueAtArrival,
    currentAttributes: attributes,
  });
  step.logs.push({
    uowId: unit.uow_id,
    actorId: how.actorId,
    roleId: how.role?.id ?? null,
    interactionId: interaction.id,
    event: how.event,
    details: { from: fromInteraction?.apiName ?? null, to: interaction.apiName, status, ...how.details },
  });
}

/** Creates a unit (genesis, a child, a SIGMA copy) directly in `interaction`. */
export async function createUnit(
  step: Step,
  init: { workflowId: string; parentId: string | null; idempotencyKey?: string; priority?: number },
  interaction: RuntimeInteraction,
  how: Arrival,
): Promise<UnitRow> {
  const status: UOWStatus = ARRIVAL_STATUS[interaction.kind];
  const uowId = newId();
  assertTransition(uowId, null, status, "create");
  const unit: UnitRow = {
    uow_id: uowId,
    instance_id: step.graph.instanceId,
    local_workflow_id: init.workflowId,
    parent_id: init.parentId,
    current_interaction_id: interaction.id,
    status,
    child_count: 0,
    finished_child_count: 0,
    locked_by_actor_id: interaction.kind === "gateway" ? step.graph.systemActorId : null,
    lease_token: null,
    last_heartbeat_at: null,
    entered_interaction_at: step.at,
    available_at: step.at,
    priority: init.priority ?? UNIT_PRIORITY.default,
    due_at: dueAt(interaction, step.at),
    attempt: 0,
    created_at: step.at,
    updated_at: step.at,
    current_attributes: {},
    idempotency_key: init.idempotencyKey ?? null,
  };
  await step.trx
    .insertInto("units_of_work")
    .values({ ...unit, current_attributes: jsonText({}) })
    .execute();
  step.logs.push({
    uowId,
    actorId: how.actorId,
    roleId: how.role?.id ?? null,
    interactionId: interaction.id,
    event: how.event,
    details: { to: interaction.apiName, status, ...how.details },
  });
  return unit;
}

/** What arriving means beyond the status; called once the unit row is in place. */
export async function afterArrival(
  step: Step,
  unit: UnitRow,
  interaction: RuntimeInteraction,
  from: UOWStatus | null,
): Promise<void> {
  if (interaction.kind === "cerberus" && unit.parent_id && from !== "COMPLETED") {
    await countChildBack(step, unit.parent_id, unit.uow_id);
  }
  if (interaction.kind === "gateway") await spawnNestedCopy(step, unit, interaction);
}

/**
 * A child has come back (arrived in a Cerberus interaction, or was cancelled): its parent's
 * finished_child_count goes up by one, atomically, and a set still incomplete is logged held.
 */
export async function countChildBack(step: Step, parentId: string, childId: string): Promise<void> {
  await step.trx
    .updateTable("units_of_work")
    .set((eb) => ({ finished_child_count: eb("finished_child_count", "+", 1), updated_at: step.at }))
    .where("uow_id", "=", parentId)
    .execute();
  const parent = await step.trx
    .selectFrom("units_of_work")
    .select(["child_count", "finished_child_count", "current_interaction_id"])
    .where("uow_id", "=", parentId)
    .executeTakeFirstOrThrow();
  if (parent.finished_child_count < parent.child_count) {
    step.logs.push({
      uowId: parentId,
      actorId: step.graph.systemActorId,
      interactionId: parent.current_interaction_id,
      event: "SYNC_HOLD",
      details: { child: childId, finished: parent.finished_child_count, children: parent.child_count },
    });
  }
}

/**
 * A held unit goes back to the status and interaction it was checked out from, still first in
 * line there (entered_interaction_at, available_at and due_at are kept) and with its attempt
 * count: an expired lease (the sweep) or a unit given back (work.release). With `notBefore`
 * (the sweep, for a role with a retry backoff) it is not offered again before that time.
 */
export async function putBack(
  step: Step,
  unit: UnitRow,
  by: { actorId: string; roleId: string | null; details: JsonObject; notBefore?: Date },
): Promise<{ status: UOWStatus; interaction: RuntimeInteraction }> {
  const interaction = step.graph.interactions.get(unit.current_interaction_id)!;
  const status = ARRIVAL_STATUS[interaction.kind];
  assertTransition(unit.uow_id, unit.status, status, "reclaim");
  const later = by.notBefore === undefined ? {} : { available_at: laterOf(unit, by.notBefore) };
  await updateUnit(step, unit, {
    status,
    locked_by_actor_id: null,
    lease_token: null,
    last_heartbeat_at: null,
    ...later,
  });
  step.logs.push({
    uowId: unit.uow_id,
    actorId: by.actorId,
    roleId: by.roleId,
    interactionId: interaction.id,
    event: "RECLAIM",
    details: {
      ...by.details,
      attempt: unit.attempt,
      status,
      to: interaction.apiName,
      ...(later.available_at ? { availableAt: later.available_at.toISOString() } : {}),
    },
  });
  return { status, interaction };
}

/**
 * A retryable failure (work.fail with `retryable`): the held unit waits PENDING again in the
 * interaction it was checked out from, not before `notBefore`, keeping its place in the step
 * (entered_interaction_at, due_at and its attempt count). Logged FAIL, with `details.retry`.
 */
export async function sendBackForRetry(
  step: Step,
  unit: UnitRow,
  notBefore: Date,
  how: { actorId: string; role: RuntimeRole; details: JsonObject },
): Promise<RuntimeInteraction> {
  const interaction = step.graph.interactions.get(unit.current_interaction_id)!;
  const status = ARRIVAL_STATUS[interaction.kind];
  assertTransition(unit.uow_id, unit.status, status, "retry");
  const availableAt = laterOf(unit, notBefore);
  await updateUnit(step, unit, {
    status,
    locked_by_actor_id: null,
    lease_token: null,
    last_heartbeat_at: null,
    available_at: availableAt,
  });
  step.logs.push({
    uowId: unit.uow_id,
    actorId: how.actorId,
    roleId: how.role.id,
    interactionId: interaction.id,
    event: "FAIL",
    details: {
      from: interaction.apiName,
      to: interaction.apiName,
      status,
      ...how.details,
      retry: { attempt: unit.attempt, availableAt: availableAt.toISOString() },
    },
  });
  return interaction;
}

/** The later of the unit's arrival in its interaction and `notBefore`: when it is available. */
function laterOf(unit: UnitRow, notBefore: Date): Date {
  return notBefore.getTime() > unit.entered_interaction_at.getTime() ? notBefore : unit.entered_interaction_at;
}
