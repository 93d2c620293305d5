/**
 * A checkout's whole claim as one statement (hot-path.ts, claimAndLog): the heads of one queue
 * at one priority, locked skipping those another transaction holds, marked ACTIVE under the
 * leases given (in queue order), and a CHECKOUT entry for each. Run on its own, outside any
 * transaction: one round trip.
 */
import { memoized, runSql, type ClaimQuery, type UnitRecord } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

/**
 * The CTEs that mark the `heads` CTE's units ACTIVE under the leases given in $7 (in queue
 * order), held by $6 at $4, as `claimed`: shared with gate-and-claim, whose heads come from
 * the gate.
 */
export const MARK_HEADS_CLAIMED = `numbered as (
  select uow_id, row_number() over (order by available_at, uow_id) as n from heads
), claimed as (
  update units_of_work u
  set status = 'ACTIVE', locked_by_actor_id = $6, lease_token = t.lease_token, last_heartbeat_at = $4,
    attempt = u.attempt + 1, updated_at = $4
  from numbered h join unnest($7::uuid[]) with ordinality as t(lease_token, n) on t.n = h.n
  where u.uow_id = h.uow_id
  returning u.*
)`;

const claimSql = memoized(
  (shape: string) => `with heads as (
  select uow_id, available_at from units_of_work
  where current_interaction_id = $1 and status = $2 and priority = $3 and available_at <= $4${
    shape.includes("from")
      ? ` and available_at >= $10 and (available_at > $10 or uow_id ${shape.includes("inclusive") ? ">=" : ">"} $11)`
      : ""
  }
  order by available_at, uow_id
  limit $5
  for update skip locked
), ${MARK_HEADS_CLAIMED}, logged as (
  insert into interaction_logs (instance_id, uow_id, actor_id, role_id, interaction_id, event, details, "timestamp")
  select c.instance_id, c.uow_id, $6, $8, c.current_interaction_id, 'CHECKOUT',
    json_build_object('attempt', c.attempt, 'memory', $9::json), $4
  from claimed c
  order by c.available_at, c.uow_id
)
select * from claimed order by available_at, uow_id`,
);

export function claimAndLog(db: AnyKysely, q: ClaimQuery): Promise<UnitRecord[]> {
  const shape = [q.from ? "from" : "", q.from?.inclusive ? "inclusive" : ""].join(":");
  const params: unknown[] = [
    q.interactionId,
    q.status,
    q.priority,
    q.at,
    q.limit,
    q.actorId,
    q.leaseTokens,
    q.roleId,
    q.memoryIds,
  ];
  if (q.from) params.push(q.from.at, q.from.uowId);
  return runSql<UnitRecord>(db, claimSql(shape), params);
}
