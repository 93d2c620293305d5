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
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { openChameleon, type Chameleon } from "../src/chameleon.js";
import { makeInvoices } from "../src/demo/data.js";
import { newId } from "../src/schema/ids.js";
import { insertInChunks } from "../src/store/chunks.js";
import { invoiceHandlers } from "../src/demo/handlers.js";
import { engines, type FreshStores, type TestEngine } from "../test/support/engines.js";
import { chainBlueprint, filteredFixBlueprint, twentyRoles } from "./blueprints.js";

const quick = process.argv.includes("--quick");
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
      overviewUnits: 100_000,
      overviewSamples: 50,
    };
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
] as const;
type Line = (typeof LINES)[number];
const onlyArg = process.argv.find((a, i) => process.argv[i - 1] === "--only" || a.startsWith("--only="));
const only = onlyArg === undefined ? null : new Set(onlyArg.replace(/^--only=/, "").split(","));
for (const name of only ?? []) {
  if (!(LINES as readonly string[]).includes(name)) {
    process.stderr.write(`bench: unknown line '${name}' for --only; the lines are ${LINES.join(", ")}\n`);
    process.exit(2);
  }
}
const wanted = (line: Line) => only === null || only.has(line);
const CHAIN_STEPS = 4;
/** Checkout-and-submit loops per worker process (graphile-worker is measured with 24 per process). */
const LOOPS_PER_PROCESS = Number(process.env.CHAMELEON_BENCH_LOOPS ?? 8);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

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
  /** Each process runs LOOPS_PER_PROCESS checkout-and-submit loops. */
  steps_per_s_1_process: number;
  steps_per_s_4_processes: number;
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
  invoice_units_finalized_per_s: number;
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
      figures.steps_per_s_1_process = round(await stepsPerSecond(ch, fresh, 1), 0);
      figures.steps_per_s_4_processes = round(await stepsPerSecond(ch, fresh, 4), 0);
      say(
        `${engine.name}: steps/s ${figures.steps_per_s_1_process} (1 process), ${figures.steps_per_s_4_processes} (4 processes)`,
      );
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
    }
    return figures;
  } finally {
    await ch.close();
    await fresh.drop();
  }
}

/**
 * Units of the chain blueprint pushed through all its steps by `processes` worker processes.
 * `beside`: started on the instance before the workers go (a reader of its events).
 */
async function stepsPerSecond(
  ch: Chameleon,
  fresh: FreshStores,
  processes: number,
  beside?: (instanceId: string) => Promise<void>,
): Promise<number> {
  const actors = Array.from({ length: processes }, (_, i) => ({
    name: `p${i}`,
    type: "AI_AGENT" as const,
    identityKey: `p${i}`,
    roles: Array.from({ length: CHAIN_STEPS }, (_, s) => `S${s + 1}`),
  }));
  const inst = await ch.instances.create({ workflow: "Chain", name: `chain-${processes}-${Date.now()}`, actors });
  for (let i = 0; i < SIZES.chainUnits; i += 500) {
    const n = Math.min(500, SIZES.chainUnits - i);
    await ch.work.startMany(
      inst.instanceId,
      Array.from({ length: n }, (_, j) => ({ attributes: { n: i + j, tag: "bench" } })),
    );
  }
  const children = actors.map((a) =>
    spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        here("./step-worker.ts"),
        JSON.stringify({
          templatesUrl: fresh.templatesUrl,
          instancesUrl: fresh.instancesUrl,
          instance: inst.instanceId,
          actor: a.name,
          steps: CHAIN_STEPS,
          concurrency: LOOPS_PER_PROCESS,
        }),
      ],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    ),
  );
  const outputs = children.map((c) => {
    let text = "";
    c.stdout!.on("data", (d: Buffer) => (text += d.toString()));
    return {
      ready: waitFor(() => text.includes("ready")),
      done: new Promise<string>((r) => c.on("exit", () => r(text))),
    };
  });
  await Promise.all(outputs.map((o) => o.ready));
  await beside?.(inst.instanceId);
  const started = performance.now();
  for (const c of children) c.stdin!.write("go\n");
  const texts = await Promise.all(outputs.map((o) => o.done));
  const seconds = (performance.now() - started) / 1000;
  const done = texts.reduce((n, t) => n + (JSON.parse(t.trim().split("\n").at(-1)!) as { done: number }).done, 0);
  if (done !== SIZES.chainUnits * CHAIN_STEPS)
    throw new Error(`expected ${SIZES.chainUnits * CHAIN_STEPS} steps, counted ${done}`);
  return done / seconds;
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
  const withListener = await stepsPerSecond(ch, fresh, 4, async (instanceId) => {
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

function peers(): Record<string, unknown> | null {
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

const started = Date.now();
const results: Record<string, unknown> = {
  generatedAt: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  sizes: SIZES,
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
    sizes: SIZES,
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
const gw = peer?.peers?.graphile_worker?.jobs_per_s_4proc ?? peer?.peers?.graphile_worker?.jobs_per_s_1proc;
const pj = peer?.peers?.plainjob?.jobs_per_s;
results.ratios = {
  // Chameleon with 4 worker processes against graphile-worker with 4 (1 where 4 was not measured).
  postgres_vs_graphile_worker:
    figures.postgres?.steps_per_s_4_processes && gw ? round(figures.postgres.steps_per_s_4_processes / gw, 3) : null,
  // plainjob is measured in one process, so it is compared with one Chameleon worker process.
  sqlite_vs_sqlite_queue:
    figures.sqlite?.steps_per_s_1_process && pj ? round(figures.sqlite.steps_per_s_1_process / pj, 3) : null,
};
results.seconds = round((Date.now() - started) / 1000, 1);
writeFileSync(here(resultsFile), JSON.stringify(results, null, 2) + "\n");

const rows: string[][] = [["", ...Object.keys(figures)]];
const row = (label: string, get: (f: EngineFigures) => string) =>
  rows.push([label, ...Object.values(figures).map((f) => get(f as EngineFigures))]);
row("import (ms, median)", (f) => String(f.import_ms_median));
row("instantiate 20 roles (ms, median)", (f) => String(f.instantiate_20_roles_ms_median));
row("steps/s, 1 process", (f) => String(f.steps_per_s_1_process));
row("steps/s, 4 processes", (f) => String(f.steps_per_s_4_processes));
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
row("invoice example, units finalized/s", (f) => String(f.invoice_units_finalized_per_s));
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
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
process.stdout.write(rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ")).join("\n") + "\n");
if (peer)
  process.stdout.write(`\npeers: ${JSON.stringify(peer.peers)}\nraw commits/s: ${JSON.stringify(peer.raw_commits)}\n`);
process.stdout.write(
  `ratios: ${JSON.stringify(results.ratios)}\nwritten to bench/${resultsFile.slice(2)} in ${results.seconds} s\n`,
);
