// graphile-worker 0.17.3: N no-op jobs are queued in bulk before the clock
// starts, then P forked processes (each `run()` with concurrency 24) work them
// off; the clock stops when graphile_worker._private_jobs is empty.
// Unbatched by default; --local-queue and --complete-batch-ms turn on the
// batching the graphile-worker performance docs describe.
//
//   node bench/peers/graphile-worker.mjs [--jobs 20000] [--processes 1]
//        [--local-queue SIZE --complete-batch-ms MS] [--json]
import process from "node:process";
import { performance } from "node:perf_hooks";
import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import { Logger, makeWorkerUtils, run } from "graphile-worker";
import {
  args,
  childLoop,
  connectPg,
  fmt,
  forkChildren,
  freshPgDatabase,
  installedPackage,
  int,
  main,
  report,
  waitUntil,
  withTimeout,
} from "./lib.mjs";

const PACKAGE = installedPackage("graphile-worker");

// Errors only: graphile-worker's default logger prints info lines to stdout.
const logger = new Logger(() => (level, message) => {
  if (level === "error") process.stderr.write(`graphile-worker: ${message}\n`);
});

// Unbatched by default. These are the library defaults, spelled out so nobody
// has to trust that: no local queue (every worker fetches its own job with one
// query) and no batched completion (one query per completed job).
const UNBATCHED = { localQueue: { size: -1 }, completeJobBatchDelay: -1, failJobBatchDelay: -1 };

/**
 * Batched: the pool fetches (and locks) `localQueue` jobs per query and hands
 * them to its workers, and completions (failures) arriving within
 * `completeBatchMs` of each other are written by one query.
 */
function batching(localQueue, completeBatchMs) {
  if (localQueue === undefined && completeBatchMs === undefined) return UNBATCHED;
  return {
    localQueue: { size: localQueue ?? -1 },
    completeJobBatchDelay: completeBatchMs ?? -1,
    failJobBatchDelay: completeBatchMs ?? -1,
  };
}

function settingsFor(processes, workerOptions) {
  return {
    batched: workerOptions !== UNBATCHED,
    processes,
    concurrency: 24, // per process, as in the graphile-worker performance docs
    // The docs use 25 connections for 24 jobs; 4 such processes would use all
    // 100 connections this PostgreSQL allows, so the pool shrinks with P.
    maxPoolSize: Math.min(25, Math.floor(80 / processes)),
    // Default poll interval. It never matters here: a worker that completes a
    // job fetches the next one immediately, and only polls once it finds none.
    pollInterval: 2000,
    ...workerOptions,
  };
}

if (process.argv.includes("--child")) {
  childLoop(async ({ connectionString, settings }, progress) => {
    let completed = 0;
    let failed = 0;
    // Our own emitter, so no completion can slip by before we subscribe.
    const events = new EventEmitter();
    events.on("job:success", () => progress(++completed));
    events.on("job:failed", () => failed++);
    const runner = await run({
      connectionString,
      concurrency: settings.concurrency,
      maxPoolSize: settings.maxPoolSize,
      pollInterval: settings.pollInterval,
      noHandleSignals: true,
      logger,
      events,
      taskList: { noop: async () => {} },
      preset: {
        worker: {
          localQueue: settings.localQueue,
          completeJobBatchDelay: settings.completeJobBatchDelay,
          failJobBatchDelay: settings.failJobBatchDelay,
        },
      },
    });
    return async () => {
      await runner.stop();
      return { completed, failed };
    };
  });
} else {
  await main(async () => {
    const opts = args({
      processes: { type: "string" },
      "local-queue": { type: "string" },
      "complete-batch-ms": { type: "string" },
      sweep: { type: "string" },
    });
    const jobs = int(opts.jobs, 20_000);
    const processes = int(opts.processes, 1);
    const describe = (s) =>
      s.batched ? `localQueue ${s.localQueue.size}, completeJobBatchDelay ${s.completeJobBatchDelay}` : "unbatched";
    const line = (r) =>
      `${fmt(jobs)} jobs, ${processes} process(es) x concurrency ${r.settings.concurrency}, ${describe(r.settings)}: ` +
      `${r.seconds.toFixed(2)} s -> ${fmt(r.jobs_per_s)} jobs/s`;
    const common = { peer: "graphile-worker", version: PACKAGE.version, engines: PACKAGE.engines, jobs };

    if (opts.sweep === undefined) {
      const workerOptions = batching(int(opts["local-queue"]), int(opts["complete-batch-ms"]));
      const r = await measure(jobs, settingsFor(processes, workerOptions));
      report(opts, `graphile-worker ${PACKAGE.version}: ${line(r)}`, { ...common, ...r });
      return;
    }
    // --sweep "100:0,500:0": localQueue size:completeJobBatchDelay pairs, each
    // measured once in its own fresh database; the fastest is reported as best.
    const all = [];
    for (const pair of opts.sweep.split(",")) {
      const [size, delay] = pair.split(":").map((v) => Number.parseInt(v, 10));
      const r = await measure(jobs, settingsFor(processes, batching(size, delay)));
      process.stderr.write(`  graphile-worker ${line(r)}\n`);
      all.push({ ...r.settings, seconds: r.seconds, jobs_per_s: r.jobs_per_s });
    }
    const best = all.reduce((a, b) => (b.jobs_per_s > a.jobs_per_s ? b : a));
    report(
      opts,
      `graphile-worker ${PACKAGE.version}, best of ${all.length} batched settings: ` +
        `${fmt(best.jobs_per_s)} jobs/s (${processes} process(es), ${describe(best)})`,
      { ...common, jobs_per_s_best: best.jobs_per_s, settings: { processes, best, all } },
    );
  });
}

/** One measurement in a fresh database: queue `jobs`, fork the workers, time the drain. */
async function measure(jobs, settings) {
  const connectionString = await freshPgDatabase("peers_gw");

  // Schema plus jobs, all before timing; addJobs inserts a whole chunk per call.
  const utils = await makeWorkerUtils({ connectionString, logger });
  try {
    await utils.migrate();
    for (let done = 0; done < jobs; done += 5000) {
      const chunk = Math.min(5000, jobs - done);
      await utils.addJobs(Array.from({ length: chunk }, () => ({ identifier: "noop", payload: {} })));
    }
    // A freshly filled table has no statistics until autovacuum gets to it,
    // and without them get_job seq-scans and sorts every queued job on each
    // fetch (11 ms instead of 0.2 ms at 20k jobs). A live queue table would
    // have statistics, so give it them before timing.
    await utils.withPgClient((client) => client.query("ANALYZE graphile_worker._private_jobs"));
  } finally {
    await utils.release();
  }

  const workers = await forkChildren(fileURLToPath(import.meta.url), settings.processes, {
    connectionString,
    settings,
  });
  const probe = await connectPg(connectionString);
  let seconds;
  try {
    const started = performance.now();
    workers.go();
    // Children count handled jobs; once all are in, confirm (and time) the
    // moment the last completion has deleted its row.
    await withTimeout(workers.handled(jobs), 120_000 + jobs * 10, "graphile-worker");
    const drained = await waitUntil(
      probe,
      "SELECT NOT EXISTS (SELECT 1 FROM graphile_worker._private_jobs) AS done",
      [],
      { timeoutMs: 10_000 },
    );
    seconds = (drained - started) / 1000;
  } finally {
    await probe.end();
  }
  const results = await workers.stop();
  const completed = results.reduce((sum, r) => sum + r.completed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  if (completed !== jobs || failed !== 0)
    throw new Error(`expected ${jobs} completions, got ${completed} (+${failed} failed)`);
  return { seconds, jobs_per_s: jobs / seconds, settings };
}
