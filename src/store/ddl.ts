/**
 * Builds the DDL of a table from the schema definition with the pieces of one dialect.
 * The statements are the same shape on every engine: columns, then named unique,
 * foreign-key and CHECK constraints, then indexes.
 */
import { enums } from "../schema/enums.js";
import type { TableDef } from "../schema/define.js";
import { tableDef } from "../schema/tables.js";
import type { SqlDialect } from "./dialects/dialect.js";

export function primaryKeyOf(table: TableDef): string {
  const pk = table.columns.find((c) => c.options.primaryKey);
  if (!pk) throw new Error(`table ${table.name} has no primary key`);
  return pk.name;
}

export function createTableStatements(d: SqlDialect, table: TableDef, opts: { ifNotExists?: boolean } = {}): string[] {
  const q = (name: string) => d.quote(name);
  const parts: string[] = table.columns.map((c) => d.columnDefinition(table, c));
  for (const cols of table.unique) {
    parts.push(`CONSTRAINT ${q(`uq_${table.name}_${cols.join("_")}`)} UNIQUE (${cols.map(q).join(", ")})`);
  }
  for (const c of table.columns) {
    const target = c.options.references;
    if (target) {
      parts.push(
        `CONSTRAINT ${q(`fk_${table.name}_${c.name}`)} FOREIGN KEY (${q(c.name)}) REFERENCES ${q(target)} (${q(primaryKeyOf(tableDef(target)))})`,
      );
    }
  }
  for (const c of table.columns) {
    const checks: string[] = [];
    if (c.options.enum) {
      checks.push(`${q(c.name)} IN (${enums[c.options.enum].map((v) => d.literal(v)).join(", ")})`);
    }
    checks.push(...d.extraChecks(c));
    checks.forEach((expr, i) => {
      parts.push(`CONSTRAINT ${q(`ck_${table.name}_${c.name}${i ? `_${i + 1}` : ""}`)} CHECK (${expr})`);
    });
  }
  const create =
    `CREATE TABLE ${opts.ifNotExists ? "IF NOT EXISTS " : ""}${q(table.name)} (${d.tableOpening(table)}\n  ` +
    parts.join(",\n  ") +
    `\n)${d.tableSuffix(table)}`;
  const indexes = table.indexes.map(
    (ix) =>
      `CREATE INDEX ${opts.ifNotExists && d.engine !== "mysql" ? "IF NOT EXISTS " : ""}${q(ix.name)} ON ${q(table.name)} (${ix.columns.map(q).join(", ")})`,
  );
  return [create, ...d.commentStatements(table), ...indexes];
}

/** Referenced tables before the tables that reference them (self references ignored). */
export function inCreationOrder(list: readonly TableDef[]): TableDef[] {
  const names = new Set(list.map((t) => t.name));
  const done = new Set<string>();
  const ordered: TableDef[] = [];
  const visit = (t: TableDef, path: string[]) => {
    if (done.has(t.name)) return;
    if (path.includes(t.name)) throw new Error(`foreign-key cycle: ${[...path, t.name].join(" -> ")}`);
    for (const c of t.columns) {
      const target = c.options.references;
      if (target && target !== t.name && names.has(target)) visit(tableDef(target), [...path, t.name]);
    }
    done.add(t.name);
    ordered.push(t);
  };
  list.forEach((t) => visit(t, []));
  return ordered;
}
