/** Units of an instance locked for a submit (hot-path.ts), waiting for a concurrent claim, in id order. */
import { runSql, type UnitRecord } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { preparedMemoized } from "./prepared.js";

const lockSql = preparedMemoized(
  (count: number) => `select * from units_of_work
where instance_id = ? and uow_id in (${Array.from({ length: count }, () => "?").join(", ")})
order by uow_id
for update`,
);

export function lockUnits(trx: AnyKysely, q: { instanceId: string; uowIds: readonly string[] }): Promise<UnitRecord[]> {
  return runSql<UnitRecord>(trx, lockSql(q.uowIds.length), [q.instanceId, ...q.uowIds]);
}
