/**
 * The sweep (ENGINE.md section 11): reclaims expired leases — back to where the unit was
 * checked out from, or FAILED once its attempts are used up — and moves PENDING units that
 * waited longer than their interaction's limit to TAU. Safe from several processes at once:
 * candidates are locked with SKIP LOCKED (servers) or in one write transaction (SQLite), and
 * each is checked again under its lock.
 */
import type { EngineContext } from "./context.js";
import type { RuntimeGraph, RuntimeInteraction } from "./graph.js";
import { placeUnit, putBack } from "./place.js";
import { runStep, type Step, type UnitRow } from "./step.js";

const BATCH = 100;

export interface SweepResult {
  reclaimed: number;
  timedOut: number;
}

export async function sweep(ctx: EngineContext, instance?: string): Promise<SweepResult> {
  const ids =
    instance !== undefined
      ? [(await ctx.graphs.get(instance)).instanceId]
      : (
          await ctx.store.db
            .selectFrom("instance_context")
            .select("instance_id")
            .where("status", "=", "ACTIVE")
            .execute()
        ).map((r) => r.instance_id);
  const total: SweepResult = { reclaimed: 0, timedOut: 0 };
  for (const id of ids) {
    const graph = await ctx.graphs.get(id);
    total.reclaimed += await reclaimExpiredLeases(ctx, graph);
    for (const interaction of graph.interactions.values()) {
      if (interaction.staleLimitSeconds !== null && interaction.kind === "queue") {
        total.timedOut += await timeOutStaleUnits(ctx, graph, interaction);
      }
    }
  }
  return total;
}

/** Repeats a locked batch step while the batches come back full. */
async function inBatches(
  ctx: EngineContext,
  graph: RuntimeGraph,
  select: (step: Step) => Promise<UnitRow[]>,
  handle: (step: Step, unit: UnitRow) => Promise<void>,
): Promise<number> {
  let done = 0;
  for (;;) {
    const count = await runStep(ctx, graph, async (step) => {
      const units = await select(step);
      for (const unit of units) await handle(step, unit);
      return units.length;
    });
    done += count;
    if (count < BATCH) return done;
  }
}

async function reclaimExpiredLeases(ctx: EngineContext, graph: RuntimeGraph): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - ctx.settings.leaseTimeoutSeconds * 1000);
  const expired = (db: EngineContext["store"]["db"]) =>
    db
      .selectFrom("units_of_work")
      .selectAll()
      .where("status", "=", "ACTIVE")
      .where("last_heartbeat_at", "<", cutoff)
      .where("instance_id", "=", graph.instanceId)
      .where("lease_token", "is not", null)
      .orderBy("last_heartbeat_at")
      .limit(BATCH);
  // A plain read first: most sweeps find nothing and need no write transaction.
  if (!(await expired(ctx.store.db).executeTakeFirst())) return 0;
  return inBatches(
    ctx,
    graph,
    (step) => ctx.store.dialect.lockRows(expired(step.trx), "skip-locked").execute(),
    async (step, unit) => {
      const workflow = graph.workflows.get(unit.local_workflow_id)!;
      const details = { attempt: unit.attempt, lastHeartbeat: unit.last_heartbeat_at?.toISOString() ?? null };
      if (unit.attempt >= ctx.settings.maxAttempts) {
        await placeUnit(step, unit, workflow.errors, {
          move: "reclaim",
          actorId: graph.systemActorId,
          role: null,
          event: "RECLAIM",
          details: {
            ...details,
            reason: `the lease expired on attempt ${unit.attempt} of ${ctx.settings.maxAttempts}`,
          },
        });
        return;
      }
      await putBack(step, unit, { actorId: graph.systemActorId, roleId: null, details });
    },
  );
}

async function timeOutStaleUnits(
  ctx: EngineContext,
  graph: RuntimeGraph,
  interaction: RuntimeInteraction,
): Promise<number> {
  const limit = interaction.staleLimitSeconds!;
  const cutoff = new Date(ctx.now().getTime() - limit * 1000);
  const stale = (db: EngineContext["store"]["db"]) =>
    db
      .selectFrom("units_of_work")
      .selectAll()
      .where("current_interaction_id", "=", interaction.id)
      .where("status", "=", "PENDING")
      .where("entered_interaction_at", "<", cutoff)
      .orderBy("entered_interaction_at")
      .limit(BATCH);
  if (!(await stale(ctx.store.db).executeTakeFirst())) return 0;
  return inBatches(
    ctx,
    graph,
    (step) => ctx.store.dialect.lockRows(stale(step.trx), "skip-locked").execute(),
    async (step, unit) => {
      await placeUnit(step, unit, interaction.workflow.timeouts, {
        move: "stale",
        actorId: graph.systemActorId,
        role: null,
        event: "TIMEOUT",
        details: { waited: Math.round((step.at.getTime() - unit.entered_interaction_at.getTime()) / 1000), limit },
      });
    },
  );
}
