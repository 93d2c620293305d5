/**
 * The sweep (ENGINE.md section 11): reclaims expired leases — back to where the unit was
 * checked out from (after its role's retry backoff), or FAILED once its attempts are used up —
 * moves units waiting or held past their role's due time to TAU, and PENDING units that waited
 * longer than their interaction's limit, except where a pause stopped those clocks. Safe from
 * several processes at once: candidates are locked with SKIP LOCKED (servers) or in one write
 * transaction (SQLite), and each is checked again under its lock.
 *
 * One unit that cannot be moved stops nothing else: its batch is redone one unit per
 * transaction, the unit is passed over for the rest of this sweep, and the failure is reported
 * in the result; an instance that cannot be swept at all is reported the same way, and the
 * sweep goes on with the next one.
 */
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ExpressionBuilder } from "kysely";
import type { InstanceDatabase } from "../schema/tables.js";
import type { JsonObject } from "../schema/json.js";
import type { EngineContext } from "./context.js";
import { backoffSeconds, retryOf } from "../blueprint/role-settings.js";
import { deadlineOf } from "./deadline.js";
import type { RuntimeGraph, RuntimeInteraction, RuntimeRole } from "./graph.js";
import { checkoutRole, leaseRoles, leaseSecondsOf, maxAttemptsOf } from "./lease.js";
import { placeUnit, putBack } from "./place.js";
import { runStep, type Step, type UnitRow } from "./step.js";
import { ATTR, failedSpan, spanClock, tracer } from "./trace.js";

const BATCH = 100;

/** What one sweep could not do: a unit it could not move, or an instance it could not sweep. */
export interface SweepFailure {
  instanceId: string;
  /** The unit, when one unit could not be moved; absent when the instance as a whole failed. */
  uowId?: string;
  /** What the sweep was doing: reclaiming an expired lease, timing out a stale unit, or neither. */
  move: "reclaim" | "timeout" | "instance";
  error: string;
}

export interface SweepResult {
  reclaimed: number;
  timedOut: number;
  failures: SweepFailure[];
}

/**
 * A sweep is recorded as a span only when it moved a unit or met a failure: an idle sweep, which
 * every server and worker runs every few seconds, records none. So its span is made once it is
 * done, from the moment it began (spans of a database instrumentation inside are not its children).
 */
export async function sweep(ctx: EngineContext, instance?: string): Promise<SweepResult> {
  const began = spanClock();
  try {
    const result = await sweepAll(ctx, instance);
    if (result.reclaimed + result.timedOut + result.failures.length > 0) {
      const span = tracer.startSpan("chameleon.sweep", { kind: SpanKind.INTERNAL, startTime: began });
      if (span.isRecording()) {
        span.setAttributes({
          [ATTR.reclaimed]: result.reclaimed,
          [ATTR.timedOut]: result.timedOut,
          [ATTR.failures]: result.failures.length,
          ...(instance === undefined ? {} : { [ATTR.instance]: (await ctx.graphs.get(instance)).instanceName }),
        });
        if (result.failures.length > 0) {
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: `${result.failures.length} unit(s) or instance(s) could not be swept; the first: ${result.failures[0]!.error}`,
          });
        }
      }
      span.end();
    }
    return result;
  } catch (error) {
    failedSpan("chameleon.sweep", error, began);
    throw error;
  }
}

async function sweepAll(ctx: EngineContext, instance?: string): Promise<SweepResult> {
  const ids =
    instance !== undefined
      ? [(await ctx.graphs.get(instance)).instanceId]
      : (
          await ctx.store.db
            .selectFrom("instance_context")
            .select("instance_id")
            .where("status", "in", ["ACTIVE", "PAUSED"])
            .execute()
        ).map((r) => r.instance_id);
  const total: SweepResult = { reclaimed: 0, timedOut: 0, failures: [] };
  for (const id of ids) {
    try {
      const graph = await ctx.graphs.get(id);
      total.reclaimed += await reclaimExpiredLeases(ctx, graph, total.failures);
      // A paused instance or role stops the stale clock of its interactions (pause-clock.ts).
      const stopped = await stoppedClocks(ctx, graph);
      for (const interaction of graph.interactions.values()) {
        const deadline = deadlineOf(interaction);
        // A pause stops the due clock as it stops the stale one (resume moves due_at on).
        if (deadline === null || stopped.has(interaction.id)) continue;
        for (const status of ["PENDING", "ACTIVE"] as const) {
          total.timedOut += await timeOutOverdueUnits(ctx, graph, interaction, deadline, status, total.failures);
        }
      }
      for (const interaction of graph.interactions.values()) {
        if (interaction.staleLimitSeconds !== null && interaction.kind === "queue" && !stopped.has(interaction.id)) {
          total.timedOut += await timeOutStaleUnits(ctx, graph, interaction, total.failures);
        }
      }
    } catch (error) {
      total.failures.push({ instanceId: id, move: "instance", error: describe(error) });
    }
  }
  return total;
}

/** The interactions whose stale clock stands still now. */
async function stoppedClocks(ctx: EngineContext, graph: RuntimeGraph): Promise<Set<string>> {
  const rows = await ctx.store.db
    .selectFrom("local_interactions")
    .select("interaction_id")
    .where("interaction_id", "in", [...graph.interactions.keys()])
    .where("clock_stopped_at", "is not", null)
    .execute();
  return new Set(rows.map((r) => r.interaction_id));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Where a batch query starts: after the last unit passed over, in the query's order. */
interface After {
  at: Date;
  uowId: string;
}

/** One kind of move over the units of one instance, oldest first by the `at` column. */
interface Sweepable {
  move: "reclaim" | "timeout";
  at: "last_heartbeat_at" | "entered_interaction_at" | "due_at";
  /** The units to move, in (at, uow_id) order, locked for the step; only `uowId` when given. */
  select: (step: Step, after: After | null, uowId?: string) => Promise<UnitRow[]>;
  /** Moves the unit; false when, looked at closer, it is not due (its own role's lease runs on). */
  handle: (step: Step, unit: UnitRow) => Promise<boolean>;
}

/** `(at, uow_id) > after`, written so that an index on `at` serves it on every engine. */
function afterKey(column: Sweepable["at"], after: After) {
  return (eb: ExpressionBuilder<InstanceDatabase, "units_of_work">) =>
    eb.and([eb(column, ">=", after.at), eb.or([eb(column, ">", after.at), eb("uow_id", ">", after.uowId)])]);
}

/**
 * Repeats a locked batch step while the batches come back full, each after the last unit of
 * the one before (units left where they were are not read again). A batch that fails is
 * rolled back and redone one unit per transaction, so one unit that cannot be moved only
 * fails itself.
 */
async function inBatches(
  ctx: EngineContext,
  graph: RuntimeGraph,
  what: Sweepable,
  failures: SweepFailure[],
): Promise<number> {
  let done = 0;
  let after: After | null = null;
  for (;;) {
    let batch: UnitRow[] = [];
    try {
      let cursor: After | null = null;
      const { read, moved } = await runStep(ctx, graph, async (step) => {
        batch = await what.select(step, after);
        const last = batch[batch.length - 1];
        // Taken before the moves, which change the row.
        cursor = last ? { at: last[what.at]!, uowId: last.uow_id } : null;
        let count = 0;
        for (const unit of batch) if (await what.handle(step, unit)) count++;
        return { read: batch.length, moved: count };
      });
      done += moved;
      if (read < BATCH) return done;
      after = cursor;
      continue;
    } catch (error) {
      if (batch.length === 0) throw error; // the query itself failed: the instance's failure
    }
    for (const candidate of batch) {
      try {
        done += await runStep(ctx, graph, async (step) => {
          const [unit] = await what.select(step, null, candidate.uow_id);
          if (!unit) return 0; // moved meanwhile by another sweep, or no longer due
          return (await what.handle(step, unit)) ? 1 : 0;
        });
      } catch (error) {
        failures.push({
          instanceId: graph.instanceId,
          uowId: candidate.uow_id,
          move: what.move,
          error: describe(error),
        });
      }
    }
    const last = batch[batch.length - 1]!;
    after = { at: last[what.at]!, uowId: last.uow_id };
    if (batch.length < BATCH) return done;
  }
}

/**
 * Reclaims the leases that ran out, each by its own role's lease (lease.ts, leaseSecondsOf).
 * The interactions whose units are held under a lease are grouped by the shortest lease of
 * the roles that take from them, one query per group; a unit of a role with a longer lease
 * (several roles taking from one interaction) is looked at again under its lock.
 */
async function reclaimExpiredLeases(
  ctx: EngineContext,
  graph: RuntimeGraph,
  failures: SweepFailure[],
): Promise<number> {
  const groups = new Map<number, string[]>();
  for (const interaction of graph.interactions.values()) {
    const roles = leaseRoles(interaction);
    if (roles.length === 0) continue;
    const seconds = Math.min(...roles.map((r) => leaseSecondsOf(r, ctx.settings)));
    groups.set(seconds, [...(groups.get(seconds) ?? []), interaction.id]);
  }
  let done = 0;
  for (const [seconds, interactionIds] of groups) {
    done += await reclaimGroup(ctx, graph, seconds, interactionIds, failures);
  }
  return done;
}

async function reclaimGroup(
  ctx: EngineContext,
  graph: RuntimeGraph,
  seconds: number,
  interactionIds: string[],
  failures: SweepFailure[],
): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - seconds * 1000);
  const expired = (db: EngineContext["store"]["db"], after: After | null = null, uowId?: string) => {
    let query = db
      .selectFrom("units_of_work")
      .selectAll()
      .where("status", "=", "ACTIVE")
      .where("last_heartbeat_at", "<", cutoff)
      .where("instance_id", "=", graph.instanceId)
      .where("current_interaction_id", "in", interactionIds)
      .where("lease_token", "is not", null);
    if (after) query = query.where(afterKey("last_heartbeat_at", after));
    if (uowId !== undefined) query = query.where("uow_id", "=", uowId);
    return query.orderBy("last_heartbeat_at").orderBy("uow_id").limit(BATCH);
  };
  // A plain read first: most sweeps find nothing and need no write transaction.
  if (!(await expired(ctx.store.db).executeTakeFirst())) return 0;
  return inBatches(
    ctx,
    graph,
    {
      move: "reclaim",
      at: "last_heartbeat_at",
      select: (step, after, uowId) =>
        ctx.store.dialect.lockRows(expired(step.trx, after, uowId), "skip-locked").execute(),
      handle: async (step, unit) => {
        const role = await checkoutRole(step, unit);
        // The group's cutoff is its shortest lease; this unit's role may have a longer one.
        const ownCutoff = cutoff.getTime() - (leaseSecondsOf(role, ctx.settings) - seconds) * 1000;
        if (unit.last_heartbeat_at!.getTime() >= ownCutoff) return false;
        const workflow = graph.workflows.get(unit.local_workflow_id)!;
        const details = { attempt: unit.attempt, lastHeartbeat: unit.last_heartbeat_at?.toISOString() ?? null };
        const maxAttempts = maxAttemptsOf(role, ctx.settings);
        if (unit.attempt >= maxAttempts) {
          await placeUnit(step, unit, workflow.errors, {
            move: "reclaim",
            actorId: graph.systemActorId,
            role: null,
            event: "RECLAIM",
            details: {
              ...details,
              reason: `the lease expired on attempt ${unit.attempt} of ${maxAttempts}`,
            },
          });
          step.observed?.push({ kind: "reclaim", role: role.apiName, outcome: "failed" });
          return true;
        }
        // A role with a retry backoff does not see the unit again before it has run.
        const policy = retryOf(role.config);
        const notBefore = policy
          ? { notBefore: new Date(step.at.getTime() + backoffSeconds(policy, unit.attempt) * 1000) }
          : {};
        await putBack(step, unit, { actorId: graph.systemActorId, roleId: null, details, ...notBefore });
        step.observed?.push({ kind: "reclaim", role: role.apiName, outcome: "requeued" });
        return true;
      },
    },
    failures,
  );
}

async function timeOutStaleUnits(
  ctx: EngineContext,
  graph: RuntimeGraph,
  interaction: RuntimeInteraction,
  failures: SweepFailure[],
): Promise<number> {
  const limit = interaction.staleLimitSeconds!;
  const takers = leaseRoles(interaction);
  const role = takers.length === 1 ? takers[0]!.apiName : "";
  const cutoff = new Date(ctx.now().getTime() - limit * 1000);
  const stale = (db: EngineContext["store"]["db"], after: After | null = null, uowId?: string) => {
    let query = db
      .selectFrom("units_of_work")
      .selectAll()
      .where("current_interaction_id", "=", interaction.id)
      .where("status", "=", "PENDING")
      .where("entered_interaction_at", "<", cutoff);
    if (after) query = query.where(afterKey("entered_interaction_at", after));
    if (uowId !== undefined) query = query.where("uow_id", "=", uowId);
    return query.orderBy("entered_interaction_at").orderBy("uow_id").limit(BATCH);
  };
  if (!(await stale(ctx.store.db).executeTakeFirst())) return 0;
  return inBatches(
    ctx,
    graph,
    {
      move: "timeout",
      at: "entered_interaction_at",
      select: (step, after, uowId) =>
        ctx.store.dialect.lockRows(stale(step.trx, after, uowId), "skip-locked").execute(),
      handle: async (step, unit) => {
        await placeUnit(step, unit, interaction.workflow.timeouts, {
          move: "stale",
          actorId: graph.systemActorId,
          role: null,
          event: "TIMEOUT",
          details: { waited: Math.round((step.at.getTime() - unit.entered_interaction_at.getTime()) / 1000), limit },
        });
        step.observed?.push({ kind: "timeout", role, interaction: interaction.apiName });
        return true;
      },
    },
    failures,
  );
}

/**
 * Sends the units of `status` (waiting, or held under a lease) past their due time in one
 * interaction to TAU. The TIMEOUT entry names the deadline that passed: the role whose
 * due_seconds counts there, and the due time.
 */
async function timeOutOverdueUnits(
  ctx: EngineContext,
  graph: RuntimeGraph,
  interaction: RuntimeInteraction,
  deadline: { role: RuntimeRole; seconds: number },
  status: "PENDING" | "ACTIVE",
  failures: SweepFailure[],
): Promise<number> {
  const now = ctx.now();
  const overdue = (db: EngineContext["store"]["db"], after: After | null = null, uowId?: string) => {
    let query = db
      .selectFrom("units_of_work")
      .selectAll()
      .where("current_interaction_id", "=", interaction.id)
      .where("status", "=", status)
      .where("due_at", "<", now);
    if (after) query = query.where(afterKey("due_at", after));
    if (uowId !== undefined) query = query.where("uow_id", "=", uowId);
    return query.orderBy("due_at").orderBy("uow_id").limit(BATCH);
  };
  if (!(await overdue(ctx.store.db).executeTakeFirst())) return 0;
  return inBatches(
    ctx,
    graph,
    {
      move: "timeout",
      at: "due_at",
      select: (step, after, uowId) =>
        ctx.store.dialect.lockRows(overdue(step.trx, after, uowId), "skip-locked").execute(),
      handle: async (step, unit) => {
        const held: JsonObject =
          unit.status === "ACTIVE"
            ? {
                heldBy: unit.locked_by_actor_id,
                lastHeartbeat: unit.last_heartbeat_at?.toISOString() ?? null,
                attempt: unit.attempt,
              }
            : {};
        await placeUnit(step, unit, interaction.workflow.timeouts, {
          move: "deadline",
          actorId: graph.systemActorId,
          role: null,
          event: "TIMEOUT",
          details: {
            deadline: {
              role: deadline.role.apiName,
              dueSeconds: deadline.seconds,
              dueAt: unit.due_at!.toISOString(),
              enteredAt: unit.entered_interaction_at.toISOString(),
            },
            reason: `past the due time of role '${deadline.role.apiName}' (${deadline.seconds} s from arrival in ${interaction.apiName}, due ${unit.due_at!.toISOString()}) while ${status === "ACTIVE" ? "held" : "waiting"}`,
            ...held,
          },
        });
        step.observed?.push({ kind: "timeout", role: deadline.role.apiName, interaction: interaction.apiName });
        return true;
      },
    },
    failures,
  );
}
