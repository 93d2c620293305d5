// plainjob 0.0.14 on better-sqlite3: N no-op jobs are added (addMany, one
// transaction) to a fresh SQLite file before the clock starts, then plainjob
// worker(s) in this one process work them off; the clock stops when the last
// job is marked done. plainjob itself sets journal_mode=WAL and
// synchronous=NORMAL (1) on the connection.
//
//   node bench/peers/plainjob.mjs [--jobs 20000] [--workers 1] [--json]
import process from "node:process";
import { performance } from "node:perf_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { better, defineQueue, defineWorker, JobStatus } from "plainjob";
import { args, fmt, installedPackage, int, main, onCleanup, report, withTimeout } from "./lib.mjs";

const PACKAGE = installedPackage("plainjob");

// plainjob logs every job at debug level through console.debug (stdout).
const quiet = { error: (m) => process.stderr.write(`plainjob: ${m}\n`), warn() {}, info() {}, debug() {} };

await main(async () => {
  const opts = args({ workers: { type: "string" } });
  const jobs = int(opts.jobs, 20_000);
  // One worker: a plainjob worker runs synchronous SQLite calls back to back,
  // so more workers in one process only interleave on the same thread.
  const workers = int(opts.workers, 1);

  // os.tmpdir() is on the same disk as the database servers here (not tmpfs).
  const dir = mkdtempSync(join(tmpdir(), "peers-plainjob-"));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const db = new Database(join(dir, "queue.db"));
  onCleanup(() => db.close());
  const queue = defineQueue({ connection: better(db), logger: quiet });
  onCleanup(() => queue.close());
  queue.addMany(
    "noop",
    Array.from({ length: jobs }, () => ({})),
  ); // one transaction, before timing

  let done = 0;
  let finished;
  const allDone = new Promise((resolve) => (finished = resolve));
  const pool = Array.from({ length: workers }, () =>
    defineWorker("noop", async () => {}, {
      queue,
      logger: quiet,
      onCompleted: () => ++done === jobs && finished(performance.now()),
      onFailed: (_job, error) => process.stderr.write(`plainjob job failed: ${error}\n`),
    }),
  );

  const started = performance.now();
  pool.forEach((w) => void w.start());
  const ended = await withTimeout(allDone, 60_000 + jobs * 5, "plainjob");
  await Promise.all(pool.map((w) => w.stop()));
  const seconds = (ended - started) / 1000;
  const left = queue.countJobs({ status: JobStatus.Pending }) + queue.countJobs({ status: JobStatus.Processing });
  if (left !== 0 || queue.countJobs({ status: JobStatus.Done }) !== jobs) throw new Error(`${left} jobs not done`);

  const jobsPerS = jobs / seconds;
  report(
    opts,
    `plainjob ${PACKAGE.version}: ${fmt(jobs)} jobs, ${workers} worker(s) in 1 process, SQLite WAL: ${seconds.toFixed(2)} s -> ${fmt(jobsPerS)} jobs/s`,
    {
      peer: "plainjob",
      version: PACKAGE.version,
      engines: PACKAGE.engines,
      jobs,
      seconds,
      jobs_per_s: jobsPerS,
      settings: {
        processes: 1,
        workers,
        journal_mode: "WAL",
        synchronous: "NORMAL",
        file: "os.tmpdir()",
        pollIntervall_ms: 1000, // default; never reached while jobs are pending
      },
    },
  );
});
