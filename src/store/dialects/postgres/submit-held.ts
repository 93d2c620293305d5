/**
 * Routed submits of held units as one statement (hot-path.ts, submitHeld): the moves, each fenced
 * by its lease and its row's last write, and the versions and audit entries of the units moved
 * only. Run on its own, outside any transaction: one round trip for a whole batch.
 */
import { runSql, type HeldSubmits } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { oneOrArray } from "./one-or-array.js";

/** The moves of a batch, from arrays. */
const MOVE_MANY = `update units_of_work u
  set current_interaction_id = m.interaction_id, status = m.status, entered_interaction_at = $2, available_at = $2,
    due_at = m.due_at, attempt = 0, locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null,
    current_attributes = m.current_attributes::json, updated_at = $2
  from unnest($3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::text[], $8::uuid[], $9::timestamptz[])
    as m(uow_id, interaction_id, status, due_at, current_attributes, lease_token, updated_at)
  where u.uow_id = m.uow_id and u.lease_token = m.lease_token and u.status = 'ACTIVE' and u.updated_at = m.updated_at
  returning u.uow_id`;

/**
 * The move of one unit, from scalars: its generic plan is the plan of any one unit, so
 * PostgreSQL keeps it, where the batch's unnest (ten rows to a generic plan) made it plan the
 * statement again at nearly every call (a probe on the planner counted one plan per step).
 */
const MOVE_ONE = `update units_of_work u
  set current_interaction_id = $4, status = $5, entered_interaction_at = $2, available_at = $2,
    due_at = $6, attempt = 0, locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null,
    current_attributes = $7::json, updated_at = $2
  where u.uow_id = $3 and u.lease_token = $8 and u.status = 'ACTIVE' and u.updated_at = $9
  returning u.uow_id`;

const submitHeldSql = (move: string) => `with moved as (
  ${move}
), versions as (
  insert into uow_attributes (attribute_id, uow_id, instance_id, key, value, version, actor_id, reasoning, created_at)
  select a.attribute_id, a.uow_id, $1, a.key, a.value::json, a.version, a.actor_id, a.reasoning, $2
  from unnest($10::uuid[], $11::uuid[], $12::text[], $13::text[], $14::int[], $15::uuid[], $16::text[])
    as a(attribute_id, uow_id, key, value, version, actor_id, reasoning)
  where a.uow_id in (select uow_id from moved)
), logged as (
  insert into interaction_logs
    (instance_id, uow_id, actor_id, role_id, interaction_id, event, details, "timestamp", lease_token)
  select $1, l.uow_id, l.actor_id, l.role_id, l.interaction_id, l.event, l.details::json, $2, l.lease_token
  from unnest($17::uuid[], $18::uuid[], $19::uuid[], $20::uuid[], $21::text[], $22::text[], $23::uuid[])
    with ordinality as l(uow_id, actor_id, role_id, interaction_id, event, details, lease_token, n)
  where l.uow_id in (select uow_id from moved)
  order by l.n
)
select uow_id from moved`;
const SUBMIT_HELD_MANY = submitHeldSql(MOVE_MANY);
const SUBMIT_HELD_ONE = submitHeldSql(MOVE_ONE);

export async function submitHeld(db: AnyKysely, s: HeldSubmits): Promise<string[]> {
  const { versions: v, logs: l, units: u } = s;
  const one = u.length === 1;
  const each = oneOrArray(u);
  const moved = await runSql<{ uow_id: string }>(db, one ? SUBMIT_HELD_ONE : SUBMIT_HELD_MANY, [
    s.instanceId,
    s.at,
    each((x) => x.move.uowId),
    each((x) => x.move.interactionId),
    each((x) => x.move.status),
    each((x) => x.move.dueAt),
    each((x) => x.move.currentAttributes),
    each((x) => x.fence.leaseToken),
    each((x) => x.fence.updatedAt),
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
  return moved.map((r) => r.uow_id);
}
