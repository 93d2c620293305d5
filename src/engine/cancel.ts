/**
 * work.cancel: giving up on a unit, with the outcome recorded. The admin (no actor) may cancel
 * any unit that is not FINALIZED; an actor only a unit it holds as EPSILON or TAU. A cancelled
 * child counts as come back; a cancelled base takes its unfinished children with it and its
 * learning is discarded; a cancelled nested copy sends the unit waiting in its gateway down
 * the Ate path. An operator's cancel names the operator in `by` (recorded as details.by).
 */
import { ConflictError, ForbiddenError } from "../errors.js";
import { latestAttributes } from "./attributes.js";
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import { abandonNested, SIGMA_COPY } from "./gateway.js";
import { name, parseInput, z } from "./input.js";
import { checkoutRole } from "./lease.js";
import { countChildBack } from "./place.js";
import { lockUnit, runStep, updateUnit, type LockedUnitCheck, type Step, type UnitRow } from "./step.js";
import { assertTransition } from "./transitions.js";

const cancelInput = z
  .object({ uowId: z.string(), actorId: name.optional(), by: name.optional(), reason: z.string().min(1).max(65_535) })
  .strict();

export async function cancel(
  ctx: EngineContext,
  instance: string,
  raw: unknown,
  check?: LockedUnitCheck,
): Promise<{ uowId: string; status: string }> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(cancelInput, raw, "work.cancel");
  return runStep(ctx, graph, async (step) => {
    const unit = await lockUnit(step, input.uowId);
    await check?.(step, unit);
    let actorId = graph.systemActorId;
    let roleId: string | null = null;
    if (input.actorId !== undefined) {
      const actor = await findActor(step.trx, graph, input.actorId);
      actorId = actor.actorId;
      if (actor.type !== "SYSTEM") {
        const held = unit.status === "ACTIVE" && unit.locked_by_actor_id === actor.actorId && unit.lease_token !== null;
        const role = held ? await checkoutRole(step, unit) : null;
        if (!role || (role.type !== "EPSILON" && role.type !== "TAU")) {
          throw new ForbiddenError(
            `actor '${actor.name}' may cancel only a unit it holds as EPSILON or TAU; unit ${unit.uow_id} is ${unit.status}`,
          );
        }
        roleId = role.id;
      }
    }
    if (unit.status === "FINALIZED")
      throw new ConflictError(`unit ${unit.uow_id} is FINALIZED: the move 'cancel' to FINALIZED is not allowed`);
    await cancelUnit(step, unit, { actorId, roleId, reason: input.reason, by: input.by });
    return { uowId: unit.uow_id, status: unit.status };
  });
}

async function cancelUnit(
  step: Step,
  unit: UnitRow,
  by: { actorId: string; roleId: string | null; reason: string; by?: string },
  cascade = false,
): Promise<void> {
  const from = unit.status;
  assertTransition(unit.uow_id, from, "FINALIZED", "cancel");
  await updateUnit(step, unit, {
    status: "FINALIZED",
    locked_by_actor_id: null,
    lease_token: null,
    last_heartbeat_at: null,
  });
  step.logs.push({
    uowId: unit.uow_id,
    actorId: by.actorId,
    roleId: by.roleId,
    interactionId: unit.current_interaction_id,
    event: "CANCEL",
    details: { reason: by.reason, from, ...(by.by !== undefined ? { by: by.by } : {}) },
  });
  // A child that had already come back (COMPLETED in the Cerberus interaction) was counted then;
  // children cancelled with their base are not counted by a base that is gone.
  if (unit.parent_id && from !== "COMPLETED" && !cascade) await countChildBack(step, unit.parent_id, unit.uow_id);
  const state = await latestAttributes(step.trx, unit.uow_id);
  const follow = { ...by, reason: `cancelled with unit ${unit.uow_id}: ${by.reason}` };
  if (unit.child_count > 0) {
    const open = await step.trx
      .selectFrom("units_of_work")
      .select("uow_id")
      .where("parent_id", "=", unit.uow_id)
      .where("status", "!=", "FINALIZED")
      .execute();
    for (const child of open) await cancelUnit(step, await lockUnit(step, child.uow_id), follow, true);
  }
  // A unit waiting in a gateway takes its nested copy with it; a cancelled copy fails its original.
  const copyId = state.get(SIGMA_COPY)?.value;
  if (typeof copyId === "string" && from === "ACTIVE") {
    const copy = await lockUnit(step, copyId);
    if (copy.status !== "FINALIZED") await cancelUnit(step, copy, follow, true);
  }
  if (!cascade) await abandonNested(step, state, by.reason);
}
