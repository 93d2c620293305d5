/**
 * instances.pause: an operator pauses an instance, or one role of it. While paused, checkout
 * of the paused roles (every role, for the instance) returns nothing and genesis is refused
 * (for the instance, or its ALPHA); holders may still finish, fail or release what they hold,
 * and the sweep still reclaims expired leases. The stale clocks of the paused roles'
 * interactions stand still (pause-clock.ts). Audited in instance_events (who, when, why).
 */
import { ConflictError, ValidationError } from "../errors.js";
import type { EngineContext, Trx } from "./context.js";
import { inTransaction } from "./context.js";
import { findRole, type RuntimeGraph, type RuntimeRole } from "./graph.js";
import { appendInstanceEvent } from "./instance-events.js";
import { name, parseInput, z } from "./input.js";
import { LIMITS } from "./limits.js";
import { settleClocks, type Paused } from "./pause-clock.js";
import { pausedNow } from "./pause-state.js";

export const pauseInput = z
  .object({
    /** One role to pause (its API name); without it, the whole instance. */
    role: name.optional(),
    /** Who: the operator's name, recorded in instance_events. */
    by: name,
    reason: z.string().min(1).max(LIMITS.textLength).optional(),
  })
  .strict();

export interface PauseResult {
  instanceId: string;
  /** The role paused or resumed; null for the instance. */
  role: string | null;
  paused: boolean;
  at: Date;
}

/** The role a pause or resume names: one that takes work, or the master's ALPHA (which starts it). */
export function pausableRole(graph: RuntimeGraph, roleName: string): RuntimeRole {
  const role = findRole(graph, roleName);
  if (role.type === "SIGMA") {
    throw ValidationError.single(
      "role",
      `role '${role.apiName}' is a SIGMA gateway: the engine runs it, so there is nothing to pause (pause the nested workflow's roles)`,
    );
  }
  if (role.type === "ALPHA" && !role.workflow.isMaster) {
    throw ValidationError.single(
      "role",
      `role '${role.apiName}' is the ALPHA of a nested workflow: it starts nothing by itself, so there is nothing to pause`,
    );
  }
  return role;
}

/** Locks the instance's row (pauses and resumes of one instance take turns) and reads what is paused. */
export async function lockPaused(trx: Trx, ctx: EngineContext, graph: RuntimeGraph): Promise<Paused> {
  const query = trx.selectFrom("instance_context").select("status").where("instance_id", "=", graph.instanceId);
  const row = await ctx.store.dialect.lockRows(query, "wait").executeTakeFirstOrThrow();
  if (row.status === "ARCHIVED") {
    throw new ConflictError(`instance '${graph.instanceName}' is archived: it cannot be paused or resumed`);
  }
  const now = await pausedNow(trx, graph);
  return { instance: now.instance, roleIds: now.roleIds };
}

export async function pause(ctx: EngineContext, instance: string, raw: unknown): Promise<PauseResult> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(pauseInput, raw, "instances.pause");
  const role = input.role === undefined ? null : pausableRole(graph, input.role);
  return inTransaction(ctx, async (trx) => {
    const at = ctx.now();
    const paused = await lockPaused(trx, ctx, graph);
    if (role === null) {
      if (paused.instance)
        throw new ConflictError(`instance '${graph.instanceName}' is already paused; nothing was changed`);
      await trx
        .updateTable("instance_context")
        .set({ status: "PAUSED" })
        .where("instance_id", "=", graph.instanceId)
        .execute();
    } else {
      if (paused.roleIds.has(role.id)) {
        throw new ConflictError(`role '${role.apiName}' is already paused; nothing was changed`);
      }
      await trx.updateTable("local_roles").set({ paused_at: at }).where("role_id", "=", role.id).execute();
    }
    const after: Paused = {
      instance: paused.instance || role === null,
      roleIds: role === null ? paused.roleIds : new Set([...paused.roleIds, role.id]),
    };
    await settleClocks(trx, ctx.store.dialect, graph, after, at);
    await appendInstanceEvent(trx, {
      instanceId: graph.instanceId,
      event: "PAUSE",
      roleId: role?.id ?? null,
      by: input.by,
      reason: input.reason ?? null,
      at,
    });
    return { instanceId: graph.instanceId, role: role?.apiName ?? null, paused: true, at };
  });
}
