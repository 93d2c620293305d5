/**
 * instances.overview: one call for an instance's dashboard. Per interaction and per role: units
 * by status, how many wait and the oldest one's age, units held and by whom, failures and
 * finalized units of the last hour (per minute); instance totals; the latest failures with
 * their reasons. Everything is read with indexed GROUP BY queries (no counter row that every
 * step would have to update), and a result is kept a short while per instance and process.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { OVERVIEW_EVENTS } from "../schema/tables.js";
import type { RoleType, UOWStatus } from "../schema/enums.js";
import { UOWStatus as UOW_STATUSES } from "../schema/enums.js";
import { isJsonObject, type JsonValue } from "../schema/json.js";
import type { InstanceStatus } from "../schema/enums.js";
import { NotFoundError } from "../errors.js";
import type { EngineContext } from "./context.js";
import { ARRIVAL_STATUS, type InteractionKind, type RuntimeGraph, type RuntimeInteraction } from "./graph.js";
import { name, parseInput, z } from "./input.js";
import { leaseRoles } from "./lease.js";
import { readerOf, type Reader } from "./visibility.js";
import { readPauseState, type PauseInfo, type PauseState } from "./pause-state.js";
import { deadlineOf } from "./deadline.js";

/** Minutes in the throughput window; `finalizedPerMinute` has one number per minute. */
export const OVERVIEW_MINUTES = 60;
/** How many of the window's failures `recentFailures` lists, newest first. */
export const RECENT_FAILURES = 20;
/** Default of `maxAgeSeconds`: how long an overview is reused for the same instance in one process. */
export const OVERVIEW_CACHE_SECONDS = 2;
/**
 * Default of `finalizedMaxAgeSeconds`. FINALIZED units are the ones that pile up for ever: they
 * are counted apart, at most this often per instance and process (the other statuses are
 * counted at every read).
 */
export const FINALIZED_CACHE_SECONDS = 60;

export type StatusCounts = Record<UOWStatus, number>;

export interface HeldBy {
  actorId: string;
  actorName: string;
  count: number;
}

/** What is counted for an interaction, a role and the whole instance alike. */
export interface OverviewCounts {
  /** Units by status: of an interaction, the units in it; of a role, the units in its INBOUND interactions. */
  byStatus: StatusCounts;
  /** Units waiting to be taken: in the status their interaction holds them in, not held by an actor. */
  waiting: number;
  /** Age in whole seconds of the unit waiting longest (since it entered its interaction); null when none waits. */
  oldestWaitingSeconds: number | null;
  /** Units held under a lease (or by SYSTEM in a gateway), by holder, most first. */
  held: HeldBy[];
  /** Units waiting or held past their due time (a role's due_seconds): the next sweep sends them to TAU. */
  overdue: number;
  /** FAIL and REJECT entries since `windowStart`: units sent down the Ate path, and retryable failures sent back. */
  failuresLastHour: number;
  /** FINALIZE entries since `windowStart`: units OMEGA finalized. */
  finalizedLastHour: number;
  /** The same per minute (UTC), oldest first, from `windowStart`; the last is the current minute, up to `generatedAt`. */
  finalizedPerMinute: number[];
}

export interface InteractionOverview extends OverviewCounts {
  name: string;
  workflow: string;
  kind: InteractionKind;
  staleLimitSeconds: number | null;
}

export interface RoleOverview extends OverviewCounts {
  name: string;
  type: RoleType;
  workflow: string;
  /** Its INBOUND interactions (where it takes units from). */
  interactions: string[];
  /** Who paused the role, when and why; null while it runs (it takes nothing while its instance is paused too). */
  paused: PauseInfo | null;
}

export interface RecentFailure {
  uowId: string;
  event: "FAIL" | "REJECT";
  /** The role in whose name the unit failed, or was refused by a guardian. */
  role: string | null;
  /** The interaction the unit left. */
  interaction: string | null;
  actorName: string;
  reason: string;
  at: Date;
}

export interface InstanceOverview {
  /** `paused`: who paused the instance, when and why; null while it runs. */
  instance: { instanceId: string; name: string; status: InstanceStatus; paused: PauseInfo | null };
  /** The engine's time the overview was read at. */
  generatedAt: Date;
  /**
   * Where "the last hour" starts: the start of the minute (UTC) 59 minutes before the current
   * one, so that the window is 60 whole minutes, the last of them still going on.
   */
  windowStart: Date;
  /** When the FINALIZED units (byStatus.FINALIZED, and so `units`) were counted: see `finalizedMaxAgeSeconds`. */
  finalizedCountedAt: Date;
  totals: OverviewCounts & { units: number };
  interactions: InteractionOverview[];
  roles: RoleOverview[];
  /** The latest failures of the window, newest first, at most RECENT_FAILURES. */
  recentFailures: RecentFailure[];
}

const overviewInput = z
  .object({
    maxAgeSeconds: z
      .number()
      .min(0)
      .max(60)
      .optional()
      .describe("how old a kept overview of this process may be; 0 reads the store now (default 2)"),
    finalizedMaxAgeSeconds: z
      .number()
      .min(0)
      .max(3600)
      .optional()
      .describe("how old the kept counts of FINALIZED units may be; 0 counts them now (default 60)"),
    reader: name.optional().describe("an actor: only its roles, their interactions and their failures"),
  })
  .strict();

interface Kept {
  at: number;
  result: Promise<InstanceOverview>;
}
const kept = new WeakMap<EngineContext, Map<string, Kept>>();

export async function instanceOverview(
  ctx: EngineContext,
  instance: string,
  raw: unknown = {},
): Promise<InstanceOverview> {
  const input = parseInput(overviewInput, raw ?? {}, "instances.overview");
  const graph = await ctx.graphs.get(instance);
  const maxAgeMs = (input.maxAgeSeconds ?? OVERVIEW_CACHE_SECONDS) * 1000;
  let perInstance = kept.get(ctx);
  if (!perInstance) kept.set(ctx, (perInstance = new Map()));
  const now = performance.now();
  const reader = input.reader === undefined ? null : await readerOf(ctx.store.db, graph, input.reader);
  const hit = perInstance.get(graph.instanceId);
  let result: Promise<InstanceOverview>;
  if (hit && now - hit.at <= maxAgeMs) {
    result = hit.result;
  } else {
    result = readOverview(ctx, graph, (input.finalizedMaxAgeSeconds ?? FINALIZED_CACHE_SECONDS) * 1000);
    const entry = { at: now, result };
    perInstance.set(graph.instanceId, entry);
    result.catch(() => {
      if (perInstance.get(graph.instanceId) === entry) perInstance.delete(graph.instanceId);
    });
  }
  return reader === null ? result : forReader(await result, graph, reader);
}

/**
 * What an actor sees of the overview (docs/engine.md "Who reads what"): its roles, their
 * interactions and the failures in them; the instance totals as numbers, holding only itself
 * among the holders.
 */
function forReader(o: InstanceOverview, graph: RuntimeGraph, reader: Reader): InstanceOverview {
  const interactionIdOf = (name: string | null) => (name === null ? undefined : graph.interactionByName.get(name)?.id);
  const roleIdOf = (name: string | null) => (name === null ? undefined : graph.roleByName.get(name)?.id);
  const ownInteraction = (name: string | null) => reader.interactionIds.has(interactionIdOf(name) ?? "");
  const ownRole = (name: string | null) => reader.roleIds.has(roleIdOf(name) ?? "");
  return {
    ...o,
    totals: { ...o.totals, held: o.totals.held.filter((h) => h.actorId === reader.actorId) },
    interactions: o.interactions.filter((i) => ownInteraction(i.name)),
    roles: o.roles.filter((r) => ownRole(r.name)),
    recentFailures: o.recentFailures.filter((f) => ownRole(f.role) || ownInteraction(f.interaction)),
  };
}

function pausedRole(state: PauseState, role: string): PauseInfo | null {
  const found = state.roles.find((r) => r.role === role);
  return found ? { since: found.since, by: found.by, reason: found.reason } : null;
}

const zeroStatuses = (): StatusCounts => Object.fromEntries(UOW_STATUSES.map((s) => [s, 0])) as unknown as StatusCounts;

function emptyCounts(): OverviewCounts {
  return {
    byStatus: zeroStatuses(),
    waiting: 0,
    oldestWaitingSeconds: null,
    held: [],
    overdue: 0,
    failuresLastHour: 0,
    finalizedLastHour: 0,
    finalizedPerMinute: new Array<number>(OVERVIEW_MINUTES).fill(0),
  };
}

/** The master workflow's first, then by workflow and name: the same order on every engine. */
function byPlace(master: string) {
  const rank = (workflow: string) => (workflow === master ? 0 : 1);
  return (a: { workflow: string; name: string }, b: { workflow: string; name: string }): number =>
    rank(a.workflow) - rank(b.workflow) || a.workflow.localeCompare(b.workflow) || a.name.localeCompare(b.name);
}

/** The statuses counted at every read: all but FINALIZED, which is final (a finalized unit never changes again). */
const LIVE_STATUSES = UOW_STATUSES.filter((s) => s !== "FINALIZED");

interface FinalizedCounts {
  at: number;
  countedAt: Date;
  byInteraction: Map<string, number>;
}
const keptFinalized = new WeakMap<
  EngineContext,
  Map<string, { counts: Promise<FinalizedCounts>; refreshing: boolean }>
>();

/**
 * The FINALIZED units per interaction: counted now when none are kept or `maxAgeMs` is 0; when
 * the kept ones are older than `maxAgeMs`, they answer while a recount runs for the next call.
 */
async function finalizedCounts(ctx: EngineContext, graph: RuntimeGraph, maxAgeMs: number): Promise<FinalizedCounts> {
  let perInstance = keptFinalized.get(ctx);
  if (!perInstance) keptFinalized.set(ctx, (perInstance = new Map()));
  const count = async (): Promise<FinalizedCounts> => {
    const countedAt = ctx.now();
    const at = performance.now();
    // ix_units_of_work_queue alone: the FINALIZED range of each of the instance's interactions.
    const rows = await ctx.store.db
      .selectFrom("units_of_work")
      .select((eb) => ["current_interaction_id", eb.fn.countAll().as("n")])
      .where("current_interaction_id", "in", [...graph.interactions.keys()])
      .where("status", "=", "FINALIZED")
      .groupBy("current_interaction_id")
      .execute();
    return { at, countedAt, byInteraction: new Map(rows.map((r) => [r.current_interaction_id, Number(r.n)])) };
  };
  const kept = perInstance.get(graph.instanceId);
  if (kept === undefined || maxAgeMs === 0) {
    const entry = { counts: count(), refreshing: false };
    perInstance.set(graph.instanceId, entry);
    entry.counts.catch(() => {
      if (perInstance.get(graph.instanceId) === entry) perInstance.delete(graph.instanceId);
    });
    return entry.counts;
  }
  const counts = await kept.counts;
  if (performance.now() - counts.at > maxAgeMs && !kept.refreshing) {
    kept.refreshing = true;
    const next = count();
    next.then(
      () => {
        if (perInstance.get(graph.instanceId) === kept)
          perInstance.set(graph.instanceId, { counts: next, refreshing: false });
      },
      () => {
        kept.refreshing = false; // tried again by the next call
      },
    );
  }
  return counts;
}

/**
 * The units not finalized, by interaction and status, with the oldest `entered_interaction_at`
 * of each. Served by ix_units_of_work_queue (current_interaction_id, status,
 * entered_interaction_at) alone: the interactions are the instance's, so no row is read, only
 * the index entries of the units not finalized.
 */
function liveCounts(ctx: EngineContext, graph: RuntimeGraph) {
  return ctx.store.db
    .selectFrom("units_of_work")
    .select((eb) => [
      "current_interaction_id",
      "status",
      eb.fn.countAll().as("n"),
      // Named like the column so that it is decoded as a timestamp on every engine.
      eb.fn.min("entered_interaction_at").as("entered_interaction_at"),
    ])
    .where("current_interaction_id", "in", [...graph.interactions.keys()])
    .where("status", "in", LIVE_STATUSES)
    .groupBy(["current_interaction_id", "status"])
    .execute();
}

/** The units of one interaction by status, and how long the unit waiting longest has waited. */
export interface InteractionUnitCounts {
  interaction: string;
  workflow: string;
  byStatus: StatusCounts;
  /** Whole seconds since the unit waiting longest entered the interaction; null when none waits. */
  oldestWaitingSeconds: number | null;
}

export interface InstanceUnitCounts {
  instance: { instanceId: string; name: string };
  generatedAt: Date;
  /** When the FINALIZED units were counted (kept per instance and process, as for the overview). */
  finalizedCountedAt: Date;
  interactions: InteractionUnitCounts[];
}

/**
 * The overview's unit counts alone (two indexed GROUP BY reads, FINALIZED ones kept for
 * `finalizedMaxAgeSeconds`, default 60): what metrics export as gauges, without the audit reads.
 */
export async function unitCounts(ctx: EngineContext, instance: string, raw: unknown = {}): Promise<InstanceUnitCounts> {
  const input = parseInput(overviewInput.pick({ finalizedMaxAgeSeconds: true }), raw ?? {}, "instances.unitCounts");
  const graph = await ctx.graphs.get(instance);
  const generatedAt = ctx.now();
  const maxAgeMs = (input.finalizedMaxAgeSeconds ?? FINALIZED_CACHE_SECONDS) * 1000;
  const [live, finalized] = await Promise.all([liveCounts(ctx, graph), finalizedCounts(ctx, graph, maxAgeMs)]);
  const out = new Map<string, InteractionUnitCounts>();
  for (const i of graph.interactions.values()) {
    out.set(i.id, {
      interaction: i.apiName,
      workflow: i.workflow.name,
      byStatus: zeroStatuses(),
      oldestWaitingSeconds: null,
    });
  }
  for (const row of live) {
    const i = graph.interactions.get(row.current_interaction_id)!;
    const o = out.get(i.id)!;
    o.byStatus[row.status] += Number(row.n);
    if (row.status === ARRIVAL_STATUS[i.kind]) {
      const entered = row.entered_interaction_at as unknown as Date;
      o.oldestWaitingSeconds = Math.max(0, Math.floor((generatedAt.getTime() - entered.getTime()) / 1000));
    }
  }
  for (const [id, n] of finalized.byInteraction) {
    const o = out.get(id);
    if (o) o.byStatus.FINALIZED = n;
  }
  return {
    instance: { instanceId: graph.instanceId, name: graph.instanceName },
    generatedAt,
    finalizedCountedAt: finalized.countedAt,
    interactions: [...out.values()].sort((a, b) =>
      byPlace(graph.master.name)(
        { workflow: a.workflow, name: a.interaction },
        { workflow: b.workflow, name: b.interaction },
      ),
    ),
  };
}

async function readOverview(
  ctx: EngineContext,
  graph: RuntimeGraph,
  finalizedMaxAgeMs: number,
): Promise<InstanceOverview> {
  const db = ctx.store.db;
  const dialect = ctx.store.dialect;
  const generatedAt = ctx.now();
  // The window: the current minute (UTC) and the 59 before it.
  const lastMinute = Math.floor(generatedAt.getTime() / 60_000);
  const firstMinute = lastMinute - OVERVIEW_MINUTES + 1;
  const since = new Date(firstMinute * 60_000);
  const fromInteraction = dialect.jsonTextAt("details", "from");
  const minute = dialect.epochMinute("timestamp");

  const watched = [...graph.interactions.values()].filter((i) => deadlineOf(i) !== null).map((i) => i.id);
  const [instanceRow, statusRows, finalized, heldRows, failureRows, finalizedRows, recent, overdueRows, pauses] =
    await Promise.all([
      db
        .selectFrom("instance_context")
        .select(["instance_id", "name", "status"])
        .where("instance_id", "=", graph.instanceId)
        .executeTakeFirst(),
      liveCounts(ctx, graph),
      finalizedCounts(ctx, graph, finalizedMaxAgeMs),
      // ix_units_of_work_instance (instance_id, status): only the ACTIVE units are read.
      db
        .selectFrom("units_of_work")
        .select((eb) => ["current_interaction_id", "locked_by_actor_id", eb.fn.countAll().as("n")])
        .where("instance_id", "=", graph.instanceId)
        .where("status", "=", "ACTIVE")
        .where("locked_by_actor_id", "is not", null)
        .groupBy(["current_interaction_id", "locked_by_actor_id"])
        .execute(),
      // ix_interaction_logs_event (instance_id, event, timestamp): the hour's failures only.
      db
        .selectFrom("interaction_logs")
        .select((eb) => ["role_id", fromInteraction.as("from_interaction"), eb.fn.countAll().as("n")])
        .where("instance_id", "=", graph.instanceId)
        .where("event", "in", ["FAIL", "REJECT"])
        .where(sql.raw<boolean>(OVERVIEW_EVENTS))
        .where("timestamp", ">=", since)
        .groupBy(["role_id", fromInteraction])
        .execute(),
      // The same index alone: the window's FINALIZE entries by interaction and minute.
      db
        .selectFrom("interaction_logs")
        .select((eb) => ["interaction_id", minute.as("minute"), eb.fn.countAll().as("n")])
        .where("instance_id", "=", graph.instanceId)
        .where("event", "=", "FINALIZE")
        .where(sql.raw<boolean>(OVERVIEW_EVENTS))
        .where("timestamp", ">=", since)
        .groupBy(["interaction_id", minute])
        .execute(),
      recentFailures(ctx, graph, since),
      // ix_units_of_work_due (current_interaction_id, status, due_at): the overdue range of each
      // interaction with a deadline, from the index alone.
      watched.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom("units_of_work")
            .select((eb) => ["current_interaction_id", eb.fn.countAll().as("n")])
            .where("current_interaction_id", "in", watched)
            .where("status", "in", ["PENDING", "ACTIVE"])
            .where("due_at", "<", generatedAt)
            .groupBy("current_interaction_id")
            .execute(),
      readPauseState(db, graph),
    ]);
  if (!instanceRow) throw new NotFoundError(`no instance '${graph.instanceName}'`);

  const interactions = new Map<string, InteractionOverview>();
  for (const i of graph.interactions.values()) {
    interactions.set(i.id, {
      name: i.apiName,
      workflow: i.workflow.name,
      kind: i.kind,
      staleLimitSeconds: i.staleLimitSeconds,
      ...emptyCounts(),
    });
  }
  const ageOf = (entered: Date) => Math.max(0, Math.floor((generatedAt.getTime() - entered.getTime()) / 1000));
  const oldestEntered = new Map<string, Date>();
  for (const row of statusRows) {
    const i = graph.interactions.get(row.current_interaction_id)!;
    const o = interactions.get(i.id)!;
    const n = Number(row.n);
    o.byStatus[row.status] += n;
    if (row.status === ARRIVAL_STATUS[i.kind]) {
      // Units held by an actor are ACTIVE, never in the arrival status of their interaction,
      // but for a gateway's, which SYSTEM holds ACTIVE while the nested run goes on: they wait.
      o.waiting += n;
      const entered = row.entered_interaction_at as unknown as Date;
      oldestEntered.set(i.id, entered);
      o.oldestWaitingSeconds = ageOf(entered);
    }
  }

  for (const row of overdueRows) interactions.get(row.current_interaction_id)!.overdue += Number(row.n);

  for (const [id, n] of finalized.byInteraction) {
    const o = interactions.get(id);
    if (o) o.byStatus.FINALIZED = n;
  }

  // Holders, by interaction and by the role they hold the unit for.
  const roles = new Map<string, RoleOverview>();
  for (const r of graph.roles.values()) {
    roles.set(r.id, {
      name: r.apiName,
      type: r.type,
      workflow: r.workflow.name,
      interactions: [...new Set(r.inbound.map((c) => c.interaction.apiName))],
      paused: pausedRole(pauses, r.apiName),
      ...emptyCounts(),
    });
  }
  const heldByRole = await heldForRoles(ctx, graph, heldRows);
  const actorIds = new Set<string>(heldRows.map((r) => r.locked_by_actor_id!));
  for (const f of recent) actorIds.add(f.actorId);
  const actorNames = await namesOf(ctx, graph, [...actorIds]);
  const addHeld = (list: HeldBy[], actorId: string, count: number) => {
    const found = list.find((h) => h.actorId === actorId);
    if (found) found.count += count;
    else list.push({ actorId, actorName: actorNames.get(actorId) ?? actorId, count });
  };
  const totalHeld: HeldBy[] = [];
  for (const row of heldRows) {
    const n = Number(row.n);
    addHeld(interactions.get(row.current_interaction_id)!.held, row.locked_by_actor_id!, n);
    addHeld(totalHeld, row.locked_by_actor_id!, n);
  }
  for (const h of heldByRole) addHeld(roles.get(h.roleId)!.held, h.actorId, h.count);

  // Failures: in the name of a role, out of the interaction the unit left.
  let failuresTotal = 0;
  for (const row of failureRows) {
    const n = Number(row.n);
    failuresTotal += n;
    if (row.role_id && roles.has(row.role_id)) roles.get(row.role_id)!.failuresLastHour += n;
    const from = row.from_interaction === null ? undefined : graph.interactionByName.get(row.from_interaction);
    if (from) interactions.get(from.id)!.failuresLastHour += n;
  }

  // Finalized per minute. OMEGA finalizes the units it took from its Cerberus interaction, in
  // its name (src/engine/finalize.ts): the role of an entry is the OMEGA of its interaction.
  const totalPerMinute = new Array<number>(OVERVIEW_MINUTES).fill(0);
  for (const row of finalizedRows) {
    const i = Number(row.minute) - firstMinute;
    if (i < 0 || i >= OVERVIEW_MINUTES) continue; // written at a time ahead of the clock
    const n = Number(row.n);
    totalPerMinute[i]! += n;
    const interaction = row.interaction_id === null ? undefined : graph.interactions.get(row.interaction_id);
    if (!interaction) continue;
    interactions.get(interaction.id)!.finalizedPerMinute[i]! += n;
    roles.get(interaction.workflow.omega.id)!.finalizedPerMinute[i]! += n;
  }
  const finalizedOf = (o: OverviewCounts) => {
    o.finalizedLastHour = o.finalizedPerMinute.reduce((a, b) => a + b, 0);
  };

  // A role's units are those of its INBOUND interactions; it waits for the status it takes there.
  for (const r of graph.roles.values()) {
    const o = roles.get(r.id)!;
    const seen = new Set<string>();
    for (const c of r.inbound) {
      const i = c.interaction;
      if (seen.has(i.id)) continue;
      seen.add(i.id);
      const io = interactions.get(i.id)!;
      for (const s of UOW_STATUSES) o.byStatus[s] += io.byStatus[s];
      o.waiting += io.waiting;
      o.overdue += io.overdue;
      const entered = oldestEntered.get(i.id);
      if (entered && io.waiting > 0) {
        const age = ageOf(entered);
        o.oldestWaitingSeconds = Math.max(o.oldestWaitingSeconds ?? 0, age);
      }
    }
  }

  const totals: OverviewCounts & { units: number } = { units: 0, ...emptyCounts() };
  for (const o of interactions.values()) {
    for (const s of UOW_STATUSES) totals.byStatus[s] += o.byStatus[s];
    totals.waiting += o.waiting;
    totals.overdue += o.overdue;
    if (o.oldestWaitingSeconds !== null && o.waiting > 0) {
      totals.oldestWaitingSeconds = Math.max(totals.oldestWaitingSeconds ?? 0, o.oldestWaitingSeconds);
    }
  }
  totals.units = UOW_STATUSES.reduce((sum, s) => sum + totals.byStatus[s], 0);
  totals.held = totalHeld;
  totals.failuresLastHour = failuresTotal;
  totals.finalizedPerMinute = totalPerMinute;
  const all = [totals, ...interactions.values(), ...roles.values()];
  for (const o of all) {
    finalizedOf(o);
    o.held.sort((a, b) => b.count - a.count || a.actorName.localeCompare(b.actorName));
  }

  return {
    instance: {
      instanceId: instanceRow.instance_id,
      name: instanceRow.name,
      status: instanceRow.status,
      paused: pauses.instance,
    },
    generatedAt,
    windowStart: since,
    finalizedCountedAt: finalized.countedAt,
    totals,
    interactions: [...interactions.values()].sort(byPlace(graph.master.name)),
    roles: [...roles.values()].sort(byPlace(graph.master.name)),
    recentFailures: recent.map((f) => ({
      uowId: f.uowId,
      event: f.event,
      role: f.role,
      interaction: f.interaction,
      actorName: actorNames.get(f.actorId) ?? f.actorId,
      reason: f.reason,
      at: f.at,
    })),
  };
}

/**
 * The role each held unit is held for: the one role that may hold units of its interaction,
 * the SIGMA role of a gateway, or, where several roles consume the interaction, the role of
 * the unit's last CHECKOUT entry (read for those units only).
 */
async function heldForRoles(
  ctx: EngineContext,
  graph: RuntimeGraph,
  heldRows: readonly { current_interaction_id: string; locked_by_actor_id: string | null; n: unknown }[],
): Promise<{ roleId: string; actorId: string; count: number }[]> {
  const out: { roleId: string; actorId: string; count: number }[] = [];
  const shared: RuntimeInteraction[] = [];
  for (const row of heldRows) {
    const interaction = graph.interactions.get(row.current_interaction_id)!;
    const candidates =
      interaction.kind === "gateway"
        ? interaction.consumers.filter((c) => c.role.type === "SIGMA").map((c) => c.role)
        : leaseRoles(interaction);
    if (candidates.length === 1) {
      out.push({ roleId: candidates[0]!.id, actorId: row.locked_by_actor_id!, count: Number(row.n) });
    } else if (candidates.length > 1 && !shared.includes(interaction)) shared.push(interaction);
  }
  if (shared.length === 0) return out;
  const db = ctx.store.db;
  const units = await db
    .selectFrom("units_of_work")
    .select(["uow_id", "locked_by_actor_id"])
    .where("instance_id", "=", graph.instanceId)
    .where("status", "=", "ACTIVE")
    .where("locked_by_actor_id", "is not", null)
    .where(
      "current_interaction_id",
      "in",
      shared.map((i) => i.id),
    )
    .execute();
  const roleOf = new Map<string, { logId: number; roleId: string | null }>();
  for (let i = 0; i < units.length; i += 500) {
    const ids = units.slice(i, i + 500).map((u) => u.uow_id);
    const entries = await db
      .selectFrom("interaction_logs")
      .select(["uow_id", "log_id", "role_id"])
      .where("uow_id", "in", ids)
      .where("event", "=", "CHECKOUT")
      .execute();
    for (const e of entries) {
      const seen = roleOf.get(e.uow_id);
      if (!seen || e.log_id > seen.logId) roleOf.set(e.uow_id, { logId: e.log_id, roleId: e.role_id });
    }
  }
  for (const u of units) {
    const roleId = roleOf.get(u.uow_id)?.roleId;
    if (roleId && graph.roles.has(roleId)) out.push({ roleId, actorId: u.locked_by_actor_id!, count: 1 });
  }
  return out;
}

async function namesOf(ctx: EngineContext, graph: RuntimeGraph, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const missing = ids.filter((id) => {
    const known = graph.actors.get(id);
    if (known) names.set(id, known.name);
    return !known;
  });
  for (let i = 0; i < missing.length; i += 500) {
    const rows = await ctx.store.db
      .selectFrom("local_actors")
      .select(["actor_id", "name"])
      .where("instance_id", "=", graph.instanceId)
      .where("actor_id", "in", missing.slice(i, i + 500))
      .execute();
    for (const r of rows) names.set(r.actor_id, r.name);
  }
  return names;
}

interface FailureEntry {
  logId: number;
  uowId: string;
  event: "FAIL" | "REJECT";
  actorId: string;
  role: string | null;
  interaction: string | null;
  reason: string;
  at: Date;
}

/** The newest FAIL and REJECT entries of the window: one indexed range read per event, merged. */
async function recentFailures(ctx: EngineContext, graph: RuntimeGraph, since: Date): Promise<FailureEntry[]> {
  const read = (event: "FAIL" | "REJECT") =>
    ctx.store.db
      .selectFrom("interaction_logs")
      .select(["log_id", "uow_id", "actor_id", "role_id", "details", "timestamp"])
      .where("instance_id", "=", graph.instanceId)
      .where("event", "=", event)
      .where(sql.raw<boolean>(OVERVIEW_EVENTS))
      .where("timestamp", ">=", since)
      .orderBy("timestamp", "desc")
      .orderBy("log_id", "desc")
      .limit(RECENT_FAILURES)
      .execute();
  const [fails, rejects] = await Promise.all([read("FAIL"), read("REJECT")]);
  const entries = [
    ...fails.map((r) => ({ ...r, event: "FAIL" as const })),
    ...rejects.map((r) => ({ ...r, event: "REJECT" as const })),
  ];
  entries.sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || b.log_id - a.log_id);
  return entries.slice(0, RECENT_FAILURES).map((r) => {
    const details = isJsonObject(r.details) ? r.details : {};
    return {
      logId: r.log_id,
      uowId: r.uow_id,
      event: r.event,
      actorId: r.actor_id,
      role: r.role_id ? (graph.roles.get(r.role_id)?.apiName ?? null) : null,
      interaction: typeof details.from === "string" ? details.from : null,
      reason: reasonOf(r.event, details),
      at: r.timestamp,
    };
  });
}

/** `error` of work.fail, `reason` of a refused route or guardian; else what happened. */
function reasonOf(event: "FAIL" | "REJECT", details: Record<string, JsonValue>): string {
  for (const key of ["error", "reason"]) {
    const value = details[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return event === "REJECT" ? "rejected by an INBOUND guardian" : "failed";
}
