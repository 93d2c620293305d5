/**
 * The hot path's statements as server-side prepared statements. mysql2's query() inlines the
 * values into the text, and the server parses every statement anew; execute() prepares a text
 * once per connection (mysql2 keeps the statement by its text) and sends only the values after
 * that. Measured on the chain at claims of 1 (bench/profile-step.ts, MariaDB 10.11): 10-14%
 * less server CPU per step and 10-14% more steps/s. Only the texts registered here are
 * prepared: everything else Kysely sends stays a plain query.
 */
import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult } from "kysely";
import type { Pool, PoolConnection } from "mysql2";
import { memoized } from "../hot-path.js";

/**
 * Statements a connection keeps prepared (mysql2 closes the least recently used beyond it).
 * The server's max_prepared_stmt_count (16,382 by default) bounds the sum over all
 * connections: 10 per pool, each with the hot path's texts per batch size in use.
 */
export const PREPARED_PER_CONNECTION = 200;

const preparedTexts = new Set<string>();

/** `text`, marked to be sent as a prepared statement. */
export function prepared(text: string): string {
  preparedTexts.add(text);
  return text;
}

/** memoized (../hot-path.ts), each text built marked to be prepared. */
export function preparedMemoized<K>(build: (key: K) => string): (key: K) => string {
  return memoized((key: K) => prepared(build(key)));
}

/** `pool` as Kysely takes it, whose connections execute the registered texts as prepared statements. */
export function preparingPool(pool: Pool): MysqlPool {
  // One wrapper per connection: Kysely runs its onCreateConnection once per object it is given.
  const wrappers = new WeakMap<PoolConnection, MysqlPoolConnection>();
  return {
    getConnection(callback) {
      pool.getConnection((error, raw) => {
        if (error) return callback(error, raw as never);
        let connection = wrappers.get(raw);
        if (connection === undefined) {
          connection = preparingConnection(raw);
          wrappers.set(raw, connection);
        }
        callback(null, connection);
      });
    },
    end: (callback) => pool.end(callback),
  };
}

/** ER_MAX_PREPARED_STMT_COUNT_REACHED: the server holds max_prepared_stmt_count statements already. */
const TOO_MANY_PREPARED = 1461;

type Callback = (error: unknown, result: MysqlQueryResult) => void;

/**
 * A connection that executes the registered texts prepared. When the server can hold no more
 * prepared statements (many processes on one server), the statement goes as a plain query:
 * slower, never refused for that.
 */
export function preparingConnection(raw: Pick<PoolConnection, "query" | "execute" | "release">): MysqlPoolConnection {
  return {
    query: ((sql: string, parameters: unknown[], callback?: Callback) => {
      const values = parameters as never;
      if (callback === undefined) return raw.query(sql, values); // a stream: never on the hot path
      if (!preparedTexts.has(sql)) return void raw.query(sql, values, callback as never);
      raw.execute(sql, values, ((error: { errno?: number } | null, result: MysqlQueryResult) => {
        if (error?.errno === TOO_MANY_PREPARED) raw.query(sql, values, callback as never);
        else callback(error, result);
      }) as never);
    }) as MysqlPoolConnection["query"],
    release: () => raw.release(),
  };
}
