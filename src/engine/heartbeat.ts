/** Heartbeat: the holder of a lease says it is still working; its role's lease starts again. */
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import { name, parseInput, z } from "./input.js";
import { assertLease, checkoutRole, leaseExpiry } from "./lease.js";
import { lockUnit, runStep, updateUnit } from "./step.js";

const heartbeatInput = z.object({ uowId: z.string(), leaseToken: z.string(), actorId: name }).strict();

export async function heartbeat(ctx: EngineContext, instance: string, raw: unknown): Promise<{ leaseExpiresAt: Date }> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(heartbeatInput, raw, "work.heartbeat");
  return runStep(ctx, graph, async (step) => {
    const unit = await lockUnit(step, input.uowId);
    assertLease(unit, await findActor(step.trx, graph, input.actorId), input.leaseToken);
    const role = await checkoutRole(step, unit);
    await updateUnit(step, unit, { last_heartbeat_at: step.at });
    ctx.held.touch(input.leaseToken, step.at, { last_heartbeat_at: step.at });
    return { leaseExpiresAt: leaseExpiry(role, ctx.settings, step.at) };
  });
}
