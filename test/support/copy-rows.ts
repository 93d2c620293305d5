/** A store of an older schema version holding the rows of a current one (for the upgrade tests). */
import { tableAsOf } from "../../src/schema/define.js";
import { tablesOfTier } from "../../src/schema/tables.js";
import { inCreationOrder } from "../../src/store/ddl.js";
import { BOOKKEEPING_TABLE } from "../../src/store/migrations.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = import("kysely").Kysely<any>;

/** Copies every row of the instance store into a store of schema version `version`, with only its columns. */
export async function copyRows(from: AnyDb, to: AnyDb, version: number): Promise<void> {
  const defs = inCreationOrder(
    tablesOfTier("instances").filter((t) => t.name !== BOOKKEEPING_TABLE && t.since <= version),
  );
  for (const def of defs.map((t) => tableAsOf(t, version))) {
    // Log ids are numbered again by the target (in the same order), so its sequence stays right.
    const columns = def.columns.filter((c) => !c.options.coalesceOf && !c.options.autoIncrement);
    const order = def.columns.find((c) => c.options.autoIncrement)?.name ?? columns[0]!.name;
    let rows: Record<string, unknown>[] = await from.selectFrom(def.name).selectAll().orderBy(order).execute();
    if (def.name === "units_of_work") rows = parentsFirst(rows);
    for (const row of rows) {
      const values = Object.fromEntries(
        columns.map((c) => [
          c.name,
          c.kind === "json" && row[c.name] !== null ? JSON.stringify(row[c.name]) : row[c.name],
        ]),
      );
      await to.insertInto(def.name).values(values).execute();
    }
  }
}

function parentsFirst(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const placed = new Set<unknown>();
  const out: Record<string, unknown>[] = [];
  let rest = rows;
  while (rest.length > 0) {
    const ready = rest.filter((r) => r.parent_id === null || placed.has(r.parent_id));
    if (ready.length === 0) throw new Error("units whose parents are missing");
    for (const r of ready) placed.add(r.uow_id);
    out.push(...ready);
    rest = rest.filter((r) => !placed.has(r.uow_id));
  }
  return out;
}
