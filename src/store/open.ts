/**
 * Opens one store: parses its URL, connects with its dialect, checks that the database
 * answers and creates or upgrades its schema. Every failure becomes one StoreError line
 * that names the store, its URL (without password) and the reason.
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
  readonly migration: MigrationResult;
  close(): Promise<void>;
}

export type TemplateStore = Store<TemplateDatabase>;
export type InstanceStore = Store<InstanceDatabase>;

export async function openStore<T extends Tier>(
  tier: T,
  rawUrl: string,
): Promise<T extends "templates" ? TemplateStore : InstanceStore> {
  const url = parseStoreUrl(tier, rawUrl);
  const label = `${storeLabel(tier)} (${url.safe})`;
  const dialect = dialectFor(url.engine);
  const db = dialect.connect(url);
  const fail = async (reason: string, cause: unknown): Promise<never> => {
    await db.destroy().catch(() => {});
    throw new StoreError(`${label}: ${reason}`, { cause });
  };
  try {
    await dialect.ping(db);
  } catch (error) {
    return fail(dialect.describeConnectError(error), error);
  }
  let migration: MigrationResult;
  try {
    migration = await migrate(db, dialect, tier, label);
  } catch (error) {
    if (error instanceof ChameleonError) {
      await db.destroy().catch(() => {});
      throw error;
    }
    return fail(`could not create or upgrade the schema: ${(error as Error).message ?? error}`, error);
  }
  const store: Store<unknown> = {
    tier,
    engine: url.engine,
    label,
    url,
    dialect,
    db,
    migration,
    close: () => db.destroy(),
  };
  return store as T extends "templates" ? TemplateStore : InstanceStore;
}
