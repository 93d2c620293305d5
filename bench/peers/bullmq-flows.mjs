// BullMQ flows on Redis, the nearest BullMQ shape to a split + join: each flow
// is a parent job with K children (FlowProducer), all added in bulk before the
// clock starts. P forked processes each run one Worker on the flows' queue; a
// parent becomes runnable only once its K children have completed. The clock
// stops when every parent and child is completed.
//
//   node bench/peers/bullmq-flows.mjs [--flows 5000] [--children 3] [--processes 1]
//        [--concurrency 24] [--json]
import process from "node:process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { FlowProducer, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import {
  args,
  childLoop,
  fmt,
  forkChildren,
  installedPackage,
  int,
  main,
  onCleanup,
  randomName,
  report,
  sleep,
  withTimeout,
} from "./lib.mjs";

const PACKAGE = installedPackage("bullmq");
const IOREDIS = installedPackage("ioredis");
const REDIS = {
  host: process.env.PEERS_REDIS_HOST ?? "127.0.0.1",
  port: Number(process.env.PEERS_REDIS_PORT ?? 6379),
};
// Parents and children share one queue, so one worker pool does all the work,
// as a single engine's workers would; a parent waits in "waiting-children"
// until its last child completes and then joins the end of the wait list.
const QUEUE = "flows";

if (process.argv.includes("--child")) {
  childLoop(async ({ prefix, concurrency }, progress) => {
    let handled = 0;
    const worker = new Worker(QUEUE, async () => progress(++handled), { connection: REDIS, prefix, concurrency });
    worker.on("error", (err) => process.stderr.write(`bullmq: ${err.message}\n`));
    return async () => {
      await worker.close();
      return { handled };
    };
  });
} else {
  await main(async () => {
    const opts = args({
      flows: { type: "string" },
      children: { type: "string" },
      processes: { type: "string" },
      concurrency: { type: "string" },
    });
    const flows = int(opts.flows, 5000);
    const children = int(opts.children, 3);
    const jobs = flows * (1 + children);
    const settings = {
      flows,
      children_per_flow: children,
      processes: int(opts.processes, 1),
      concurrency: int(opts.concurrency, 24), // per process
      queue: "parents and children in one queue",
      // BullMQ's defaults: completed jobs stay in Redis (removeOnComplete off),
      // a parent stores its children's return values.
      removeOnComplete: false,
      redis: `${REDIS.host}:${REDIS.port}`,
    };

    // A key prefix of our own keeps every key apart from anything else in this
    // Redis; all of it is deleted at the end.
    const prefix = randomName("peers_bullmq");
    settings.prefix = "peers_bullmq_<hex>";
    const redis = new Redis(REDIS);
    redis.on("error", () => {});
    onCleanup(async () => {
      await deleteKeys(redis, `${prefix}:*`);
      await redis.quit();
    });
    const redisInfo = await redis.info("persistence");
    settings.redis_persistence = {
      aof_enabled: /aof_enabled:1/.test(redisInfo),
      rdb_save: (await redis.config("GET", "save"))[1] || "off",
    };

    const producer = new FlowProducer({ connection: REDIS, prefix });
    const queue = new Queue(QUEUE, { connection: REDIS, prefix });
    onCleanup(() => producer.close());
    onCleanup(() => queue.close());
    const chunk = 500;
    for (let done = 0; done < flows; done += chunk) {
      const batch = Array.from({ length: Math.min(chunk, flows - done) }, (_, i) => ({
        name: "join",
        queueName: QUEUE,
        data: { flow: done + i },
        children: Array.from({ length: children }, (_, k) => ({ name: "part", queueName: QUEUE, data: { k } })),
      }));
      await producer.addBulk(batch);
    }
    const queued = await queue.getJobCounts("wait", "waiting-children");
    if (queued.wait !== flows * children || queued["waiting-children"] !== flows)
      throw new Error(`unexpected queue after adding: ${JSON.stringify(queued)}`);

    const workers = await forkChildren(fileURLToPath(import.meta.url), settings.processes, {
      prefix,
      concurrency: settings.concurrency,
    });
    const started = performance.now();
    workers.go();
    await withTimeout(workers.handled(jobs), 120_000 + jobs * 10, "bullmq flows");
    // The workers have run every processor; the end is when Redis has recorded
    // the last completion.
    let ended;
    for (const deadline = performance.now() + 10_000; ; await sleep(5)) {
      const { completed } = await queue.getJobCounts("completed");
      ended = performance.now();
      if (completed === jobs) break;
      if (ended > deadline) throw new Error(`only ${completed} of ${jobs} jobs completed`);
    }
    const seconds = (ended - started) / 1000;
    const results = await workers.stop();
    const handled = results.reduce((sum, r) => sum + r.handled, 0);
    const left = await queue.getJobCounts("wait", "active", "waiting-children", "delayed", "failed");
    if (handled !== jobs || Object.values(left).some((n) => n !== 0))
      throw new Error(`expected ${jobs} handled, got ${handled}; left ${JSON.stringify(left)}`);

    const unitsPerS = jobs / seconds;
    report(
      opts,
      `bullmq ${PACKAGE.version} flows: ${fmt(flows)} flows x (1 parent + ${children} children), ${settings.processes} process(es) x concurrency ${settings.concurrency}: ` +
        `${seconds.toFixed(2)} s -> ${fmt(flows / seconds)} flows/s, ${fmt(unitsPerS)} jobs/s`,
      {
        peer: "bullmq-flows",
        version: PACKAGE.version,
        engines: PACKAGE.engines,
        redis_client: { name: "ioredis", ...IOREDIS },
        flows,
        jobs,
        seconds,
        flows_per_s: flows / seconds,
        jobs_per_s: unitsPerS,
        // Chameleon counts a split's parent and its children as finalized units.
        units_per_s: unitsPerS,
        settings,
      },
    );
  });
}

/** Deletes every key matching `pattern` (SCAN, so Redis is never blocked for long). */
async function deleteKeys(redis, pattern) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
}
