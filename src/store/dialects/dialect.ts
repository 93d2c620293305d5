/**
 * What differs between the three engines, declared once. Each engine implements this in
 * its own file (sqlite.ts, postgres.ts, mysql.ts); nothing outside those files knows which
 * engine it talks to.
 */
import type { InsertQueryBuilder, Kysely, RawBuilder, SelectQueryBuilder } from "kysely";
import type { ColumnDef, TableDef } from "../../schema/define.js";
import type { DdlStep, SchemaObject } from "../ddl.js";
import type { Engine, StoreUrl } from "../url.js";
import type { HotPath } from "./hot-path.js";

// The dialect layer works below the typed tables, on any database shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

/** An open database: the query builder, and how to let go of it. */
export interface Connection {
  readonly db: AnyKysely;
  close(): Promise<void>;
  /** How the pool of connections is used now (for metrics), or null where there is no pool (SQLite). */
  poolUse(): PoolUse | null;
}

/** The connections of one pool: most it opens, open now, idle among those, and requests waiting for one. */
export interface PoolUse {
  max: number;
  open: number;
  idle: number;
  waiting: number;
}

export interface SqlDialect {
  readonly engine: Engine;

  /** Opens the connection (a pool for servers) without touching the database yet. */
  connect(url: StoreUrl): Connection;
  /**
   * Where a store that does not exist yet would be created (a SQLite file), or null when it
   * exists or is not created by connecting (a server's database, an in-memory SQLite).
   */
  missingStore(url: StoreUrl): string | null;
  /** Throws the driver's error if the database does not answer. */
  ping(db: AnyKysely): Promise<void>;
  /** A one-line reason for a driver error met while connecting (refused, unknown database, bad login). */
  describeConnectError(error: unknown): string;

  // ---- DDL pieces, assembled by store/ddl.ts
  quote(identifier: string): string;
  /** A string literal, escaped for this engine. */
  literal(text: string): string;
  /** The column clause: name, type, nullability, generation, inline comment. */
  columnDefinition(table: TableDef, column: ColumnDef): string;
  /** CHECK expressions this engine needs beyond enums (booleans and JSON on SQLite). */
  extraChecks(column: ColumnDef): string[];
  /** Text right after the opening parenthesis of CREATE TABLE (SQLite keeps a comment there). */
  tableOpening(table: TableDef): string;
  /** Text after the closing parenthesis of CREATE TABLE. */
  tableSuffix(table: TableDef): string;
  /** Statements that attach the catalog comments, where the engine has separate ones. */
  commentStatements(table: TableDef): string[];
  /** The statements that attach one column's catalog comment, where the engine has separate ones. */
  columnCommentStatements(table: TableDef, column: ColumnDef): string[];
  /**
   * The steps that change an existing table from `before` to `after` (columns, unique keys and
   * indexes added): in place on the servers, by rebuilding the table on SQLite.
   */
  alterTable(before: TableDef, after: TableDef): DdlStep[];
  /** Whether CREATE INDEX takes a WHERE clause (IndexDef.partial): PostgreSQL and SQLite, not MySQL/MariaDB. */
  readonly partialIndexes: boolean;
  /** DROP INDEX of one index of the table. */
  dropIndex(table: string, index: string): string;
  /** Whether a table, column, named constraint or index exists (a re-run migration skips it). */
  exists(db: AnyKysely, object: SchemaObject): Promise<boolean>;
  /** CREATE VIEW v_ai_schema_guide over this engine's catalog, for these tables. */
  guideView(tables: readonly TableDef[]): string;
  /** Whether DDL rolls back with its transaction (PostgreSQL, SQLite) or commits at once (MySQL). */
  readonly transactionalDdl: boolean;
  /** Runs fn while no other process migrates the same database. */
  withMigrationLock<T>(db: AnyKysely, fn: (db: AnyKysely) => Promise<T>): Promise<T>;

  // ---- runtime
  /**
   * Locks the selected rows for the rest of the transaction: FOR UPDATE on the servers, with
   * SKIP LOCKED for a claim, so that two workers never wait for or take the same unit.
   * Nothing on SQLite, whose IMMEDIATE write transaction already excludes every other writer.
   * `of`: in a join, the table (alias) whose rows are to be locked.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  lockRows<QB extends SelectQueryBuilder<any, any, any>>(query: QB, mode: "wait" | "skip-locked", of?: string): QB;
  /** A deadlock, lock timeout or busy database: retrying the whole transaction can succeed. */
  isTransient(error: unknown): boolean;
  /** How long to wait before attempt `attempt + 1` of a transaction that met a transient error; null: give up. */
  retryDelayMs(attempt: number): number | null;
  /**
   * The database server's clock, epoch milliseconds: the engine's time (store/clock.ts).
   * null on SQLite, which lives on this machine and whose clock is the process's.
   */
  currentTimeMs(db: AnyKysely): Promise<number | null>;
  /** A duplicate key refused by a unique constraint. */
  isUniqueViolation(error: unknown): boolean;
  /**
   * The INSERT, made to do nothing where a row with the same `uniqueColumns` (a unique key)
   * already exists, waiting for a concurrent insert of that key to commit or roll back first.
   * `anyColumn`: a column MySQL may assign to itself (it has no DO NOTHING; INSERT IGNORE
   * would hide other errors too).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  insertUnlessExists<QB extends InsertQueryBuilder<any, any, any>>(
    insert: QB,
    uniqueColumns: readonly string[],
    anyColumn: string,
  ): QB;
  /**
   * The text of the top-level member `key` of a JSON column (`column` as `table.column` or
   * `column`), or NULL when it has none. `key` is written into the SQL as a literal (not a
   * parameter), so that the same expression can be selected and grouped by: pass only
   * constants of the code, never input.
   */
  jsonTextAt(column: string, key: string): RawBuilder<string | null>;
  /** The minute since the Unix epoch (UTC) of a timestamp column, as an integer: floor(ms / 60,000). */
  epochMinute(column: string): RawBuilder<number>;
  /** A timestamp column moved `ms` milliseconds later (whole milliseconds), as the column's own type. */
  shiftedTimestamp(column: string, ms: number): RawBuilder<Date>;
  /** The most bind parameters one statement may carry; longer multi-row statements are split (store/chunks.ts, and hot-path.ts slices). */
  readonly maxBindParameters: number;
  /** How the event stream reads new audit entries without missing or repeating one (docs/events.md). */
  readonly eventFeed: EventFeed;
  /** The statements of every checkout and submit, written out for this engine (hot-path.ts). */
  readonly hotPath: HotPath;
}

/** An audit entry (interaction_logs) as the event stream reads it. */
export interface FeedRow {
  log_id: number;
  uow_id: string;
  actor_id: string;
  role_id: string | null;
  interaction_id: string | null;
  event: string;
  details: unknown;
  timestamp: Date;
}

export const FEED_COLUMNS = [
  "log_id",
  "uow_id",
  "actor_id",
  "role_id",
  "interaction_id",
  "event",
  "details",
  "timestamp",
] as const;

export interface FeedBatch {
  /** Entries not read before, each with the cursor that resumes right after it. */
  rows: { row: FeedRow; cursor: string }[];
  /** The cursor after the whole batch (it may move on without rows). */
  cursor: string;
  /** The batch was cut at its limit: more entries can be read at once. */
  more: boolean;
  /** Entries are written that cannot be handed out yet (their order is not settled): read again soon. */
  pending: boolean;
}

/** The reader of one instance's entries; it keeps what it learnt between reads. */
export interface FeedReader {
  read(limit: number): Promise<FeedBatch>;
}

/** A running subscription to the notices of writing transactions. */
export interface FeedSubscription {
  /** False once its connection is gone: readers fall back to polling. */
  readonly alive: boolean;
  close(): Promise<void>;
}

export interface EventFeed {
  /**
   * A reader of the entries of one instance after `cursor` (null: from the first entry); null
   * when the text is not a cursor of this engine. `now`: the engine's time, epoch ms.
   */
  open(db: AnyKysely, instanceId: string, cursor: string | null, now: () => number): FeedReader | null;
  /**
   * A cursor of the stream's end as it stands: resuming after it hands out every entry written
   * from now on (and possibly some of the last moments'), none older. For a reader that wants
   * only what happens next (a page that follows an instance live). `now`: the engine's time.
   */
  end(db: AnyKysely, instanceId: string, now: number): Promise<string>;
  /**
   * Calls `onWrite(instanceId)` after a transaction that wrote entries of that instance commits
   * (PostgreSQL: LISTEN on a connection of its own); null where readers only poll.
   */
  readonly subscribe: ((url: StoreUrl, onWrite: (instanceId: string) => void) => Promise<FeedSubscription>) | null;
  /**
   * Run once in every transaction that writes entries: tells the subscribers, if any (NOTIFY),
   * on `trx`; `db` is the store's pool, for what must not run inside the transaction. Null: nothing to tell.
   */
  readonly announce: ((trx: AnyKysely, db: AnyKysely, instanceId: string) => Promise<void>) | null;
  /** Milliseconds between two reads of a following reader that nothing woke (with a live subscription, a fallback). */
  pollMs(subscribed: boolean): number;
}
