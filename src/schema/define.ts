/**
 * The vocabulary of the schema definition: a table is plain data (name, tier, description,
 * columns, keys, indexes), and the TypeScript row types are derived from that same data,
 * so the DDL, the catalog comments, the guide view and the types cannot drift apart.
 */
import type { ColumnType as KyselyColumnType, Generated, GeneratedAlways } from "kysely";
import type { EnumName, EnumValue } from "./enums.js";
import type { JsonText, JsonValue } from "./json.js";

/** Portable column kinds; each dialect maps them to its own types. */
export type ColumnKind = "uuid" | "string" | "text" | "json" | "integer" | "bigint" | "boolean" | "timestamp" | "enum";

export interface ColumnOptions {
  readonly primaryKey?: boolean;
  readonly nullable?: boolean;
  /** Target table; the referenced column is that table's primary key. */
  readonly references?: string;
  readonly enum?: EnumName;
  /** A 64-bit key the database numbers itself. */
  readonly autoIncrement?: boolean;
  /** A stored column the database derives: `coalesce(<column>, '<fallback>')`. */
  readonly coalesceOf?: { readonly column: string; readonly fallback: string };
  /** The migration that added the column to a table that existed before it; default: the table's. */
  readonly since?: number;
  /**
   * Filled by the database with the id of the transaction that writes the row, where the
   * engine numbers transactions in a way a reader can compare with its snapshot (PostgreSQL);
   * empty on the other engines. Each dialect says how (store/dialects/).
   */
  readonly writerTransaction?: boolean;
}

export interface ColumnDef<
  N extends string = string,
  K extends ColumnKind = ColumnKind,
  O extends ColumnOptions = ColumnOptions,
> {
  readonly name: N;
  readonly kind: K;
  readonly description: string;
  readonly options: O;
}

export function column<
  const N extends string,
  const K extends ColumnKind,
  const O extends ColumnOptions = Record<never, never>,
>(name: N, kind: K, description: string, options?: O): ColumnDef<N, K, O> {
  return { name, kind, description, options: (options ?? {}) as O };
}

export type Tier = "templates" | "instances";

export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
  /** The query this index serves. */
  readonly serves: string;
  /** The migration that added the index to a table that existed before it; default: the table's. */
  readonly since?: number;
  /**
   * Only the rows where `where` holds are indexed, from migration `since` on (before it the
   * index held every row): a predicate over the table's columns that every engine reads alike.
   * A row outside it is never written to the index, so a move that leaves it outside costs the
   * index nothing. Engines without partial indexes (MySQL/MariaDB) index every row.
   */
  readonly partial?: { readonly where: string; readonly since: number };
}

/** A unique constraint over those columns; `since` as for columns. */
export type UniqueDef = readonly string[] | { readonly columns: readonly string[]; readonly since: number };

export interface TableDef<C extends readonly ColumnDef[] = readonly ColumnDef[]> {
  readonly name: string;
  /** The store that holds the table; "both" for bookkeeping every store has. */
  readonly tier: Tier | "both";
  readonly description: string;
  readonly columns: C;
  /** Each entry is one unique constraint over those columns. */
  readonly unique: readonly UniqueDef[];
  readonly indexes: readonly IndexDef[];
  /** The migration that created the table. */
  readonly since: number;
}

/** A table as it stood after migration `version`: without the columns, keys and indexes added later. */
export function tableAsOf(table: TableDef, version: number): TableDef {
  return {
    ...table,
    columns: table.columns.filter((c) => (c.options.since ?? table.since) <= version),
    unique: table.unique.filter((u) => uniqueSince(table, u) <= version),
    indexes: table.indexes
      .filter((ix) => (ix.since ?? table.since) <= version)
      .map((ix) => (ix.partial && ix.partial.since > version ? { ...ix, partial: undefined } : ix)),
  };
}

export function uniqueColumns(u: UniqueDef): readonly string[] {
  return "columns" in u ? u.columns : (u as readonly string[]);
}

export function uniqueSince(table: TableDef, u: UniqueDef): number {
  return "since" in u ? u.since : table.since;
}

/** Keeps the literal types of a table definition, from which the row types are derived. */
export function table<const D extends TableDef>(def: D): D {
  return def;
}

type BaseValue<K extends ColumnKind, O extends ColumnOptions> = K extends "enum"
  ? O extends { enum: infer E extends EnumName }
    ? EnumValue<E>
    : string
  : K extends "json"
    ? JsonValue
    : K extends "integer" | "bigint"
      ? number
      : K extends "boolean"
        ? boolean
        : K extends "timestamp"
          ? Date
          : string;

/** The value a column holds once normalised (see store/normalize.ts). */
export type ColumnValue<C> =
  C extends ColumnDef<string, infer K, infer O>
    ? BaseValue<K, O> | (O extends { nullable: true } ? null : never)
    : never;

type Nullable<O> = O extends { nullable: true } ? null : never;

/** The Kysely type of a column: generated columns are optional or absent on insert. */
type KyselyColumn<C> =
  C extends ColumnDef<string, ColumnKind, infer O>
    ? O extends { autoIncrement: true }
      ? Generated<ColumnValue<C>>
      : O extends { coalesceOf: object }
        ? GeneratedAlways<ColumnValue<C>>
        : C extends ColumnDef<string, "json", infer J>
          ? KyselyColumnType<ColumnValue<C>, JsonText | Nullable<J>, JsonText | Nullable<J>>
          : KyselyColumnType<ColumnValue<C>, ColumnValue<C>, ColumnValue<C>>
    : never;

/** A row as read, one property per column. */
export type RowOf<T extends TableDef> = { [C in T["columns"][number] as C["name"]]: ColumnValue<C> };

/** The Kysely table interface of a table. */
export type KyselyTableOf<T extends TableDef> = { [C in T["columns"][number] as C["name"]]: KyselyColumn<C> };
