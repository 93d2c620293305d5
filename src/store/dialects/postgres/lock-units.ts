/** Units of an instance locked for a submit (hot-path.ts), waiting for a concurrent claim, in id order. */
import { runSql, type UnitRecord } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const LOCK_UNITS = `select * from units_of_work
where instance_id = $1 and uow_id = any($2::uuid[])
order by uow_id
for update`;

/**
 * One unit by a scalar: PostgreSQL keeps this statement's generic plan, where it planned the
 * array one again at every call (docs/engine.md, "Prepared statements on PostgreSQL").
 */
const LOCK_UNIT = `select * from units_of_work
where instance_id = $1 and uow_id = $2
for update`;

export function lockUnits(trx: AnyKysely, q: { instanceId: string; uowIds: readonly string[] }): Promise<UnitRecord[]> {
  if (q.uowIds.length === 1) return runSql<UnitRecord>(trx, LOCK_UNIT, [q.instanceId, q.uowIds[0]]);
  return runSql<UnitRecord>(trx, LOCK_UNITS, [q.instanceId, q.uowIds]);
}
