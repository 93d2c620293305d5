// Shared plumbing for the peer benchmarks: arguments, output, throwaway
// databases and cleanup that also runs on failure and on SIGINT/SIGTERM.
import process from "node:process";
import { performance } from "node:perf_hooks";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { URL } from "node:url";
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";

/** Admin connection; every benchmark database is created from here and dropped again. */
export const PG_ADMIN_URL = process.env.PEERS_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const MYSQL = {
  host: process.env.PEERS_MYSQL_HOST ?? "127.0.0.1",
  port: Number(process.env.PEERS_MYSQL_PORT ?? 3306),
  user: process.env.PEERS_MYSQL_USER ?? "root",
  password: process.env.PEERS_MYSQL_PASSWORD ?? "",
};

/** Parses `--jobs N --json` plus script-specific options (util.parseArgs shapes). */
export function args(extra = {}) {
  const { values } = parseArgs({
    options: {
      jobs: { type: "string" },
      json: { type: "boolean", default: false },
      ...extra,
    },
  });
  return values;
}

/** `version` and `engines` as declared by the installed package (not what we asked npm for). */
export function installedPackage(name) {
  const file = new URL(`node_modules/${name}/package.json`, import.meta.url);
  const { version, engines } = JSON.parse(readFileSync(file, "utf8"));
  return { version, engines: engines ?? null };
}

export const int = (value, fallback) => (value === undefined ? fallback : Number.parseInt(value, 10));
export const randomName = (prefix) => `${prefix}_${randomBytes(4).toString("hex")}`;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Rejects if `promise` has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
export const fmt = (n) => Math.round(n).toLocaleString("en-US");

/**
 * With --json stdout carries exactly one JSON object, so the human line goes to
 * stderr (run-all shows it as progress); without --json it goes to stdout.
 */
export function report(opts, human, json) {
  if (opts.json) {
    process.stderr.write(human + "\n");
    process.stdout.write(JSON.stringify(json) + "\n");
  } else {
    process.stdout.write(human + "\n");
  }
}

// ---- cleanup ---------------------------------------------------------------

const cleanups = [];
let cleaning;
/** Registers an undo step; they run in reverse order, once, even if a signal and the normal end overlap. */
export function onCleanup(fn) {
  cleanups.push(fn);
}
function runCleanups() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`cleanup failed: ${err?.message ?? err}\n`);
      }
    }
  })();
  return cleaning;
}

/** Runs the benchmark body, then always the cleanups; signals also clean up. */
export async function main(body) {
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      interrupted = true;
      await runCleanups();
      process.exit(130);
    });
  }
  try {
    await body();
  } catch (err) {
    // After a signal, the body fails because cleanup pulled the database away; that is no news.
    if (!interrupted) process.stderr.write(`${err?.stack ?? err}\n`);
    process.exitCode = interrupted ? 130 : 1;
  } finally {
    await runCleanups();
  }
}

// ---- PostgreSQL --------------------------------------------------------------

export function pgUrlFor(database) {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates a fresh database (dropped at cleanup, FORCE kills stray sessions) and returns its URL. */
export async function freshPgDatabase(prefix) {
  const name = randomName(prefix);
  const admin = await connectPg(PG_ADMIN_URL);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const c = await connectPg(PG_ADMIN_URL);
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  return pgUrlFor(name);
}

/**
 * A plain client that survives having its connection killed (DROP DATABASE ...
 * WITH (FORCE) at cleanup): errors still reject queries, but an error on an
 * idle client must not crash the process.
 */
export async function connectPg(connectionString) {
  const client = new pg.Client({ connectionString });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Polls `query` (which must return one row with a boolean `done`) until true; returns the time it became true. */
export async function waitUntil(client, query, params, { everyMs = 5, timeoutMs }) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query(query, params);
    const now = performance.now();
    if (rows[0].done) return now;
    if (now > deadline) throw new Error(`not drained within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

// ---- worker processes ----------------------------------------------------------

/**
 * Forks `count` copies of `script --child` and waits until each has loaded its
 * modules and said "ready", so process start-up stays out of the timed section.
 * Children report how many jobs they have handled every 20 ms, which lets the
 * parent wait for the end without hammering the jobs table with probe queries
 * (a probe that scans the table would itself cost the peer throughput).
 * The children are killed at cleanup if they are still around.
 */
export async function forkChildren(script, count, config) {
  const children = Array.from({ length: count }, (_, index) => {
    // Children must not write to stdout: it may be carrying our JSON.
    const proc = fork(script, ["--child"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const child = { proc, handled: 0, waiters: {} };
    proc.on("message", (msg) => {
      if (msg.type === "progress") child.handled = msg.handled;
      child.waiters[msg.type]?.(msg);
      if (msg.type === "progress") progressWaiter?.();
    });
    proc.on("exit", (code) => {
      if (code !== 0 || !child.waiters.stopped) failed?.(new Error(`worker process ${index} exited (${code})`));
    });
    onCleanup(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    });
    proc.send({ type: "config", index, ...config });
    return child;
  });
  let progressWaiter;
  let failed;
  const failure = new Promise((_, reject) => (failed = reject));
  failure.catch(() => {}); // observed through the races below
  const expect = (child, type) => new Promise((resolve) => (child.waiters[type] = resolve));

  await Promise.race([Promise.all(children.map((c) => expect(c, "ready"))), failure]);
  return {
    go: () => children.forEach((c) => c.proc.send({ type: "go" })),
    /** Resolves once the children together report at least `total` handled jobs. */
    handled: (total) =>
      Promise.race([
        new Promise((resolve) => {
          progressWaiter = () => children.reduce((sum, c) => sum + c.handled, 0) >= total && resolve();
          progressWaiter();
        }),
        failure,
      ]),
    /** Asks every child to stop and collects what each reports back. */
    stop: () =>
      Promise.race([
        Promise.all(
          children.map((c) => {
            const stopped = expect(c, "stopped");
            c.proc.send({ type: "stop" });
            return stopped;
          }),
        ),
        failure,
      ]),
  };
}

/**
 * The child side of forkChildren: on "go", `start(config, progress)` runs and
 * returns an async `stop()` whose result is sent back to the parent;
 * `progress(handled)` records the child's running count of handled jobs.
 */
export function childLoop(start) {
  // If the parent dies, don't linger holding database connections.
  process.on("disconnect", () => process.exit(1));
  let config;
  let started;
  let handled = 0;
  let sent = 0;
  const timer = setInterval(() => {
    if (handled !== sent) process.send({ type: "progress", handled: (sent = handled) });
  }, 20);
  process.on("message", async (msg) => {
    try {
      if (msg.type === "config") {
        config = msg;
        process.send({ type: "ready" });
      } else if (msg.type === "go") {
        started = start(config, (n) => (handled = n));
        await started;
      } else if (msg.type === "stop") {
        const stop = await started;
        const result = await stop();
        clearInterval(timer);
        process.send({ type: "stopped", ...result }, () => process.exit(0));
      }
    } catch (err) {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(1);
    }
  });
}

// ---- CPU accounting (Linux) -------------------------------------------------------
// The machine may be shared. To tell a real figure from a disturbed one we
// count CPU time used by anything that is neither us (this process and its
// reaped children) nor the database servers, Redis included (whose exited backends roll up
// into the postmaster's cutime). Busy work by other sessions' database
// connections still counts as ours: that part cannot be told apart.

function procTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const f = stat.slice(close + 2).split(" "); // f[0] is field 3 (state)
    return { comm, self: +f[11] + +f[12], children: +f[13] + +f[14] };
  } catch {
    return null; // gone, or not Linux
  }
}

function snapshot() {
  const [, ...cpu] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu;
  let servers = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const t = procTimes(pid);
    if (t && /^(postgres|mariadbd|mysqld|redis-server)$/.test(t.comm)) servers += t.self + t.children;
  }
  const own = procTimes("self");
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait, servers, own: own.self + own.children };
}

/** Starts measuring; `stop()` (after child processes were reaped) returns percentages of all cores. */
export function cpuMeter() {
  const a = snapshot();
  return () => {
    const b = snapshot();
    const total = b.total - a.total || 1;
    const busy = b.busy - a.busy;
    const foreign = Math.max(0, busy - (b.own - a.own) - (b.servers - a.servers));
    return { busy_pct: Math.round((100 * busy) / total), foreign_pct: Math.round((100 * foreign) / total) };
  };
}

/** Waits (at most maxMs) for a second in which the machine is nearly idle; returns the last busy %. */
export async function waitForQuiet({ maxBusyPct = 10, maxMs = 30_000 } = {}) {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const stop = cpuMeter();
    await sleep(1000);
    const { busy_pct } = stop();
    if (busy_pct <= maxBusyPct || performance.now() > deadline) return busy_pct;
  }
}
