// The raw ceiling under any job queue: how many single-row UPDATE commits per
// second Node gets from each database, each statement its own transaction
// (autocommit), for a fixed time. "4 connections" means one Node process
// driving 4 clients concurrently, each updating its own row (no lock waits),
// so the figure shows what group commit gives, not row contention.
//
//   node bench/peers/raw-commits.mjs [--seconds 3] [--json]
import { performance } from "node:perf_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import { MYSQL, args, connectPg, fmt, freshPgDatabase, main, onCleanup, randomName, report } from "./lib.mjs";

const WARMUP_MS = 300; // connections and caches settle; not counted

/** Runs `update(i)` in `connections` concurrent loops for `ms`; returns commits/s. */
async function timedLoops(clients, update, ms) {
  const loop = async (client, i, until) => {
    let n = 0;
    while (performance.now() < until) {
      await update(client, i);
      n++;
    }
    return n;
  };
  await Promise.all(clients.map((c, i) => loop(c, i + 1, performance.now() + WARMUP_MS)));
  const started = performance.now();
  const counts = await Promise.all(clients.map((c, i) => loop(c, i + 1, started + ms)));
  return counts.reduce((a, b) => a + b, 0) / ((performance.now() - started) / 1000);
}

async function postgres(ms) {
  const connectionString = await freshPgDatabase("peers_raw");
  const clients = await Promise.all(Array.from({ length: 4 }, () => connectPg(connectionString)));
  try {
    await clients[0].query("CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL)");
    await clients[0].query("INSERT INTO counter SELECT g, 0 FROM generate_series(1, 4) g");
    // Named statement: parsed once per connection, like a driver's prepared statement.
    const update = (c, id) =>
      c.query({ name: "bump", text: "UPDATE counter SET n = n + 1 WHERE id = $1", values: [id] });
    return {
      postgres_1: await timedLoops(clients.slice(0, 1), update, ms),
      postgres_4: await timedLoops(clients, update, ms),
    };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function mariadb(ms) {
  const database = randomName("peers_raw");
  const admin = await mysql.createConnection(MYSQL);
  await admin.query(`CREATE DATABASE ${database}`);
  onCleanup(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  });
  const clients = await Promise.all(Array.from({ length: 4 }, () => mysql.createConnection({ ...MYSQL, database })));
  clients.forEach((c) => c.on("error", () => {})); // failures surface as rejected queries
  try {
    await clients[0].query("CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL) ENGINE=InnoDB");
    await clients[0].query("INSERT INTO counter VALUES (1, 0), (2, 0), (3, 0), (4, 0)");
    // execute() = server-side prepared statement; autocommit is on, so each is a commit.
    const update = (c, id) => c.execute("UPDATE counter SET n = n + 1 WHERE id = ?", [id]);
    return {
      mariadb_1: await timedLoops(clients.slice(0, 1), update, ms),
      mariadb_4: await timedLoops(clients, update, ms),
    };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

function sqlite(ms) {
  // Same disk as the databases' data directories (not tmpfs here); checked in the README.
  const dir = mkdtempSync(join(tmpdir(), "peers-raw-"));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const db = new Database(join(dir, "raw.db"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL"); // WAL + NORMAL: commits don't fsync, checkpoints do
    db.exec("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0)");
    const update = db.prepare("UPDATE counter SET n = n + 1 WHERE id = 1");
    const run = (until) => {
      let n = 0;
      while (performance.now() < until) {
        update.run();
        n++;
      }
      return n;
    };
    run(performance.now() + WARMUP_MS);
    const started = performance.now();
    const n = run(started + ms);
    return { sqlite_1: n / ((performance.now() - started) / 1000) };
  } finally {
    db.close();
  }
}

await main(async () => {
  const opts = args({ seconds: { type: "string" } });
  const seconds = Number(opts.seconds ?? 3);
  const ms = seconds * 1000;
  const result = { ...(await postgres(ms)), ...(await mariadb(ms)), ...sqlite(ms) };
  report(
    opts,
    `raw commits/s (${seconds} s each): ` +
      `PostgreSQL ${fmt(result.postgres_1)} (1 conn) / ${fmt(result.postgres_4)} (4 conns); ` +
      `MariaDB ${fmt(result.mariadb_1)} / ${fmt(result.mariadb_4)}; SQLite WAL NORMAL ${fmt(result.sqlite_1)}`,
    {
      ...result,
      settings: {
        seconds,
        warmup_ms: WARMUP_MS,
        statement: "UPDATE counter SET n = n + 1 WHERE id = ? (autocommit, prepared)",
        four_connections: "one Node process, 4 concurrent clients, one row each",
        sqlite: "better-sqlite3, journal_mode=WAL, synchronous=NORMAL, file in os.tmpdir()",
      },
    },
  );
});
