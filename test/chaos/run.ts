/**
 * The chaos run (`npm run chaos`): worker processes push invoices through the invoice example
 * while they are killed with SIGKILL at random, their database connections are killed (idle
 * ones, busy ones, and through a TCP proxy right after a COMMIT), and the database server is
 * restarted. Afterwards every unit must be finalized, no step done
 * twice, and the audit log must agree with the final state (the invariant checker).
 *
 * It restarts PostgreSQL and MariaDB: never run it beside the test suite. Engines are chosen
 * like the suite's (CHAMELEON_TEST_POSTGRES_URL, CHAMELEON_TEST_MYSQL_URL); sizes with --units
 * and --seconds; `--small` is what CI runs.
 */
import { execFileSync } from "node:child_process";
import pg from "pg";
import mysql from "mysql2/promise";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { makeInvoices } from "../../src/demo/data.js";
import { engines, type FreshStores, type TestEngine } from "../support/engines.js";
import { example } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { startTsProcess, type WorkerProcess } from "../support/processes.js";
import { serverOf, startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const small = argv.includes("--small");
const UNITS = flag("units", small ? 120 : 1000);
const WORKERS = flag("workers", 4);
const LEASE_SECONDS = 3;
const DEADLINE_SECONDS = flag("seconds", small ? 150 : 600);
const only = argv.includes("--engine") ? argv[argv.indexOf("--engine") + 1] : undefined;

const log = (line: string) => process.stdout.write(`[chaos] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;

function running(executable: string): boolean {
  try {
    execFileSync("start-stop-daemon", ["--status", "--exec", executable], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function databaseOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

/** Through the proxy some workers use: the next COMMIT is forwarded, then the worker's connection is cut. */
function proxyCut(proxy: TcpProxy | null): Record<string, () => Promise<string>> {
  if (!proxy) return {};
  return {
    "cut a connection after COMMIT": async () => {
      const cut = await Promise.race([proxy.cutAfterCommit().then(() => true), sleep(5000).then(() => false)]);
      return cut ? "a proxied connection cut right after its COMMIT" : "armed; no COMMIT through the proxy within 5 s";
    },
  };
}

/** The disruptions one engine can suffer, each returning what it did. */
function disruptions(
  engine: TestEngine,
  fresh: FreshStores,
  proxy: TcpProxy | null,
): Record<string, () => Promise<string>> {
  if (engine.name === "postgres") {
    return {
      "kill a connection": async () => {
        const c = new pg.Client({ connectionString: fresh.adminUrl });
        await c.connect();
        try {
          const r = await c.query(
            "select pg_terminate_backend(pid) as killed, pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() order by random() limit 1",
            [databaseOf(fresh.instancesUrl)],
          );
          return `pg_terminate_backend(${r.rows[0]?.pid ?? "none"})`;
        } finally {
          await c.end();
        }
      },
      // Checked out of a pool: in the middle of a statement, or inside a transaction between two.
      "kill a busy connection": async () => {
        const c = new pg.Client({ connectionString: fresh.adminUrl });
        await c.connect();
        try {
          const r = await c.query(
            `select pg_terminate_backend(pid) as killed, pid, state from pg_stat_activity
              where datname = $1 and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')
              order by random() limit 1`,
            [databaseOf(fresh.instancesUrl)],
          );
          const row = r.rows[0] as { pid: number; state: string } | undefined;
          return row ? `pg_terminate_backend(${row.pid}), ${row.state}` : "no busy connection";
        } finally {
          await c.end();
        }
      },
      ...proxyCut(proxy),
      "restart the server": async () => {
        const version = execFileSync("ls", ["/etc/postgresql"]).toString().trim().split("\n")[0]!;
        execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], { stdio: "ignore" });
        return `pg_ctlcluster ${version} main restart`;
      },
    };
  }
  if (engine.name === "mysql") {
    return {
      "kill a connection": async () => {
        const c = await mysql.createConnection(fresh.adminUrl);
        try {
          const [rows] = await c.query(
            "select id from information_schema.processlist where db = ? and id <> connection_id() order by rand() limit 1",
            [databaseOf(fresh.instancesUrl)],
          );
          const id = (rows as { id: number }[])[0]?.id;
          if (id !== undefined) await c.query(`KILL CONNECTION ${id}`);
          return `KILL CONNECTION ${id ?? "none"}`;
        } finally {
          await c.end();
        }
      },
      // In the middle of a statement, or inside a transaction between two.
      "kill a busy connection": async () => {
        const c = await mysql.createConnection(fresh.adminUrl);
        try {
          const [rows] = await c.query(
            `select p.id from information_schema.processlist p
              where p.db = ? and p.id <> connection_id()
                and (p.command <> 'Sleep'
                     or exists (select 1 from information_schema.innodb_trx t where t.trx_mysql_thread_id = p.id))
              order by rand() limit 1`,
            [databaseOf(fresh.instancesUrl)],
          );
          const id = (rows as { id: number }[])[0]?.id;
          if (id !== undefined) await c.query(`KILL CONNECTION ${id}`);
          return id === undefined ? "no busy connection" : `KILL CONNECTION ${id}, busy`;
        } finally {
          await c.end();
        }
      },
      ...proxyCut(proxy),
      "restart the server": async () => {
        execFileSync("mariadb-admin", ["-h", "127.0.0.1", "-u", "root", "shutdown"], { stdio: "ignore" });
        // Until the old server is gone, start-stop-daemon --oknodo would see it and start nothing.
        for (let i = 0; i < 240 && running("/usr/sbin/mariadbd"); i++) await sleep(250);
        execFileSync("start-stop-daemon", ["--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"], {
          stdio: "ignore",
        });
        for (let i = 0; i < 60; i++) {
          try {
            execFileSync("mariadb-admin", ["-h", "127.0.0.1", "-u", "root", "ping"], { stdio: "ignore" });
            return "mariadb-admin shutdown, then mariadbd started";
          } catch {
            await sleep(500);
          }
        }
        throw new Error("MariaDB did not come back within 30 s");
      },
    };
  }
  return {};
}

async function runEngine(engine: TestEngine): Promise<string[]> {
  const fresh = await engine.fresh();
  let ch: Chameleon | null = null;
  const workers: WorkerProcess[] = [];
  // Every other worker reaches the instance store through a proxy that can cut it after a COMMIT.
  const proxy =
    engine.name === "sqlite"
      ? null
      : await startTcpProxy(engine.name, serverOf(fresh.adminUrl, engine.name === "postgres" ? 5432 : 3306));
  try {
    ch = await openChameleon({
      templatesUrl: fresh.templatesUrl,
      instancesUrl: fresh.instancesUrl,
      leaseTimeoutSeconds: LEASE_SECONDS,
      humanLeaseTimeoutSeconds: LEASE_SECONDS,
    });
    await ch.templates.importYaml(example("invoice_approval.yml"));
    const inst = await ch.instances.create({
      workflow: "Invoice_Approval",
      name: `chaos-${engine.name}`,
      actors: [
        { name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Intake", "Splitter", "Line_Checker", "Fixer"] },
        { name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Approver", "Reconciler"] },
      ],
    });
    let spawned = 0;
    let batched = 0;
    const spawnWorker = () =>
      startTsProcess("./worker-process.ts", {
        templatesUrl: fresh.templatesUrl,
        instancesUrl: proxy && spawned++ % 2 === 1 ? proxy.urlFor(fresh.instancesUrl) : fresh.instancesUrl,
        instance: inst.instanceId,
        leaseTimeoutSeconds: LEASE_SECONDS,
        sweepIntervalMs: 1000,
        // Every other worker claims and submits in batches (checkoutMany, submitMany), beside
        // workers that take one unit at a time, through the same faults.
        batchSize: batched++ % 2 === 1 ? 8 : 1,
      });
    for (let i = 0; i < WORKERS; i++) workers.push(spawnWorker());
    await Promise.all(workers.map((w) => w.firstLine));
    const invoices = makeInvoices(UNITS, 99);
    for (let i = 0; i < invoices.length; i += 200) {
      await ch.work.startMany(
        inst.instanceId,
        invoices.slice(i, i + 200).map((attributes) => ({ attributes, actorId: "bot" })),
      );
    }
    log(`${engine.name}: ${UNITS} invoices started, ${WORKERS} workers`);

    const actions: Record<string, () => Promise<string>> = {
      "SIGKILL a worker": async () => {
        const i = Math.floor(Math.random() * workers.length);
        workers[i]!.child.kill("SIGKILL");
        workers[i] = spawnWorker();
        return `killed worker ${i} and started another`;
      },
      ...disruptions(engine, fresh, proxy),
    };
    const done: Record<string, number> = {};
    const deadline = Date.now() + DEADLINE_SECONDS * 1000;
    let restarted = false;
    for (;;) {
      const units = await ch.work.list(inst.instanceId).catch(() => null);
      if (units && units.length > 0 && units.every((u) => u.status === "FINALIZED")) break;
      if (Date.now() > deadline)
        throw new Error(`${engine.name}: not every unit was finalized within ${DEADLINE_SECONDS} s`);
      // Disrupt while work remains: the server restart once, the rest at random.
      const names = Object.keys(actions).filter((n) => n !== "restart the server" || !restarted);
      const name = pick(names);
      if (name === "restart the server") restarted = true;
      try {
        log(`${engine.name}: ${name}: ${await actions[name]!()}`);
        done[name] = (done[name] ?? 0) + 1;
      } catch (error) {
        log(`${engine.name}: ${name} did not work: ${(error as Error).message}`);
      }
      await sleep(500 + Math.random() * 1500);
    }
    // A worker that was not killed must still run, and stop cleanly when asked: one that died
    // on its own (a lost connection it did not survive) is a failure even if others finished its work.
    const died = workers.filter((w) => w.child.exitCode !== null || w.child.signalCode !== null).length;
    // A replacement started moments ago may still be loading (before its SIGTERM handler is in
    // place, the signal's default action would kill it): stop each once it runs, as a supervisor would.
    await Promise.race([Promise.all(workers.map((w) => Promise.race([w.firstLine, w.exited]))), sleep(60_000)]);
    for (const w of workers) w.child.kill("SIGTERM");
    const exits = await Promise.all(workers.map((w) => w.exited));
    log(`${engine.name}: all units finalized; disruptions ${JSON.stringify(done)}`);
    const stops = exits
      .filter((e) => e.code !== 0)
      .map((e) => `a worker stopped with code ${e.code} (${e.signal ?? "no signal"}): ${e.stderr.trim().slice(-300)}`);
    return [
      ...(died === 0 ? [] : [`${died} worker(s) died on their own before the end`]),
      ...stops,
      ...(await verify(ch, inst.instanceId)),
    ];
  } finally {
    for (const w of workers) w.child.kill("SIGKILL");
    await ch?.close();
    await proxy?.close();
    await fresh.drop().catch(() => {});
  }
}

/** The invariants, plus: every processing step of every unit ended exactly once. */
async function verify(ch: Chameleon, instanceId: string): Promise<string[]> {
  const problems = await invariantViolations(ch, instanceId);
  const graph = await ch.engine.graphs.get(instanceId);
  const rows = await ch.stores.instances.db
    .selectFrom("interaction_logs")
    .select(["uow_id", "role_id", "event", "details"])
    .where("instance_id", "=", graph.instanceId)
    .where("event", "in", ["SUBMIT", "FAIL"])
    .where("role_id", "is not", null)
    .execute();
  const ends = new Map<string, number>();
  for (const r of rows) {
    // A retryable failure sent back for another attempt (the move retry) does not end the step.
    if (r.event === "FAIL" && (r.details as { retry?: unknown } | null)?.retry !== undefined) continue;
    const role = graph.roles.get(r.role_id!)!;
    if (role.type === "SIGMA") continue;
    const key = `${r.uow_id}/${role.apiName}`;
    ends.set(key, (ends.get(key) ?? 0) + 1);
  }
  for (const [key, n] of ends) if (n > 1) problems.push(`step ${key} ended ${n} times`);
  const versions = await ch.stores.instances.db
    .selectFrom("uow_attributes")
    .select(["uow_id", "key", "version"])
    .where("instance_id", "=", graph.instanceId)
    .where("version", ">", 1)
    .execute();
  for (const v of versions) problems.push(`attribute ${v.uow_id}/${v.key} was written ${v.version} times`);
  return problems;
}

let failed = false;
for (const engine of engines) {
  if (engine.skipReason !== null) {
    log(`${engine.name}: skipped (${engine.skipReason})`);
    continue;
  }
  if (only && engine.name !== only) continue;
  const started = Date.now();
  try {
    const problems = await runEngine(engine);
    if (problems.length > 0) {
      failed = true;
      log(`${engine.name}: FAILED, ${problems.length} problem(s):\n  ${problems.slice(0, 20).join("\n  ")}`);
    } else log(`${engine.name}: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed = true;
    log(`${engine.name}: FAILED: ${(error as Error).stack ?? String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
