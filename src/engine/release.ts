/**
 * work.release: the holder gives a unit back before its lease runs out (a worker that stops
 * without finishing). The unit returns to the status and place it was checked out from, like
 * a reclaim, and keeps its attempt count (place.ts, putBack).
 */
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import { name, parseInput, z } from "./input.js";
import { assertLease, checkoutRole } from "./lease.js";
import { putBack } from "./place.js";
import { lockUnit, runStep } from "./step.js";

const releaseInput = z
  .object({ uowId: z.string(), leaseToken: z.string(), actorId: name, reason: z.string().max(65_535).optional() })
  .strict();

export async function release(
  ctx: EngineContext,
  instance: string,
  raw: unknown,
): Promise<{ uowId: string; status: string; interaction: string }> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(releaseInput, raw, "work.release");
  ctx.held.take(input.leaseToken); // a release ends the hold whatever it answers
  return runStep(ctx, graph, async (step) => {
    const unit = await lockUnit(step, input.uowId);
    const actor = await findActor(step.trx, graph, input.actorId);
    assertLease(unit, actor, input.leaseToken);
    const role = await checkoutRole(step, unit);
    const { status, interaction } = await putBack(step, unit, {
      actorId: actor.actorId,
      roleId: role.id,
      details: { released: true, reason: input.reason ?? null },
    });
    return { uowId: unit.uow_id, status, interaction: interaction.apiName };
  });
}
