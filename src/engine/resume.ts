/**
 * instances.resume: undoes a pause of the instance or of one role. Checkout and genesis work
 * again, and the stale clocks start where they stopped (pause-clock.ts): a unit that had waited
 * X s before the pause times out limit − X s after the resume. Audited in instance_events.
 */
import { ConflictError } from "../errors.js";
import type { EngineContext } from "./context.js";
import { inTransaction } from "./context.js";
import { appendInstanceEvent } from "./instance-events.js";
import { parseInput } from "./input.js";
import { lockPaused, pausableRole, pauseInput, type PauseResult } from "./pause.js";
import { settleClocks, type Paused } from "./pause-clock.js";

export async function resume(ctx: EngineContext, instance: string, raw: unknown): Promise<PauseResult> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(pauseInput, raw, "instances.resume");
  const role = input.role === undefined ? null : pausableRole(graph, input.role);
  return inTransaction(ctx, async (trx) => {
    const at = ctx.now();
    const paused = await lockPaused(trx, ctx, graph);
    if (role === null) {
      if (!paused.instance)
        throw new ConflictError(`instance '${graph.instanceName}' is not paused; nothing was changed`);
      await trx
        .updateTable("instance_context")
        .set({ status: "ACTIVE" })
        .where("instance_id", "=", graph.instanceId)
        .execute();
    } else {
      if (!paused.roleIds.has(role.id)) {
        throw new ConflictError(`role '${role.apiName}' is not paused; nothing was changed`);
      }
      await trx.updateTable("local_roles").set({ paused_at: null }).where("role_id", "=", role.id).execute();
    }
    const roleIds = new Set(paused.roleIds);
    if (role !== null) roleIds.delete(role.id);
    const after: Paused = { instance: role === null ? false : paused.instance, roleIds };
    await settleClocks(trx, ctx.store.dialect, graph, after, at);
    await appendInstanceEvent(trx, {
      instanceId: graph.instanceId,
      event: "RESUME",
      roleId: role?.id ?? null,
      by: input.by,
      reason: input.reason ?? null,
      at,
    });
    return { instanceId: graph.instanceId, role: role?.apiName ?? null, paused: false, at };
  });
}
