/**
 * schedules.tick: starts the unit of every due schedule, in one instance or in all. The worker
 * and the server's sweeper call it every few seconds, from as many processes as run; exactly
 * one start per tick comes out:
 *
 * - The tick is claimed in the transaction that starts its unit: the schedule's row is locked,
 *   its `next_tick_at` read again under the lock and moved past the tick. A process that
 *   waited for the lock finds the tick gone and does nothing.
 * - The unit's idempotency key is `schedule:<id>:<tick ISO>`, so even a start repeated by hand
 *   with that key makes no second unit.
 *
 * After downtime (no process ran the schedule), at most one catch-up start: the unit of the
 * latest tick that has passed; the ticks before it since the last run are counted as missed
 * (one SCHEDULE_MISSED entry in instance_events). While the instance or its ALPHA is paused the
 * schedule is not due: after the resume it catches up the same way.
 */
import { ChameleonError, OutcomeUnknownError, StoreError } from "../errors.js";
import type { EngineContext } from "./context.js";
import type { RuntimeGraph } from "./graph.js";
import { appendInstanceEvent } from "./instance-events.js";
import { pausedNow } from "./pause-state.js";
import { cronOf } from "./schedules.js";
import { parseStartInputs, startInStep } from "./start.js";
import { runStep } from "./step.js";
import { isJsonObject } from "../schema/json.js";

/** Missed ticks counted one by one at most this far; beyond, the count says "at least". */
const MISSED_COUNT_LIMIT = 10_000;
/** Who schedules' own runs are recorded as, in instance_events. */
export const SCHEDULER = "scheduler";

export interface TickFailure {
  instanceId: string;
  scheduleId: string;
  error: string;
}

export interface TickResult {
  /** Units started, one per schedule and tick. */
  started: number;
  /** Ticks missed and not caught up. */
  missed: number;
  failures: TickFailure[];
}

export async function tickSchedules(ctx: EngineContext, instance?: string): Promise<TickResult> {
  const now = ctx.now();
  let query = ctx.store.db
    .selectFrom("schedules")
    .select(["schedule_id", "instance_id"])
    .where("next_tick_at", "<=", now)
    .where("paused_at", "is", null)
    .orderBy("next_tick_at");
  if (instance !== undefined) query = query.where("instance_id", "=", (await ctx.graphs.get(instance)).instanceId);
  const due = await query.execute();
  const result: TickResult = { started: 0, missed: 0, failures: [] };
  for (const { schedule_id: scheduleId, instance_id: instanceId } of due) {
    try {
      const graph = await ctx.graphs.get(instanceId);
      const paused = await pausedNow(ctx.store.db, graph);
      if (paused.instance || paused.roleIds.has(graph.master.alpha.id)) continue;
      const ran = await runTick(ctx, graph, scheduleId);
      result.started += ran.started;
      result.missed += ran.missed;
    } catch (error) {
      result.failures.push({ instanceId, scheduleId, error: describe(error) });
    }
  }
  return result;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

interface Claim {
  tick: Date;
  next: Date | null;
  missed: number;
  missedFirst: Date | null;
  capped: boolean;
}

/** The latest tick at or before `now`, how many came between the row's next tick and it, and the one after. */
function claimFor(row: { cron: string; timezone: string; next_tick_at: Date }, now: Date): Claim {
  const cron = cronOf(row.cron, row.timezone);
  const tick = cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? row.next_tick_at;
  let missed = 0;
  let capped = false;
  for (let t: Date | null = row.next_tick_at; t !== null && t.getTime() < tick.getTime(); t = cron.nextRun(t)) {
    if (missed === MISSED_COUNT_LIMIT) {
      capped = true;
      break;
    }
    missed++;
  }
  return { tick, next: cron.nextRun(tick), missed, missedFirst: missed > 0 ? row.next_tick_at : null, capped };
}

async function runTick(
  ctx: EngineContext,
  graph: RuntimeGraph,
  scheduleId: string,
): Promise<{ started: number; missed: number }> {
  try {
    return await runStep(ctx, graph, async (step) => {
      const query = step.trx.selectFrom("schedules").selectAll().where("schedule_id", "=", scheduleId);
      const row = await ctx.store.dialect.lockRows(query, "wait").executeTakeFirst();
      // Deleted, paused or run by another process meanwhile.
      if (!row || row.paused_at !== null || row.next_tick_at.getTime() > step.at.getTime()) {
        return { started: 0, missed: 0 };
      }
      const claim = claimFor(row, step.at);
      const tickIso = claim.tick.toISOString();
      const inputs = parseStartInputs(ctx, [
        {
          attributes: isJsonObject(row.attributes) ? row.attributes : {},
          reasoning: `schedule '${row.name}', tick ${tickIso}`,
          idempotencyKey: `schedule:${row.schedule_id}:${tickIso}`,
        },
      ]);
      const [started] = await startInStep(step, inputs);
      await finishTick(step.trx, graph, row, claim, step.at, { uowId: started!.uowId, created: started!.created });
      return { started: started!.created ? 1 : 0, missed: claim.missed };
    });
  } catch (error) {
    if (!(error instanceof ChameleonError) || error instanceof StoreError || error instanceof OutcomeUnknownError) {
      throw error;
    }
    // Genesis refused the unit (the blueprint's route, its attributes): the tick is used up,
    // and the refusal recorded, so that the schedule does not try the same tick for ever.
    return runStep(ctx, graph, async (step) => {
      const query = step.trx.selectFrom("schedules").selectAll().where("schedule_id", "=", scheduleId);
      const row = await ctx.store.dialect.lockRows(query, "wait").executeTakeFirst();
      if (!row || row.paused_at !== null || row.next_tick_at.getTime() > step.at.getTime()) {
        return { started: 0, missed: 0 };
      }
      const claim = claimFor(row, step.at);
      await finishTick(step.trx, graph, row, claim, step.at, { error: describe(error) });
      return { started: 0, missed: claim.missed };
    });
  }
}

async function finishTick(
  trx: Parameters<typeof appendInstanceEvent>[0],
  graph: RuntimeGraph,
  row: { schedule_id: string; name: string; next_tick_at: Date; last_tick_at: Date | null; last_uow_id: string | null },
  claim: Claim,
  at: Date,
  outcome: { uowId: string; created: boolean } | { error: string },
): Promise<void> {
  const tick = claim.tick.toISOString();
  // A pattern with no tick left (a year that has passed): the schedule is paused at its end.
  await trx
    .updateTable("schedules")
    .set({
      ...(claim.next === null ? { paused_at: at, next_tick_at: claim.tick } : { next_tick_at: claim.next }),
      ...("uowId" in outcome ? { last_tick_at: claim.tick, last_uow_id: outcome.uowId } : {}),
    })
    .where("schedule_id", "=", row.schedule_id)
    .execute();
  if (claim.missed > 0) {
    await appendInstanceEvent(trx, {
      instanceId: graph.instanceId,
      event: "SCHEDULE_MISSED",
      scheduleId: row.schedule_id,
      by: SCHEDULER,
      details: {
        name: row.name,
        count: claim.missed,
        atLeast: claim.capped,
        first: claim.missedFirst!.toISOString(),
        caughtUpWith: tick,
      },
      at,
    });
  }
  await appendInstanceEvent(trx, {
    instanceId: graph.instanceId,
    event: "uowId" in outcome ? "SCHEDULE_RUN" : "SCHEDULE_FAILED",
    scheduleId: row.schedule_id,
    by: SCHEDULER,
    details:
      "uowId" in outcome
        ? {
            name: row.name,
            tick,
            uowId: outcome.uowId,
            created: outcome.created,
            next: claim.next?.toISOString() ?? null,
          }
        : { name: row.name, tick, error: outcome.error },
    at,
  });
}
