/**
 * A whole checkout of a role that takes its queue's head without looking at it, as one
 * statement (hot-path.ts, gateAndClaim): the gate (assignment, pauses, top priority waiting),
 * the memory the actor is served, and, when the gate lets the actor in, the heads of that
 * priority locked skipping those another transaction holds, marked ACTIVE under the leases given
 * and logged with a CHECKOUT entry each, naming the shared memory entries served. One round
 * trip where checkoutGate, the memory read and claimAndLog were three; an empty queue or a
 * refused gate writes nothing, so its commit needs no flush.
 *
 * The final select is the gate row joined to the claimed units: one row with empty unit
 * columns when none was claimed. The memory rides on the first row only.
 */
import { runSql, type GateAndClaim, type GateAndClaimQuery, type MemoryRow, type UnitRecord } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { MARK_HEADS_CLAIMED } from "./claim-and-log.js";

const GATE_AND_CLAIM = `with gate as (
  select
    (select status from local_actor_role_assignments where actor_id = $6 and role_id = $8) as assignment,
    (select paused_at is not null from local_roles where role_id = $8) as role_paused,
    (select status = 'PAUSED' from instance_context where instance_id = $9) as instance_paused,
    (select priority from units_of_work where current_interaction_id = $1 and status = $2 and priority is not null
      order by priority desc limit 1) as level
), memory as (
  select memory_id, key, value, actor_id, last_accessed_at from local_role_attributes
  where role_id = $8 and is_toxic = false and (actor_id is null or actor_id = $6)
), heads as (
  select uow_id, available_at from units_of_work
  where current_interaction_id = $1 and status = $2 and available_at <= $4
    and priority = (select level from gate
      where ($3::boolean or assignment = 'ACTIVE') and role_paused is not true and instance_paused is not true)
  order by available_at, uow_id
  limit $5
  for update skip locked
), ${MARK_HEADS_CLAIMED}, logged as (
  insert into interaction_logs (instance_id, uow_id, actor_id, role_id, interaction_id, event, details, "timestamp")
  select c.instance_id, c.uow_id, $6, $8, c.current_interaction_id, 'CHECKOUT',
    json_build_object('attempt', c.attempt, 'memory',
      (select coalesce(json_agg(m.memory_id order by m.key), '[]'::json) from memory m
       where m.actor_id is null and not exists (select 1 from memory o where o.key = m.key and o.actor_id is not null))),
    $4
  from claimed c
  order by c.available_at, c.uow_id
)
select g.assignment as gate_assignment, g.role_paused as gate_role_paused, g.instance_paused as gate_instance_paused,
  g.level as gate_level,
  case when c.claim_order is null or c.claim_order = 1 then
    (select coalesce(json_agg(json_build_object('memory_id', m.memory_id, 'key', m.key, 'value', m.value,
      'actor_id', m.actor_id, 'last_accessed_at', m.last_accessed_at) order by m.key), '[]'::json) from memory m)
  end as served_memory,
  c.*
from gate g
  left join (select claimed.*, row_number() over (order by available_at, uow_id) as claim_order from claimed) c on true
order by c.claim_order`;

type Row = UnitRecord & {
  gate_assignment: string | null;
  gate_role_paused: boolean | null;
  gate_instance_paused: boolean | null;
  gate_level: number | string | null;
  /** JSON text (the driver hands JSON back as text): the memory rows, on the first row only. */
  served_memory: string | null;
  claim_order: number | string | null;
};

type ServedJson = Omit<MemoryRow, "last_accessed_at"> & { last_accessed_at: string | null };

export async function gateAndClaim(db: AnyKysely, q: GateAndClaimQuery): Promise<GateAndClaim> {
  const rows = await runSql<Row>(db, GATE_AND_CLAIM, [
    q.interactionId,
    q.status,
    q.system,
    q.at,
    q.limit,
    q.actorId,
    q.leaseTokens,
    q.roleId,
    q.instanceId,
  ]);
  const first = rows[0]!;
  const units = rows
    .filter((r) => r.uow_id !== null)
    .map((r) => {
      const {
        gate_assignment: _a,
        gate_role_paused: _r,
        gate_instance_paused: _i,
        gate_level: _l,
        served_memory: _m,
        claim_order: _o,
        ...unit
      } = r;
      return unit as UnitRecord;
    });
  return {
    gate: {
      assignment: first.gate_assignment ?? null,
      rolePaused: first.gate_role_paused === true,
      instancePaused: first.gate_instance_paused === true,
      levels: [first.gate_level === null ? null : Number(first.gate_level)],
    },
    memory: (JSON.parse(first.served_memory ?? "[]") as ServedJson[]).map((m) => ({
      ...m,
      last_accessed_at: m.last_accessed_at === null ? null : new Date(m.last_accessed_at),
    })),
    units,
  };
}
