// graphile-worker 0.17.3, unbatched: N no-op jobs are queued in bulk before the
// clock starts, then P forked processes (each `run()` with concurrency 24) work
// them off; the clock stops when graphile_worker._private_jobs is empty.
//
//   node bench/peers/graphile-worker.mjs [--jobs 20000] [--processes 1] [--json]
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
  int,
  main,
  report,
  waitUntil,
  withTimeout,
} from "./lib.mjs";

const VERSION = "0.17.3";

// Errors only: graphile-worker's default logger prints info lines to stdout.
const logger = new Logger(() => (level, message) => {
  if (level === "error") process.stderr.write(`graphile-worker: ${message}\n`);
});

// Unbatched on purpose. These are the library defaults, spelled out so nobody
// has to trust that: no local queue (every worker fetches its own job with one
// query) and no batched completion (one query per completed job).
const UNBATCHED = { localQueue: { size: -1 }, completeJobBatchDelay: -1, failJobBatchDelay: -1 };

function settingsFor(processes) {
  return {
    processes,
    concurrency: 24, // per process, as in the graphile-worker performance docs
    // The docs use 25 connections for 24 jobs; 4 such processes would use all
    // 100 connections this PostgreSQL allows, so the pool shrinks with P.
    maxPoolSize: Math.min(25, Math.floor(80 / processes)),
    // Default poll interval. It never matters here: a worker that completes a
    // job fetches the next one immediately, and only polls once it finds none.
    pollInterval: 2000,
    ...UNBATCHED,
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
      preset: { worker: UNBATCHED },
    });
    return async () => {
      await runner.stop();
      return { completed, failed };
    };
  });
} else {
  await main(async () => {
    const opts = args({ processes: { type: "string" } });
    const jobs = int(opts.jobs, 20_000);
    const settings = settingsFor(int(opts.processes, 1));
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

    const jobsPerS = jobs / seconds;
    report(
      opts,
      `graphile-worker ${VERSION}: ${fmt(jobs)} jobs, ${settings.processes} process(es) x concurrency ${settings.concurrency}, unbatched: ${seconds.toFixed(2)} s -> ${fmt(jobsPerS)} jobs/s`,
      { peer: "graphile-worker", version: VERSION, jobs, seconds, jobs_per_s: jobsPerS, settings },
    );
  });
}
