/**
 * The lease a checkout hands out: submit, fail and heartbeat must present it, from the actor
 * that holds the unit, while the unit is still ACTIVE. A holder whose lease was reclaimed is
 * refused and changes nothing.
 */
import { ConflictError } from "../errors.js";
import { isUuid } from "../schema/ids.js";
import { isJsonObject, type JsonObject } from "../schema/json.js";
import type { ActorRow } from "./actors.js";
import type { Kysely } from "kysely";
import type { InstanceDatabase } from "../schema/tables.js";
import type { RuntimeGraph, RuntimeRole } from "./graph.js";
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
export async function checkoutRole(
  step: { readonly trx: Kysely<InstanceDatabase>; readonly graph: RuntimeGraph },
  unit: UnitRow,
): Promise<RuntimeRole> {
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

/**
 * Marks the step's main entry for the unit (the last one it logged for it) as the one that
 * consumed this lease, with the result the caller was given, so a repeat can be answered.
 */
export function consumeLease(step: Step, uowId: string, leaseToken: string, result: JsonObject): void {
  const entry = step.logs.findLast((e) => e.uowId === uowId);
  if (!entry) throw new Error(`unit ${uowId}: the step logged nothing to consume the lease with`);
  entry.leaseToken = leaseToken;
  entry.details = { ...entry.details, result };
}

/**
 * The result of the submit or failure that already consumed this lease of this actor, or null.
 * A call repeated after its answer was lost (a dropped connection, a retried request) gets the
 * first answer instead of a conflict.
 */
export async function consumedLeaseResult(
  step: Step,
  unit: UnitRow,
  actor: ActorRow,
  leaseToken: string,
): Promise<JsonObject | null> {
  if (!isUuid(leaseToken)) return null;
  const entry = await step.trx
    .selectFrom("interaction_logs")
    .select(["actor_id", "details"])
    .where("uow_id", "=", unit.uow_id)
    .where("lease_token", "=", leaseToken)
    .executeTakeFirst();
  if (!entry || entry.actor_id !== actor.actorId || !isJsonObject(entry.details)) return null;
  const result = entry.details.result;
  return isJsonObject(result) ? result : null;
}
