/**
 * `npm run bench`: the engine's speed on each engine, beside peer job queues measured in the
 * same run. Prints a table and writes bench/results.json (`--quick`: smaller sizes, written to
 * bench/results.quick.json so that the full run's figures stay).
 *
 * Engines: SQLite (a file in WAL mode) always; PostgreSQL and MariaDB when
 * CHAMELEON_TEST_POSTGRES_URL / CHAMELEON_TEST_MYSQL_URL are set (as for the tests).
 * Peers: bench/peers (a separate package: npm ci --prefix bench/peers), skipped if absent.
 *
 * `--only LINE[,LINE]` measures only those lines (no peers) and merges their figures into the
 * results file of the mode, keeping the other lines' figures: LINES below names them.
 *
 * Steps/s are measured for each claim size of BATCHES (1: work.checkout and work.submit; more:
 * work.checkoutMany and work.submitMany) with 1 and 4 worker processes, each figure the median of
 * `--repetitions N` runs (full: 3, quick: 1), each on a chain of at least `--chain-units N` units
 * (full: 1,500, quick: 400). The memory check (`rss`) runs one worker process on
 * a steady stream of units for `--rss-minutes M` (full: 10, quick: 0.5; 0 skips it) on the
 * engines of `--rss-engines NAME[,NAME]` (default sqlite). `--peers-json FILE` takes the peers'
 * figures from a separate run of bench/peers/run-all.mjs --json instead of running them.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { openChameleon, type Chameleon } from "../src/chameleon.js";
import { makeInvoices } from "../src/demo/data.js";
import { newId } from "../src/schema/ids.js";
import { insertInChunks } from "../src/store/chunks.js";
import { invoiceHandlers } from "../src/demo/handlers.js";
import { engines, type FreshStores, type TestEngine } from "../test/support/engines.js";
import { chainBlueprint, filteredFixBlueprint, twentyRoles } from "./blueprints.js";
import { serverCpuUs } from "./server-cpu.js";

const quick = process.argv.includes("--quick");
/** The value of `--name V` or `--name=V`, else undefined. */
function option(name: string): string | undefined {
  const at = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  const arg = process.argv[at]!;
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : process.argv[at + 1];
}
/** Units claimed per checkout by the steps/s measurement (1: one unit at a time). */
const BATCHES = [1, 10, 50] as const;
const PROCESSES = [1, 4] as const;
const REPETITIONS = Number(option("repetitions") ?? (quick ? 1 : 3));
const RSS_MINUTES = Number(option("rss-minutes") ?? (quick ? 0.5 : 10));
const RSS_ENGINES = new Set((option("rss-engines") ?? "sqlite").split(","));
const SIZES = quick
  ? {
      imports: 5,
      instances: 20,
      chainUnits: 400,
      latency: [1_000, 10_000],
      samples: 100,
      filtered: [1_000, 10_000],
      filteredSamples: 20,
      invoices: 40,
      invoiceBatches: [10, 50],
      overviewUnits: 20_000,
      overviewSamples: 20,
    }
  : {
      imports: 10,
      instances: 50,
      chainUnits: 1_500,
      latency: [1_000, 100_000],
      samples: 300,
      filtered: [1_000, 10_000],
      filteredSamples: 50,
      invoices: 150,
      invoiceBatches: [10, 50],
      overviewUnits: 100_000,
      overviewSamples: 50,
    };
/** `--chain-units N`: the least units of the chain per steps/s run (longer runs hold less of each worker process's start). */
const CHAIN_UNITS = Number(option("chain-units") ?? SIZES.chainUnits);
/** The lines of the table, as `--only` names them. */
const LINES = [
  "import",
  "instantiate",
  "steps",
  "checkout_latency",
  "checkout_filtered",
  "invoice",
  "overview",
  "events",
  "rss",
] as const;
type Line = (typeof LINES)[number];
const onlyArg = option("only");
const only = onlyArg === undefined ? null : new Set(onlyArg.split(","));
for (const name of only ?? []) {
  if (!(LINES as readonly string[]).includes(name)) {
    process.stderr.write(`bench: unknown line '${name}' for --only; the lines are ${LINES.join(", ")}\n`);
    process.exit(2);
  }
}
const wanted = (line: Line) => only === null || only.has(line);
const CHAIN_STEPS = 4;
/**
 * Checkout-and-submit loops per worker process (CHAMELEON_BENCH_LOOPS overrides): 8 on the
 * servers (graphile-worker is measured with 24 per process), 1 on SQLite, whose one connection
 * per process runs one statement at a time, so that more loops only queue on it.
 */
const loopsFor = (fresh: FreshStores) =>
  Number(process.env.CHAMELEON_BENCH_LOOPS ?? (fresh.instancesUrl.startsWith("sqlite:") ? 1 : 8));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const benchStarted = performance.now();
const say = (line: string) =>
  process.stderr.write(`[bench +${Math.round((performance.now() - benchStarted) / 1000)}s] ${line}\n`);

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

interface EngineFigures {
  import_ms_median: number;
  instantiate_20_roles_ms_median: number;
  /** Each process runs loopsFor(fresh) checkout-and-submit loops; one unit per claim. */
  steps_per_s_1_process: number;
  steps_per_s_4_processes: number;
  /** Claim size (units per checkoutMany / submitMany) → worker processes → steps/s (median of `repetitions`). */
  steps_per_s: Record<string, Record<string, number>>;
  /** Every run behind steps_per_s, in the same shape. */
  steps_per_s_runs: Record<string, Record<string, number[]>>;
  /**
   * CPU µs per step in the same shape (median of the runs): of the worker processes together,
   * and of the database server's processes (null for SQLite, in the workers, and where the
   * server's processes cannot be read: server-cpu.ts).
   */
  cpu_us_per_step: Record<string, Record<string, { workers: number; server: number | null }>>;
  /** Checkouts that claimed nothing, per step done, in the same shape (median of the runs). */
  empty_claims_per_step: Record<string, Record<string, number>>;
  repetitions: number;
  checkout_latency_ms: Record<string, { pending: number; median: number; p99: number }>;
  /**
   * EPSILON's checkout with `filtered` FAILED units its guardian passes over waiting in front
   * of one it takes; `found` is how many samples got that unit (see docs/engine.md: a checkout
   * looks at a bounded number of units).
   */
  checkout_filtered_ms: Record<
    string,
    { filtered: number; median: number; p99: number; found: number; samples: number }
  >;
  /** The invoice example through ch.worker, which claims one unit at a time. */
  invoice_units_finalized_per_s: number;
  /** The same with a loop that claims up to N units of a role at once: N → units finalized/s. */
  invoice_units_finalized_per_s_batched: Record<string, number>;
  /** One worker process's resident set size (MiB) at the go signal and after `minutes` on a steady stream of units. */
  rss_mb: { start: number; end: number; minutes: number; steps: number; samples: number[] };
  /**
   * instances.overview of one instance holding `units` units (seeded by bulk insert, statuses
   * spread over its interactions, with their audit entries), read from the store each time
   * (`maxAgeSeconds: 0`) with the FINALIZED counts kept (`median`, `p99`) or counted too
   * (`recount_*`); `kept_ms` is a call answered by the short per-process cache.
   */
  overview_ms: {
    units: number;
    logRows: number;
    median: number;
    p99: number;
    recount_median: number;
    recount_p99: number;
    kept_ms: number;
  };
  /**
   * The event stream: steps/s of 4 worker processes without a listener, with only a LISTEN
   * connection open (PostgreSQL: the writers then NOTIFY; null elsewhere, which has none), and
   * with a reader following the instance in the measuring process; how many entries that reader
   * received, and how long a new entry took to reach it on an idle store (ms, start to receipt).
   */
  events: {
    steps_per_s_4_processes_no_listener: number;
    steps_per_s_4_processes_listen_only: number | null;
    steps_per_s_4_processes_listener: number;
    entries_received: number;
    latency_ms: { median: number; p99: number; samples: number };
  };
}

async function measureEngine(engine: TestEngine): Promise<Partial<EngineFigures>> {
  const fresh = await engine.fresh();
  const ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
  const figures: Partial<EngineFigures> = {};
  try {
    const invoiceYaml = readFileSync(here("../examples/invoice_approval.yml"), "utf8");
    if (wanted("import")) {
      const imports: number[] = [];
      for (let i = 0; i < SIZES.imports; i++) {
        imports.push(
          (
            await timed(() =>
              ch.templates.importYaml(invoiceYaml.replace("name: Invoice_Approval\n", `name: Invoice_${i}\n`)),
            )
          )[1],
        );
      }
      figures.import_ms_median = round(median(imports));
      say(`${engine.name}: import ${figures.import_ms_median} ms`);
    }
    await ch.templates.importYaml(invoiceYaml);

    if (wanted("instantiate")) {
      await ch.templates.importYaml(twentyRoles("Twenty"));
      const creates: number[] = [];
      for (let i = 0; i < SIZES.instances; i++)
        creates.push((await timed(() => ch.instances.create({ workflow: "Twenty", name: `twenty-${i}` })))[1]);
      figures.instantiate_20_roles_ms_median = round(median(creates));
      say(`${engine.name}: instantiate ${figures.instantiate_20_roles_ms_median} ms`);
    }

    await ch.templates.importYaml(chainBlueprint("Chain", CHAIN_STEPS));
    if (wanted("steps")) {
      const matrix: EngineFigures["steps_per_s"] = {};
      const runs: EngineFigures["steps_per_s_runs"] = {};
      const cpu: EngineFigures["cpu_us_per_step"] = {};
      const empty: EngineFigures["empty_claims_per_step"] = {};
      for (const batch of BATCHES) {
        matrix[batch] = {};
        runs[batch] = {};
        cpu[batch] = {};
        empty[batch] = {};
        for (const processes of PROCESSES) {
          const each: StepsRun[] = [];
          for (let r = 0; r < REPETITIONS; r++) each.push(await stepsRun(ch, fresh, engine.name, processes, batch));
          runs[batch][processes] = each.map((x) => round(x.stepsPerS, 0));
          matrix[batch][processes] = median(runs[batch][processes]);
          const servers = each.map((x) => x.serverUsPerStep).filter((x) => x !== null);
          const split = {
            workers: round(median(each.map((x) => x.workersUsPerStep)), 0),
            server: servers.length === each.length ? round(median(servers), 0) : null,
          };
          cpu[batch][processes] = split;
          empty[batch][processes] = round(median(each.map((x) => x.emptyClaimsPerStep)), 2);
          say(
            `${engine.name}: steps/s batch ${batch}, ${processes} process(es): ${matrix[batch][processes]} (runs ${runs[batch][processes].join(", ")}); CPU µs per step: workers ${split.workers}, server ${split.server ?? "-"}; empty claims per step ${empty[batch][processes]}`,
          );
        }
      }
      figures.steps_per_s_1_process = matrix[1]![1]!;
      figures.steps_per_s_4_processes = matrix[1]![4]!;
      figures.steps_per_s = matrix;
      figures.steps_per_s_runs = runs;
      figures.cpu_us_per_step = cpu;
      figures.empty_claims_per_step = empty;
      figures.repetitions = REPETITIONS;
    }

    if (wanted("checkout_latency")) {
      const latency: EngineFigures["checkout_latency_ms"] = {};
      for (const pending of SIZES.latency) latency[String(pending)] = await checkoutLatency(ch, pending);
      figures.checkout_latency_ms = latency;
      say(`${engine.name}: checkout latency ${JSON.stringify(latency)}`);
    }

    if (wanted("checkout_filtered")) {
      await ch.templates.importYaml(filteredFixBlueprint("Filtered_Fix"));
      const filtered: EngineFigures["checkout_filtered_ms"] = {};
      for (const n of SIZES.filtered) {
        filtered[String(n)] = await filteredCheckoutLatency(ch, n);
        say(`${engine.name}: checkout past ${n} filtered units ${JSON.stringify(filtered[String(n)])}`);
      }
      figures.checkout_filtered_ms = filtered;
    }

    if (wanted("overview")) {
      figures.overview_ms = await overviewLatency(ch);
      say(`${engine.name}: overview ${JSON.stringify(figures.overview_ms)}`);
    }

    if (wanted("events")) {
      figures.events = await eventStream(ch, fresh);
      say(`${engine.name}: events ${JSON.stringify(figures.events)}`);
    }

    if (wanted("invoice")) {
      figures.invoice_units_finalized_per_s = round(await invoiceEndToEnd(ch), 0);
      say(`${engine.name}: invoice end to end ${figures.invoice_units_finalized_per_s} units/s`);
      const batched: Record<string, number> = {};
      for (const batch of SIZES.invoiceBatches) {
        batched[batch] = round(await invoiceEndToEndBatched(ch, batch), 0);
        say(`${engine.name}: invoice end to end, claims of up to ${batch}: ${batched[batch]} units/s`);
      }
      figures.invoice_units_finalized_per_s_batched = batched;
    }

    if (wanted("rss") && RSS_MINUTES > 0 && RSS_ENGINES.has(engine.name)) {
      say(`${engine.name}: memory check, one worker process for ${RSS_MINUTES} min`);
      figures.rss_mb = await workerMemory(ch, fresh, RSS_MINUTES);
      say(`${engine.name}: worker RSS ${JSON.stringify(figures.rss_mb)}`);
    }
    return figures;
  } finally {
    await ch.close();
    await fresh.drop();
  }
}

/** A chain instance whose actors p0..p(n-1) may take every step, with `units` units started. */
async function chainInstance(ch: Chameleon, name: string, actorCount: number, units: number) {
  const actors = Array.from({ length: actorCount }, (_, i) => ({
    name: `p${i}`,
    type: "AI_AGENT" as const,
    identityKey: `p${i}`,
    roles: Array.from({ length: CHAIN_STEPS }, (_, s) => `S${s + 1}`),
  }));
  const inst = await ch.instances.create({ workflow: "Chain", name: `${name}-${Date.now()}`, actors });
  await startChainUnits(ch, inst.instanceId, 0, units);
  return { instanceId: inst.instanceId, actors: actors.map((a) => a.name) };
}

async function startChainUnits(ch: Chameleon, instanceId: string, from: number, units: number) {
  for (let i = 0; i < units; i += 500) {
    const n = Math.min(500, units - i);
    await ch.work.startMany(
      instanceId,
      Array.from({ length: n }, (_, j) => ({ attributes: { n: from + i + j, tag: "bench" } })),
    );
  }
}

/** What bench/step-worker.ts prints at the end (the RSS figures only for a run of `durationMs`). */
interface StepWorkerReport {
  done: number;
  /** CPU time (user and system) of the process from the go signal to its report. */
  cpu_us: number;
  /** Checkouts that claimed nothing. */
  empty: number;
  rss_start_mb?: number;
  rss_end_mb?: number;
  rss_samples_mb?: number[];
}

/**
 * One bench/step-worker.ts process acting as `actor`: `ready` once it has opened the engine,
 * `go()` starts it, `done` is the last line it printed (its JSON report).
 */
function stepWorker(
  fresh: FreshStores,
  instanceId: string,
  actor: string,
  options: { batch: number; durationMs?: number },
) {
  const child = spawn(
    process.execPath,
    [
      // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": Node refuses those in NODE_OPTIONS.
      ...(process.env.CHAMELEON_BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      here("./step-worker.ts"),
      JSON.stringify({
        templatesUrl: fresh.templatesUrl,
        instancesUrl: fresh.instancesUrl,
        instance: instanceId,
        actor,
        steps: CHAIN_STEPS,
        concurrency: loopsFor(fresh),
        ...options,
      }),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  let text = "";
  child.stdout!.on("data", (d: Buffer) => (text += d.toString()));
  return {
    ready: waitFor(() => text.includes("ready")),
    go: () => child.stdin!.write("go\n"),
    done: new Promise<StepWorkerReport>((resolve, reject) =>
      child.on("exit", (code) => {
        const last = text.trim().split("\n").at(-1) ?? "";
        if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last) as StepWorkerReport);
        else reject(new Error(`step worker ${actor} exited with ${code}`));
      }),
    ),
  };
}

/**
 * Units of the chain for one steps/s run: CHAIN_UNITS, or more when the claims in flight
 * (processes × loops × batch) would hold a fifth of them or more. A queue not much deeper than
 * what is claimed at once measures the filling and the draining of the chain, not a step.
 */
function chainUnitsFor(fresh: FreshStores, processes: number, batch: number): number {
  return Math.max(CHAIN_UNITS, CLAIMS_IN_FLIGHT_SHARE * processes * loopsFor(fresh) * batch);
}
const CLAIMS_IN_FLIGHT_SHARE = 5;

/** One steps/s run, with what its steps cost in CPU. */
interface StepsRun {
  stepsPerS: number;
  workersUsPerStep: number;
  /** Null where the server's CPU time cannot be read (server-cpu.ts). */
  serverUsPerStep: number | null;
  emptyClaimsPerStep: number;
}

/**
 * Units of the chain blueprint pushed through all its steps by `processes` worker processes,
 * each claiming up to `batch` units at a time, with the CPU time of the workers and of the
 * database server over the run. `beside`: started on the instance before the workers go (a
 * reader of its events).
 */
async function stepsRun(
  ch: Chameleon,
  fresh: FreshStores,
  /** The engine whose server's CPU is read; null for none. */
  engine: string | null,
  processes: number,
  batch = 1,
  beside?: (instanceId: string) => Promise<void>,
): Promise<StepsRun> {
  const units = chainUnitsFor(fresh, processes, batch);
  const { instanceId, actors } = await chainInstance(ch, `chain-${processes}-${batch}`, processes, units);
  const workers = actors.map((actor) => stepWorker(fresh, instanceId, actor, { batch }));
  await Promise.all(workers.map((w) => w.ready));
  await beside?.(instanceId);
  const serverCpu = () => (engine === null ? null : serverCpuUs(engine, fresh.instancesUrl));
  const serverBefore = serverCpu();
  const started = performance.now();
  for (const w of workers) w.go();
  const reports = await Promise.all(workers.map((w) => w.done));
  const seconds = (performance.now() - started) / 1000;
  const serverAfter = serverCpu();
  const done = reports.reduce((n, r) => n + r.done, 0);
  if (done !== units * CHAIN_STEPS) throw new Error(`expected ${units * CHAIN_STEPS} steps, counted ${done}`);
  return {
    stepsPerS: done / seconds,
    workersUsPerStep: reports.reduce((n, r) => n + r.cpu_us, 0) / done,
    serverUsPerStep: serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / done,
    emptyClaimsPerStep: reports.reduce((n, r) => n + r.empty, 0) / done,
  };
}

async function stepsPerSecond(
  ch: Chameleon,
  fresh: FreshStores,
  processes: number,
  batch = 1,
  beside?: (instanceId: string) => Promise<void>,
): Promise<number> {
  return (await stepsRun(ch, fresh, null, processes, batch, beside)).stepsPerS;
}

/**
 * The memory check: one worker process (claims of one unit) on the chain for `minutes` while
 * this process keeps at least a thousand units waiting in the first step, so that it never
 * runs dry; its RSS at the go signal and at the end.
 */
async function workerMemory(ch: Chameleon, fresh: FreshStores, minutes: number): Promise<EngineFigures["rss_mb"]> {
  const backlog = 1000;
  const { instanceId, actors } = await chainInstance(ch, "memory", 1, 2 * backlog);
  const q1 = (await ch.engine.graphs.get(instanceId)).interactionByName.get("Q1")!.id;
  const waiting = async () => {
    const row = await ch.stores.instances.db
      .selectFrom("units_of_work")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("current_interaction_id", "=", q1)
      .where("status", "=", "PENDING")
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  const worker = stepWorker(fresh, instanceId, actors[0]!, { batch: 1, durationMs: minutes * 60_000 });
  await worker.ready;
  worker.go();
  let finished = false;
  const report = worker.done.finally(() => (finished = true));
  let started = 2 * backlog;
  while (!finished) {
    if ((await waiting()) < backlog) {
      await startChainUnits(ch, instanceId, started, 500);
      started += 500;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const r = await report;
  return { start: r.rss_start_mb!, end: r.rss_end_mb!, minutes, steps: r.done, samples: r.rss_samples_mb! };
}

/** Steps/s without and with a follower of the instance's events, then the follower's latency on an idle store. */
async function eventStream(ch: Chameleon, fresh: FreshStores): Promise<EngineFigures["events"]> {
  const without = await stepsPerSecond(ch, fresh, 4);
  const { eventFeed } = ch.stores.instances.dialect;
  let listenOnly: number | null = null;
  if (eventFeed.subscribe !== null) {
    const subscription = await eventFeed.subscribe(ch.stores.instances.url, () => {});
    try {
      listenOnly = await stepsPerSecond(ch, fresh, 4);
    } finally {
      await subscription.close();
    }
  }
  const abort = new AbortController();
  let received = 0;
  let reading: Promise<void> = Promise.resolve();
  const seen = new Map<string, number>();
  let followed = "";
  const withListener = await stepsPerSecond(ch, fresh, 4, 1, async (instanceId) => {
    followed = instanceId;
    const stream = ch.events(instanceId, { signal: abort.signal });
    await stream.open();
    reading = (async () => {
      for await (const e of stream) {
        received++;
        if (e.event === "GENESIS") seen.set(e.uowId, performance.now());
      }
    })();
    // The first read has begun (and on PostgreSQL its LISTEN is up) before the workers go.
    await new Promise((r) => setTimeout(r, 1500));
  });
  const latency: number[] = [];
  const samples = quick ? 10 : 30;
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const { uowId } = await ch.work.start(followed, { attributes: { n: -1 - i, tag: "latency" } });
    await waitFor(() => seen.has(uowId), 1);
    latency.push(seen.get(uowId)! - started);
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  }
  abort.abort();
  await reading;
  return {
    steps_per_s_4_processes_no_listener: round(without, 0),
    steps_per_s_4_processes_listen_only: listenOnly === null ? null : round(listenOnly, 0),
    steps_per_s_4_processes_listener: round(withListener, 0),
    entries_received: received,
    latency_ms: { median: round(median(latency)), p99: round(quantile(latency, 0.99)), samples },
  };
}

function waitFor(check: () => boolean, everyMs = 20): Promise<void> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (check()) {
        clearInterval(t);
        resolve();
      }
    }, everyMs);
  });
}

/** Checkout alone, timed with `pending` units waiting; each unit is given back right after. */
async function checkoutLatency(ch: Chameleon, pending: number) {
  const inst = await ch.instances.create({
    workflow: "Chain",
    name: `latency-${pending}-${Date.now()}`,
    actors: [{ name: "a", type: "AI_AGENT", identityKey: "a", roles: ["S1"] }],
  });
  for (let i = 0; i < pending; i += 1000) {
    const n = Math.min(1000, pending - i);
    await ch.work.startMany(
      inst.instanceId,
      Array.from({ length: n }, (_, j) => ({ attributes: { n: i + j, tag: "bench" } })),
    );
  }
  const times: number[] = [];
  for (let i = 0; i < SIZES.samples; i++) {
    const [unit, ms] = await timed(() => ch.work.checkout(inst.instanceId, { role: "S1", actorId: "a" }));
    times.push(ms);
    await ch.work.submit(inst.instanceId, { uowId: unit!.uowId, leaseToken: unit!.leaseToken, actorId: "a" });
  }
  return { pending, median: round(median(times), 3), p99: round(quantile(times, 0.99), 3) };
}

/**
 * EPSILON's checkout with `filtered` FAILED units in front that its guardian passes over, and
 * one behind them that it takes; the unit taken is given back at once (it keeps its place).
 */
async function filteredCheckoutLatency(ch: Chameleon, filtered: number) {
  const inst = await ch.instances.create({
    workflow: "Filtered_Fix",
    name: `filtered-${filtered}-${Date.now()}`,
    actors: [{ name: "fixer", type: "AI_AGENT", identityKey: "fixer", roles: ["Fix"] }],
  });
  // ALPHA routes only units with go == true; the others are created FAILED, in Fix's queue.
  for (let i = 0; i < filtered; i += 1000) {
    const n = Math.min(1000, filtered - i);
    await ch.work.startMany(
      inst.instanceId,
      Array.from({ length: n }, (_, j) => ({ attributes: { n: i + j, go: false, fixable: false } })),
    );
  }
  await ch.work.start(inst.instanceId, { attributes: { n: filtered, go: false, fixable: true } });
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < SIZES.filteredSamples; i++) {
    const [unit, ms] = await timed(() => ch.work.checkout(inst.instanceId, { role: "Fix", actorId: "fixer" }));
    times.push(ms);
    if (!unit) continue;
    found += 1;
    await ch.work.release(inst.instanceId, { uowId: unit.uowId, leaseToken: unit.leaseToken, actorId: "fixer" });
  }
  return {
    filtered,
    median: round(median(times), 3),
    p99: round(quantile(times, 0.99), 3),
    found,
    samples: SIZES.filteredSamples,
  };
}

/**
 * The overview of an instance of the chain blueprint with SIZES.overviewUnits units, written
 * straight into the store in bulk (the engine would take minutes to make them): 80 % finalized
 * over the last day, 16 % waiting in the four queues, 1 % held by 20 actors, 2 % failed over
 * the last six hours, the rest timed out or completed; each unit has its GENESIS entry, and
 * its CHECKOUT, FAIL or FINALIZE entry where it has one.
 */
async function overviewLatency(ch: Chameleon): Promise<EngineFigures["overview_ms"]> {
  const actors = Array.from({ length: 20 }, (_, i) => ({
    name: `w${i}`,
    type: "AI_AGENT" as const,
    identityKey: `w${i}`,
    roles: Array.from({ length: CHAIN_STEPS }, (_, s) => `S${s + 1}`),
  }));
  const inst = await ch.instances.create({ workflow: "Chain", name: `overview-${Date.now()}`, actors });
  const graph = await ch.engine.graphs.get(inst.instanceId);
  const details = await ch.instances.get(inst.instanceId);
  const actorIds = details.actors.filter((a) => a.type !== "SYSTEM").map((a) => a.actorId);
  const where = (name: string) => graph.interactionByName.get(name)!;
  const s1 = graph.roleByName.get("S1")!;
  const end = graph.roleByName.get("End")!;
  const now = ch.engine.now().getTime();
  const total = SIZES.overviewUnits;
  const plan: [status: string, interaction: string, share: number][] = [
    ["FINALIZED", "Done", 0.8],
    ["PENDING", "Q1", 0.04],
    ["PENDING", "Q2", 0.04],
    ["PENDING", "Q3", 0.04],
    ["PENDING", "Q4", 0.04],
    ["ACTIVE", "Q1", 0.0025],
    ["ACTIVE", "Q2", 0.0025],
    ["ACTIVE", "Q3", 0.0025],
    ["ACTIVE", "Q4", 0.0025],
    ["FAILED", "Errors", 0.02],
    ["TIMEOUT", "Stale", 0.005],
    ["COMPLETED", "Done", 0.005],
  ];
  let random = 7;
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const db = ch.stores.instances.db;
  let units: Record<string, unknown>[] = [];
  let logs: Record<string, unknown>[] = [];
  let logRows = 0;
  const flush = async () => {
    await insertInChunks(units, (chunk) =>
      db
        .insertInto("units_of_work")
        .values(chunk as never)
        .execute(),
    );
    await insertInChunks(logs, (chunk) =>
      db
        .insertInto("interaction_logs")
        .values(chunk as never)
        .execute(),
    );
    logRows += logs.length;
    units = [];
    logs = [];
  };
  const log = (uow: string, event: string, at: number, extra: Record<string, unknown> = {}) =>
    logs.push({
      instance_id: inst.instanceId,
      uow_id: uow,
      actor_id: extra.actor_id ?? graph.systemActorId,
      role_id: extra.role_id ?? null,
      interaction_id: extra.interaction_id ?? null,
      event,
      details: extra.details === undefined ? null : JSON.stringify(extra.details),
      timestamp: new Date(at),
      lease_token: null,
    });
  for (const [status, interactionName, share] of plan) {
    const interaction = where(interactionName);
    for (let i = 0; i < Math.round(total * share); i++) {
      const uow = newId();
      const created = now - Math.floor(next() * 86_400_000);
      const holder = status === "ACTIVE" ? actorIds[i % actorIds.length]! : null;
      const moved =
        status === "FINALIZED"
          ? created + Math.floor(next() * (now - created))
          : status === "FAILED"
            ? now - Math.floor(next() * 6 * 3_600_000)
            : created + Math.floor(next() * (now - created));
      units.push({
        uow_id: uow,
        instance_id: inst.instanceId,
        local_workflow_id: graph.master.id,
        parent_id: null,
        current_interaction_id: interaction.id,
        status,
        child_count: 0,
        finished_child_count: 0,
        locked_by_actor_id: holder,
        lease_token: holder === null ? null : newId(),
        last_heartbeat_at: holder === null ? null : new Date(now),
        entered_interaction_at: new Date(moved),
        attempt: holder === null ? 0 : 1,
        created_at: new Date(created),
        updated_at: new Date(moved),
        current_attributes: JSON.stringify({ n: { value: i, version: 1 } }),
        idempotency_key: null,
      });
      log(uow, "GENESIS", created, { interaction_id: where("Q1").id });
      if (status === "FINALIZED") log(uow, "FINALIZE", moved, { role_id: end.id, interaction_id: interaction.id });
      if (status === "FAILED") {
        log(uow, "FAIL", moved, {
          actor_id: actorIds[i % actorIds.length],
          role_id: s1.id,
          interaction_id: interaction.id,
          details: { from: "Q1", to: "Errors", status: "FAILED", error: "upstream timed out" },
        });
      }
      if (holder !== null)
        log(uow, "CHECKOUT", now, {
          actor_id: holder,
          role_id: graph.roleByName.get(`S${interactionName.slice(1)}`)!.id,
          interaction_id: interaction.id,
        });
      if (units.length >= 5_000) await flush();
    }
  }
  await flush();
  // PostgreSQL's autovacuum would have visited tables that grew this much; a bulk load is
  // followed by what it does, so that its planner sees the rows and index-only scans work.
  if (ch.stores.instances.engine === "postgres") {
    await sql`vacuum analyze units_of_work`.execute(db);
    await sql`vacuum analyze interaction_logs`.execute(db);
  }
  const sample = async (options: Record<string, number>) => {
    const times: number[] = [];
    for (let i = 0; i < SIZES.overviewSamples; i++) {
      times.push((await timed(() => ch.instances.overview(inst.instanceId, options)))[1]);
    }
    return times;
  };
  // Everything counted at every call, FINALIZED units too.
  const recount = await sample({ maxAgeSeconds: 0, finalizedMaxAgeSeconds: 0 });
  const overview = await ch.instances.overview(inst.instanceId, { maxAgeSeconds: 0, finalizedMaxAgeSeconds: 0 });
  if (overview.totals.units !== total) throw new Error(`overview counted ${overview.totals.units} units, not ${total}`);
  // What a dashboard polling the instance costs: a new read, FINALIZED counts kept (60 s).
  const times = await sample({ maxAgeSeconds: 0 });
  const kept = (await timed(() => ch.instances.overview(inst.instanceId)))[1];
  return {
    units: total,
    logRows,
    median: round(median(times), 2),
    p99: round(quantile(times, 0.99), 2),
    recount_median: round(median(recount), 2),
    recount_p99: round(quantile(recount, 0.99), 2),
    kept_ms: round(kept, 3),
  };
}

/** The invoice example with the demo handlers in one process: units finalized per second. */
async function invoiceEndToEnd(ch: Chameleon): Promise<number> {
  const inst = await ch.instances.create({
    workflow: "Invoice_Approval",
    name: `invoices-${Date.now()}`,
    actors: [
      { name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Intake", "Splitter", "Line_Checker", "Fixer"] },
      { name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Approver"] },
    ],
  });
  const invoices = makeInvoices(SIZES.invoices, 5);
  const units = invoices.length + invoices.reduce((n, i) => n + i.lines.length, 0);
  let finalized = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const worker = ch.worker({
    instanceId: inst.instanceId,
    handlers: invoiceHandlers({ seed: 5 }),
    concurrency: 4,
    pollIntervalMs: 5,
  });
  worker.on("processed", (p) => {
    if (p.role === "Reconciler" && ++finalized === invoices.length) done();
  });
  await worker.start();
  const started = performance.now();
  await ch.work.startMany(
    inst.instanceId,
    invoices.map((attributes) => ({ attributes, actorId: "bot" })),
  );
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  return units / seconds;
}

/**
 * The invoice example as invoiceEndToEnd runs it, but with a loop of the bench's own in place
 * of ch.worker (which claims one unit at a time): each of 4 loops claims up to `batch` units of
 * a role (work.checkoutMany), runs the demo handler of each, submits those that succeeded
 * together (work.submitMany) and reports each failure (work.fail), downstream roles first.
 */
async function invoiceEndToEndBatched(ch: Chameleon, batch: number): Promise<number> {
  const inst = await ch.instances.create({
    workflow: "Invoice_Approval",
    name: `invoices-batched-${batch}-${Date.now()}`,
    actors: [
      { name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Intake", "Splitter", "Line_Checker", "Fixer"] },
      { name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Approver"] },
    ],
  });
  const system = (await ch.instances.get(inst.instanceId)).actors.find((a) => a.type === "SYSTEM")!.actorId;
  const handlers = invoiceHandlers({ seed: 5 });
  // OMEGA (Reconciler) is assigned to nobody, so the SYSTEM actor does it, as ch.worker would.
  const lanes: [role: string, actorId: string][] = [
    ["Reconciler", system],
    ["Approver", "Ada"],
    ["Fixer", "bot"],
    ["Line_Checker", "bot"],
    ["Splitter", "bot"],
  ];
  const invoices = makeInvoices(SIZES.invoices, 5);
  const units = invoices.length + invoices.reduce((n, i) => n + i.lines.length, 0);
  let finalized = 0;
  const lane = async (role: string, actorId: string): Promise<number> => {
    const held = await ch.work.checkoutMany(inst.instanceId, { role, actorId, max: batch });
    if (held.length === 0) return 0;
    const outcomes = await Promise.all(
      held.map(async (unit) => {
        try {
          return { unit, result: (await handlers[role]!(unit)) ?? {} };
        } catch (error) {
          return { unit, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const submits = outcomes.flatMap((o) =>
      "result" in o ? [{ uowId: o.unit.uowId, leaseToken: o.unit.leaseToken, actorId, ...o.result }] : [],
    );
    if (submits.length > 0) {
      const answers = await ch.work.submitMany(inst.instanceId, submits);
      const refused = answers.find((a) => !a.ok);
      if (refused && !refused.ok) throw new Error(`submitMany refused ${refused.uowId}: ${refused.error.message}`);
      if (role === "Reconciler") finalized += answers.length;
    }
    for (const o of outcomes) {
      if (!("error" in o)) continue;
      await ch.work.fail(inst.instanceId, {
        uowId: o.unit.uowId,
        leaseToken: o.unit.leaseToken,
        actorId,
        error: o.error!,
        details: { role },
      });
    }
    return held.length;
  };
  const loop = async () => {
    while (finalized < invoices.length) {
      let worked = 0;
      for (const [role, actorId] of lanes) worked += await lane(role, actorId);
      if (worked === 0) await new Promise((r) => setTimeout(r, 5));
    }
  };
  const started = performance.now();
  await ch.work.startMany(
    inst.instanceId,
    invoices.map((attributes) => ({ attributes, actorId: "bot" })),
  );
  await Promise.all(Array.from({ length: 4 }, loop));
  return units / ((performance.now() - started) / 1000);
}

function peers(): Record<string, unknown> | null {
  // The peers' JSON of a separate run (node bench/peers/run-all.mjs --json > FILE), read as it is.
  const given = option("peers-json");
  if (given !== undefined) {
    say(`peers: read from ${given}`);
    return JSON.parse(readFileSync(given, "utf8")) as Record<string, unknown>;
  }
  const runner = here("./peers/run-all.mjs");
  if (!existsSync(here("./peers/node_modules")) || !existsSync(runner)) {
    say("peers: not installed (npm ci --prefix bench/peers); skipped");
    return null;
  }
  say("peers: running graphile-worker, pg-boss, plainjob and the raw commit ceiling");
  const out = execFileSync(process.execPath, [runner, "--json", ...(quick ? ["--quick"] : [])], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out) as Record<string, unknown>;
}

function machine() {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8" }).trim().split("\n")[0];
    } catch {
      return null;
    }
  };
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    postgres: version("psql", ["--version"]),
    mariadb: version("mariadb", ["--version"]),
  };
}

/** A number, or null when the peer did not report it (the peers' output grows over time). */
const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) && x > 0 ? x : null);
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? round(a / b, 3) : null);
/** The best steps/s of an engine over the claim sizes, with `processes` worker processes. */
const bestSteps = (f: Partial<EngineFigures> | undefined, processes: number) => {
  const xs = Object.values(f?.steps_per_s ?? {}).map((byProcesses) => byProcesses[processes] ?? 0);
  return xs.length > 0 ? Math.max(...xs) : null;
};
/** The best invoice figure of an engine: through ch.worker or with batched claims. */
const bestInvoice = (f: Partial<EngineFigures> | undefined) => {
  const xs = [f?.invoice_units_finalized_per_s ?? 0, ...Object.values(f?.invoice_units_finalized_per_s_batched ?? {})];
  return Math.max(...xs) || null;
};

// The full run's figures before this run: the baseline the batch-1 speed-up is measured against.
const baselineFile = here("./results.json");
const previousRun = existsSync(baselineFile)
  ? (JSON.parse(readFileSync(baselineFile, "utf8")) as {
      engines?: Record<string, Partial<EngineFigures>>;
      machine?: Partial<ReturnType<typeof machine>>;
    })
  : {};
const baseline = previousRun.engines ?? {};
/** Whether the previous run was on a machine like this one: otherwise its figures compare machines, not code. */
const sameMachine = (now: ReturnType<typeof machine>) =>
  previousRun.machine?.cpuModel === now.cpuModel &&
  previousRun.machine?.cpus === now.cpus &&
  previousRun.machine?.memGiB === now.memGiB;

const started = Date.now();
const startLoad = loadavg().map((x) => round(x));
const results: Record<string, unknown> = {
  generatedAt: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  sizes: {
    ...SIZES,
    chainUnits: CHAIN_UNITS,
    batches: BATCHES,
    processes: PROCESSES,
    repetitions: REPETITIONS,
    rssMinutes: RSS_MINUTES,
  },
  machine: machine(),
};
const figures: Record<string, Partial<EngineFigures>> = {};
for (const engine of engines) {
  if (engine.skipReason) {
    say(`${engine.name}: skipped (${engine.skipReason})`);
    continue;
  }
  figures[engine.name] = await measureEngine(engine);
}
// A quick run writes beside the full run's figures (which the README quotes), not over them.
const resultsFile = quick ? "./results.quick.json" : "./results.json";
if (only !== null) {
  // Only some lines: their figures replace those in the file, everything else stays.
  const previous = existsSync(here(resultsFile))
    ? (JSON.parse(readFileSync(here(resultsFile), "utf8")) as Record<string, unknown>)
    : {};
  const engines = (previous.engines ?? {}) as Record<string, Partial<EngineFigures>>;
  for (const [name, f] of Object.entries(figures)) engines[name] = { ...engines[name], ...f };
  const merged = {
    ...previous,
    engines,
    sizes: results.sizes,
    machine: results.machine,
    [`${[...only].join(",")}GeneratedAt`]: results.generatedAt,
  };
  writeFileSync(here(resultsFile), JSON.stringify(merged, null, 2) + "\n");
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\nmerged into bench/${resultsFile.slice(2)}\n`);
  process.exit(0);
}
results.engines = figures;
const peer = peers() as {
  peers?: Record<string, Record<string, number>>;
  raw_commits?: Record<string, number>;
  machine?: unknown;
} | null;
if (peer) {
  results.peers = peer.peers;
  results.raw_commits = peer.raw_commits;
}
const peerFigures = (peer?.peers ?? {}) as Record<string, Record<string, unknown> | undefined>;
const gwPeer = peerFigures.graphile_worker;
const gw = num(gwPeer?.jobs_per_s_4proc) ?? num(gwPeer?.jobs_per_s_1proc);
const gwBest = num(gwPeer?.jobs_per_s_best_4proc) ?? num(gwPeer?.jobs_per_s_best);
const pj = num(peerFigures.plainjob?.jobs_per_s);
const flows = peerFigures.bullmq_flows ?? peerFigures.bullmq;
// The peer's best: its 1- and 4-process figures, whichever is higher.
const bullmqRuns = [flows?.units_per_s_1proc, flows?.units_per_s_4proc].map(num).filter((x) => x) as number[];
const bullmq = num(flows?.units_per_s) ?? (bullmqRuns.length > 0 ? Math.max(...bullmqRuns) : null);
const dbosPeer = peerFigures.dbos;
const dbosOneProcess = [dbosPeer?.steps_per_s_direct, dbosPeer?.steps_per_s_queue_1proc].map(num).filter((x) => x);
const dbos =
  num(dbosPeer?.steps_per_s) ?? (dbosOneProcess.length > 0 ? Math.max(...(dbosOneProcess as number[])) : null);
const invoiceBest = Object.entries(figures)
  .map(([engine, f]) => ({ engine, units: bestInvoice(f) }))
  .sort((a, b) => (b.units ?? 0) - (a.units ?? 0))[0];
results.ratios = {
  postgres_vs_graphile_worker: ratio(bestSteps(figures.postgres, 4), gw),
  postgres_vs_graphile_worker_best: ratio(bestSteps(figures.postgres, 4), gwBest),
  sqlite_vs_sqlite_queue: ratio(bestSteps(figures.sqlite, 1), pj),
  split_join_vs_bullmq: ratio(invoiceBest?.units, bullmq),
  workflow_vs_dbos: ratio(bestSteps(figures.postgres, 1), dbos),
};
results.ratio_basis = {
  postgres_vs_graphile_worker:
    "PostgreSQL's best steps/s with 4 worker processes over the claim sizes ÷ graphile-worker unbatched, 4 processes (1 where 4 was not measured)",
  postgres_vs_graphile_worker_best:
    "the same ÷ graphile-worker's best configuration (jobs_per_s_best_4proc, else jobs_per_s_best)",
  sqlite_vs_sqlite_queue: "SQLite's best steps/s with 1 worker process over the claim sizes ÷ plainjob (one process)",
  split_join_vs_bullmq: `the invoice example's best units finalized/s (${invoiceBest?.engine ?? "none"}, through ch.worker or batched) ÷ BullMQ flows units_per_s`,
  workflow_vs_dbos:
    "PostgreSQL's best steps/s with 1 worker process over the claim sizes ÷ DBOS steps_per_s (one process)",
};
/** This run's batch-1 steps/s (and its best) against the previous full run's batch-1 figure. */
const speedup: Record<
  string,
  { previous: number; now: number; ratio: number; best: number; best_ratio: number; same_machine: boolean }
> = {};
const onSameMachine = sameMachine(results.machine as ReturnType<typeof machine>);
for (const [name, f] of Object.entries(figures)) {
  const previous = baseline[name]?.steps_per_s_1_process;
  const best = bestSteps(f, 1);
  if (!previous || !f.steps_per_s_1_process || !best) continue;
  const now = f.steps_per_s_1_process;
  speedup[name] = {
    previous,
    now,
    ratio: round(now / previous, 2),
    best,
    best_ratio: round(best / previous, 2),
    same_machine: onSameMachine,
  };
}
results.speedup_vs_previous_1_process = speedup;
results.seconds = round((Date.now() - started) / 1000, 1);
// The machine may be shared: its load over the run (1, 5 and 15 minutes) says how much to trust the figures.
results.load_average = { start: startLoad, end: loadavg().map((x) => round(x)) };
writeFileSync(here(resultsFile), JSON.stringify(results, null, 2) + "\n");

const rows: string[][] = [["", ...Object.keys(figures)]];
const row = (label: string, get: (f: EngineFigures) => string) =>
  rows.push([label, ...Object.values(figures).map((f) => get(f as EngineFigures))]);
row("import (ms, median)", (f) => String(f.import_ms_median));
row("instantiate 20 roles (ms, median)", (f) => String(f.instantiate_20_roles_ms_median));
for (const batch of BATCHES)
  for (const processes of PROCESSES)
    row(`steps/s, claims of ${batch}, ${processes} process${processes > 1 ? "es" : ""}`, (f) =>
      String(f.steps_per_s?.[batch]?.[processes] ?? ""),
    );
for (const batch of BATCHES)
  row(`CPU µs per step, claims of ${batch}, 1 process (workers / server)`, (f) => {
    const x = f.cpu_us_per_step?.[batch]?.[1];
    return x ? `${x.workers} / ${x.server ?? "-"}` : "";
  });
for (const n of SIZES.latency)
  row(
    `checkout ms at ${n} pending (median / p99)`,
    (f) => `${f.checkout_latency_ms[String(n)]!.median} / ${f.checkout_latency_ms[String(n)]!.p99}`,
  );
for (const n of SIZES.filtered)
  row(`checkout ms past ${n} filtered (median / p99, found)`, (f) => {
    const x = f.checkout_filtered_ms[String(n)]!;
    return `${x.median} / ${x.p99}, ${x.found}/${x.samples}`;
  });
row("invoice example, units finalized/s (ch.worker)", (f) => String(f.invoice_units_finalized_per_s));
for (const batch of SIZES.invoiceBatches)
  row(`invoice example, units finalized/s, claims of ${batch}`, (f) =>
    String(f.invoice_units_finalized_per_s_batched?.[batch] ?? ""),
  );
row(`overview ms at ${SIZES.overviewUnits} units (median / p99)`, (f) =>
  f.overview_ms ? `${f.overview_ms.median} / ${f.overview_ms.p99}` : "",
);
row(`overview ms at ${SIZES.overviewUnits} units, FINALIZED counted too (median / p99)`, (f) =>
  f.overview_ms ? `${f.overview_ms.recount_median} / ${f.overview_ms.recount_p99}` : "",
);
row("steps/s, 4 processes, without / with an event reader", (f) =>
  f.events ? `${f.events.steps_per_s_4_processes_no_listener} / ${f.events.steps_per_s_4_processes_listener}` : "",
);
row("event stream latency ms (median / p99)", (f) =>
  f.events ? `${f.events.latency_ms.median} / ${f.events.latency_ms.p99}` : "",
);
row("worker RSS MiB, start / end (minutes)", (f) =>
  f.rss_mb ? `${f.rss_mb.start} / ${f.rss_mb.end} (${f.rss_mb.minutes})` : "",
);
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
process.stdout.write(rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ")).join("\n") + "\n");
if (peer)
  process.stdout.write(`\npeers: ${JSON.stringify(peer.peers)}\nraw commits/s: ${JSON.stringify(peer.raw_commits)}\n`);
for (const [name, x] of Object.entries(speedup))
  process.stdout.write(
    `${name}: steps/s with 1 process ${x.previous} before, ${x.now} now with claims of 1 (${x.ratio}x), ${x.best} at best (${x.best_ratio}x)${x.same_machine ? "" : `; the previous run was on another machine (${previousRun.machine?.cpuModel ?? "unknown"}), so this compares machines as much as code`}\n`,
  );
process.stdout.write(
  `load average (1/5/15 min) ${startLoad.join(" ")} at the start, ${loadavg()
    .map((x) => round(x))
    .join(" ")} at the end on ${cpus().length} CPUs\n`,
);
process.stdout.write(
  `ratios: ${JSON.stringify(results.ratios)}\nwritten to bench/${resultsFile.slice(2)} in ${results.seconds} s\n`,
);
