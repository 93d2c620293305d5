/**
 * PostgreSQL through pg: a pool per store, catalog comments with COMMENT ON, the guide view
 * on pg_class/pg_attribute/pg_constraint, migrations serialised by an advisory lock.
 */
import { createHash } from "node:crypto";
import type * as Pg from "pg";
import { Kysely, PostgresDialect, sql } from "kysely";
import type { ColumnDef, ColumnKind, TableDef } from "../../schema/define.js";
import { addInPlaceSteps } from "../ddl.js";
import { DecodeResultsPlugin } from "../normalize.js";
import type { StoreUrl } from "../url.js";
import { describeNetworkError } from "./connect-errors.js";
import { pgDriver } from "./postgres/driver.js";
import { guardLostConnections } from "./guarded-driver.js";
import { lockForUpdate } from "./row-locks.js";
import { plainKey } from "./json-path.js";
import type { Connection, SqlDialect } from "./dialect.js";
import { postgresHotPath } from "./postgres/hot-path.js";
import { postgresEventFeed } from "./postgres/events.js";

const TYPES: Record<ColumnKind, string> = {
  uuid: "uuid",
  string: "varchar(255)",
  text: "text",
  json: "json",
  integer: "integer",
  bigint: "bigint",
  boolean: "boolean",
  timestamp: "timestamptz(3)",
  enum: "varchar(32)",
};

const INT8_OID = 20;
const JSON_OIDS = new Set([114, 3802]);

/** bigint as a number (log ids stay far below 2^53); JSON as its text, decoded in one place. */
const typeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (JSON_OIDS.has(oid)) return (value: string) => value;
    return pgDriver().types.getTypeParser(oid, format ?? "text");
  },
} as Pg.CustomTypesConfig;

/**
 * Most named prepared statements one connection keeps. The engine's own query texts are a
 * few dozen; texts that vary with their input (an insert of n rows, an IN list of n ids) would
 * otherwise each stay prepared for the life of the connection, and each costs the server
 * backend its parse tree and plan.
 */
export const MAX_PREPARED_STATEMENTS = 100;

/**
 * Every parameterised query as a named prepared statement: PostgreSQL parses and plans each
 * distinct query text once per connection instead of at every call. The least recently used
 * statement beyond MAX_PREPARED_STATEMENTS is deallocated on the same connection, so the
 * statements a connection keeps stay bounded whatever texts its callers send.
 */
function preparedStatements(client: Pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // pg's own record of what this connection has parsed: a deallocated name must be parsed again.
  const parsed = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection
    .parsedStatements;
  /** Query text to statement name, least recently used first. */
  const names = new Map<string, string>();
  const deallocate = (text: string, name: string) => {
    // A callback, not a promise: pg calls it before it sends the next queued query, which may
    // be this very text prepared again.
    query(`DEALLOCATE ${name}`, (error: unknown) => {
      if (!error) delete parsed[name];
      // Refused (in a failed transaction): the server still holds it; keep it on the list
      // without evicting another, to deallocate it at a later eviction.
      else if (!names.has(text)) names.set(text, name);
    });
  };
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
    config: unknown,
    values?: unknown,
    callback?: unknown,
  ) => {
    if (typeof config !== "string" || !Array.isArray(values)) return query(config, values, callback);
    let name = names.get(config);
    if (name !== undefined) names.delete(config);
    else name = `chameleon_${createHash("sha1").update(config).digest("hex").slice(0, 20)}`;
    names.set(config, name);
    while (names.size > MAX_PREPARED_STATEMENTS) {
      const [oldest, oldestName] = names.entries().next().value as [string, string];
      names.delete(oldest);
      deallocate(oldest, oldestName);
    }
    return query({ name, text: config, values }, callback);
  };
}

/** The session is gone: terminated by the server, reset, refused, or no longer queryable. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? "";
  return (
    ["57P01", "57P02", "57P03", "08006", "08003", "08000", "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(
      code,
    ) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
      String((error as Error)?.message),
    )
  );
}

/**
 * The id of the writing transaction (64 bits, never wrapping), as the default of a
 * writerTransaction column: the event stream compares it with pg_snapshot_xmin.
 */
const WRITER_XID = "(pg_current_xact_id()::text::bigint)";

function withoutDefault(table: TableDef, c: ColumnDef): string {
  return postgresDialect.columnDefinition(table, { ...c, options: { ...c.options, writerTransaction: false } });
}

/** Key of the advisory lock that serialises migrations of one database. */
const MIGRATION_LOCK_KEY = 0x43_48_41_4d; // "CHAM"

export const postgresDialect: SqlDialect = {
  engine: "postgres",

  // The server refuses a database that does not exist; connecting never creates one.
  missingStore: () => null,

  connect(url: StoreUrl): Connection {
    const pool = new (pgDriver().Pool)({
      connectionString: url.url,
      max: 10,
      connectionTimeoutMillis: 10_000,
      types: typeParsers,
    });
    // A client whose server went away must not crash the process, idle or busy: pg-pool listens
    // on idle clients only, and a busy client emits 'error' too when its socket breaks. The
    // query in flight fails on its own; pg-pool drops the broken client when it is released.
    pool.on("error", () => {});
    pool.on("connect", (client) => {
      client.on("error", () => {});
      preparedStatements(client);
    });
    const db = new Kysely({
      dialect: guardLostConnections(new PostgresDialect({ pool }), "PostgreSQL", isConnectionLoss),
      plugins: [new DecodeResultsPlugin()],
    });
    return {
      db,
      close: () => db.destroy(),
      poolUse: () => ({
        max: pool.options.max,
        open: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
      }),
    };
  },

  async ping(db) {
    await sql`select 1`.execute(db);
  },

  describeConnectError(error) {
    const network = describeNetworkError(error);
    if (network) return network;
    const err = error as { code?: string; message?: string };
    switch (err.code) {
      case "3D000":
        return `${err.message} (create it first, e.g. createdb)`;
      case "28P01":
      case "28000":
        return `login refused: ${err.message}`;
      default:
        return err.message ?? String(error);
    }
  },

  quote: (name) => `"${name.replace(/"/g, '""')}"`,
  literal: (text) => `'${text.replace(/'/g, "''")}'`,

  columnDefinition(_table: TableDef, c: ColumnDef) {
    const q = postgresDialect.quote;
    if (c.options.autoIncrement) return `${q(c.name)} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`;
    let def = `${q(c.name)} ${TYPES[c.kind]}`;
    if (c.options.primaryKey) def += " PRIMARY KEY";
    if (c.options.coalesceOf) {
      const { column, fallback } = c.options.coalesceOf;
      def += ` GENERATED ALWAYS AS (coalesce(${q(column)}::text, ${postgresDialect.literal(fallback)})) STORED`;
    }
    if (!c.options.nullable) def += " NOT NULL";
    if (c.options.writerTransaction) def += ` DEFAULT ${WRITER_XID}`;
    return def;
  },

  extraChecks: () => [],
  tableOpening: () => "",
  tableSuffix: () => "",

  commentStatements(table) {
    const { quote: q, literal: lit } = postgresDialect;
    return [
      `COMMENT ON TABLE ${q(table.name)} IS ${lit(table.description)}`,
      ...table.columns.flatMap((c) => postgresDialect.columnCommentStatements(table, c)),
    ];
  },

  columnCommentStatements: (table, c) => [
    `COMMENT ON COLUMN ${postgresDialect.quote(table.name)}.${postgresDialect.quote(c.name)} IS ${postgresDialect.literal(c.description)}`,
  ],
  alterTable(before, after) {
    // A volatile default given in ADD COLUMN would rewrite the table, computing it for every old
    // row: the column is added empty, and the default set for the rows written from now on.
    const plain = { ...postgresDialect, columnDefinition: (t: TableDef, c: ColumnDef) => withoutDefault(t, c) };
    const had = new Set(before.columns.map((c) => c.name));
    const defaults = after.columns
      .filter((c) => c.options.writerTransaction && !had.has(c.name))
      .map((c) => ({
        sql: `ALTER TABLE ${postgresDialect.quote(after.name)} ALTER COLUMN ${postgresDialect.quote(c.name)} SET DEFAULT ${WRITER_XID}`,
      }));
    return [...addInPlaceSteps(plain, before, after), ...defaults];
  },

  async exists(db, object) {
    const queries = {
      table: sql`select 1 from pg_tables where schemaname = current_schema() and tablename = ${object.name}`,
      column: sql`select 1 from information_schema.columns
                   where table_schema = current_schema() and table_name = ${object.table} and column_name = ${object.name}`,
      constraint: sql`select 1 from pg_constraint c join pg_class t on t.oid = c.conrelid
                       where t.relname = ${object.table} and c.conname = ${object.name}
                         and t.relnamespace = current_schema()::regnamespace`,
      index: sql`select 1 from pg_indexes where schemaname = current_schema() and indexname = ${object.name}`,
    };
    return (await queries[object.kind].execute(db)).rows.length > 0;
  },

  guideView(tables) {
    const names = tables.map((t) => postgresDialect.literal(t.name)).join(", ");
    return `CREATE VIEW "v_ai_schema_guide" AS
SELECT c.relname::text AS table_name, NULL::text AS column_name, NULL::text AS data_type,
       false AS is_primary_key, NULL::text AS foreign_key_target,
       obj_description(c.oid, 'pg_class') AS description
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname IN (${names})
UNION ALL
SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
       EXISTS (SELECT 1 FROM pg_constraint p
                WHERE p.conrelid = c.oid AND p.contype = 'p' AND a.attnum = ANY (p.conkey)),
       (SELECT ft.relname || '.' || fa.attname
          FROM pg_constraint f
          JOIN pg_class ft ON ft.oid = f.confrelid
          JOIN pg_attribute fa ON fa.attrelid = f.confrelid AND fa.attnum = f.confkey[1]
         WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.conkey[1] = a.attnum
         LIMIT 1),
       col_description(c.oid, a.attnum)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname IN (${names})`;
  },

  partialIndexes: true,
  dropIndex: (_table, index) => `DROP INDEX ${postgresDialect.quote(index)}`,
  transactionalDdl: true,

  async withMigrationLock(db, fn) {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(trx);
      return fn(trx);
    });
  },

  lockRows: (query, mode, of) => lockForUpdate(query, mode, of),
  // deadlock_detected, serialization_failure, lock_not_available; admin shutdown and lost connections too.
  // Deadlocks and lost connections: a few tries, backing off up to about a second.
  retryDelayMs: (attempt) => (attempt >= 8 ? null : Math.random() * 10 * 2 ** attempt),
  isTransient: (error) => {
    const code = (error as { code?: string })?.code ?? "";
    return (
      [
        "40P01",
        "40001",
        "55P03",
        "57P01",
        "57P02",
        "57P03",
        "08006",
        "08003",
        "08000",
        "ECONNRESET",
        "ECONNREFUSED",
        "EPIPE",
      ].includes(code) ||
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
        String((error as Error)?.message),
      )
    );
  },
  insertUnlessExists: (insert, uniqueColumns) =>
    insert.onConflict((oc) => oc.columns(uniqueColumns as never).doNothing()) as typeof insert,
  async currentTimeMs(db) {
    // clock_timestamp(), not now(): now() stands still for a whole transaction.
    const { rows } = await sql<{ ms: string }>`select extract(epoch from clock_timestamp()) * 1000 as ms`.execute(db);
    return Number(rows[0]!.ms);
  },
  isUniqueViolation: (error) => (error as { code?: string })?.code === "23505",
  // The wire protocol counts parameters in 16 bits: past 65535 the count wraps.
  maxBindParameters: 65_535,
  hotPath: postgresHotPath,
  epochMinute: (column) => sql<number>`floor(extract(epoch from ${sql.ref(column)}) / 60)::bigint`,
  shiftedTimestamp: (column, ms) =>
    sql<Date>`(${sql.ref(column)} + ${Math.round(ms)}::bigint * interval '1 millisecond')`,
  jsonTextAt: (column, key) => sql<string | null>`(${sql.ref(column)} ->> ${sql.lit(plainKey(key))})`,
  eventFeed: postgresEventFeed,
};
