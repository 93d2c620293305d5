/** The audit entries of one step (hot-path.ts), in their order: one multi-row statement per slice of the bind limit and the statement budget. */
import { placeholderRows, runSql, slices, type LogRow } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { preparedMemoized } from "./prepared.js";
import { bytesOf, STATEMENT_BYTES } from "./statement-bytes.js";

const PER_ROW = 9;
const insertSql = preparedMemoized(
  (count: number) =>
    "insert into interaction_logs (instance_id, uow_id, actor_id, role_id, interaction_id, event, details, `timestamp`, lease_token) values " +
    placeholderRows(count, PER_ROW),
);

export async function insertLogs(
  trx: AnyKysely,
  entries: { instanceId: string; at: Date; rows: readonly LogRow[] },
  maxParameters: number,
): Promise<void> {
  const bytes = { of: (e: LogRow) => bytesOf(e.details), max: STATEMENT_BYTES };
  for (const slice of slices(entries.rows, PER_ROW, maxParameters, bytes)) {
    await runSql(
      trx,
      insertSql(slice.length),
      slice.flatMap((e) => [
        entries.instanceId,
        e.uow_id,
        e.actor_id,
        e.role_id,
        e.interaction_id,
        e.event,
        e.details,
        entries.at,
        e.lease_token,
      ]),
    );
  }
}
