/**
 * work.held: the units an actor holds now, with their leases. A holder that lost an answer
 * (an ambiguous checkout, a restarted agent, a reloaded page) takes its claim up again
 * instead of waiting for the lease to expire. Only the actor itself may be told its leases:
 * the HTTP and MCP layers pass the actor of the token.
 */
import { visibleAttributes, stateOf } from "./attributes.js";
import { findActor } from "./actors.js";
import type { CheckedOutUnit } from "./checkout.js";
import type { EngineContext } from "./context.js";
import { findRole } from "./graph.js";
import { name, parseInput, z } from "./input.js";
import { checkoutRole, leaseExpiry } from "./lease.js";
import { formOf } from "../blueprint/role-settings.js";

const heldInput = z.object({ actorId: name, role: name.optional() }).strict();

/** A held unit as its checkout handed it out, with when its lease runs out (no memory, no OMEGA set). */
export type HeldUnit = Omit<CheckedOutUnit, "memory" | "set"> & { leaseExpiresAt: Date };

export async function held(ctx: EngineContext, instance: string, raw: unknown): Promise<HeldUnit[]> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(heldInput, raw, "work.held");
  const actor = await findActor(ctx.store.db, graph, input.actorId);
  const role = input.role === undefined ? null : findRole(graph, input.role);
  const units = await ctx.store.db
    .selectFrom("units_of_work")
    .selectAll()
    .where("instance_id", "=", graph.instanceId)
    .where("status", "=", "ACTIVE")
    .where("locked_by_actor_id", "=", actor.actorId)
    .where("lease_token", "is not", null)
    .orderBy("last_heartbeat_at")
    .orderBy("uow_id")
    .execute();
  const reader = { trx: ctx.store.db, graph };
  const out: HeldUnit[] = [];
  for (const unit of units) {
    const by = await checkoutRole(reader, unit);
    if (role && by.id !== role.id) continue;
    out.push({
      uowId: unit.uow_id,
      leaseToken: unit.lease_token!,
      role: by.apiName,
      interaction: graph.interactions.get(unit.current_interaction_id)!.apiName,
      workflow: by.workflow.name,
      parentId: unit.parent_id,
      attempt: unit.attempt,
      leaseExpiresAt: leaseExpiry(by, ctx.settings, unit.last_heartbeat_at!),
      form: formOf(by.config),
      attributes: visibleAttributes(stateOf(unit)),
    });
  }
  return out;
}
