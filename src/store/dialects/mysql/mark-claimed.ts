/**
 * The claimed units ACTIVE under their leases (hot-path.ts): one statement for a whole batch,
 * each unit's lease picked by a CASE (MySQL has no array parameters, and a derived table of
 * literals would compare ids across collations).
 */
import { runSql, type Claim } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { preparedMemoized } from "./prepared.js";

const markSql = preparedMemoized((count: number) => {
  const marks = Array.from({ length: count }, () => "?").join(", ");
  return `update units_of_work
set status = 'ACTIVE', locked_by_actor_id = ?, lease_token = case uow_id${" when ? then ?".repeat(count)} end,
  last_heartbeat_at = ?, attempt = attempt + 1, updated_at = ?
where uow_id in (${marks})`;
});

export async function markClaimed(
  trx: AnyKysely,
  claims: { actorId: string; at: Date; units: readonly Claim[] },
): Promise<void> {
  const u = claims.units;
  await runSql(trx, markSql(u.length), [
    claims.actorId,
    ...u.flatMap((c) => [c.uowId, c.leaseToken]),
    claims.at,
    claims.at,
    ...u.map((c) => c.uowId),
  ]);
}
