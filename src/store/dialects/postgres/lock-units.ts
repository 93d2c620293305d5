/** Units of an instance locked for a submit (hot-path.ts), waiting for a concurrent claim, in id order. */
import { runSql, type UnitRecord } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const LOCK_UNITS = `select * from units_of_work
where instance_id = $1 and uow_id = any($2::uuid[])
order by uow_id
for update`;

export function lockUnits(trx: AnyKysely, q: { instanceId: string; uowIds: readonly string[] }): Promise<UnitRecord[]> {
  return runSql<UnitRecord>(trx, LOCK_UNITS, [q.instanceId, q.uowIds]);
}
