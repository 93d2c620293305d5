/**
 * Takes a suite's template store away after use, as an operator dropping it would: on the
 * servers its database is dropped; on SQLite its file is deleted and the URL a new process gets
 * points below a regular file, where no directory can be created.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import mysql from "mysql2/promise";
import type { FreshStores, TestEngine } from "./engines.js";

/** Drops the template store of `fresh`; returns the template URL under which it is now unreachable. */
export async function dropTemplateStore(engine: TestEngine, fresh: FreshStores): Promise<string> {
  if (engine.name === "sqlite") {
    const path = fresh.templatesUrl.slice("sqlite:".length);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    const file = join(fresh.adminUrl, "not-a-directory");
    writeFileSync(file, "");
    return `sqlite:${join(file, "templates.db")}`;
  }
  const database = new URL(fresh.templatesUrl).pathname.slice(1);
  if (engine.name === "postgres") {
    const c = new pg.Client({ connectionString: fresh.adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE ${database} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  } else {
    const c = await mysql.createConnection(fresh.adminUrl);
    try {
      await c.query(`DROP DATABASE ${database}`);
    } finally {
      await c.end();
    }
  }
  return fresh.templatesUrl;
}
