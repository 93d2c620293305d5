/**
 * A database connection killed by the server while it is checked out of the pool (in the
 * middle of a statement, or idle inside a transaction between two statements) must not end
 * the process: the call in flight fails with a typed error or is retried, and the next call
 * works. A victim process runs a worker, the HTTP server and a library caller at once while
 * this test kills its busy backends (pg_terminate_backend, KILL CONNECTION) over and over.
 */
import pg from "pg";
import mysql from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { makeInvoices } from "../../src/demo/data.js";
import { call } from "../http/support.js";
import { engines, type TestEngine } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { startTsProcess } from "../support/processes.js";

const ADMIN_TOKEN = "connection-loss-admin-token-0123456789";
const BUSY_KILLS = 24;

interface Progress {
  processed: number;
  workerErrors: number;
  started: number;
  reads: number;
  callerErrors: string[];
}

/** Kills backends of one database; `busy` picks those in a statement or inside a transaction. */
interface Killer {
  kill(busy: boolean): Promise<number>;
  close(): Promise<void>;
}

async function killerFor(engine: TestEngine["name"], adminUrl: string, database: string): Promise<Killer> {
  if (engine === "postgres") {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    return {
      async kill(busy) {
        const { rows } = await admin.query<{ killed: boolean }>(
          `select pg_terminate_backend(pid) as killed from pg_stat_activity
            where datname = $1 and pid <> pg_backend_pid()
              and ($2::boolean is false or state in ('active', 'idle in transaction'))`,
          [database, busy],
        );
        return rows.filter((r) => r.killed).length;
      },
      close: () => admin.end(),
    };
  }
  const admin = await mysql.createConnection(adminUrl);
  return {
    async kill(busy) {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        `select p.ID as id from information_schema.PROCESSLIST p
          where p.DB = ? and p.ID <> connection_id()
            and (? = 0 or p.COMMAND <> 'Sleep'
                 or exists (select 1 from information_schema.INNODB_TRX t where t.trx_mysql_thread_id = p.ID))`,
        [database, busy ? 1 : 0],
      );
      let killed = 0;
      for (const r of rows) {
        // The connection may have ended since it was listed.
        await admin.query(`KILL CONNECTION ${Number(r.id)}`).then(
          () => killed++,
          () => {},
        );
      }
      return killed;
    },
    close: () => admin.end(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const engine of engines.filter((e) => e.name !== "sqlite")) {
  describe.skipIf(engine.skipReason !== null)(`busy connections killed on ${engine.name}`, () => {
    const h = useChameleon(engine);

    it("a worker, the HTTP server and a library caller survive and keep processing", { timeout: 240_000 }, async () => {
      const { ch } = h;
      const inst = await ch.instances.create({
        workflow: "Invoice_Approval",
        name: uniqueName("lost"),
        actors: [
          { name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Intake", "Splitter", "Line_Checker", "Fixer"] },
          { name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Approver", "Reconciler"] },
        ],
      });
      const victim = startTsProcess("./connection-loss-victim.ts", {
        templatesUrl: h.fresh.templatesUrl,
        instancesUrl: h.fresh.instancesUrl,
        instance: inst.instanceId,
        adminToken: ADMIN_TOKEN,
      });
      const { port } = (await victim.firstLine) as { port: number };
      const base = `http://127.0.0.1:${port}`;
      const http = (method: string, path: string, body?: unknown) =>
        call<{ error?: string }>(base, method, path, { token: ADMIN_TOKEN, body });
      let exited = false;
      void victim.exited.then(() => (exited = true));
      const latest = (): Progress => lastProgress;
      let lastProgress: Progress = { processed: 0, workerErrors: 0, started: 0, reads: 0, callerErrors: [] };
      victim.child.stdout!.on("data", (d: Buffer) => {
        for (const line of d.toString().split("\n")) {
          if (line.startsWith('{"progress"')) lastProgress = (JSON.parse(line) as { progress: Progress }).progress;
        }
      });
      const waitFor = async (what: string, done: () => boolean, ms = 60_000) => {
        const deadline = Date.now() + ms;
        while (!done()) {
          if (exited) throw new Error(`the victim process ended while waiting for ${what}`);
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await sleep(50);
        }
      };
      await waitFor("the first finalized steps", () => latest().processed >= 5 && latest().started >= 5);

      const database = new URL(h.fresh.instancesUrl).pathname.slice(1);
      const killer = await killerFor(engine.name, h.fresh.adminUrl, database);
      const statuses: number[] = [];
      const invoices = makeInvoices(50, 5);
      let busyKills = 0;
      let idleKills = 0;
      try {
        // HTTP calls run all along the kills; each answer is a status with a typed body.
        let killing = true;
        const httpLoad = (async () => {
          while (killing) {
            const started = await http("POST", `/instances/${inst.name}/work`, {
              attributes: invoices[statuses.length % invoices.length],
              actorId: "bot",
            });
            statuses.push(started.status);
            const listed = await http("GET", `/instances/${inst.name}/work?limit=5`);
            statuses.push(listed.status);
          }
        })();
        const deadline = Date.now() + 120_000;
        for (let round = 0; busyKills < BUSY_KILLS; round++) {
          if (Date.now() > deadline) throw new Error(`only ${busyKills} busy connections killed in time`);
          if (exited) throw new Error("the victim process ended during the kills");
          // Mostly busy connections (in a statement or inside a transaction); now and then every one.
          if (round % 5 === 4) idleKills += await killer.kill(false);
          else busyKills += await killer.kill(true);
          await sleep(5 + Math.random() * 40);
        }
        killing = false;
        await httpLoad;
      } finally {
        await killer.close();
      }
      expect(busyKills).toBeGreaterThanOrEqual(BUSY_KILLS);
      expect(idleKills + busyKills).toBeGreaterThan(BUSY_KILLS);
      // Every HTTP answer during the kills: done, or a typed server-side error.
      for (const s of statuses) expect([200, 201, 500, 503]).toContain(s);

      // After the kills all three keep working: more steps, more starts, HTTP answers.
      const after = { ...latest() };
      await waitFor("more finalized steps after the kills", () => latest().processed >= after.processed + 10);
      await waitFor("more library calls after the kills", () => latest().reads >= after.reads + 5);
      const reply = await http("POST", `/instances/${inst.name}/work`, { attributes: invoices[0], actorId: "bot" });
      expect(reply.status).toBe(201);

      victim.child.kill("SIGTERM");
      const result = await victim.exited;
      expect(result.stderr).not.toMatch(/Unhandled|uncaught/i);
      expect(result.code).toBe(0);
      const final = result.lines.at(-1) as { stopped: boolean; progress: Progress };
      expect(final.stopped).toBe(true);
      // What the library caller saw fail were typed errors, never a raw driver error.
      for (const e of final.progress.callerErrors) expect(e).toMatch(/^(StoreError|OutcomeUnknownError): /);
    });
  });
}
