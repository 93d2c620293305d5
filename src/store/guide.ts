/** Reads `v_ai_schema_guide`: the schema explained from inside the database itself. */
import { allTables } from "../schema/tables.js";
import type { AnyKysely } from "./dialects/dialect.js";
import { GUIDE_VIEW } from "./migrations.js";

export interface SchemaGuideRow {
  table_name: string;
  /** null on the row that describes the table itself. */
  column_name: string | null;
  data_type: string | null;
  is_primary_key: boolean;
  /** `table.column`, or null. */
  foreign_key_target: string | null;
  description: string | null;
}

/** Rows of the view in the order of the schema definition: each table, then its columns. */
export async function readSchemaGuide(db: AnyKysely, opts: { table?: string } = {}): Promise<SchemaGuideRow[]> {
  let query = db.selectFrom(GUIDE_VIEW).selectAll();
  if (opts.table) query = query.where("table_name", "=", opts.table);
  const rows = (await query.execute()) as Record<string, unknown>[];
  const rank = (r: SchemaGuideRow) => {
    const t = allTables.findIndex((d) => d.name === r.table_name);
    const c = r.column_name === null ? -1 : (allTables[t]?.columns.findIndex((col) => col.name === r.column_name) ?? 0);
    return [t === -1 ? allTables.length : t, c] as const;
  };
  return rows
    .map((r): SchemaGuideRow => ({
      table_name: String(r.table_name),
      column_name: r.column_name == null ? null : String(r.column_name),
      data_type: r.data_type == null ? null : String(r.data_type),
      is_primary_key: r.is_primary_key === true || Number(r.is_primary_key) === 1,
      foreign_key_target: r.foreign_key_target == null ? null : String(r.foreign_key_target),
      description: r.description == null ? null : String(r.description),
    }))
    .sort((a, b) => {
      const [ta, ca] = rank(a);
      const [tb, cb] = rank(b);
      return ta - tb || ca - cb || a.table_name.localeCompare(b.table_name);
    });
}
