/**
 * Claiming heads of one queue (hot-path.ts): the first units available at one priority, locked,
 * skipping those another transaction holds. The index is forced: for a claim from a unit
 * (`available_at > ? or uow_id >= ?`) MariaDB 10.11 chose an index merge of
 * ix_units_of_work_ready with the primary key and a filesort, and under that plan SKIP LOCKED
 * skipped the unit another checkout held and then returned nothing, not the unit behind it.
 */
import { runSql, type HeadsQuery, type UnitRecord } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { preparedMemoized } from "./prepared.js";

const headsSql = preparedMemoized(
  (shape: string) => `select * from units_of_work force index (ix_units_of_work_ready)
where current_interaction_id = ? and status = ? and priority = ? and available_at <= ?${
    shape.includes("from")
      ? ` and available_at >= ? and (available_at > ? or uow_id ${shape.includes("inclusive") ? ">=" : ">"} ?)`
      : ""
  }${shape.includes("omega") ? " and parent_id is null and finished_child_count = child_count" : ""}
order by available_at, uow_id
limit ?
for update skip locked`,
);

export function claimHeads(trx: AnyKysely, q: HeadsQuery): Promise<UnitRecord[]> {
  const shape = [q.from ? "from" : "", q.from?.inclusive ? "inclusive" : "", q.omega ? "omega" : ""].join(":");
  const params: unknown[] = [q.interactionId, q.status, q.priority, q.at];
  if (q.from) params.push(q.from.at, q.from.at, q.from.uowId);
  params.push(q.limit);
  return runSql<UnitRecord>(trx, headsSql(shape), params);
}
