/**
 * A routed submit of a held unit as one statement (hot-path.ts, submitHeld): the move, fenced by
 * the lease and the row's last write, and the versions and audit entries only where the move was
 * made. Run on its own, outside any transaction: one round trip.
 */
import { runSql, type HeldSubmit } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const SUBMIT_HELD = `with moved as (
  update units_of_work
  set current_interaction_id = $3, status = $4, entered_interaction_at = $2, available_at = $2, due_at = $5,
    attempt = 0, locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null,
    current_attributes = $6::json, updated_at = $2
  where uow_id = $7 and lease_token = $8 and status = 'ACTIVE' and updated_at = $9
  returning uow_id
), versions as (
  insert into uow_attributes (attribute_id, uow_id, instance_id, key, value, version, actor_id, reasoning, created_at)
  select a.attribute_id, a.uow_id, $1, a.key, a.value::json, a.version, a.actor_id, a.reasoning, $2
  from unnest($10::uuid[], $11::uuid[], $12::text[], $13::text[], $14::int[], $15::uuid[], $16::text[])
    as a(attribute_id, uow_id, key, value, version, actor_id, reasoning)
  where exists (select 1 from moved)
), logged as (
  insert into interaction_logs
    (instance_id, uow_id, actor_id, role_id, interaction_id, event, details, "timestamp", lease_token)
  select $1, l.uow_id, l.actor_id, l.role_id, l.interaction_id, l.event, l.details::json, $2, l.lease_token
  from unnest($17::uuid[], $18::uuid[], $19::uuid[], $20::uuid[], $21::text[], $22::text[], $23::uuid[])
    with ordinality as l(uow_id, actor_id, role_id, interaction_id, event, details, lease_token, n)
  where exists (select 1 from moved)
  order by l.n
)
select uow_id from moved`;

export async function submitHeld(db: AnyKysely, s: HeldSubmit): Promise<boolean> {
  const { versions: v, logs: l, move: m } = s;
  const moved = await runSql(db, SUBMIT_HELD, [
    s.instanceId,
    s.at,
    m.interactionId,
    m.status,
    m.dueAt,
    m.currentAttributes,
    m.uowId,
    s.fence.leaseToken,
    s.fence.updatedAt,
    v.map((a) => a.attribute_id),
    v.map((a) => a.uow_id),
    v.map((a) => a.key),
    v.map((a) => a.value),
    v.map((a) => a.version),
    v.map((a) => a.actor_id),
    v.map((a) => a.reasoning),
    l.map((e) => e.uow_id),
    l.map((e) => e.actor_id),
    l.map((e) => e.role_id),
    l.map((e) => e.interaction_id),
    l.map((e) => e.event),
    l.map((e) => e.details),
    l.map((e) => e.lease_token),
  ]);
  return moved.length === 1;
}
