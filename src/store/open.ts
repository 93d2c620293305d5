/**
 * Opens one store: parses its URL and connects with its dialect (openStore), checks that the
 * database answers (ping, connectStore), then creates or upgrades its schema (Store.migrate). Every failure
 * becomes one StoreError line that names the store, its URL (without password) and the reason.
 */
import type { Kysely } from "kysely";
import { ChameleonError, StoreError } from "../errors.js";
import type { InstanceDatabase, TemplateDatabase } from "../schema/tables.js";
import { dialectFor, type SqlDialect } from "./dialects/index.js";
import type { PoolUse } from "./dialects/dialect.js";
import { migrate, type MigrationResult } from "./migrate.js";
import { parseStoreUrl, storeLabel, type Engine, type StoreUrl, type Tier } from "./url.js";

export interface Store<DB> {
  readonly tier: Tier;
  readonly engine: Engine;
  /** "template store (sqlite:…)": how messages name this store. */
  readonly label: string;
  readonly url: StoreUrl;
  readonly dialect: SqlDialect;
  readonly db: Kysely<DB>;
  /** Throws a StoreError naming the store, its URL and the reason when its database does not answer. */
  ping(): Promise<void>;
  /** The path a SQLite store not created yet would be created at by its first use, else null. */
  missing(): string | null;
  /** Creates or upgrades the schema (up to version `upTo`, default the latest); a no-op when it is current. */
  migrate(upTo?: number): Promise<MigrationResult>;
  /** How this store's pool of connections is used now, or null where it has none (SQLite). */
  poolUse(): PoolUse | null;
  close(): Promise<void>;
}

export type TemplateStore = Store<TemplateDatabase>;
export type InstanceStore = Store<InstanceDatabase>;
type StoreOf<T extends Tier> = T extends "templates" ? TemplateStore : InstanceStore;

/**
 * The store of this URL, connected without touching its database yet: a bad URL is refused
 * here, an unreachable database only at ping() or at the first query.
 */
export function openStore<T extends Tier>(tier: T, rawUrl: string): StoreOf<T> {
  const url = parseStoreUrl(tier, rawUrl);
  const label = `${storeLabel(tier)} (${url.safe})`;
  const dialect = dialectFor(url.engine);
  const connection = dialect.connect(url);
  const db = connection.db;
  const store: Store<unknown> = {
    tier,
    engine: url.engine,
    label,
    url,
    dialect,
    db,
    async ping() {
      try {
        await dialect.ping(db);
      } catch (error) {
        // A lost or refused connection arrives as a StoreError carrying the driver's error.
        const driverError = error instanceof StoreError && error.cause !== undefined ? error.cause : error;
        throw new StoreError(`${label}: ${dialect.describeConnectError(driverError)}`, { cause: driverError });
      }
    },
    async migrate(upTo?: number) {
      try {
        return await migrate(db, dialect, tier, label, upTo);
      } catch (error) {
        if (error instanceof ChameleonError) throw error;
        throw new StoreError(`${label}: could not create or upgrade the schema: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
    missing: () => dialect.missingStore(url),
    poolUse: () => connection.poolUse(),
    close: () => connection.close(),
  };
  return store as StoreOf<T>;
}

/** openStore, then ping: the store, once its database answers. */
export async function connectStore<T extends Tier>(tier: T, rawUrl: string): Promise<StoreOf<T>> {
  const store = openStore(tier, rawUrl);
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
