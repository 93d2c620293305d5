// DBOS Transact: a durable workflow of 4 no-op steps, its system database a
// fresh PostgreSQL database. Two ways to run N of them:
//
// - direct (1 process): DBOS is launched before the clock; the clock covers
//   starting all N workflows with DBOS.startWorkflow (all calls issued at once,
//   as fast as the API takes them) and waiting for every result.
// - queue (P processes): the N workflows are enqueued on a DBOS queue before
//   the clock (DBOSClient.enqueueInTransaction, 500 per transaction); P forked
//   processes, each its own DBOS executor, launch and dequeue them. The clock
//   stops when every workflow has status SUCCESS.
//
//   node bench/peers/dbos.mjs [--workflows 2000] [--mode direct|queue] [--processes 1]
//        [--worker-concurrency 100] [--polling-ms 10] [--json]
import process from "node:process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { DBOS, DBOSClient } from "@dbos-inc/dbos-sdk";
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
  onCleanup,
  report,
  waitUntil,
  withTimeout,
} from "./lib.mjs";

const PACKAGE = installedPackage("@dbos-inc/dbos-sdk");
// pg-pool, under DBOS's pool, trips pg 8's warning about overlapping
// client.query() calls on every new connection; it is noise on stderr here.
process.noDeprecation = true;
const APP = "peers";
// Fixed, so workflows enqueued by the client are dequeued by the executors
// (an unset version would be computed from the registered code).
const APP_VERSION = "peers-1";
const QUEUE = "peers_queue";
const WORKFLOW = "fourSteps";
const STEPS = 4;

// Errors only: DBOS logs every launch and queue detail at info level.
const quietLogger = {
  error: (message) => process.stderr.write(`dbos: ${message?.message ?? message}\n`),
  warn() {},
  info() {},
  debug() {},
};

// Registration happens at load time in every process, before launch, as DBOS requires.
const steps = Array.from({ length: STEPS }, (_, i) => DBOS.registerStep(async () => {}, { name: `step${i + 1}` }));
let workflowDone = () => {};
const fourSteps = DBOS.registerWorkflow(
  async () => {
    for (const step of steps) await step();
    workflowDone();
  },
  { name: WORKFLOW },
);

function config(systemDatabaseUrl, extra) {
  return {
    name: APP,
    applicationVersion: APP_VERSION,
    systemDatabaseUrl,
    logger: quietLogger,
    ...extra,
  };
}

if (process.argv.includes("--child")) {
  childLoop(async ({ index, systemDatabaseUrl, poolSize }, progress) => {
    let handled = 0;
    workflowDone = () => progress(++handled);
    DBOS.setConfig(
      config(systemDatabaseUrl, {
        // Each process is its own executor: with a shared ID, a process that
        // launches would "recover" the workflows another is running.
        executorID: `peers-${index}`,
        listenQueues: [QUEUE],
        runMigrations: false,
        systemDatabasePoolSize: poolSize,
      }),
    );
    await DBOS.launch();
    return async () => {
      await DBOS.shutdown();
      return { handled };
    };
  });
} else {
  await main(async () => {
    const opts = args({
      workflows: { type: "string" },
      mode: { type: "string" },
      processes: { type: "string" },
      "worker-concurrency": { type: "string" },
      "polling-ms": { type: "string" },
      pool: { type: "string" },
    });
    const workflows = int(opts.workflows, 2000);
    const mode = opts.mode ?? "direct";
    const settings = { mode, steps_per_workflow: STEPS, processes: mode === "direct" ? 1 : int(opts.processes, 1) };
    if (mode === "queue") {
      settings.workerConcurrency = int(opts["worker-concurrency"], 100); // per process
      settings.minPollingIntervalMs = int(opts["polling-ms"], 10); // default 1000
    } else if (mode !== "direct") throw new Error(`--mode direct|queue, not ${mode}`);
    settings.systemDatabasePoolSize = int(opts.pool, 10); // default 10
    settings.systemDatabase = "peers_dbos_<hex>";

    const systemDatabaseUrl = await freshPgDatabase("peers_dbos");
    const probe = await connectPg(systemDatabaseUrl);
    onCleanup(() => probe.end());
    const allSucceeded = [
      "SELECT count(*) FILTER (WHERE status = 'SUCCESS') = $1 AS done FROM dbos.workflow_status",
      [workflows],
    ];

    let seconds;
    if (mode === "direct") {
      let handled = 0;
      workflowDone = () => handled++;
      DBOS.setConfig(config(systemDatabaseUrl, { systemDatabasePoolSize: settings.systemDatabasePoolSize }));
      await DBOS.launch();
      onCleanup(() => DBOS.shutdown());
      const started = performance.now();
      const handles = await Promise.all(Array.from({ length: workflows }, () => DBOS.startWorkflow(fourSteps)()));
      await withTimeout(Promise.all(handles.map((h) => h.getResult())), 60_000 + workflows * 20, "dbos direct");
      const ended = await waitUntil(probe, ...allSucceeded, { timeoutMs: 10_000 });
      seconds = (ended - started) / 1000;
      if (handled !== workflows) throw new Error(`expected ${workflows} workflows run, got ${handled}`);
    } else {
      // Schema, queue and the queued workflows, all before timing.
      // DBOS.migrate announces itself on stdout (a default logger of its own,
      // not the one configured), and stdout carries our JSON.
      const stdoutWrite = process.stdout.write;
      process.stdout.write = process.stderr.write.bind(process.stderr);
      try {
        await DBOS.migrate(systemDatabaseUrl);
      } finally {
        process.stdout.write = stdoutWrite;
      }
      const client = await DBOSClient.create({ systemDatabaseUrl, applicationName: APP, logger: quietLogger });
      onCleanup(() => client.destroy());
      await client.registerQueue(QUEUE, {
        workerConcurrency: settings.workerConcurrency,
        minPollingIntervalMs: settings.minPollingIntervalMs,
      });
      const writer = await connectPg(systemDatabaseUrl);
      try {
        for (let done = 0; done < workflows; done += 500) {
          await writer.query("BEGIN");
          for (let i = done; i < Math.min(done + 500, workflows); i++)
            await client.enqueueInTransaction(writer, {
              queueName: QUEUE,
              workflowName: WORKFLOW,
              appVersion: APP_VERSION,
            });
          await writer.query("COMMIT");
        }
        // As for the other PostgreSQL peers: a live queue table has statistics.
        await writer.query("ANALYZE dbos.workflow_status");
      } finally {
        await writer.end();
      }

      const workers = await forkChildren(fileURLToPath(import.meta.url), settings.processes, {
        systemDatabaseUrl,
        poolSize: settings.systemDatabasePoolSize,
      });
      const started = performance.now();
      workers.go();
      await withTimeout(workers.handled(workflows), 120_000 + workflows * 20, "dbos queue");
      const ended = await waitUntil(probe, ...allSucceeded, { timeoutMs: 10_000 });
      seconds = (ended - started) / 1000;
      const results = await workers.stop();
      const handled = results.reduce((sum, r) => sum + r.handled, 0);
      if (handled !== workflows) throw new Error(`expected ${workflows} workflows run, got ${handled}`);
    }

    const { rows } = await probe.query("SELECT count(*)::int AS n FROM dbos.operation_outputs");
    settings.checkpointed_steps = rows[0].n;
    const workflowsPerS = workflows / seconds;
    report(
      opts,
      `dbos-sdk ${PACKAGE.version}: ${fmt(workflows)} workflows x ${STEPS} steps, ${mode}, ${settings.processes} process(es): ` +
        `${seconds.toFixed(2)} s -> ${fmt(workflowsPerS)} workflows/s, ${fmt(workflowsPerS * STEPS)} steps/s`,
      {
        peer: "dbos",
        version: PACKAGE.version,
        engines: PACKAGE.engines,
        workflows,
        seconds,
        workflows_per_s: workflowsPerS,
        steps_per_s: workflowsPerS * STEPS,
        settings,
      },
    );
  });
}
