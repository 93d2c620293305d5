/** A held unit routed on (hot-path.ts, moveHeldUnit): one statement, fenced by its lease and its last write. */
import { runSqlCount, type MoveHeldUnit } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { prepared } from "./prepared.js";

const MOVE_HELD_UNIT = prepared(`update units_of_work
set current_interaction_id = ?, status = ?, entered_interaction_at = ?, available_at = ?, due_at = ?, attempt = 0,
  locked_by_actor_id = null, lease_token = null, last_heartbeat_at = null, current_attributes = ?, updated_at = ?
where uow_id = ? and lease_token = ? and status = 'ACTIVE' and updated_at = ?`);

export const moveHeldUnit: MoveHeldUnit = async (trx: AnyKysely, s) => {
  const at = s.at;
  const m = s.move;
  const changed = await runSqlCount(trx, MOVE_HELD_UNIT, [
    m.interactionId,
    m.status,
    at,
    at,
    m.dueAt,
    m.currentAttributes,
    at,
    m.uowId,
    s.fence.leaseToken,
    s.fence.updatedAt,
  ]);
  return changed === 1;
};
