/**
 * MySQL 8 and MariaDB 10.6+ through mysql2: a pool per store, COMMENT clauses inline, the
 * guide view on information_schema, migrations serialised by GET_LOCK (MySQL commits DDL
 * at once, so a lock on one connection, not a transaction, keeps two migrators apart).
 */
import { CompiledQuery, Kysely, MysqlDialect, sql } from "kysely";
import type { ColumnDef, ColumnKind, TableDef } from "../../schema/define.js";
import { addInPlaceSteps } from "../ddl.js";
import { DecodeResultsPlugin } from "../normalize.js";
import type { StoreUrl } from "../url.js";
import { describeNetworkError } from "./connect-errors.js";
import { guardLostConnections } from "./guarded-driver.js";
import { lockForUpdate } from "./row-locks.js";
import { jsonPath } from "./json-path.js";
import type { Connection, PoolUse, SqlDialect } from "./dialect.js";
import { mysqlHotPath } from "./mysql/hot-path.js";
import { mysqlEventFeed } from "./mysql/events.js";
import { mysqlDriver } from "./mysql/driver.js";
import { PREPARED_PER_CONNECTION, preparingPool } from "./mysql/prepared.js";

const TYPES: Record<ColumnKind, string> = {
  // ASCII: one byte a character, faster to compare than utf8mb4. Not CHAR: MariaDB refuses
  // CHAR columns in generated-column expressions (their padding depends on sql_mode).
  uuid: "varchar(36) CHARACTER SET ascii COLLATE ascii_bin",
  string: "varchar(255)",
  // TEXT stops at 64 KiB; reasoning written by an agent can be longer.
  text: "mediumtext",
  json: "json",
  integer: "int",
  bigint: "bigint",
  boolean: "boolean",
  // DATETIME defaults to whole seconds; the schema needs milliseconds.
  timestamp: "datetime(3)",
  enum: "varchar(32)",
};

const MIGRATION_LOCK = "chameleon_migrations";

/** The session is gone: killed (1927), server gone or lost (2006, 2013), reset, refused, closed. */
function isConnectionLoss(error: unknown): boolean {
  const err = error as { code?: string; errno?: number; fatal?: boolean; message?: string };
  return (
    err?.fatal === true ||
    [1927, 2006, 2013].includes(err?.errno ?? 0) ||
    ["ECONNRESET", "ECONNREFUSED", "PROTOCOL_CONNECTION_LOST", "EPIPE", "ETIMEDOUT"].includes(err?.code ?? "") ||
    /connection is in closed state/i.test(String(err?.message))
  );
}

/**
 * mysql2's pool publishes no counts: they are the lengths of its internal queues, read only when
 * they are there (null otherwise, so that a change of mysql2 loses the metric, not the process).
 */
const POOL_SIZE = 10;

function mysqlPoolUse(pool: object, max: number): PoolUse | null {
  const length = (name: string): number | null => {
    const queue = (pool as Record<string, unknown>)[name] as { length?: unknown } | undefined;
    return typeof queue?.length === "number" ? queue.length : null;
  };
  const open = length("_allConnections");
  const idle = length("_freeConnections");
  const waiting = length("_connectionQueue");
  return open === null || idle === null || waiting === null ? null : { max, open, idle, waiting };
}

export const mysqlDialect: SqlDialect = {
  engine: "mysql",

  // The server refuses a database that does not exist; connecting never creates one.
  missingStore: () => null,

  connect(url: StoreUrl): Connection {
    const pool = mysqlDriver().createPool({
      uri: url.url,
      connectionLimit: POOL_SIZE,
      timezone: "Z",
      dateStrings: false,
      supportBigNumbers: true,
      connectTimeout: 10_000,
      // JSON as its text on MySQL and MariaDB alike, decoded in one place (store/normalize.ts).
      jsonStrings: true,
      maxPreparedStatements: PREPARED_PER_CONNECTION,
    });
    pool.on("connection", (conn) => conn.on("error", () => {}));
    const db = new Kysely({
      dialect: guardLostConnections(
        new MysqlDialect({
          pool: preparingPool(pool),
          async onCreateConnection(conn) {
            // UTC for NOW() and friends; READ COMMITTED so that claims with SKIP LOCKED do not
            // wait on the gap locks REPEATABLE READ takes.
            await conn.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'"));
            await conn.executeQuery(CompiledQuery.raw("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"));
          },
        }),
        "MySQL",
        isConnectionLoss,
      ),
      plugins: [new DecodeResultsPlugin()],
    });
    return { db, close: () => db.destroy(), poolUse: () => mysqlPoolUse(pool, POOL_SIZE) };
  },

  async ping(db) {
    await sql`select 1`.execute(db);
  },

  describeConnectError(error) {
    const network = describeNetworkError(error);
    if (network) return network;
    const err = error as { code?: string; message?: string };
    if (err.code === "ER_BAD_DB_ERROR") return `${err.message} (create it first, e.g. CREATE DATABASE)`;
    if (err.code?.startsWith("ER_ACCESS_DENIED") || err.code === "ER_DBACCESS_DENIED_ERROR") {
      return `login refused: ${err.message}`;
    }
    return err.message ?? String(error);
  },

  quote: (name) => `\`${name.replace(/`/g, "``")}\``,
  literal: (text) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`,

  columnDefinition(_table: TableDef, c: ColumnDef) {
    const { quote: q, literal: lit } = mysqlDialect;
    let def: string;
    if (c.options.autoIncrement) def = `${q(c.name)} bigint NOT NULL AUTO_INCREMENT PRIMARY KEY`;
    else if (c.options.coalesceOf) {
      // MariaDB refuses NOT NULL on a generated column; coalesce never yields NULL anyway.
      const { column, fallback } = c.options.coalesceOf;
      def = `${q(c.name)} ${TYPES[c.kind]} GENERATED ALWAYS AS (coalesce(${q(column)}, ${lit(fallback)})) STORED`;
    } else {
      def = `${q(c.name)} ${TYPES[c.kind]}${c.options.nullable ? " NULL" : " NOT NULL"}`;
      if (c.options.primaryKey) def += " PRIMARY KEY";
    }
    return `${def} COMMENT ${lit(c.description)}`;
  },

  extraChecks: () => [],
  tableOpening: () => "",
  tableSuffix: (table) =>
    ` ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT=${mysqlDialect.literal(table.description)}`,
  commentStatements: () => [],
  columnCommentStatements: () => [],
  // Each ALTER commits at once: a migration cut short is re-run, and exists() skips what it did.
  alterTable: (before, after) => addInPlaceSteps(mysqlDialect, before, after),

  async exists(db, object) {
    const queries = {
      table: sql`select 1 from information_schema.TABLES where TABLE_SCHEMA = DATABASE() and TABLE_NAME = ${object.name}`,
      column: sql`select 1 from information_schema.COLUMNS
                   where TABLE_SCHEMA = DATABASE() and TABLE_NAME = ${object.table} and COLUMN_NAME = ${object.name}`,
      constraint: sql`select 1 from information_schema.TABLE_CONSTRAINTS
                       where CONSTRAINT_SCHEMA = DATABASE() and TABLE_NAME = ${object.table} and CONSTRAINT_NAME = ${object.name}`,
      index: sql`select 1 from information_schema.STATISTICS
                  where TABLE_SCHEMA = DATABASE() and TABLE_NAME = ${object.table} and INDEX_NAME = ${object.name}`,
    };
    return (await queries[object.kind].execute(db)).rows.length > 0;
  },

  guideView(tables) {
    const names = tables.map((t) => mysqlDialect.literal(t.name)).join(", ");
    return `CREATE VIEW \`v_ai_schema_guide\` AS
SELECT t.TABLE_NAME AS table_name, CAST(NULL AS CHAR(64)) AS column_name, CAST(NULL AS CHAR(255)) AS data_type,
       FALSE AS is_primary_key, CAST(NULL AS CHAR(200)) AS foreign_key_target, t.TABLE_COMMENT AS description
  FROM information_schema.TABLES t
 WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME IN (${names})
UNION ALL
SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.COLUMN_KEY = 'PRI',
       (SELECT CONCAT(k.REFERENCED_TABLE_NAME, '.', k.REFERENCED_COLUMN_NAME)
          FROM information_schema.KEY_COLUMN_USAGE k
         WHERE k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
           AND k.COLUMN_NAME = c.COLUMN_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL
         LIMIT 1),
       c.COLUMN_COMMENT
  FROM information_schema.COLUMNS c
 WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME IN (${names})`;
  },

  partialIndexes: false,
  dropIndex: (table, index) => `DROP INDEX ${mysqlDialect.quote(index)} ON ${mysqlDialect.quote(table)}`,
  transactionalDdl: false,

  // MariaDB has no FOR UPDATE OF: in a join it locks the rows of every table it reads.
  lockRows: (query, mode) => lockForUpdate(query, mode),
  // Deadlocks and lost connections: a few tries, backing off up to about a second.
  retryDelayMs: (attempt) => (attempt >= 8 ? null : Math.random() * 10 * 2 ** attempt),
  isTransient: (error) => {
    const err = error as { code?: string; errno?: number; fatal?: boolean };
    // 1213 deadlock, 1205 lock wait timeout, 1927 connection killed, 2006/2013 server gone.
    return (
      [1213, 1205, 1927, 2006, 2013].includes(err?.errno ?? 0) ||
      ["ECONNRESET", "ECONNREFUSED", "PROTOCOL_CONNECTION_LOST", "EPIPE"].includes(err?.code ?? "")
    );
  },
  insertUnlessExists: (insert, _uniqueColumns, anyColumn) =>
    insert.onDuplicateKeyUpdate({ [anyColumn]: sql.ref(anyColumn) } as never) as typeof insert,
  async currentTimeMs(db) {
    const { rows } = await sql<{ ms: string }>`select unix_timestamp(now(3)) * 1000 as ms`.execute(db);
    return Number(rows[0]!.ms);
  },
  isUniqueViolation: (error) => (error as { code?: string })?.code === "ER_DUP_ENTRY",

  async withMigrationLock(db, fn) {
    return db.connection().execute(async (conn) => {
      const got = await sql<{ got: number | null }>`select get_lock(${MIGRATION_LOCK}, 60) as got`.execute(conn);
      if (Number(got.rows[0]?.got) !== 1) throw new Error("another process holds the migration lock for over 60 s");
      try {
        return await fn(conn);
      } finally {
        await sql`select release_lock(${MIGRATION_LOCK})`.execute(conn);
      }
    });
  },
  // The hot path's statements are prepared (mysql/prepared.ts): 65535 is the limit of a prepared statement's parameters.
  maxBindParameters: 65_535,
  hotPath: mysqlHotPath(65_535),
  // datetime(3) holds UTC; TIMESTAMPDIFF does not depend on the session's time zone.
  epochMinute: (column) => sql<number>`timestampdiff(minute, '1970-01-01 00:00:00', ${sql.ref(column)})`,
  shiftedTimestamp: (column, ms) =>
    sql<Date>`date_add(${sql.ref(column)}, interval ${Math.round(ms) * 1000} microsecond)`,
  jsonTextAt: (column, key) =>
    sql<string | null>`json_unquote(json_extract(${sql.ref(column)}, ${sql.lit(jsonPath(key))}))`,
  eventFeed: mysqlEventFeed,
};
