/**
 * A Kysely dialect wrapper for the database servers that says what a lost connection means
 * for the work in flight. A connection that breaks while a transaction body runs takes the
 * transaction with it (the server rolls it back), so the caller may run it again; one that
 * breaks once COMMIT, or a single autocommitted write, has been sent leaves the outcome
 * unknown: the change may have been applied, and running it again could apply it twice.
 */
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from "kysely";
import { OutcomeUnknownError, StoreError } from "../../errors.js";

/** Whether a driver error means the connection is gone (killed, reset, refused, closed). */
export type ConnectionLossTest = (error: unknown) => boolean;

class GuardedConnection implements DatabaseConnection {
  /** Between BEGIN and COMMIT or ROLLBACK: a lost statement is rolled back with its transaction. */
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly translate: (error: unknown, compiled: CompiledQuery, inTransaction: boolean) => unknown,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(compiled);
    } catch (error) {
      throw this.translate(error, compiled, this.inTransaction);
    }
  }

  streamQuery<R>(compiled: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiled, chunkSize);
  }
}

/** A statement that changes nothing: losing it is never ambiguous. */
function isReadOnly(compiled: CompiledQuery): boolean {
  const kind = compiled.query.kind;
  if (kind === "SelectQueryNode") return true;
  if (kind !== "RawNode") return false;
  return /^\s*(select|show|set|explain)\b/i.test(compiled.sql);
}

/** The StoreErrors made here for a connection lost before anything could have been committed. */
const beforeCommit = new WeakSet<object>();

/** A connection lost while nothing of the call could have been committed: running it again is safe. */
export function isLostBeforeCommit(error: unknown): boolean {
  return typeof error === "object" && error !== null && beforeCommit.has(error);
}

function lostConnection(engine: string, error: unknown): StoreError {
  const reason = error instanceof Error ? error.message : String(error);
  const lost = new StoreError(`lost the connection to ${engine}: ${reason}`, { cause: error });
  beforeCommit.add(lost);
  return lost;
}

function outcomeUnknown(engine: string, what: string, error: unknown): OutcomeUnknownError {
  const reason = error instanceof Error ? error.message : String(error);
  return new OutcomeUnknownError(
    `the connection to ${engine} was lost after ${what} was sent (${reason}): the change may or may not have been applied`,
    { cause: error },
  );
}

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly engine: string,
    private readonly isConnectionLoss: ConnectionLossTest,
  ) {}

  private readonly translate = (error: unknown, compiled: CompiledQuery, inTransaction: boolean): unknown => {
    if (!this.isConnectionLoss(error)) return error;
    if (!inTransaction && !isReadOnly(compiled)) return outcomeUnknown(this.engine, "a write statement", error);
    return lostConnection(this.engine, error);
  };

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    try {
      return new GuardedConnection(await this.inner.acquireConnection(), this.translate);
    } catch (error) {
      throw this.isConnectionLoss(error) ? lostConnection(this.engine, error) : error;
    }
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const guarded = connection as GuardedConnection;
    try {
      await this.inner.beginTransaction(guarded.inner, settings);
    } catch (error) {
      throw this.isConnectionLoss(error) ? lostConnection(this.engine, error) : error;
    }
    guarded.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const guarded = connection as GuardedConnection;
    try {
      await this.inner.commitTransaction(guarded.inner);
    } catch (error) {
      // The COMMIT may have reached the server and been applied before the connection went.
      throw this.isConnectionLoss(error) ? outcomeUnknown(this.engine, "COMMIT", error) : error;
    }
    guarded.inTransaction = false;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const guarded = connection as GuardedConnection;
    guarded.inTransaction = false;
    try {
      await this.inner.rollbackTransaction(guarded.inner);
    } catch (error) {
      // A server that lost the session rolls its transaction back itself; the error that made
      // the caller roll back is the one to report.
      if (!this.isConnectionLoss(error)) throw error;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as GuardedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `dialect` with its driver's lost connections reported as StoreError or OutcomeUnknownError. */
export function guardLostConnections(dialect: Dialect, engine: string, isConnectionLoss: ConnectionLossTest): Dialect {
  return {
    createDriver: () => new GuardedDriver(dialect.createDriver(), engine, isConnectionLoss),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
