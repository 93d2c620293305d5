/** Routed units placed in their next interactions with their new attributes (hot-path.ts): one prepared statement run per unit. */
import { runSql, type Move } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { encodeValue } from "./params.js";

const MOVE_UNIT = `update units_of_work
set current_interaction_id = ?, status = ?, entered_interaction_at = ?, available_at = ?, due_at = ?, attempt = 0,
  locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null, current_attributes = ?, updated_at = ?
where uow_id = ?`;

export async function moveUnits(trx: AnyKysely, moves: { at: Date; units: readonly Move[] }): Promise<void> {
  const at = encodeValue(moves.at);
  for (const m of moves.units) {
    await runSql(trx, MOVE_UNIT, [
      m.interactionId,
      m.status,
      at,
      at,
      encodeValue(m.dueAt),
      m.currentAttributes,
      at,
      m.uowId,
    ]);
  }
}
