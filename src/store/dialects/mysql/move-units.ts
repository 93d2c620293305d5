/**
 * Routed units placed in their next interactions with their new attributes (hot-path.ts): one
 * statement per slice of the statement budget (statement-bytes.ts), a CASE per column that differs.
 */
import { runSql, slices, type Move } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { preparedMemoized } from "./prepared.js";
import { bytesOf, STATEMENT_BYTES } from "./statement-bytes.js";

/** Bind parameters per unit: two for each CASE, and the id of the IN list. */
const PER_UNIT = 9;

const moveSql = preparedMemoized((count: number) => {
  const each = ` when ? then ?`.repeat(count);
  return `update units_of_work
set current_interaction_id = case uow_id${each} end, status = case uow_id${each} end,
  due_at = case uow_id${each} end, current_attributes = case uow_id${each} end,
  entered_interaction_at = ?, available_at = ?, attempt = 0, locked_by_actor_id = null, lease_token = null,
  last_heartbeat_at = null, updated_at = ?
where uow_id in (${Array.from({ length: count }, () => "?").join(", ")})`;
});

export async function moveUnits(
  trx: AnyKysely,
  moves: { at: Date; units: readonly Move[] },
  maxParameters: number,
): Promise<void> {
  const bytes = { of: (m: Move) => bytesOf(m.currentAttributes), max: STATEMENT_BYTES };
  for (const slice of slices(moves.units, PER_UNIT, maxParameters, bytes)) await moveSlice(trx, moves.at, slice);
}

async function moveSlice(trx: AnyKysely, at: Date, u: readonly Move[]): Promise<void> {
  await runSql(trx, moveSql(u.length), [
    ...u.flatMap((m) => [m.uowId, m.interactionId]),
    ...u.flatMap((m) => [m.uowId, m.status]),
    ...u.flatMap((m) => [m.uowId, m.dueAt]),
    ...u.flatMap((m) => [m.uowId, m.currentAttributes]),
    at,
    at,
    at,
    ...u.map((m) => m.uowId),
  ]);
}
