/**
 * The lease a checkout hands out: submit, fail and heartbeat must present it, from the actor
 * that holds the unit, while the unit is still ACTIVE. A holder whose lease was reclaimed is
 * refused and changes nothing.
 */
import { ConflictError } from "../errors.js";
import { isUuid, newId, uuidTimeMs } from "../schema/ids.js";
import { isJsonObject, type JsonObject } from "../schema/json.js";
import type { ActorRow } from "./actors.js";
import type { Kysely } from "kysely";
import type { InstanceDatabase } from "../schema/tables.js";
import { HUMAN_LEASE_SECONDS } from "../blueprint/role-settings.js";
import type { EngineSettings } from "./context.js";
import type { RuntimeGraph, RuntimeInteraction, RuntimeRole } from "./graph.js";
import type { Step, UnitRow } from "./step.js";

/**
 * A new lease token: a version 7 UUID stamped with the engine's time of the checkout, so that
 * how long a unit was held (the step duration the observers hear) is read from the token
 * itself, without a column or a read.
 */
export function newLeaseToken(at: Date): string {
  return newId(at);
}

/** When a lease token made by newLeaseToken was handed out, in epoch milliseconds of the engine's clock. */
export function leaseIssuedAt(leaseToken: string): number {
  return uuidTimeMs(leaseToken);
}

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
  const candidates = leaseRoles(interaction);
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

/** The roles that may hold a unit of this interaction under a lease: its consumers that take units of its kind. */
export function leaseRoles(interaction: RuntimeInteraction): RuntimeRole[] {
  const wanted =
    interaction.kind === "errors"
      ? ["EPSILON"]
      : interaction.kind === "timeouts"
        ? ["TAU"]
        : interaction.kind === "cerberus"
          ? ["OMEGA"]
          : ["BETA", "HUMAN", "AI_AGENT", "AUTO"];
  return [...new Set(interaction.consumers.map((c) => c.role))].filter((r) => wanted.includes(r.type));
}

/**
 * Seconds a lease of this role lasts without a heartbeat: the role's `lease_seconds`, else for
 * a HUMAN role the `humanLeaseTimeoutSeconds` setting (a working day), else the engine-wide
 * `leaseTimeoutSeconds` (docs/engine.md, "Leases per role").
 */
export function leaseSecondsOf(role: RuntimeRole, settings: EngineSettings): number {
  const own = role.config?.["lease_seconds"];
  if (typeof own === "number") return own;
  return role.type === "HUMAN" ? settings.humanLeaseTimeoutSeconds : settings.leaseTimeoutSeconds;
}

/** Checkouts of one unit in one step before an expired lease fails it: the role's `max_attempts`, else the setting. */
export function maxAttemptsOf(role: RuntimeRole, settings: EngineSettings): number {
  const own = role.config?.["max_attempts"];
  return typeof own === "number" ? own : settings.maxAttempts;
}

/** When a lease of `role` renewed at `at` runs out. */
export function leaseExpiry(role: RuntimeRole, settings: EngineSettings, at: Date): Date {
  return new Date(at.getTime() + leaseSecondsOf(role, settings) * 1000);
}

export { HUMAN_LEASE_SECONDS };

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
