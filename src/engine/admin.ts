/**
 * Operators' moves on units (issue 12): release a held unit (back where it was checked out
 * from, like a reclaim) or reassign it to another actor of its role (a new lease for that
 * actor; the old lease is refused from then on), and cancel or release a list of units in one
 * call. Each move is audited as the SYSTEM actor, with `details.by` naming the operator and
 * `details.reason` why; a bulk call moves each unit in its own step and answers per unit.
 */
import { ChameleonError, ConflictError, ForbiddenError } from "../errors.js";
import { findActor, mayTakeRole } from "./actors.js";
import { cancel } from "./cancel.js";
import type { EngineContext } from "./context.js";
import { name, parseInput, z } from "./input.js";
import { checkoutRole, leaseExpiry, newLeaseToken } from "./lease.js";
import { LIMITS } from "./limits.js";
import { putBack } from "./place.js";
import { lockUnit, runStep, updateUnit, type LockedUnitCheck, type UnitRow } from "./step.js";
import { assertTransition } from "./transitions.js";

const reason = z.string().min(1).max(LIMITS.textLength);
const adminReleaseInput = z.object({ uowId: z.string(), by: name, reason }).strict();
const reassignInput = z.object({ uowId: z.string(), actorId: name, by: name, reason }).strict();
const bulkInput = z
  .object({ uowIds: z.array(z.string()).min(1).max(LIMITS.unitsPerBulkMove), by: name, reason })
  .strict();

export interface ReassignResult {
  uowId: string;
  actorId: string;
  leaseToken: string;
  leaseExpiresAt: Date;
}

export type BulkResult =
  { uowId: string; ok: true; status: string } | { uowId: string; ok: false; error: { name: string; message: string } };

/** A unit some actor holds under a lease (not one SYSTEM holds in a gateway), or a ConflictError. */
function assertHeld(unit: UnitRow, move: string): void {
  if (unit.status !== "ACTIVE" || unit.lease_token === null) {
    throw new ConflictError(
      `unit ${unit.uow_id} is ${unit.status}${unit.status === "ACTIVE" ? " in a gateway, held by SYSTEM" : ""}: only a unit an actor holds can be ${move}; nothing was changed`,
    );
  }
}

/** Gives a held unit back for its holder: back to the status and place it was checked out from. */
export async function adminRelease(
  ctx: EngineContext,
  instance: string,
  raw: unknown,
  check?: LockedUnitCheck,
): Promise<{ uowId: string; status: string; interaction: string }> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(adminReleaseInput, raw, "work.adminRelease");
  return runStep(ctx, graph, async (step) => {
    const unit = await lockUnit(step, input.uowId);
    await check?.(step, unit);
    assertHeld(unit, "released");
    const role = await checkoutRole(step, unit);
    const holder = unit.locked_by_actor_id;
    const { status, interaction } = await putBack(step, unit, {
      actorId: graph.systemActorId,
      roleId: role.id,
      details: { released: true, holder, by: input.by, reason: input.reason },
    });
    return { uowId: unit.uow_id, status, interaction: interaction.apiName };
  });
}

/** Hands a held unit to another actor of its role with a new lease; the old lease is refused from then on. */
export async function reassign(ctx: EngineContext, instance: string, raw: unknown): Promise<ReassignResult> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(reassignInput, raw, "work.reassign");
  return runStep(ctx, graph, async (step) => {
    const unit = await lockUnit(step, input.uowId);
    assertHeld(unit, "reassigned");
    const actor = await findActor(step.trx, graph, input.actorId);
    const role = await checkoutRole(step, unit);
    if (actor.type === "SYSTEM" || !(await mayTakeRole(step.trx, graph, actor, role.id))) {
      throw new ForbiddenError(`actor '${actor.name}' has no active assignment to role '${role.apiName}'`);
    }
    if (unit.locked_by_actor_id === actor.actorId) {
      throw new ConflictError(`unit ${unit.uow_id} is already held by actor '${actor.name}'; nothing was changed`);
    }
    assertTransition(unit.uow_id, unit.status, "ACTIVE", "reassign");
    const holder = unit.locked_by_actor_id;
    const leaseToken = newLeaseToken(step.at);
    await updateUnit(step, unit, {
      locked_by_actor_id: actor.actorId,
      lease_token: leaseToken,
      last_heartbeat_at: step.at,
    });
    // A CHECKOUT entry in the role's name, so that the role the unit is held for stays the one it was checked out for.
    step.logs.push({
      uowId: unit.uow_id,
      actorId: graph.systemActorId,
      roleId: role.id,
      interactionId: unit.current_interaction_id,
      event: "CHECKOUT",
      details: {
        reassigned: true,
        holder,
        to: actor.actorId,
        attempt: unit.attempt,
        by: input.by,
        reason: input.reason,
      },
    });
    return {
      uowId: unit.uow_id,
      actorId: actor.actorId,
      leaseToken,
      leaseExpiresAt: leaseExpiry(role, ctx.settings, step.at),
    };
  });
}

/** Cancels each unit of the list in its own step, as the admin; one refused unit leaves the others moved. */
export async function cancelMany(ctx: EngineContext, instance: string, raw: unknown): Promise<BulkResult[]> {
  await ctx.graphs.get(instance);
  const input = parseInput(bulkInput, raw, "work.cancelMany");
  return eachUnit(input.uowIds, (uowId) => cancel(ctx, instance, { uowId, by: input.by, reason: input.reason }));
}

/** Releases each held unit of the list in its own step, as admin release does. */
export async function releaseMany(ctx: EngineContext, instance: string, raw: unknown): Promise<BulkResult[]> {
  await ctx.graphs.get(instance);
  const input = parseInput(bulkInput, raw, "work.releaseMany");
  return eachUnit(input.uowIds, (uowId) => adminRelease(ctx, instance, { uowId, by: input.by, reason: input.reason }));
}

async function eachUnit(uowIds: string[], move: (uowId: string) => Promise<{ status: string }>): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const uowId of uowIds) {
    try {
      results.push({ uowId, ok: true, status: (await move(uowId)).status });
    } catch (error) {
      // Refusals are per unit; a store failure ends the call (the units before it stay moved).
      if (!(error instanceof ChameleonError) || error.name === "StoreError" || error.name === "OutcomeUnknownError")
        throw error;
      results.push({ uowId, ok: false, error: { name: error.name, message: error.message } });
    }
  }
  return results;
}
