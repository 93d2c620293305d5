/** Routed units placed in their next interactions with their new attributes (hot-path.ts): one statement for a batch. */
import { runSql, type Move } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const MOVE_UNITS = `update units_of_work u
set current_interaction_id = m.interaction_id, status = m.status, entered_interaction_at = $1, available_at = $1,
  due_at = m.due_at, attempt = 0, locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null,
  current_attributes = m.current_attributes::json, updated_at = $1
from unnest($2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[])
  as m(uow_id, interaction_id, status, due_at, current_attributes)
where u.uow_id = m.uow_id`;

export async function moveUnits(trx: AnyKysely, moves: { at: Date; units: readonly Move[] }): Promise<void> {
  const u = moves.units;
  await runSql(trx, MOVE_UNITS, [
    moves.at,
    u.map((m) => m.uowId),
    u.map((m) => m.interactionId),
    u.map((m) => m.status),
    u.map((m) => m.dueAt),
    u.map((m) => m.currentAttributes),
  ]);
}
