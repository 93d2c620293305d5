/** The claimed units ACTIVE under their leases (hot-path.ts): one prepared statement run per unit, inside the step's transaction. */
import { runSql, type Claim } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { encodeValue } from "./params.js";

const MARK_CLAIMED = `update units_of_work
set status = 'ACTIVE', locked_by_actor_id = ?, lease_token = ?, last_heartbeat_at = ?, attempt = attempt + 1,
  updated_at = ?
where uow_id = ?`;

export async function markClaimed(
  trx: AnyKysely,
  claims: { actorId: string; at: Date; units: readonly Claim[] },
): Promise<void> {
  const at = encodeValue(claims.at);
  for (const c of claims.units) await runSql(trx, MARK_CLAIMED, [claims.actorId, c.leaseToken, at, at, c.uowId]);
}
