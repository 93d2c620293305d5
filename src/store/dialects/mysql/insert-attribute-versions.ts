/** The attribute versions of one step (hot-path.ts): one multi-row statement per slice of the bind limit and the statement budget. */
import { placeholderRows, runSql, slices, type AttributeRow } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { preparedMemoized } from "./prepared.js";
import { bytesOf, STATEMENT_BYTES } from "./statement-bytes.js";

const PER_ROW = 9;
const insertSql = preparedMemoized(
  (count: number) =>
    "insert into uow_attributes (attribute_id, uow_id, instance_id, `key`, value, version, actor_id, reasoning, created_at) values " +
    placeholderRows(count, PER_ROW),
);

export async function insertAttributeVersions(
  trx: AnyKysely,
  versions: { instanceId: string; at: Date; rows: readonly AttributeRow[] },
  maxParameters: number,
): Promise<void> {
  const bytes = { of: (a: AttributeRow) => bytesOf(a.value) + bytesOf(a.reasoning), max: STATEMENT_BYTES };
  for (const slice of slices(versions.rows, PER_ROW, maxParameters, bytes)) {
    await runSql(
      trx,
      insertSql(slice.length),
      slice.flatMap((a) => [
        a.attribute_id,
        a.uow_id,
        versions.instanceId,
        a.key,
        a.value,
        a.version,
        a.actor_id,
        a.reasoning,
        versions.at,
      ]),
    );
  }
}
