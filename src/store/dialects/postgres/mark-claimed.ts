/** The claimed units ACTIVE under their leases (hot-path.ts): one statement for a whole batch. */
import { runSql, type Claim } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const MARK_CLAIMED = `update units_of_work u
set status = 'ACTIVE', locked_by_actor_id = $1, lease_token = c.lease_token, last_heartbeat_at = $2,
  attempt = u.attempt + 1, updated_at = $2
from unnest($3::uuid[], $4::uuid[]) as c(uow_id, lease_token)
where u.uow_id = c.uow_id`;

/**
 * One claim by scalars: PostgreSQL keeps this statement's generic plan, where it planned the
 * array one again at every call (docs/engine.md, "Prepared statements on PostgreSQL").
 */
const MARK_ONE_CLAIMED = `update units_of_work
set status = 'ACTIVE', locked_by_actor_id = $1, lease_token = $4, last_heartbeat_at = $2,
  attempt = attempt + 1, updated_at = $2
where uow_id = $3`;

export async function markClaimed(
  trx: AnyKysely,
  claims: { actorId: string; at: Date; units: readonly Claim[] },
): Promise<void> {
  const only = claims.units.length === 1 ? claims.units[0]! : null;
  if (only) {
    await runSql(trx, MARK_ONE_CLAIMED, [claims.actorId, claims.at, only.uowId, only.leaseToken]);
    return;
  }
  await runSql(trx, MARK_CLAIMED, [
    claims.actorId,
    claims.at,
    claims.units.map((c) => c.uowId),
    claims.units.map((c) => c.leaseToken),
  ]);
}
