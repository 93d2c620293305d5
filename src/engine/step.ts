/**
 * One engine operation inside its transaction: the transaction, the instance graph, the
 * moment it happens (one timestamp for everything it writes) and the audit entries it
 * collects, written together before the transaction commits.
 */
import type { Updateable } from "kysely";
import { NotFoundError } from "../errors.js";
import type { InstanceDatabase, Row } from "../schema/tables.js";
import { isUuid } from "../schema/ids.js";
import { appendLog, type LogEntry } from "./audit.js";
import { stateOf, type AttributeState } from "./attributes.js";
import { inTransaction, type EngineContext, type Trx } from "./context.js";
import type { RuntimeGraph } from "./graph.js";
import type { Observation } from "./observe.js";

export type UnitRow = Row<"units_of_work">;

export interface Step {
  readonly ctx: EngineContext;
  readonly trx: Trx;
  readonly graph: RuntimeGraph;
  readonly at: Date;
  readonly logs: LogEntry[];
  /**
   * What the step did, for the observers (engine/observe.ts); null when none is attached, so
   * that `step.observed?.push(...)` builds nothing then.
   */
  readonly observed: Observation[] | null;
}

/**
 * A check a caller adds to a single-unit move, run on the unit once it is locked and before
 * anything is written (a bulk move checks that the unit still matches its selection); it
 * throws to leave the unit as it is.
 */
export type LockedUnitCheck = (step: Step, unit: UnitRow) => Promise<void>;

/**
 * Runs fn as one step in a write transaction, and writes its audit entries before commit. Once
 * committed, the observers hear what the step did (a transaction run again tells only its
 * last run).
 */
export async function runStep<T>(ctx: EngineContext, graph: RuntimeGraph, fn: (step: Step) => Promise<T>): Promise<T> {
  let committed: Step | null = null;
  const result = await inTransaction(ctx, async (trx) => {
    const step: Step = { ctx, trx, graph, at: ctx.now(), logs: [], observed: ctx.observers.size > 0 ? [] : null };
    committed = step;
    const value = await fn(step);
    await appendLog(ctx, trx, graph.instanceId, step.at, step.logs);
    return value;
  });
  const observed = (committed as Step | null)?.observed;
  if (observed && observed.length > 0) ctx.observers.tell(graph.instanceName, observed);
  return result;
}

/** The unit with this id in this instance, locked until the step ends; NotFoundError otherwise. */
export async function lockUnit(step: Step, uowId: unknown): Promise<UnitRow> {
  if (!isUuid(uowId)) throw new NotFoundError(`no unit '${String(uowId)}': unit ids are UUIDs`);
  const query = step.trx
    .selectFrom("units_of_work")
    .selectAll()
    .where("uow_id", "=", uowId)
    .where("instance_id", "=", step.graph.instanceId);
  const unit = await step.ctx.store.dialect.lockRows(query, "wait").executeTakeFirst();
  if (!unit) throw new NotFoundError(`no unit '${uowId}' in instance '${step.graph.instanceName}'`);
  return unit;
}

/**
 * A unit of this instance and the latest version of each of its attributes, from its row (so
 * both come from the same moment). With `lock`, the row stays locked until the step ends.
 */
export async function readUnitWithAttributes(
  db: Trx | EngineContext["store"]["db"],
  ctx: EngineContext,
  graph: RuntimeGraph,
  uowId: unknown,
  lock: boolean,
): Promise<{ unit: UnitRow; state: AttributeState }> {
  if (!isUuid(uowId)) throw new NotFoundError(`no unit '${String(uowId)}': unit ids are UUIDs`);
  const query = db
    .selectFrom("units_of_work")
    .selectAll()
    .where("uow_id", "=", uowId)
    .where("instance_id", "=", graph.instanceId);
  const unit = await (lock ? ctx.store.dialect.lockRows(query, "wait") : query).executeTakeFirst();
  if (!unit) throw new NotFoundError(`no unit '${uowId}' in instance '${graph.instanceName}'`);
  return { unit, state: stateOf(unit) };
}

/** lockUnit and the unit's latest attributes, in one round trip. */
export function lockUnitWithAttributes(step: Step, uowId: unknown): Promise<{ unit: UnitRow; state: AttributeState }> {
  return readUnitWithAttributes(step.trx, step.ctx, step.graph, uowId, true);
}

/** Writes the changed columns of a unit and applies them to the row in hand. */
export async function updateUnit(
  step: Step,
  unit: UnitRow,
  patch: Omit<Updateable<InstanceDatabase["units_of_work"]>, "uow_id">,
): Promise<void> {
  const values = { ...patch, updated_at: step.at };
  await step.trx.updateTable("units_of_work").set(values).where("uow_id", "=", unit.uow_id).execute();
  Object.assign(unit, values);
}
