/**
 * SQLite through better-sqlite3: one file per store, WAL journal, foreign keys on, a busy
 * timeout for other processes, and every write transaction begun IMMEDIATE so that two
 * writers never both read and then fail to upgrade their lock.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type Database from "better-sqlite3";
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver } from "kysely";
import type { ColumnDef, ColumnKind, TableDef } from "../../schema/define.js";
import { createTableStatements } from "../ddl.js";
import { DecodeResultsPlugin, EncodeValuesPlugin } from "../normalize.js";
import type { StoreUrl } from "../url.js";
import type { AnyKysely, Connection, SqlDialect } from "./dialect.js";
import { jsonPath } from "./json-path.js";
import { startCheckpointer, type Checkpointer } from "./sqlite/checkpointer.js";
import { sqliteEventFeed } from "./sqlite/events.js";
import { sqliteHotPath } from "./sqlite/hot-path.js";
import { encodeValue } from "./sqlite/params.js";
import { sqliteDriver } from "./sqlite/driver.js";

const TYPES: Record<ColumnKind, string> = {
  uuid: "text",
  string: "text",
  text: "text",
  json: "text",
  integer: "integer",
  bigint: "integer",
  boolean: "integer",
  timestamp: "text",
  enum: "text",
};

/**
 * Milliseconds another process may hold the write lock before a writer gives up. SQLite's own
 * busy handler does the waiting: measured against failing fast and retrying from a timer, it
 * gave the most steps per second with four processes on one file.
 */
const BUSY_TIMEOUT_MS = 15_000;

type SqliteConfig = ConstructorParameters<typeof SqliteDialect>[0];

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #afterCommit: () => void;
  constructor(config: SqliteConfig, afterCommit: () => void) {
    super(config);
    this.#afterCommit = afterCommit;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.#afterCommit();
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteConfig;
  readonly #afterCommit: () => void;
  constructor(config: SqliteConfig, afterCommit: () => void) {
    super(config);
    this.#config = config;
    this.#afterCommit = afterCommit;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#afterCommit);
  }
}

/** better-sqlite3 prepares a statement per call; the engine runs the same few hundred again and again. */
function withStatementCache(db: Database.Database, onClose: () => void) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => {
      onClose();
      db.close();
    },
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = db.prepare(text);
        if (cache.size > 2000) cache.clear();
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

/** SQLite's SQLITE_MAX_VARIABLE_NUMBER since 3.32. */
const SQLITE_MAX_PARAMETERS = 32_766;

const shared = new Map<string, { db: AnyKysely; users: number }>();

/**
 * Write transactions a connection commits before its checkpoint thread starts: a short-lived
 * process (a CLI command, most tests) never starts one, a worker or a server soon does.
 */
const COMMITS_BEFORE_CHECKPOINTER = 100;

function openKysely(path: string): AnyKysely {
  let db: Database.Database | null = null;
  let commits = 0;
  let checkpointer: Checkpointer | null = null;
  const afterCommit = () => {
    if (++commits !== COMMITS_BEFORE_CHECKPOINTER || path === ":memory:" || !db) return;
    const connection = db;
    checkpointer = startCheckpointer(resolve(path), (pages) => {
      if (connection.open) connection.pragma(`wal_autocheckpoint = ${pages}`);
    });
  };
  return new Kysely({
    dialect: new ImmediateSqliteDialect(
      {
        database: async () => {
          if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
          db = new (sqliteDriver())(path);
          db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
          if (path !== ":memory:") db.pragma("journal_mode = WAL");
          // WAL with synchronous=NORMAL is durable against process crashes; a power loss
          // can lose the last transactions but never corrupts the file.
          db.pragma("synchronous = NORMAL");
          db.pragma("foreign_keys = ON");
          return withStatementCache(db, () => checkpointer?.stop());
        },
      },
      afterCommit,
    ),
    plugins: [new EncodeValuesPlugin(encodeValue), new DecodeResultsPlugin()],
  });
}

export const sqliteDialect: SqlDialect = {
  engine: "sqlite",

  connect(url: StoreUrl): Connection {
    const path = url.path ?? ":memory:";
    if (path === ":memory:") {
      const db = openKysely(path);
      return { db, close: () => db.destroy(), poolUse: () => null };
    }
    // One connection per file and process: better-sqlite3 is synchronous, so a second
    // connection waiting for the write lock would block the very thread that holds it.
    const key = resolve(path);
    let entry = shared.get(key);
    if (!entry) {
      entry = { db: openKysely(path), users: 0 };
      shared.set(key, entry);
    }
    entry.users += 1;
    const opened = entry;
    let closed = false;
    return {
      db: opened.db,
      // One connection per file and process: no pool.
      poolUse: () => null,
      async close() {
        if (closed) return;
        closed = true;
        opened.users -= 1;
        if (opened.users === 0) {
          shared.delete(key);
          await opened.db.destroy();
        }
      },
    };
  },

  missingStore(url) {
    const path = url.path ?? ":memory:";
    return path === ":memory:" || existsSync(path) ? null : resolve(path);
  },

  async ping(db) {
    await sql`select 1`.execute(db);
  },

  describeConnectError(error) {
    return error instanceof Error ? error.message : String(error);
  },

  quote: (name) => `"${name.replace(/"/g, '""')}"`,
  literal: (text) => `'${text.replace(/'/g, "''")}'`,

  columnDefinition(table: TableDef, c: ColumnDef) {
    const q = sqliteDialect.quote;
    let def = `${q(c.name)} ${TYPES[c.kind]}`;
    if (c.options.autoIncrement) def += " PRIMARY KEY AUTOINCREMENT";
    else if (c.options.primaryKey) def += " PRIMARY KEY";
    if (c.options.coalesceOf) {
      const { column, fallback } = c.options.coalesceOf;
      def += ` GENERATED ALWAYS AS (coalesce(${q(column)}, ${sqliteDialect.literal(fallback)})) STORED`;
    }
    if (!c.options.nullable) def += " NOT NULL";
    // SQLite keeps comments inside CREATE TABLE verbatim in sqlite_master.sql.
    return `${def} /* ${c.description.replace(/\*\//g, "* /")} */`;
  },

  extraChecks(c: ColumnDef) {
    const col = sqliteDialect.quote(c.name);
    if (c.kind === "boolean") return [`${col} IN (0, 1)`];
    // A column declared json would get numeric affinity; text plus json_valid keeps the text.
    if (c.kind === "json") return [`json_valid(${col})`];
    return [];
  },

  // Text after the closing parenthesis is not kept in sqlite_master; inside it is.
  tableOpening: (table) => ` /* ${table.description.replace(/\*\//g, "* /")} */`,
  tableSuffix: () => "",
  commentStatements: () => [],
  columnCommentStatements: () => [],

  /**
   * SQLite adds neither constraints nor indexed keys to a table in place: the table is built
   * anew under a temporary name, its rows copied, the old one dropped and the new one renamed
   * (the procedure of the SQLite manual, with foreign keys off for the migration: see
   * withMigrationLock). Indexes go with the old table and are created again.
   */
  alterTable(before, after) {
    const q = sqliteDialect.quote;
    const temporary = `${after.name}__rebuild`;
    const copied = before.columns
      .filter((c) => !c.options.coalesceOf && after.columns.some((a) => a.name === c.name))
      .map((c) => q(c.name))
      .join(", ");
    return [
      ...createTableStatements(sqliteDialect, after, { as: temporary }).map((sql) => ({ sql })),
      { sql: `INSERT INTO ${q(temporary)} (${copied}) SELECT ${copied} FROM ${q(after.name)}` },
      { sql: `DROP TABLE ${q(after.name)}` },
      { sql: `ALTER TABLE ${q(temporary)} RENAME TO ${q(after.name)}` },
      ...createTableStatements(sqliteDialect, after)
        .slice(1)
        .map((sql) => ({ sql })),
    ];
  },

  async exists(db, object) {
    const queries = {
      table: sql`select 1 from sqlite_master where type = 'table' and name = ${object.name}`,
      column: sql`select 1 from pragma_table_xinfo(${object.table}) where name = ${object.name}`,
      constraint: sql`select 1 from sqlite_master where type = 'table' and name = ${object.table}
                       and sql like ${`%CONSTRAINT "${object.name}" %`}`,
      index: sql`select 1 from sqlite_master where type = 'index' and name = ${object.name}`,
    };
    return (await queries[object.kind].execute(db)).rows.length > 0;
  },

  guideView(tables) {
    const { quote: q, literal: lit } = sqliteDialect;
    const names = tables.map((t) => lit(t.name)).join(", ");
    // No catalog comments in SQLite: the descriptions ride along as a VALUES list.
    const descriptions = tables
      .flatMap((t) => [
        `(${lit(t.name)}, NULL, ${lit(t.description)})`,
        ...t.columns.map((c) => `(${lit(t.name)}, ${lit(c.name)}, ${lit(c.description)})`),
      ])
      .join(",\n    ");
    return `CREATE VIEW ${q("v_ai_schema_guide")} AS
WITH descriptions(table_name, column_name, description) AS (VALUES
    ${descriptions}
)
SELECT m.name AS table_name, NULL AS column_name, NULL AS data_type, 0 AS is_primary_key,
       NULL AS foreign_key_target, d.description AS description
  FROM sqlite_master m
  LEFT JOIN descriptions d ON d.table_name = m.name AND d.column_name IS NULL
 WHERE m.type = 'table' AND m.name IN (${names})
UNION ALL
SELECT m.name, p.name, p.type, p.pk > 0,
       (SELECT f."table" || '.' || f."to" FROM pragma_foreign_key_list(m.name) f WHERE f."from" = p.name),
       d.description
  FROM sqlite_master m
  JOIN pragma_table_xinfo(m.name) p ON p.hidden IN (0, 2, 3)
  LEFT JOIN descriptions d ON d.table_name = m.name AND d.column_name = p.name
 WHERE m.type = 'table' AND m.name IN (${names})`;
  },

  partialIndexes: true,
  dropIndex: (_table, index) => `DROP INDEX ${sqliteDialect.quote(index)}`,
  transactionalDdl: true,

  async withMigrationLock(db, fn) {
    // The IMMEDIATE transaction is the lock: a second process waits for the write lock.
    // Foreign keys are off while a migration rebuilds tables (they can only be switched
    // outside a transaction, and this process has one connection per file); every reference
    // is checked before the migration commits.
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      return await db.transaction().execute(async (trx) => {
        const result = await fn(trx);
        const broken = await sql<{ table: string; parent: string }>`pragma foreign_key_check`.execute(trx);
        if (broken.rows.length > 0) {
          const first = broken.rows[0]!;
          throw new Error(
            `${broken.rows.length} rows break a foreign key after the migration (first: ${first.table} -> ${first.parent})`,
          );
        }
        return result;
      });
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  },

  lockRows: (query) => query,
  // A busy error comes after BUSY_TIMEOUT_MS of waiting already: try twice more, then give up.
  retryDelayMs: (attempt) => (attempt >= 3 ? null : 50),
  isTransient: (error) => /^SQLITE_BUSY/.test(String((error as { code?: string })?.code ?? "")),
  insertUnlessExists: (insert, uniqueColumns) =>
    insert.onConflict((oc) => oc.columns(uniqueColumns as never).doNothing()) as typeof insert,
  currentTimeMs: () => Promise.resolve(null),
  isUniqueViolation: (error) =>
    (error as { code?: string })?.code === "SQLITE_CONSTRAINT_UNIQUE" ||
    (error as { code?: string })?.code === "SQLITE_CONSTRAINT_PRIMARYKEY",
  // better-sqlite3 is built with SQLITE_MAX_VARIABLE_NUMBER 32766.
  maxBindParameters: SQLITE_MAX_PARAMETERS,
  hotPath: sqliteHotPath(SQLITE_MAX_PARAMETERS),
  // unixepoch() (SQLite 3.38) reads the ISO 8601 text the timestamps are stored as.
  epochMinute: (column) => sql<number>`(unixepoch(${sql.ref(column)}) / 60)`,
  // Timestamps are ISO text (params.ts); strftime writes the same form back, to the millisecond.
  shiftedTimestamp: (column, ms) =>
    sql<Date>`strftime('%Y-%m-%dT%H:%M:%fZ', ${sql.ref(column)}, ${`+${(Math.round(ms) / 1000).toFixed(3)} seconds`})`,
  jsonTextAt: (column, key) => sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(jsonPath(key))})`,
  eventFeed: sqliteEventFeed,
};
