/** Claiming heads of one queue (hot-path.ts): the first units available at one priority, locked, skipping those another transaction holds. */
import { memoized, runSql, type HeadsQuery, type UnitRecord } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const headsSql = memoized(
  (shape: string) => `select * from units_of_work
where current_interaction_id = $1 and status = $2 and priority = $3 and available_at <= $4${
    shape.includes("from")
      ? ` and available_at >= $6 and (available_at > $6 or uow_id ${shape.includes("inclusive") ? ">=" : ">"} $7)`
      : ""
  }${shape.includes("omega") ? " and parent_id is null and finished_child_count = child_count" : ""}
order by available_at, uow_id
limit $5
for update skip locked`,
);

export function claimHeads(trx: AnyKysely, q: HeadsQuery): Promise<UnitRecord[]> {
  const shape = [q.from ? "from" : "", q.from?.inclusive ? "inclusive" : "", q.omega ? "omega" : ""].join(":");
  const params: unknown[] = [q.interactionId, q.status, q.priority, q.at, q.limit];
  if (q.from) params.push(q.from.at, q.from.uowId);
  return runSql<UnitRecord>(trx, headsSql(shape), params);
}
