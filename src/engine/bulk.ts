/**
 * work.bulk: an operator's move (cancel, release, retry) on every unit a selection chooses: the
 * filters of work.list, and a list of ids. The units are chosen oldest first, at most `max` per
 * call; a dry run answers which units the move would take and writes nothing. Each unit is then
 * moved by the single-unit move (work.cancel, work.adminRelease, work.adminRetry) in its own
 * transaction, which first checks, under the unit's lock, that the unit still matches the
 * selection: a unit that changed since it was chosen (taken by a worker, retried, cancelled by
 * someone else) is skipped and reported, and nothing of it is written. So every unit moved gets
 * the audit entry of its single-unit move, and no unit is moved twice.
 */
import { ChameleonError, ValidationError } from "../errors.js";
import type { UOWStatus } from "../schema/enums.js";
import { adminRelease } from "./admin.js";
import { adminRetry, retryComponent } from "./admin-retry.js";
import { cancel } from "./cancel.js";
import type { EngineContext } from "./context.js";
import { name, parseInput, z } from "./input.js";
import { BULK_DEFAULT_MAX, LIMITS, UUID_SHAPE } from "./limits.js";
import { passesWhere, resolveUnitFilter, scanUnits, unitFilterFields, type UnitQuery } from "./queries.js";
import type { LockedUnitCheck, UnitRow } from "./step.js";

export const BULK_MOVES = ["cancel", "release", "retry"] as const;
export type BulkMove = (typeof BULK_MOVES)[number];

const unitId = z.string().regex(UUID_SHAPE, "must be a unit id (a UUID)");
const bulkInput = z
  .object({
    move: z.enum(BULK_MOVES),
    filter: z
      .object({ ...unitFilterFields, uowIds: z.array(unitId).min(1).max(LIMITS.unitsPerBulkMove).optional() })
      .strict(),
    /** retry: the interaction to send the units to. */
    to: name.optional(),
    dryRun: z.boolean().optional(),
    max: z.number().int().min(1).max(LIMITS.unitsPerBulkSelection).optional(),
    /** The `nextAfter` of the previous call: go on after that unit. */
    after: unitId.optional(),
    by: name.optional(),
    reason: z.string().min(1).max(LIMITS.textLength).optional(),
  })
  .strict();

export type BulkOutcome =
  | { uowId: string; outcome: "moved"; status: UOWStatus }
  | { uowId: string; outcome: "skipped"; reason: string }
  | { uowId: string; outcome: "refused"; error: { name: string; message: string } };

export interface BulkReport {
  move: BulkMove;
  dryRun: boolean;
  /** How many units this call chose (at most `max`). */
  count: number;
  /** The units chosen, oldest first (created, then id). */
  uowIds: string[];
  /** Whether more units may match: call again with `after: nextAfter` to go on. */
  more: boolean;
  nextAfter: string | null;
  /** One per unit chosen, in the same order; empty on a dry run. */
  results: BulkOutcome[];
  moved: number;
  skipped: number;
  refused: number;
}

/** Thrown by the check under the lock: the unit no longer matches the selection. */
class ChangedSinceSelection extends Error {}

export async function bulkMove(ctx: EngineContext, instance: string, raw: unknown): Promise<BulkReport> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(bulkInput, raw, "work.bulk");
  const { uowIds, ...listFilter } = input.filter;
  const criteria = Object.entries(input.filter).filter(([k, v]) => v !== undefined && k !== "includeHeld");
  if (criteria.length === 0) {
    throw ValidationError.single(
      "filter",
      "work.bulk filter: name at least one criterion (status, interaction, role, heldBy, parentId, a time range, where or uowIds): a move on every unit of an instance is refused",
    );
  }
  if (input.dryRun !== true) {
    for (const field of ["by", "reason"] as const) {
      if (input[field] === undefined) {
        throw ValidationError.single(field, `work.bulk ${field}: required unless dryRun (recorded in the audit log)`);
      }
    }
  }
  let retryWorkflowId: string | null = null;
  if (input.move === "retry") {
    if (input.to === undefined) {
      throw ValidationError.single("to", "work.bulk to: name the interaction to send the failed units to");
    }
    const workflow = graph.interactionByName.get(input.to)?.workflow ?? graph.master;
    retryWorkflowId = retryComponent(graph, workflow, input.to, "work.bulk").interaction.workflow.id;
  } else if (input.to !== undefined) {
    throw ValidationError.single("to", `work.bulk to: only a retry takes a target interaction, not a ${input.move}`);
  }

  const filter = await resolveUnitFilter(ctx.store.db, graph, listFilter, "work.bulk", ctx.now());
  // What the move itself needs, added to the selection so that a unit it cannot take is not chosen.
  const narrow = (q: UnitQuery): UnitQuery => {
    let out = q;
    if (uowIds !== undefined) out = out.where("uow_id", "in", uowIds);
    if (input.move === "cancel") out = out.where("status", "!=", "FINALIZED");
    if (input.move === "release") out = out.where("status", "=", "ACTIVE").where("lease_token", "is not", null);
    if (input.move === "retry")
      out = out.where("status", "=", "FAILED").where("local_workflow_id", "=", retryWorkflowId!);
    return out;
  };
  const max = input.max ?? BULK_DEFAULT_MAX;
  const { rows, nextAfter } = await scanUnits(ctx, graph, filter, {
    column: "created_at",
    descending: false,
    limit: max,
    narrow,
    ...(input.after === undefined ? {} : { after: input.after }),
  });
  const report: BulkReport = {
    move: input.move,
    dryRun: input.dryRun === true,
    count: rows.length,
    uowIds: rows.map((u) => u.uow_id),
    more: nextAfter !== null,
    nextAfter,
    results: [],
    moved: 0,
    skipped: 0,
    refused: 0,
  };
  if (report.dryRun) return report;

  const stillChosen: LockedUnitCheck = async (step, unit) => {
    const query = narrow(filter.apply(step.trx.selectFrom("units_of_work").selectAll())).where(
      "uow_id",
      "=",
      unit.uow_id,
    );
    const now = await ctx.store.dialect.lockRows(query, "wait").executeTakeFirst();
    if (now === undefined || !passesWhere(filter.check, now, step.at.getTime())) {
      throw new ChangedSinceSelection(describe(graph.interactions.get(unit.current_interaction_id)?.apiName, unit));
    }
  };
  const by = input.by!;
  const reason = input.reason!;
  for (const uowId of report.uowIds) {
    try {
      const moved =
        input.move === "cancel"
          ? await cancel(ctx, instance, { uowId, by, reason }, stillChosen)
          : input.move === "release"
            ? await adminRelease(ctx, instance, { uowId, by, reason }, stillChosen)
            : await adminRetry(ctx, instance, { uowId, to: input.to!, by, reason }, stillChosen);
      report.results.push({ uowId, outcome: "moved", status: moved.status as UOWStatus });
      report.moved++;
    } catch (error) {
      if (error instanceof ChangedSinceSelection) {
        report.results.push({ uowId, outcome: "skipped", reason: error.message });
        report.skipped++;
        continue;
      }
      // Refusals are per unit; a store failure ends the call (the units before it stay moved).
      if (!(error instanceof ChameleonError) || error.name === "StoreError" || error.name === "OutcomeUnknownError")
        throw error;
      report.results.push({ uowId, outcome: "refused", error: { name: error.name, message: error.message } });
      report.refused++;
    }
  }
  return report;
}

function describe(interaction: string | undefined, unit: UnitRow): string {
  const held = unit.status === "ACTIVE" && unit.lease_token !== null ? ", held" : "";
  return `changed since it was chosen: it is now ${unit.status}${held} in ${interaction ?? "?"}, and no longer matches the selection; left as it is`;
}
