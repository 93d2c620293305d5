/** Routed units placed in their next interactions with their new attributes (hot-path.ts): one statement for a batch, a CASE per column that differs. */
import { memoized, runSql, type Move } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const moveSql = memoized((count: number) => {
  const each = ` when ? then ?`.repeat(count);
  return `update units_of_work
set current_interaction_id = case uow_id${each} end, status = case uow_id${each} end,
  due_at = case uow_id${each} end, current_attributes = case uow_id${each} end,
  entered_interaction_at = ?, available_at = ?, attempt = 0, locked_by_actor_id = null, lease_token = null,
  last_heartbeat_at = null, updated_at = ?
where uow_id in (${Array.from({ length: count }, () => "?").join(", ")})`;
});

export async function moveUnits(trx: AnyKysely, moves: { at: Date; units: readonly Move[] }): Promise<void> {
  const u = moves.units;
  await runSql(trx, moveSql(u.length), [
    ...u.flatMap((m) => [m.uowId, m.interactionId]),
    ...u.flatMap((m) => [m.uowId, m.status]),
    ...u.flatMap((m) => [m.uowId, m.dueAt]),
    ...u.flatMap((m) => [m.uowId, m.currentAttributes]),
    moves.at,
    moves.at,
    moves.at,
    ...u.map((m) => m.uowId),
  ]);
}
