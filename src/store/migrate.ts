/**
 * Creates or upgrades the schema of one store. Runs under the dialect's migration lock, so
 * that several processes opening the same database at once apply each migration once; on
 * PostgreSQL and SQLite the whole run is one transaction, so a failure leaves nothing behind.
 * MySQL/MariaDB commit each DDL statement at once: there a run cut short (a crash, a lost
 * connection) is completed by the next one, which skips the objects that already exist.
 */
import { sql } from "kysely";
import { StoreError } from "../errors.js";
import { tableDef, tablesOfTier } from "../schema/tables.js";
import { createTableStatements } from "./ddl.js";
import type { AnyKysely, SqlDialect } from "./dialects/dialect.js";
import { BOOKKEEPING_TABLE, GUIDE_VIEW, LATEST_SCHEMA_VERSION, migrationSteps, migrations } from "./migrations.js";
import { retryTransient } from "./retry.js";
import { storeLabel, type Tier } from "./url.js";

export interface MigrationResult {
  from: number;
  to: number;
}

/** Applies the pending migrations up to `upTo` (default: all; a lower one builds older schemas for upgrade tests). */
export async function migrate(
  db: AnyKysely,
  dialect: SqlDialect,
  tier: Tier,
  label: string,
  upTo = LATEST_SCHEMA_VERSION,
): Promise<MigrationResult> {
  // Several processes starting at once wait for each other's migration lock (busy on SQLite).
  return retryTransient(dialect, () => migrateLocked(db, dialect, tier, label, upTo));
}

async function migrateLocked(
  db: AnyKysely,
  dialect: SqlDialect,
  tier: Tier,
  label: string,
  upTo: number,
): Promise<MigrationResult> {
  return dialect.withMigrationLock(db, async (conn) => {
    const run = (statement: string) => sql.raw(statement).execute(conn);
    for (const s of createTableStatements(dialect, tableDef(BOOKKEEPING_TABLE), { ifNotExists: true })) await run(s);

    const other = await conn.selectFrom(BOOKKEEPING_TABLE).select("tier").where("tier", "!=", tier).executeTakeFirst();
    if (other) {
      throw new StoreError(
        `${label}: this database already holds the ${storeLabel(other.tier as Tier)}; the two stores need separate databases`,
      );
    }
    const applied = await conn
      .selectFrom(BOOKKEEPING_TABLE)
      .select((eb) => eb.fn.max<number | null>("version").as("version"))
      .executeTakeFirst();
    const from = Number(applied?.version ?? 0);
    if (from > LATEST_SCHEMA_VERSION) {
      throw new StoreError(
        `${label}: its schema is version ${from}, newer than this version of Chameleon knows (${LATEST_SCHEMA_VERSION}); upgrade Chameleon to use it`,
      );
    }
    const pending = migrations.filter((m) => m.version > from && m.version <= upTo);
    if (pending.length === 0) return { from, to: from };

    await run(`DROP VIEW IF EXISTS ${dialect.quote(GUIDE_VIEW)}`);
    for (const m of pending) {
      for (const step of migrationSteps(dialect, tier, m.version)) {
        // Where DDL commits at once, a run cut short left some of these behind: skip them.
        if (!dialect.transactionalDdl && step.creates && (await dialect.exists(conn, step.creates))) continue;
        if (!dialect.transactionalDdl && step.drops && !(await dialect.exists(conn, step.drops))) continue;
        await run(step.sql);
      }
      await m.fill?.(conn, tier);
      await conn
        .insertInto(BOOKKEEPING_TABLE)
        .values({ version: m.version, tier, name: m.name, applied_at: new Date() })
        .execute();
    }
    await run(dialect.guideView(tablesOfTier(tier)));
    return { from, to: pending[pending.length - 1]!.version };
  });
}
