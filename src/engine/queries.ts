/** Reading units and their history: work.get, work.list, work.history. */
import { formOf, type FormField } from "../blueprint/role-settings.js";
import { NotFoundError } from "../errors.js";
import type { LogEvent, UOWStatus } from "../schema/enums.js";
import { UOWStatus as UOW_STATUSES } from "../schema/enums.js";
import { isUuid } from "../schema/ids.js";
import type { JsonObject, JsonValue } from "../schema/json.js";
import { visibleAttributes } from "./attributes.js";
import type { EngineContext, Trx } from "./context.js";
import { findInteraction, findRole, pulledStatus, type RuntimeGraph } from "./graph.js";
import { name, parseInput, z } from "./input.js";
import { checkoutRole, leaseRoles } from "./lease.js";
import { UUID_SHAPE } from "./limits.js";
import { readUnitWithAttributes, type UnitRow } from "./step.js";

export interface UnitSummary {
  uowId: string;
  parentId: string | null;
  workflow: string;
  status: UOWStatus;
  interaction: string;
  childCount: number;
  finishedChildCount: number;
}

export interface UnitDetails extends UnitSummary {
  attempt: number;
  lockedBy: string | null;
  enteredInteractionAt: Date;
  createdAt: Date;
  updatedAt: Date;
  attributes: JsonObject;
  /**
   * The form of the role that holds the unit, or that will take it (when one role takes from
   * its interaction); null when that role declares none.
   */
  form: FormField[] | null;
}

export interface HistoryEntry {
  logId: number;
  event: LogEvent;
  actorId: string;
  role: string | null;
  interaction: string | null;
  details: JsonValue;
  timestamp: Date;
}

function summary(graph: RuntimeGraph, u: UnitRow): UnitSummary {
  return {
    uowId: u.uow_id,
    parentId: u.parent_id,
    workflow: graph.workflows.get(u.local_workflow_id)!.name,
    status: u.status,
    interaction: graph.interactions.get(u.current_interaction_id)!.apiName,
    childCount: u.child_count,
    finishedChildCount: u.finished_child_count,
  };
}

async function findUnit(db: Trx | EngineContext["store"]["db"], graph: RuntimeGraph, uowId: unknown): Promise<UnitRow> {
  if (!isUuid(uowId)) throw new NotFoundError(`no unit '${String(uowId)}': unit ids are UUIDs`);
  const unit = await db
    .selectFrom("units_of_work")
    .selectAll()
    .where("uow_id", "=", uowId)
    .where("instance_id", "=", graph.instanceId)
    .executeTakeFirst();
  if (!unit) throw new NotFoundError(`no unit '${uowId}' in instance '${graph.instanceName}'`);
  return unit;
}

export async function getUnit(ctx: EngineContext, instance: string, uowId: unknown): Promise<UnitDetails> {
  const graph = await ctx.graphs.get(instance);
  // One query, no transaction: a read takes no lock (on SQLite, no write lock).
  const { unit: u, state } = await readUnitWithAttributes(ctx.store.db, ctx, graph, uowId, false);
  return {
    ...summary(graph, u),
    attempt: u.attempt,
    lockedBy: u.locked_by_actor_id,
    enteredInteractionAt: u.entered_interaction_at,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
    attributes: visibleAttributes(state),
    form: await formFor(ctx, graph, u),
  };
}

async function formFor(ctx: EngineContext, graph: RuntimeGraph, u: UnitRow): Promise<FormField[] | null> {
  if (u.status === "ACTIVE" && u.lease_token !== null) {
    return formOf((await checkoutRole({ trx: ctx.store.db, graph }, u)).config);
  }
  const roles = leaseRoles(graph.interactions.get(u.current_interaction_id)!);
  return roles.length === 1 ? formOf(roles[0]!.config) : null;
}

const listInput = z
  .object({
    status: z.enum(UOW_STATUSES).optional(),
    interaction: name.optional(),
    role: name.optional(),
    parentId: z.string().regex(UUID_SHAPE, "must be a unit id (a UUID)").optional(),
    limit: z.number().int().positive().max(100_000).optional(),
  })
  .strict();

export async function listUnits(ctx: EngineContext, instance: string, raw: unknown = {}): Promise<UnitSummary[]> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(listInput, raw ?? {}, "work.list");
  let q = ctx.store.db.selectFrom("units_of_work").selectAll().where("instance_id", "=", graph.instanceId);
  if (input.status) q = q.where("status", "=", input.status);
  if (input.interaction) q = q.where("current_interaction_id", "=", findInteraction(graph, input.interaction).id);
  if (input.role) {
    // The units waiting for that role: in its INBOUND interactions, with the status it takes.
    const role = findRole(graph, input.role);
    const status = pulledStatus(role);
    if (status === null || role.inbound.length === 0) return [];
    q = q
      .where(
        "current_interaction_id",
        "in",
        role.inbound.map((c) => c.interaction.id),
      )
      .where("status", "=", status);
  }
  if (input.parentId) q = q.where("parent_id", "=", input.parentId);
  const rows = await q
    .orderBy("created_at")
    .orderBy("uow_id")
    .limit(input.limit ?? 10_000)
    .execute();
  return rows.map((u) => summary(graph, u));
}

export async function unitHistory(ctx: EngineContext, instance: string, uowId: unknown): Promise<HistoryEntry[]> {
  const graph = await ctx.graphs.get(instance);
  const unit = await findUnit(ctx.store.db, graph, uowId);
  const rows = await ctx.store.db
    .selectFrom("interaction_logs")
    .selectAll()
    .where("uow_id", "=", unit.uow_id)
    .orderBy("log_id")
    .execute();
  return rows.map((r) => ({
    logId: r.log_id,
    event: r.event,
    actorId: r.actor_id,
    role: r.role_id ? (graph.roles.get(r.role_id)?.apiName ?? null) : null,
    interaction: r.interaction_id ? (graph.interactions.get(r.interaction_id)?.apiName ?? null) : null,
    details: r.details,
    timestamp: r.timestamp,
  }));
}

export interface AttributeVersionEntry {
  attributeId: string;
  key: string;
  value: JsonValue;
  version: number;
  actorId: string;
  reasoning: string | null;
  createdAt: Date;
}

const attributeHistoryInput = z
  .object({
    key: z.string().min(1).max(255).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    after: z.string().optional(),
  })
  .strict();

/**
 * Every version of a unit's attributes, by key and version, a page at a time: `after` is the
 * attributeId of the last entry of the previous page. Each page costs the same however long
 * the history is (a range of the unique key (uow_id, key, version)).
 */
export async function attributeHistory(
  ctx: EngineContext,
  instance: string,
  uowId: unknown,
  raw: unknown = {},
): Promise<AttributeVersionEntry[]> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(attributeHistoryInput, raw ?? {}, "work.attributeHistory");
  const unit = await findUnit(ctx.store.db, graph, uowId);
  const db = ctx.store.db;
  let query = db.selectFrom("uow_attributes").selectAll().where("uow_id", "=", unit.uow_id);
  if (input.key !== undefined) query = query.where("key", "=", input.key);
  if (input.after !== undefined) {
    const last = isUuid(input.after)
      ? await db
          .selectFrom("uow_attributes")
          .select(["key", "version"])
          .where("attribute_id", "=", input.after)
          .where("uow_id", "=", unit.uow_id)
          .executeTakeFirst()
      : undefined;
    if (!last) throw new NotFoundError(`no attribute version '${input.after}' of unit ${unit.uow_id} to page after`);
    query = query.where((eb) =>
      eb.or([eb("key", ">", last.key), eb.and([eb("key", "=", last.key), eb("version", ">", last.version)])]),
    );
  }
  const rows = await query
    .orderBy("key")
    .orderBy("version")
    .limit(input.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    attributeId: r.attribute_id,
    key: r.key,
    value: r.value,
    version: r.version,
    actorId: r.actor_id,
    reasoning: r.reasoning,
    createdAt: r.created_at,
  }));
}
