/**
 * The lease a checkout hands out: submit, fail and heartbeat must present it, from the actor
 * that holds the unit, while the unit is still ACTIVE. A holder whose lease was reclaimed is
 * refused and changes nothing.
 */
import { ConflictError } from "../errors.js";
import { isUuid } from "../schema/ids.js";
import type { ActorRow } from "./actors.js";
import type { RuntimeRole } from "./graph.js";
import type { Step, UnitRow } from "./step.js";

export function assertLease(unit: UnitRow, actor: ActorRow, leaseToken: string): void {
  const held = unit.status === "ACTIVE" && unit.lease_token !== null;
  if (!held || !isUuid(leaseToken) || unit.lease_token !== leaseToken || unit.locked_by_actor_id !== actor.actorId) {
    const now = held
      ? `held under another lease`
      : `${unit.status}${unit.lease_token === null ? ", not checked out" : ""}`;
    throw new ConflictError(
      `unit ${unit.uow_id}: lease ${String(leaseToken)} of actor '${actor.name}' is not the current lease (the unit is ${now}); nothing was changed`,
    );
  }
}

/**
 * The role a unit was checked out for: the one consumer of its interaction that takes units
 * of its kind, or, where several roles consume the same interaction, the role of its last
 * CHECKOUT entry.
 */
export async function checkoutRole(step: Step, unit: UnitRow): Promise<RuntimeRole> {
  const interaction = step.graph.interactions.get(unit.current_interaction_id)!;
  const wanted =
    interaction.kind === "errors"
      ? ["EPSILON"]
      : interaction.kind === "timeouts"
        ? ["TAU"]
        : interaction.kind === "cerberus"
          ? ["OMEGA"]
          : ["BETA", "HUMAN", "AI_AGENT", "AUTO"];
  const candidates = [...new Set(interaction.consumers.map((c) => c.role))].filter((r) => wanted.includes(r.type));
  if (candidates.length === 1) return candidates[0]!;
  const last = await step.trx
    .selectFrom("interaction_logs")
    .select("role_id")
    .where("uow_id", "=", unit.uow_id)
    .where("event", "=", "CHECKOUT")
    .orderBy("log_id", "desc")
    .limit(1)
    .executeTakeFirst();
  const role = last?.role_id ? step.graph.roles.get(last.role_id) : undefined;
  if (!role) throw new Error(`unit ${unit.uow_id} is ACTIVE in ${interaction.apiName} without a checkout role`);
  return role;
}
