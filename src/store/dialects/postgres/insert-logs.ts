/** The audit entries of one step (hot-path.ts), in their order: one statement whatever their number. */
import { runSql, type LogRow } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const INSERT_LOGS = `insert into interaction_logs
  (instance_id, uow_id, actor_id, role_id, interaction_id, event, details, "timestamp", lease_token)
select $1, l.uow_id, l.actor_id, l.role_id, l.interaction_id, l.event, l.details::json, $2, l.lease_token
from unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::uuid[])
  with ordinality as l(uow_id, actor_id, role_id, interaction_id, event, details, lease_token, n)
order by l.n`;

export async function insertLogs(
  trx: AnyKysely,
  entries: { instanceId: string; at: Date; rows: readonly LogRow[] },
): Promise<void> {
  const r = entries.rows;
  await runSql(trx, INSERT_LOGS, [
    entries.instanceId,
    entries.at,
    r.map((e) => e.uow_id),
    r.map((e) => e.actor_id),
    r.map((e) => e.role_id),
    r.map((e) => e.interaction_id),
    r.map((e) => e.event),
    r.map((e) => e.details),
    r.map((e) => e.lease_token),
  ]);
}
