// pg-boss 10.4.2: for each setting, N no-op jobs are inserted in bulk into a
// fresh queue before the clock starts, then P forked processes, each with W
// `work()` pollers, work them off.
//
// Two facts of pg-boss 10 shape the settings:
// - A poller waits until `pollingIntervalSeconds` (minimum 0.5 s) have passed
//   since its last fetch began, even when that fetch returned jobs, so W
//   pollers handle at most 2 x W x batchSize jobs/s. Larger batches amortise
//   the wait.
// - Each fetch sorts all queued jobs of the queue (its ORDER BY priority,
//   created_on has no matching index), so a fetch costs O(queue depth): about
//   10 ms at 20,000 queued jobs. With batchSize 1 that makes it CPU-bound at
//   about 50 jobs/s, and draining 20,000 jobs would take minutes. So the
//   batchSize 1 setting is timed over a fixed window at the same depth N
//   ("window"); the batched settings are timed until the queue has no job left
//   in created/retry/active state ("drain").
//
//   node bench/peers/pg-boss.mjs [--jobs 20000] [--window 10] [--processes 1] [--workers W --batch B] [--json]
import process from "node:process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import PgBoss from "pg-boss";
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
  sleep,
  waitUntil,
  withTimeout,
} from "./lib.mjs";

const PACKAGE = installedPackage("pg-boss");
const SCHEMA = "pgboss";
const POLLING_INTERVAL_SECONDS = 0.5; // the smallest pg-boss accepts

// Moderate batches are simply capped by the sleep: 8 pollers x batchSize 100
// measured 1,645 jobs/s against a cap of 2 x 8 x 100 = 1,600. The batched
// settings here are the ones that beat the cap; both take at least four
// fetch rounds per poller at 20,000 jobs, so the 0.5 s rounds don't dominate.
const DEFAULT_SETTINGS = [
  // 50 pollers: the best batchSize 1 figure at 20,000 queued (24 -> 48 jobs/s,
  // capped by the sleep; 50 -> 56; 100 -> 41; 200 -> 30, sorting contends).
  { workers: 50, batchSize: 1, mode: "window" },
  { workers: 4, batchSize: 1000, mode: "drain" },
  { workers: 2, batchSize: 2500, mode: "drain" },
];

// Worker-only instances: the parent created the schema and nothing here needs
// cron or maintenance during a few seconds of work, so those loops stay off.
const workerOptions = (connectionString) => ({
  connectionString,
  schema: SCHEMA,
  supervise: false,
  schedule: false,
  migrate: false,
});

if (process.argv.includes("--child")) {
  childLoop(async ({ connectionString, queue, workers, batchSize }, progress) => {
    const boss = new PgBoss(workerOptions(connectionString));
    boss.on("error", (err) => process.stderr.write(`pg-boss: ${err.message}\n`));
    await boss.start();
    let handled = 0;
    for (let i = 0; i < workers; i++) {
      await boss.work(queue, { batchSize, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS }, async (jobs) => {
        progress((handled += jobs.length));
      });
    }
    return async () => {
      await boss.stop({ graceful: true, wait: true });
      return { handled };
    };
  });
} else {
  await main(async () => {
    const opts = args({
      processes: { type: "string" },
      workers: { type: "string" },
      batch: { type: "string" },
      window: { type: "string" },
    });
    const jobs = int(opts.jobs, 20_000);
    const processes = int(opts.processes, 1);
    const windowSeconds = Number(opts.window ?? 10);
    const settings =
      opts.workers || opts.batch
        ? [{ workers: int(opts.workers, 1), batchSize: int(opts.batch, 1), mode: "drain" }]
        : DEFAULT_SETTINGS;
    const connectionString = await freshPgDatabase("peers_pgboss");

    const boss = new PgBoss({ connectionString, schema: SCHEMA, supervise: false, schedule: false });
    boss.on("error", (err) => process.stderr.write(`pg-boss: ${err.message}\n`));
    await boss.start(); // installs the schema
    const probe = await connectPg(connectionString);
    const count = async (queue, states) =>
      (
        await probe.query(`SELECT count(*)::int AS c FROM ${SCHEMA}.job WHERE name = $1 AND state = ANY($2)`, [
          queue,
          states,
        ])
      ).rows[0].c;

    const measure = async (queue, { workers, batchSize, mode }) => {
      if (mode === "drain" && 4 * processes * workers * batchSize > jobs) {
        process.stderr.write(
          `  note: ${jobs} jobs is under 4 fetch rounds for batchSize ${batchSize}; timing is coarse\n`,
        );
      }
      await boss.createQueue(queue);
      for (let done = 0; done < jobs; done += 5000) {
        await boss.insert(Array.from({ length: Math.min(5000, jobs - done) }, () => ({ name: queue, data: {} })));
      }
      // A fresh partition has no statistics until autovacuum gets to it, and
      // without them complete() joins its id list by nested loop: O(batch x
      // queue), 0.4 s for 2,500 ids. A live queue would have statistics.
      await probe.query(`ANALYZE ${SCHEMA}.job`);

      const children = await forkChildren(fileURLToPath(import.meta.url), processes, {
        connectionString,
        queue,
        workers,
        batchSize,
      });
      const started = performance.now();
      children.go();
      let completed, seconds;
      if (mode === "window") {
        await sleep(windowSeconds * 1000);
        completed = await count(queue, ["completed"]); // committed completions only
        seconds = (performance.now() - started) / 1000;
        await children.stop();
      } else {
        // Handlers have seen every job; completions are fire-and-forget in
        // pg-boss, so then wait for the last of them to commit.
        await withTimeout(children.handled(jobs), 120_000 + jobs * 50, `pg-boss ${queue}`);
        const drained = await waitUntil(
          probe,
          `SELECT NOT EXISTS (SELECT 1 FROM ${SCHEMA}.job WHERE name = $1 AND state < 'completed') AS done`,
          [queue],
          { timeoutMs: 30_000 },
        );
        seconds = (drained - started) / 1000;
        await children.stop();
        completed = await count(queue, ["completed"]);
        if (completed !== jobs) throw new Error(`${queue}: ${completed} of ${jobs} jobs completed`);
      }
      const failed = await count(queue, ["failed", "retry"]);
      if (failed) throw new Error(`${queue}: ${failed} jobs failed`);
      return { mode, processes, workers_per_process: workers, batchSize, queued: jobs, completed, seconds };
    };

    const runs = [];
    try {
      for (const [i, setting] of settings.entries()) {
        const run = await measure(`bench_${i}`, setting);
        run.jobs_per_s = run.completed / run.seconds;
        run.pollingIntervalSeconds = POLLING_INTERVAL_SECONDS;
        runs.push(run);
        process.stderr.write(
          `  pg-boss ${processes} proc x ${run.workers_per_process} workers, batchSize ${run.batchSize} (${run.mode}): ` +
            `${fmt(run.completed)} jobs in ${run.seconds.toFixed(2)} s -> ${fmt(run.jobs_per_s)} jobs/s\n`,
        );
      }
    } finally {
      await probe.end();
      await boss.stop({ graceful: false, wait: true });
    }

    const batch1 = runs.find((r) => r.batchSize === 1);
    const best = runs.reduce((a, b) => (b.jobs_per_s > a.jobs_per_s ? b : a));
    report(
      opts,
      `pg-boss ${PACKAGE.version}: batchSize 1 -> ${batch1 ? fmt(batch1.jobs_per_s) : "n/a"} jobs/s; ` +
        `best ${fmt(best.jobs_per_s)} jobs/s (${best.workers_per_process} workers x batchSize ${best.batchSize}, polling ${POLLING_INTERVAL_SECONDS} s)`,
      {
        peer: "pg-boss",
        version: PACKAGE.version,
        engines: PACKAGE.engines,
        jobs,
        jobs_per_s_batch1: batch1?.jobs_per_s ?? null,
        jobs_per_s_best: best.jobs_per_s,
        settings: { pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, batch1: batch1 ?? null, best, all: runs },
      },
    );
  });
}
