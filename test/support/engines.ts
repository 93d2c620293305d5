/**
 * The engines a suite runs on. SQLite always; PostgreSQL and MySQL/MariaDB when their server
 * URLs are in the environment (CHAMELEON_TEST_POSTGRES_URL, CHAMELEON_TEST_MYSQL_URL), else
 * their suites are reported as skipped. Each call of fresh() creates two new, empty
 * databases (one per store) and drop() removes them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import mysql from "mysql2/promise";
import type { Engine } from "../../src/store/url.js";

export interface FreshStores {
  templatesUrl: string;
  instancesUrl: string;
  /** The server URL given by the environment (admin access), or the SQLite directory. */
  adminUrl: string;
  drop(): Promise<void>;
}

export interface TestEngine {
  name: Engine;
  /** Why the engine is skipped, or null when it runs. */
  skipReason: string | null;
  fresh(): Promise<FreshStores>;
}

const uniqueName = () => `ch_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

const sqlite: TestEngine = {
  name: "sqlite",
  skipReason: null,
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "chameleon-test-"));
    return {
      templatesUrl: `sqlite:${join(dir, "templates.db")}`,
      instancesUrl: `sqlite:${join(dir, "instances.db")}`,
      adminUrl: dir,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgresUrl = process.env.CHAMELEON_TEST_POSTGRES_URL;
const postgres: TestEngine = {
  name: "postgres",
  skipReason: postgresUrl ? null : "CHAMELEON_TEST_POSTGRES_URL is not set",
  async fresh() {
    const base = uniqueName();
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${base}_t`);
      await admin.query(`CREATE DATABASE ${base}_i`);
    } finally {
      await admin.end();
    }
    return {
      templatesUrl: withDatabase(postgresUrl!, `${base}_t`),
      instancesUrl: withDatabase(postgresUrl!, `${base}_i`),
      adminUrl: postgresUrl!,
      async drop() {
        const c = new pg.Client({ connectionString: postgresUrl });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${base}_t WITH (FORCE)`);
          await c.query(`DROP DATABASE IF EXISTS ${base}_i WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  },
};

const mysqlUrl = process.env.CHAMELEON_TEST_MYSQL_URL;
const mysqlEngine: TestEngine = {
  name: "mysql",
  skipReason: mysqlUrl ? null : "CHAMELEON_TEST_MYSQL_URL is not set",
  async fresh() {
    const base = uniqueName();
    const run = async (statements: string[]) => {
      const c = await mysql.createConnection(mysqlUrl!);
      try {
        for (const s of statements) await c.query(s);
      } finally {
        await c.end();
      }
    };
    await run([`CREATE DATABASE ${base}_t`, `CREATE DATABASE ${base}_i`]);
    return {
      templatesUrl: withDatabase(mysqlUrl!, `${base}_t`),
      instancesUrl: withDatabase(mysqlUrl!, `${base}_i`),
      adminUrl: mysqlUrl!,
      drop: () => run([`DROP DATABASE IF EXISTS ${base}_t`, `DROP DATABASE IF EXISTS ${base}_i`]),
    };
  },
};

export const engines: readonly TestEngine[] = [sqlite, postgres, mysqlEngine];
