// Runs every peer benchmark as a child process (one at a time, each with
// --json) and prints one summary: a table, or with --json one JSON object.
// --quick uses small sizes (about 75 s); the full run takes about 2.5 minutes
// (more, up to ~5 minutes, when disturbed steps are rerun).
//
// The machine may be shared, so before each step we wait (briefly) for a
// quiet second, and we record how much CPU other processes took during the
// step (`conditions`); a disturbed step is rerun while time allows, and the
// table marks figures that stayed disturbed.
//
//   node bench/peers/run-all.mjs [--quick] [--json]
import process from "node:process";
import { performance } from "node:perf_hooks";
import { spawn } from "node:child_process";
import os from "node:os";
import { URL, fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import mysql from "mysql2/promise";
import { MYSQL, PG_ADMIN_URL, connectPg, cpuMeter, fmt, main, onCleanup, waitForQuiet } from "./lib.mjs";

const print = (line) => process.stdout.write(line + "\n");
const here = (script) => fileURLToPath(new URL(script, import.meta.url));

// quietMs: the longest wait for a quiet second before a step. budgetS: a
// disturbed step (see DISTURBED_PCT) is rerun while the run is within budget.
const SIZES = {
  quick: {
    gwJobs: 10_000,
    gwBestJobs: 20_000,
    gwSweep: "500:0,2000:0",
    bossJobs: 20_000,
    bossWindow: 4,
    plainJobs: 20_000,
    flows: 2000,
    dbosWorkflows: 1000,
    rawSeconds: 1,
    quietMs: 5000,
    budgetS: 80,
  },
  full: {
    gwJobs: 20_000,
    gwBestJobs: 50_000,
    gwSweep: "100:0,500:0,2000:0,500:5",
    bossJobs: 20_000,
    bossWindow: 10,
    plainJobs: 50_000,
    flows: 5000,
    dbosWorkflows: 2000,
    rawSeconds: 3,
    quietMs: 10_000,
    budgetS: 260,
  },
};
// BullMQ flows: children per parent, and Worker concurrency per process (the
// best of 24, 100 and 300 measured here with 1 and with 4 processes).
const FLOW_CHILDREN = 3;
const FLOW_CONCURRENCY = 100;
const DISTURBED_PCT = 10; // foreign CPU share above which a figure is not trusted

let current; // the running child, so a signal can stop it (it cleans up after itself)
onCleanup(
  () =>
    current &&
    current.exitCode === null &&
    new Promise((resolve) => {
      current.once("exit", resolve);
      current.kill("SIGTERM");
    }),
);

/** Runs one benchmark script with --json; returns its JSON plus the conditions it ran under. */
async function step(script, args, quietMs) {
  const busy_before_pct = await waitForQuiet({ maxMs: quietMs });
  const stopMeter = cpuMeter();
  const started = performance.now();
  const child = spawn(process.execPath, [here(script), ...args, "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  current = child;
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise((resolve) => child.on("close", resolve));
  current = undefined;
  const conditions = { busy_before_pct, ...stopMeter(), wall_s: +((performance.now() - started) / 1000).toFixed(1) };
  if (code !== 0) throw new Error(`${script} ${args.join(" ")} exited with ${code}`);
  return { result: JSON.parse(out), conditions };
}

async function machine() {
  const c = await connectPg(PG_ADMIN_URL);
  const postgres = (await c.query("SHOW server_version")).rows[0].server_version;
  await c.end();
  const m = await mysql.createConnection(MYSQL);
  const [[{ v: mariadb }]] = await m.query("SELECT VERSION() AS v");
  await m.end();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    mariadb,
  };
}

await main(async () => {
  const { values: opts } = parseArgs({
    options: { quick: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
  });
  const size = opts.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const conditions = {};
  const elapsed = () => (performance.now() - started) / 1000;
  // Keeps the least disturbed attempt; a retry must fit in the time budget.
  const run = async (name, script, args) => {
    let best;
    for (let attempt = 1; ; attempt++) {
      const r = await step(script, args, size.quietMs);
      r.conditions.attempt = attempt;
      if (!best || r.conditions.foreign_pct < best.conditions.foreign_pct) best = r;
      if (best.conditions.foreign_pct <= DISTURBED_PCT || elapsed() + r.conditions.wall_s > size.budgetS) break;
      process.stderr.write(`  (${name} disturbed: ${r.conditions.foreign_pct}% other load; rerunning)\n`);
    }
    conditions[name] = best.conditions;
    return best.result;
  };

  const info = await machine();
  const graphile = (p) =>
    run(`graphile_worker_${p}proc`, "graphile-worker.mjs", ["--jobs", `${size.gwJobs}`, "--processes", `${p}`]);
  const gw1 = await graphile(1);
  const gw4 = await graphile(4);
  const graphileBest = (p) =>
    run(`graphile_worker_best_${p}proc`, "graphile-worker.mjs", [
      ...["--jobs", `${size.gwBestJobs}`, "--processes", `${p}`, "--sweep", size.gwSweep],
    ]);
  const gwBest1 = await graphileBest(1);
  const gwBest4 = await graphileBest(4);
  const flows = (p) =>
    run(`bullmq_flows_${p}proc`, "bullmq-flows.mjs", [
      ...["--flows", `${size.flows}`, "--children", `${FLOW_CHILDREN}`],
      ...["--processes", `${p}`, "--concurrency", `${FLOW_CONCURRENCY}`],
    ]);
  const flows1 = await flows(1);
  const flows4 = await flows(4);
  const dbos = (name, mode, p) =>
    run(name, "dbos.mjs", ["--workflows", `${size.dbosWorkflows}`, "--mode", mode, "--processes", `${p}`]);
  const dbosDirect = await dbos("dbos_direct", "direct", 1);
  const dbosQueue1 = await dbos("dbos_queue_1proc", "queue", 1);
  const dbosQueue4 = await dbos("dbos_queue_4proc", "queue", 4);
  const boss = await run("pg_boss", "pg-boss.mjs", ["--jobs", `${size.bossJobs}`, "--window", `${size.bossWindow}`]);
  const plain = await run("plainjob", "plainjob.mjs", ["--jobs", `${size.plainJobs}`]);
  const raw = await run("raw_commits", "raw-commits.mjs", ["--seconds", `${size.rawSeconds}`]);

  const summary = {
    machine: info,
    mode: opts.quick ? "quick" : "full",
    peers: {
      graphile_worker: {
        version: gw1.version,
        engines: gw1.engines,
        jobs_per_s_1proc: gw1.jobs_per_s,
        jobs_per_s_4proc: gw4.jobs_per_s,
        jobs_per_s_best_1proc: gwBest1.jobs_per_s_best,
        jobs_per_s_best_4proc: gwBest4.jobs_per_s_best,
        settings: {
          jobs: gw1.jobs,
          "1proc": gw1.settings,
          "4proc": gw4.settings,
          best_jobs: gwBest1.jobs,
          best_1proc: gwBest1.settings,
          best_4proc: gwBest4.settings,
        },
      },
      bullmq_flows: {
        version: flows1.version,
        engines: flows1.engines,
        redis_client: flows1.redis_client,
        flows_per_s_1proc: flows1.flows_per_s,
        jobs_per_s_1proc: flows1.jobs_per_s,
        units_per_s_1proc: flows1.units_per_s,
        flows_per_s_4proc: flows4.flows_per_s,
        jobs_per_s_4proc: flows4.jobs_per_s,
        units_per_s_4proc: flows4.units_per_s,
        settings: {
          flows: flows1.flows,
          children_per_flow: flows1.settings.children_per_flow,
          "1proc": flows1.settings,
          "4proc": flows4.settings,
        },
      },
      dbos: {
        version: dbosDirect.version,
        engines: dbosDirect.engines,
        workflows_per_s_direct: dbosDirect.workflows_per_s,
        steps_per_s_direct: dbosDirect.steps_per_s,
        workflows_per_s_queue_1proc: dbosQueue1.workflows_per_s,
        steps_per_s_queue_1proc: dbosQueue1.steps_per_s,
        workflows_per_s_queue_4proc: dbosQueue4.workflows_per_s,
        steps_per_s_queue_4proc: dbosQueue4.steps_per_s,
        settings: {
          workflows: dbosDirect.workflows,
          steps_per_workflow: dbosDirect.settings.steps_per_workflow,
          direct: dbosDirect.settings,
          queue_1proc: dbosQueue1.settings,
          queue_4proc: dbosQueue4.settings,
        },
      },
      pg_boss: {
        version: boss.version,
        engines: boss.engines,
        jobs_per_s_batch1: boss.jobs_per_s_batch1,
        jobs_per_s_best: boss.jobs_per_s_best,
        settings: { jobs: boss.jobs, ...boss.settings },
      },
      plainjob: {
        version: plain.version,
        engines: plain.engines,
        jobs_per_s: plain.jobs_per_s,
        settings: { jobs: plain.jobs, ...plain.settings },
      },
    },
    raw_commits: raw,
    conditions,
    total_seconds: +((performance.now() - started) / 1000).toFixed(1),
  };

  if (opts.json) {
    process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
    return;
  }
  const flag = (name) => {
    const c = conditions[name];
    return `other load ${String(c.foreign_pct).padStart(2)}%${c.foreign_pct > DISTURBED_PCT ? "  DISTURBED" : ""}`;
  };
  const b = boss.settings;
  const g1 = gwBest1.settings.best;
  const g4 = gwBest4.settings.best;
  const batched = (g) => `localQueue ${g.localQueue.size}, batch ${g.completeJobBatchDelay} ms`;
  const jobs = (n) => `${fmt(n)} jobs/s`;
  const flowRate = (r) => `${fmt(r.flows_per_s)} flows/s = ${fmt(r.units_per_s)} jobs/s`;
  const wfRate = (r) => `${fmt(r.workflows_per_s)} wf/s = ${fmt(r.steps_per_s)} steps/s`;
  const fl = `bullmq ${flows1.version} flows (1+${FLOW_CHILDREN} jobs), `;
  const db = `dbos-sdk ${dbosDirect.version}, 4-step workflows, `;
  const commits = (n) => `${fmt(n)} commits/s`;
  const rows = [
    [`graphile-worker ${gw1.version}, 1 proc x 24, unbatched`, jobs(gw1.jobs_per_s), flag("graphile_worker_1proc")],
    [`graphile-worker ${gw4.version}, 4 proc x 24, unbatched`, jobs(gw4.jobs_per_s), flag("graphile_worker_4proc")],
    [`graphile-worker, best 1 proc x 24: ${batched(g1)}`, jobs(g1.jobs_per_s), flag("graphile_worker_best_1proc")],
    [`graphile-worker, best 4 proc x 24: ${batched(g4)}`, jobs(g4.jobs_per_s), flag("graphile_worker_best_4proc")],
    [`${fl}1 proc x ${FLOW_CONCURRENCY}`, flowRate(flows1), flag("bullmq_flows_1proc")],
    [`${fl}4 proc x ${FLOW_CONCURRENCY}`, flowRate(flows4), flag("bullmq_flows_4proc")],
    [`${db}direct start, 1 proc`, wfRate(dbosDirect), flag("dbos_direct")],
    [`${db}queue, 1 proc`, wfRate(dbosQueue1), flag("dbos_queue_1proc")],
    [`${db}queue, 4 proc`, wfRate(dbosQueue4), flag("dbos_queue_4proc")],
    [
      `pg-boss ${boss.version}, ${b.batch1.workers_per_process} pollers, batchSize 1`,
      jobs(b.batch1.jobs_per_s),
      flag("pg_boss"),
    ],
    [
      `pg-boss ${boss.version}, best: ${b.best.workers_per_process} pollers, batchSize ${b.best.batchSize}`,
      jobs(b.best.jobs_per_s),
      "",
    ],
    [`plainjob ${plain.version}, 1 worker, SQLite WAL`, jobs(plain.jobs_per_s), flag("plainjob")],
    ["raw: PostgreSQL, 1 connection", commits(raw.postgres_1), flag("raw_commits")],
    ["raw: PostgreSQL, 4 connections (1 process)", commits(raw.postgres_4), ""],
    ["raw: MariaDB, 1 connection", commits(raw.mariadb_1), ""],
    ["raw: MariaDB, 4 connections (1 process)", commits(raw.mariadb_4), ""],
    ["raw: SQLite WAL synchronous=NORMAL", commits(raw.sqlite_1), ""],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  print(
    `${info.cpus} x ${info.cpuModel}, ${info.memGiB} GiB, Node ${info.node}, PostgreSQL ${info.postgres}, MariaDB ${info.mariadb}`,
  );
  print(
    `${summary.mode} run, ${summary.total_seconds} s; queued: graphile-worker ${fmt(gw1.jobs)} (batched ${fmt(gwBest1.jobs)}), ` +
      `bullmq ${fmt(flows1.flows)} flows, dbos ${fmt(dbosDirect.workflows)} workflows, pg-boss ${fmt(boss.jobs)}, plainjob ${fmt(plain.jobs)}\n`,
  );
  for (const [a, v, c] of rows) print(`${a.padEnd(w0)}  ${v.padStart(w1)}  ${c}`);
});
