/** The attribute versions of one step (hot-path.ts): one statement whatever their number. */
import { runSql, type AttributeRow } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const INSERT_VERSIONS = `insert into uow_attributes
  (attribute_id, uow_id, instance_id, key, value, version, actor_id, reasoning, created_at)
select a.attribute_id, a.uow_id, $1, a.key, a.value::json, a.version, a.actor_id, a.reasoning, $2
from unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int[], $8::uuid[], $9::text[])
  as a(attribute_id, uow_id, key, value, version, actor_id, reasoning)`;

export async function insertAttributeVersions(
  trx: AnyKysely,
  versions: { instanceId: string; at: Date; rows: readonly AttributeRow[] },
): Promise<void> {
  const r = versions.rows;
  await runSql(trx, INSERT_VERSIONS, [
    versions.instanceId,
    versions.at,
    r.map((a) => a.attribute_id),
    r.map((a) => a.uow_id),
    r.map((a) => a.key),
    r.map((a) => a.value),
    r.map((a) => a.version),
    r.map((a) => a.actor_id),
    r.map((a) => a.reasoning),
  ]);
}
