/**
 * Builds the DDL of a table from the schema definition with the pieces of one dialect.
 * The statements are the same shape on every engine: columns, then named unique,
 * foreign-key and CHECK constraints, then indexes.
 */
import { enums } from "../schema/enums.js";
import { uniqueColumns, type ColumnDef, type IndexDef, type TableDef, type UniqueDef } from "../schema/define.js";
import { tableDef } from "../schema/tables.js";
import type { SqlDialect } from "./dialects/dialect.js";

export function primaryKeyOf(table: TableDef): string {
  const pk = table.columns.find((c) => c.options.primaryKey);
  if (!pk) throw new Error(`table ${table.name} has no primary key`);
  return pk.name;
}

/** A schema object whose presence a re-run migration checks before creating it again. */
export interface SchemaObject {
  readonly kind: "table" | "column" | "constraint" | "index";
  readonly table: string;
  /** The column, constraint or index name; the table's for a table. */
  readonly name: string;
}

/** One DDL statement of a migration, and the object it creates (to skip it where it exists) or drops (to skip it where it is gone). */
export interface DdlStep {
  readonly sql: string;
  readonly creates?: SchemaObject;
  readonly drops?: SchemaObject;
}

/** A named constraint of a table: its name and the clause after CONSTRAINT <name>. */
interface Constraint {
  name: string;
  clause: string;
}

function uniqueConstraint(d: SqlDialect, table: TableDef, u: UniqueDef): Constraint {
  const cols = uniqueColumns(u);
  return { name: `uq_${table.name}_${cols.join("_")}`, clause: `UNIQUE (${cols.map(d.quote).join(", ")})` };
}

/** The foreign key and CHECK constraints of one column. */
function columnConstraints(d: SqlDialect, table: TableDef, c: ColumnDef): Constraint[] {
  const q = (name: string) => d.quote(name);
  const out: Constraint[] = [];
  const target = c.options.references;
  if (target) {
    out.push({
      name: `fk_${table.name}_${c.name}`,
      clause: `FOREIGN KEY (${q(c.name)}) REFERENCES ${q(target)} (${q(primaryKeyOf(tableDef(target)))})`,
    });
  }
  const checks: string[] = [];
  if (c.options.enum) checks.push(`${q(c.name)} IN (${enums[c.options.enum].map((v) => d.literal(v)).join(", ")})`);
  checks.push(...d.extraChecks(c));
  checks.forEach((expr, i) =>
    out.push({ name: `ck_${table.name}_${c.name}${i ? `_${i + 1}` : ""}`, clause: `CHECK (${expr})` }),
  );
  return out;
}

function indexStatement(d: SqlDialect, table: TableDef, ix: IndexDef, ifNotExists = false): string {
  const q = (name: string) => d.quote(name);
  const where = ix.partial && d.partialIndexes ? ` WHERE ${ix.partial.where}` : "";
  return `CREATE INDEX ${ifNotExists && d.engine !== "mysql" ? "IF NOT EXISTS " : ""}${q(ix.name)} ON ${q(table.name)} (${ix.columns.map(q).join(", ")})${where}`;
}

/** Each index of the table as this engine builds it, by name: what a migration compares. */
function indexStatements(d: SqlDialect, table: TableDef): Map<string, string> {
  return new Map(table.indexes.map((ix) => [ix.name, indexStatement(d, table, ix)]));
}

/**
 * The steps of a migration that changes only indexes of a table (made partial, say): each index
 * whose definition changed or that went away is dropped, each changed or new one created.
 */
export function indexChangeSteps(d: SqlDialect, before: TableDef, after: TableDef): DdlStep[] {
  const had = indexStatements(d, before);
  const has = indexStatements(d, after);
  const steps: DdlStep[] = [];
  for (const [name, text] of had) {
    if (has.get(name) === text) continue;
    steps.push({ sql: d.dropIndex(after.name, name), drops: { kind: "index", table: after.name, name } });
  }
  for (const [name, text] of has) {
    if (had.get(name) === text) continue;
    steps.push({ sql: text, creates: { kind: "index", table: after.name, name } });
  }
  return steps;
}

/**
 * CREATE TABLE with every column, named constraint and index of `table` (pass tableAsOf for
 * the shape of one migration). `as` creates it under another name (SQLite's rebuild).
 */
export function createTableStatements(
  d: SqlDialect,
  table: TableDef,
  opts: { ifNotExists?: boolean; as?: string } = {},
): string[] {
  const q = (name: string) => d.quote(name);
  const constraints = [
    ...table.unique.map((u) => uniqueConstraint(d, table, u)),
    ...table.columns.flatMap((c) => columnConstraints(d, table, c).filter((k) => k.name.startsWith("fk_"))),
    ...table.columns.flatMap((c) => columnConstraints(d, table, c).filter((k) => k.name.startsWith("ck_"))),
  ];
  const parts = [
    ...table.columns.map((c) => d.columnDefinition(table, c)),
    ...constraints.map((k) => `CONSTRAINT ${q(k.name)} ${k.clause}`),
  ];
  const create =
    `CREATE TABLE ${opts.ifNotExists ? "IF NOT EXISTS " : ""}${q(opts.as ?? table.name)} (${d.tableOpening(table)}\n  ` +
    parts.join(",\n  ") +
    `\n)${d.tableSuffix(table)}`;
  if (opts.as) return [create];
  return [
    create,
    ...d.commentStatements(table),
    ...table.indexes.map((ix) => indexStatement(d, table, ix, opts.ifNotExists)),
  ];
}

/** The steps that create a table, each naming what it creates. */
export function createTableSteps(d: SqlDialect, table: TableDef): DdlStep[] {
  const [create, ...rest] = createTableStatements(d, table);
  const steps: DdlStep[] = [{ sql: create!, creates: { kind: "table", table: table.name, name: table.name } }];
  const comments = d.commentStatements(table);
  steps.push(...comments.map((sql) => ({ sql })));
  steps.push(
    ...rest
      .slice(comments.length)
      .map((sql, i) => ({ sql, creates: { kind: "index" as const, table: table.name, name: table.indexes[i]!.name } })),
  );
  return steps;
}

/**
 * The ALTER TABLE steps that take a table from `before` to `after` where the engine can add
 * columns, constraints and indexes in place (PostgreSQL, MySQL/MariaDB). Added columns are
 * nullable: existing rows get no value until a migration fills them.
 */
export function addInPlaceSteps(d: SqlDialect, before: TableDef, after: TableDef): DdlStep[] {
  const q = (name: string) => d.quote(name);
  const t = q(after.name);
  const had = new Set(before.columns.map((c) => c.name));
  const added = after.columns.filter((c) => !had.has(c.name));
  const steps: DdlStep[] = [];
  for (const c of added) {
    if (!c.options.nullable) {
      throw new Error(`${after.name}.${c.name}: a column added to an existing table must be nullable`);
    }
    steps.push({
      sql: `ALTER TABLE ${t} ADD COLUMN ${d.columnDefinition(after, c)}`,
      creates: { kind: "column", table: after.name, name: c.name },
    });
    steps.push(...d.columnCommentStatements(after, c).map((sql) => ({ sql })));
    for (const k of columnConstraints(d, after, c)) {
      steps.push({
        sql: `ALTER TABLE ${t} ADD CONSTRAINT ${q(k.name)} ${k.clause}`,
        creates: { kind: "constraint", table: after.name, name: k.name },
      });
    }
  }
  const hadUnique = new Set(before.unique.map((u) => uniqueColumns(u).join(",")));
  for (const u of after.unique.filter((u) => !hadUnique.has(uniqueColumns(u).join(",")))) {
    const k = uniqueConstraint(d, after, u);
    steps.push({
      sql: `ALTER TABLE ${t} ADD CONSTRAINT ${q(k.name)} ${k.clause}`,
      creates: { kind: "constraint", table: after.name, name: k.name },
    });
  }
  const hadIndex = new Set(before.indexes.map((ix) => ix.name));
  for (const ix of after.indexes.filter((ix) => !hadIndex.has(ix.name))) {
    steps.push({ sql: indexStatement(d, after, ix), creates: { kind: "index", table: after.name, name: ix.name } });
  }
  return steps;
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
