/**
 * The writes of a batch of routed submits as one statement (hot-path.ts, writeSubmits): the
 * attribute versions, the moves and the step's audit entries, each a data-modifying CTE over
 * arrays. Every CTE runs whether or not the final SELECT reads it, so empty arrays are fine.
 */
import { runSql } from "../hot-path.js";
import type { HotPath } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { oneOrArray } from "./one-or-array.js";

/** The moves of a batch (or none), from arrays. */
const MOVE_MANY = `update units_of_work u
  set current_interaction_id = m.interaction_id, status = m.status, entered_interaction_at = $2, available_at = $2,
    due_at = m.due_at, attempt = 0, locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null,
    current_attributes = m.current_attributes::json, updated_at = $2
  from unnest($10::uuid[], $11::uuid[], $12::text[], $13::timestamptz[], $14::text[])
    as m(uow_id, interaction_id, status, due_at, current_attributes)
  where u.uow_id = m.uow_id`;

/**
 * The move of one unit, from scalars, so that PostgreSQL keeps the statement's generic plan:
 * with unnest it planned it again at every call (docs/engine.md, "Prepared statements on
 * PostgreSQL"; postgres/submit-held.ts has the same two moves).
 */
const MOVE_ONE = `update units_of_work u
  set current_interaction_id = $11, status = $12, entered_interaction_at = $2, available_at = $2,
    due_at = $13, attempt = 0, locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null,
    current_attributes = $14::json, updated_at = $2
  where u.uow_id = $10`;

const writeSubmitsSql = (move: string) => `with versions as (
  insert into uow_attributes (attribute_id, uow_id, instance_id, key, value, version, actor_id, reasoning, created_at)
  select a.attribute_id, a.uow_id, $1, a.key, a.value::json, a.version, a.actor_id, a.reasoning, $2
  from unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int[], $8::uuid[], $9::text[])
    as a(attribute_id, uow_id, key, value, version, actor_id, reasoning)
), moved as (
  ${move}
), logged as (
  insert into interaction_logs
    (instance_id, uow_id, actor_id, role_id, interaction_id, event, details, "timestamp", lease_token)
  select $1, l.uow_id, l.actor_id, l.role_id, l.interaction_id, l.event, l.details::json, $2, l.lease_token
  from unnest($15::uuid[], $16::uuid[], $17::uuid[], $18::uuid[], $19::text[], $20::text[], $21::uuid[])
    with ordinality as l(uow_id, actor_id, role_id, interaction_id, event, details, lease_token, n)
  order by l.n
)
select 1`;
const WRITE_SUBMITS_MANY = writeSubmitsSql(MOVE_MANY);
const WRITE_SUBMITS_ONE = writeSubmitsSql(MOVE_ONE);

export const writeSubmits: HotPath["writeSubmits"] = async (trx: AnyKysely, w) => {
  const { versions: v, moves: m, logs: l } = w;
  const one = m.length === 1;
  const each = oneOrArray(m);
  await runSql(trx, one ? WRITE_SUBMITS_ONE : WRITE_SUBMITS_MANY, [
    w.instanceId,
    w.at,
    v.map((a) => a.attribute_id),
    v.map((a) => a.uow_id),
    v.map((a) => a.key),
    v.map((a) => a.value),
    v.map((a) => a.version),
    v.map((a) => a.actor_id),
    v.map((a) => a.reasoning),
    each((x) => x.uowId),
    each((x) => x.interactionId),
    each((x) => x.status),
    each((x) => x.dueAt),
    each((x) => x.currentAttributes),
    l.map((e) => e.uow_id),
    l.map((e) => e.actor_id),
    l.map((e) => e.role_id),
    l.map((e) => e.interaction_id),
    l.map((e) => e.event),
    l.map((e) => e.details),
    l.map((e) => e.lease_token),
  ]);
};
