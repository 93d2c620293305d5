/**
 * Opens one store: parses its URL, connects with its dialect and checks that the database
 * answers (connectStore), then creates or upgrades its schema (Store.migrate). Every failure
 * becomes one StoreError line that names the store, its URL (without password) and the reason.
 */
import type { Kysely } from "kysely";
import { ChameleonError, StoreError } from "../errors.js";
import type { InstanceDatabase, TemplateDatabase } from "../schema/tables.js";
import { dialectFor, type SqlDialect } from "./dialects/index.js";
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
  /** Creates or upgrades the schema (up to version `upTo`, default the latest); a no-op when it is current. */
  migrate(upTo?: number): Promise<MigrationResult>;
  close(): Promise<void>;
}

export type TemplateStore = Store<TemplateDatabase>;
export type InstanceStore = Store<InstanceDatabase>;
type StoreOf<T extends Tier> = T extends "templates" ? TemplateStore : InstanceStore;

export async function connectStore<T extends Tier>(tier: T, rawUrl: string): Promise<StoreOf<T>> {
  const url = parseStoreUrl(tier, rawUrl);
  const label = `${storeLabel(tier)} (${url.safe})`;
  const dialect = dialectFor(url.engine);
  const connection = dialect.connect(url);
  const db = connection.db;
  try {
    await dialect.ping(db);
  } catch (error) {
    await connection.close().catch(() => {});
    // A lost or refused connection arrives as a StoreError carrying the driver's error.
    const driverError = error instanceof StoreError && error.cause !== undefined ? error.cause : error;
    throw new StoreError(`${label}: ${dialect.describeConnectError(driverError)}`, { cause: driverError });
  }
  const store: Store<unknown> = {
    tier,
    engine: url.engine,
    label,
    url,
    dialect,
    db,
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
    close: () => connection.close(),
  };
  return store as StoreOf<T>;
}
