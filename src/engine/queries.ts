/** Reading units and their history: work.get, work.list, work.history, work.attributeHistory. */
import { formOf, type FormField } from "../blueprint/role-settings.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { ActorType, LogEvent, UOWStatus } from "../schema/enums.js";
import { UNIT_PRIORITY, UOWStatus as UOW_STATUSES } from "../schema/enums.js";
import { isUuid } from "../schema/ids.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../schema/json.js";
import { findActor, type ActorRow } from "./actors.js";
import { RESERVED_PREFIX, stateOf, visibleAttributes } from "./attributes.js";
import type { Kysely, SelectQueryBuilder } from "kysely";
import type { InstanceDatabase } from "../schema/tables.js";
import type { EngineContext, Trx } from "./context.js";
import { SIGMA_COPY, SIGMA_ORIGINAL } from "./gateway.js";
import { findInteraction, findRole, pulledStatus, type RuntimeGraph } from "./graph.js";
import { conditionCheck, type Check } from "./guards.js";
import { name, parseInput, z } from "./input.js";
import { checkoutRole, leaseExpiry, leaseRoles } from "./lease.js";
import { UUID_SHAPE } from "./limits.js";
import { conditionScope } from "./route.js";
import { readUnitWithAttributes, type UnitRow } from "./step.js";
import { assertMayList, assertMayRead, readerOf, type Reader } from "./visibility.js";

export interface UnitSummary {
  uowId: string;
  parentId: string | null;
  workflow: string;
  status: UOWStatus;
  interaction: string;
  childCount: number;
  finishedChildCount: number;
  attempt: number;
  /** Name of the actor holding the unit (checked out, or SYSTEM while a nested copy runs), or null. */
  heldBy: string | null;
  /** When the current lease runs out unless it is renewed; null without a lease. */
  leaseExpiresAt: Date | null;
  /** 0 to 9: checkout takes higher first. */
  priority: number;
  /** When the unit may be checked out: its arrival, or later while a retry's backoff runs. */
  availableAt: Date;
  /** When its deadline in this interaction passes (the earliest due_seconds of the roles taking from it); null without one. */
  dueAt: Date | null;
  /** Waiting or held past dueAt: the next sweep sends it to TAU. */
  overdue: boolean;
  enteredInteractionAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** In work.list's `attributes`: every attribute the unit has (an inbox that has not chosen its columns yet). */
export const ALL_ATTRIBUTES = "*";

/** A row of work.list: the unit, and the attribute values asked for by `attributes` (keys it has). */
export interface UnitListRow extends UnitSummary {
  attributes?: JsonObject;
}

/**
 * What work.list returns: an array of rows, and, not enumerable (so the array serializes as
 * before), `nextAfter`: the `after` of the next page, or null when no unit is left.
 */
export type UnitPage = UnitListRow[] & { readonly nextAfter: string | null };

export interface UnitDetails extends UnitSummary {
  /** Actor id of the holder (heldBy is its name). */
  lockedBy: string | null;
  attributes: JsonObject;
  /** Ids of the unit's children, oldest first, at most CHILD_LINKS of them (childCount counts all). */
  children: string[];
  /** The nested copy of this unit while it waits in a SIGMA gateway (or after it came back). */
  nestedCopy: string | null;
  /** For a nested copy: the unit waiting in the gateway. */
  nestedOriginal: string | null;
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
  actorName: string;
  actorType: ActorType;
  role: string | null;
  interaction: string | null;
  /** Why: the move's own reasoning (see docs/engine.md, "Reading work"), or null. */
  reasoning: string | null;
  details: JsonValue;
  timestamp: Date;
}

/** Children listed by work.get; the rest are read with work.list's `parentId`. */
export const CHILD_LINKS = 1_000;
/** Units work.list reads per call when it filters by `where` (docs/engine.md, "Reading work"). */
export const LIST_SCAN_BUDGET = 10_000;
const LIST_BATCH = 500;

async function actorOf(ctx: EngineContext, graph: RuntimeGraph, actorId: string): Promise<ActorRow> {
  return findActor(ctx.store.db, graph, actorId);
}

/** When a held unit's lease runs out: its last heartbeat plus the lease of the role it was checked out for. */
async function leaseExpiryOf(ctx: EngineContext, graph: RuntimeGraph, u: UnitRow): Promise<Date | null> {
  if (u.status !== "ACTIVE" || u.lease_token === null || u.last_heartbeat_at === null) return null;
  const role = await checkoutRole({ trx: ctx.store.db, graph }, u);
  return leaseExpiry(role, ctx.settings, u.last_heartbeat_at);
}

async function summary(ctx: EngineContext, graph: RuntimeGraph, u: UnitRow): Promise<UnitSummary> {
  return {
    uowId: u.uow_id,
    parentId: u.parent_id,
    workflow: graph.workflows.get(u.local_workflow_id)!.name,
    status: u.status,
    interaction: graph.interactions.get(u.current_interaction_id)!.apiName,
    childCount: u.child_count,
    finishedChildCount: u.finished_child_count,
    attempt: u.attempt,
    heldBy: u.locked_by_actor_id === null ? null : (await actorOf(ctx, graph, u.locked_by_actor_id)).name,
    leaseExpiresAt: await leaseExpiryOf(ctx, graph, u),
    priority: u.priority ?? UNIT_PRIORITY.default,
    availableAt: u.available_at ?? u.entered_interaction_at,
    dueAt: u.due_at,
    overdue: isOverdue(u, ctx.now()),
    enteredInteractionAt: u.entered_interaction_at,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  };
}

/** The statuses a deadline watches: waiting in a queue, or held there. */
const WATCHED: UOWStatus[] = ["PENDING", "ACTIVE"];

function isOverdue(u: UnitRow, now: Date): boolean {
  return u.due_at !== null && WATCHED.includes(u.status) && u.due_at.getTime() < now.getTime();
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

/** Who reads: an actor (id or name) reads only what docs/engine.md "Who reads what" allows; none, an operator. */
export interface ReadOptions {
  reader?: string;
}

async function readerFor(ctx: EngineContext, graph: RuntimeGraph, reader: unknown): Promise<Reader | null> {
  return reader === undefined ? null : readerOf(ctx.store.db, graph, reader);
}

export async function getUnit(
  ctx: EngineContext,
  instance: string,
  uowId: unknown,
  options: ReadOptions = {},
): Promise<UnitDetails> {
  const graph = await ctx.graphs.get(instance);
  const reader = await readerFor(ctx, graph, options.reader);
  // No transaction: a read takes no lock (on SQLite, no write lock).
  const { unit: u, state } = await readUnitWithAttributes(ctx.store.db, ctx, graph, uowId, false);
  await assertMayRead(ctx.store.db, reader, u);
  const children = await ctx.store.db
    .selectFrom("units_of_work")
    .select("uow_id")
    .where("parent_id", "=", u.uow_id)
    .orderBy("created_at")
    .orderBy("uow_id")
    .limit(CHILD_LINKS)
    .execute();
  const link = (key: string) => {
    const value = state.get(key)?.value;
    return typeof value === "string" ? value : null;
  };
  return {
    ...(await summary(ctx, graph, u)),
    lockedBy: u.locked_by_actor_id,
    attributes: visibleAttributes(state),
    children: children.map((c) => c.uow_id),
    nestedCopy: link(SIGMA_COPY),
    nestedOriginal: link(SIGMA_ORIGINAL),
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

/** The unit columns work.list sorts by, by their names in the API. */
const SORT_COLUMNS = {
  createdAt: "created_at",
  enteredInteractionAt: "entered_interaction_at",
  updatedAt: "updated_at",
  attempt: "attempt",
  priority: "priority",
} as const;

const moment = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));
const unitId = z.string().regex(UUID_SHAPE, "must be a unit id (a UUID)");

/** The filters of work.list that choose units (also the selection of a bulk move, src/engine/bulk.ts). */
export const unitFilterFields = {
  status: z.enum(UOW_STATUSES).optional(),
  interaction: name.optional(),
  role: name.optional(),
  /** With `role`: also the units of the role's interactions that someone holds now (an inbox). */
  includeHeld: z.boolean().optional(),
  parentId: unitId.optional(),
  /** Actor id or name: the units it holds. */
  heldBy: name.optional(),
  createdFrom: moment.optional(),
  createdBefore: moment.optional(),
  enteredFrom: moment.optional(),
  enteredBefore: moment.optional(),
  where: z.string().min(1).max(4096).optional(),
  /** true: the units waiting or held past their due time; false: the others. */
  overdue: z.boolean().optional(),
};

const listInput = z
  .object({
    ...unitFilterFields,
    sort: z.enum(Object.keys(SORT_COLUMNS) as [keyof typeof SORT_COLUMNS]).optional(),
    order: z.enum(["asc", "desc"]).optional(),
    limit: z.number().int().positive().max(100_000).optional(),
    after: unitId.optional(),
    attributes: z.array(name).max(100).optional(),
    /** Actor id or name: list as that actor may (its roles' units, or its own). */
    reader: name.optional(),
  })
  .strict();

type FilterInput = z.infer<z.ZodObject<typeof unitFilterFields>>;
/** A query over the units of an instance, as work.list and work.bulk narrow it. */
export type UnitQuery = SelectQueryBuilder<InstanceDatabase, "units_of_work", UnitRow>;

/**
 * The filters of work.list resolved against the instance (names to ids, the `where` parsed):
 * `apply` narrows a query over units_of_work (of any connection or transaction) to them, and
 * `check` is the `where`, tested unit by unit. `none` when the filters can match no unit.
 */
export interface UnitFilter {
  apply(q: UnitQuery): UnitQuery;
  check: Check | null;
  none: boolean;
}

export async function resolveUnitFilter(
  db: Kysely<InstanceDatabase>,
  graph: RuntimeGraph,
  input: FilterInput,
  verb: string,
  /** The engine's time, for `overdue`. */
  now: Date,
): Promise<UnitFilter> {
  let check: Check | null = null;
  if (input.where !== undefined) {
    try {
      check = conditionCheck(input.where, "where");
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw ValidationError.single("where", `${verb} where: '${input.where}' is not a condition: ${detail}`);
    }
  }
  const interactionId = input.interaction ? findInteraction(graph, input.interaction).id : undefined;
  let waitingFor: { interactions: string[]; statuses: UOWStatus[] } | null = null;
  let none = false;
  if (input.role) {
    // The units waiting for that role: in its INBOUND interactions, with the status it takes.
    const role = findRole(graph, input.role);
    const status = pulledStatus(role);
    if (status === null || role.inbound.length === 0) none = true;
    else {
      waitingFor = {
        interactions: role.inbound.map((c) => c.interaction.id),
        statuses: input.includeHeld === true ? [status, "ACTIVE"] : [status],
      };
    }
  } else if (input.includeHeld !== undefined) {
    throw ValidationError.single("includeHeld", `${verb} includeHeld is for a role's units: give role too`);
  }
  const holderId = input.heldBy ? (await findActor(db, graph, input.heldBy)).actorId : undefined;
  const apply = (query: UnitQuery): UnitQuery => {
    let q = query.where("instance_id", "=", graph.instanceId);
    if (input.status) q = q.where("status", "=", input.status);
    if (interactionId !== undefined) q = q.where("current_interaction_id", "=", interactionId);
    if (waitingFor !== null) {
      q = q.where("current_interaction_id", "in", waitingFor.interactions).where("status", "in", waitingFor.statuses);
    }
    if (input.parentId) q = q.where("parent_id", "=", input.parentId);
    if (holderId !== undefined) q = q.where("locked_by_actor_id", "=", holderId);
    if (input.createdFrom) q = q.where("created_at", ">=", input.createdFrom);
    if (input.createdBefore) q = q.where("created_at", "<", input.createdBefore);
    if (input.enteredFrom) q = q.where("entered_interaction_at", ">=", input.enteredFrom);
    if (input.enteredBefore) q = q.where("entered_interaction_at", "<", input.enteredBefore);
    if (input.overdue !== undefined) {
      q = input.overdue
        ? q.where("status", "in", WATCHED).where("due_at", "<", now)
        : q.where((eb) => eb.or([eb("status", "not in", WATCHED), eb("due_at", "is", null), eb("due_at", ">=", now)]));
    }
    return q;
  };
  return { apply, check, none };
}

/** Whether a unit row passes a filter's `where` at this time (ms), as a guardian would let it through. */
export function passesWhere(check: Check | null, unit: UnitRow, nowMs: number): boolean {
  return check === null || check.test(conditionScope(unit, visibleAttributes(stateOf(unit)), nowMs)).pass;
}

/**
 * Reads units by a filter in keyset order from `after`: at most `limit` of them, `more` when
 * another one matched; with a `where`, at most LIST_SCAN_BUDGET units are read, and when that
 * is spent `nextAfter` is the last unit read (the next call goes on from there).
 */
export async function scanUnits(
  ctx: EngineContext,
  graph: RuntimeGraph,
  filter: UnitFilter,
  options: {
    column: (typeof SORT_COLUMNS)[keyof typeof SORT_COLUMNS];
    descending: boolean;
    limit: number;
    after?: string;
    narrow?: (q: UnitQuery) => UnitQuery;
  },
): Promise<{ rows: UnitRow[]; nextAfter: string | null }> {
  if (filter.none) return { rows: [], nextAfter: null };
  const db = ctx.store.db;
  const { column, descending, limit } = options;
  const q = (options.narrow ?? ((x: UnitQuery) => x))(filter.apply(db.selectFrom("units_of_work").selectAll()));
  const beyond = descending ? "<" : ">";
  const direction = descending ? "desc" : "asc";
  let last: { value: Date | number; uowId: string } | null = null;
  if (options.after !== undefined) {
    const unit = await db
      .selectFrom("units_of_work")
      .select([column, "uow_id"])
      .where("uow_id", "=", options.after)
      .where("instance_id", "=", graph.instanceId)
      .executeTakeFirst();
    if (!unit) throw new NotFoundError(`no unit '${options.after}' in instance '${graph.instanceName}' to page after`);
    last = { value: sortValue(unit[column]), uowId: unit.uow_id };
  }

  const filterRows = filter.check;
  const found: UnitRow[] = [];
  let scanned = 0;
  let lastRead: string | null = null;
  const nowMs = ctx.now().getTime();
  for (;;) {
    // limit + 1 matches tell whether another page follows.
    const want = filterRows === null ? limit + 1 - found.length : Math.min(LIST_BATCH, LIST_SCAN_BUDGET - scanned);
    let batch = q;
    if (last !== null) {
      const { value, uowId } = last;
      batch = batch.where((eb) =>
        eb.or([eb(column, beyond, value), eb.and([eb(column, "=", value), eb("uow_id", beyond, uowId)])]),
      );
    }
    const rows = await batch.orderBy(column, direction).orderBy("uow_id", direction).limit(want).execute();
    scanned += rows.length;
    for (const u of rows) {
      lastRead = u.uow_id;
      if (passesWhere(filterRows, u, nowMs)) found.push(u);
      if (found.length > limit) break;
    }
    if (found.length > limit) break;
    if (rows.length < want) {
      lastRead = null; // the end: nothing follows
      break;
    }
    if (filterRows !== null && scanned >= LIST_SCAN_BUDGET) break;
    const end = rows[rows.length - 1]!;
    last = { value: sortValue(end[column]), uowId: end.uow_id };
  }
  const more = found.length > limit;
  const rows = found.slice(0, limit);
  return { rows, nextAfter: more ? rows[rows.length - 1]!.uow_id : lastRead };
}

/** Every sort column is filled once a store is migrated (migration 7 fills priority). */
function sortValue(value: Date | number | null): Date | number {
  return value ?? UNIT_PRIORITY.default;
}

function page(rows: UnitListRow[], nextAfter: string | null): UnitPage {
  return Object.defineProperty(rows, "nextAfter", { value: nextAfter, enumerable: false }) as UnitPage;
}

/**
 * work.list: the units of an instance by filters, in the order of one unit column and then the
 * unit id, a page at a time (`after` = the last uowId of the previous page). A `where` is
 * checked unit by unit as a guardian checks it, over keyset batches, reading at most
 * LIST_SCAN_BUDGET units per call; when that is spent the page holds what was found and
 * `nextAfter` is the last unit read, so the next call goes on from there.
 */
export async function listUnits(ctx: EngineContext, instance: string, raw: unknown = {}): Promise<UnitPage> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(listInput, raw ?? {}, "work.list");
  assertMayList(graph, await readerFor(ctx, graph, input.reader), input);
  const filter = await resolveUnitFilter(ctx.store.db, graph, input, "work.list", ctx.now());
  const { rows, nextAfter } = await scanUnits(ctx, graph, filter, {
    column: SORT_COLUMNS[input.sort ?? "createdAt"],
    descending: input.order === "desc",
    limit: input.limit ?? 10_000,
    ...(input.after === undefined ? {} : { after: input.after }),
  });
  const out: UnitListRow[] = [];
  for (const u of rows) {
    const row: UnitListRow = await summary(ctx, graph, u);
    if (input.attributes !== undefined && input.attributes.includes(ALL_ATTRIBUTES)) {
      row.attributes = visibleAttributes(stateOf(u));
    } else if (input.attributes !== undefined) {
      const state = stateOf(u);
      const chosen: JsonObject = {};
      for (const key of input.attributes) {
        const v = state.get(key);
        if (v !== undefined && !key.startsWith(RESERVED_PREFIX)) chosen[key] = v.value;
      }
      row.attributes = chosen;
    }
    out.push(row);
  }
  return page(out, nextAfter);
}

/**
 * The audit trail of a unit, oldest first, with each actor's name and type. The reasoning of an
 * entry is the one kept in its details (a submit that changed no key), else that of the
 * attribute versions the same actor wrote on this unit in the same step (same timestamp).
 */
export async function unitHistory(
  ctx: EngineContext,
  instance: string,
  uowId: unknown,
  options: ReadOptions = {},
): Promise<HistoryEntry[]> {
  const graph = await ctx.graphs.get(instance);
  const reader = await readerFor(ctx, graph, options.reader);
  const unit = await findUnit(ctx.store.db, graph, uowId);
  await assertMayRead(ctx.store.db, reader, unit);
  const rows = await ctx.store.db
    .selectFrom("interaction_logs")
    .selectAll()
    .where("uow_id", "=", unit.uow_id)
    .orderBy("log_id")
    .execute();
  const written = await ctx.store.db
    .selectFrom("uow_attributes")
    .select(["actor_id", "created_at", "reasoning"])
    .where("uow_id", "=", unit.uow_id)
    .where("reasoning", "is not", null)
    .orderBy("key")
    .orderBy("version")
    .execute();
  const reasoningOf = new Map<string, string>();
  for (const w of written) {
    const at = `${w.actor_id} ${w.created_at.getTime()}`;
    if (!reasoningOf.has(at)) reasoningOf.set(at, w.reasoning!);
  }
  const out: HistoryEntry[] = [];
  for (const r of rows) {
    const actor = await actorOf(ctx, graph, r.actor_id);
    const kept = isJsonObject(r.details) && typeof r.details.reasoning === "string" ? r.details.reasoning : null;
    out.push({
      logId: r.log_id,
      event: r.event,
      actorId: r.actor_id,
      actorName: actor.name,
      actorType: actor.type,
      role: r.role_id ? (graph.roles.get(r.role_id)?.apiName ?? null) : null,
      interaction: r.interaction_id ? (graph.interactions.get(r.interaction_id)?.apiName ?? null) : null,
      reasoning: kept ?? reasoningOf.get(`${r.actor_id} ${r.timestamp.getTime()}`) ?? null,
      details: r.details,
      timestamp: r.timestamp,
    });
  }
  return out;
}

export interface AttributeVersionEntry {
  attributeId: string;
  key: string;
  value: JsonValue;
  version: number;
  actorId: string;
  actorName: string;
  reasoning: string | null;
  createdAt: Date;
}

const attributeHistoryInput = z
  .object({
    key: z.string().min(1).max(255).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    after: z.string().optional(),
    /** Actor id or name: read as that actor may. */
    reader: name.optional(),
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
  const reader = await readerFor(ctx, graph, input.reader);
  const unit = await findUnit(ctx.store.db, graph, uowId);
  await assertMayRead(ctx.store.db, reader, unit);
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
  const out: AttributeVersionEntry[] = [];
  for (const r of rows) {
    out.push({
      attributeId: r.attribute_id,
      key: r.key,
      value: r.value,
      version: r.version,
      actorId: r.actor_id,
      actorName: (await actorOf(ctx, graph, r.actor_id)).name,
      reasoning: r.reasoning,
      createdAt: r.created_at,
    });
  }
  return out;
}
