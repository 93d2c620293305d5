/**
 * Migration 8 (docs/engine.md, "Partial indexes"): the deadline, children and audit-event
 * indexes hold only the rows their queries read, on the engines with partial indexes
 * (PostgreSQL, SQLite), so that a move of a unit without a deadline, or a CHECKOUT or SUBMIT
 * entry, writes none of them. A store upgraded from version 7 ends with the very definitions of
 * a new one, and the overview and the deadline sweep still read through those indexes: SQLite
 * uses a partial index only where the query repeats its WHERE terms, PostgreSQL where it can
 * prove them.
 */
import Database from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { invoiceHandlers } from "../../src/demo/handlers.js";
import { makeInvoices } from "../../src/demo/data.js";
import { connectStore } from "../../src/store/open.js";
import { copyRows } from "../support/copy-rows.js";
import { engines, type FreshStores } from "../support/engines.js";
import { useChameleon } from "../support/fixtures.js";
import { finishInvoices } from "../support/finish-invoices.js";
import { invariantViolations } from "../support/invariants.js";

const INVOICES = 6;
const PARTIAL = ["ix_units_of_work_due", "ix_units_of_work_parent", "ix_interaction_logs_event"];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = import("kysely").Kysely<any>;

/** The definition of each of PARTIAL as the database keeps it (MySQL: its columns in order, it has no WHERE). */
async function definitions(engine: string, db: AnyDb): Promise<Record<string, string>> {
  const names = sql.join(PARTIAL.map((n) => sql.lit(n)));
  const rows =
    engine === "sqlite"
      ? (
          await sql<{ n: string; d: string }>`select name as n, sql as d from sqlite_master
           where type = 'index' and name in (${names})`.execute(db)
        ).rows
      : engine === "postgres"
        ? (
            await sql<{ n: string; d: string }>`select indexname as n, indexdef as d from pg_indexes
             where schemaname = current_schema() and indexname in (${names})`.execute(db)
          ).rows
        : (
            await sql<{ n: string; d: string }>`select INDEX_NAME as n,
             group_concat(COLUMN_NAME order by SEQ_IN_INDEX) as d from information_schema.STATISTICS
             where TABLE_SCHEMA = database() and INDEX_NAME in (${names}) group by INDEX_NAME`.execute(db)
          ).rows;
  return Object.fromEntries(rows.map((r) => [r.n, r.d.replace(/\s+/g, " ")]));
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`migration 8 on ${engine.name}`, () => {
    const h = useChameleon(engine);
    let target: FreshStores;
    let upgraded: Chameleon;
    let instanceId = "";

    beforeAll(async () => {
      ({ instanceId } = await h.ch.instances.create({
        workflow: "Invoice_Approval",
        name: "before8",
        actors: [
          { name: "intake", type: "AI_AGENT", identityKey: "intake", roles: ["Intake", "Splitter"] },
          { name: "checker", type: "AI_AGENT", identityKey: "checker", roles: ["Line_Checker"] },
          { name: "ada", type: "HUMAN", identityKey: "ada", roles: ["Approver"] },
          { name: "fixer", type: "AI_AGENT", identityKey: "fixer", roles: ["Fixer"] },
        ],
      }));
      await h.ch.work.startMany(
        instanceId,
        makeInvoices(INVOICES - 2, 3).map((attributes) => ({ attributes, actorId: "intake" })),
      );
      // Some invoices split, lines checked, a few failed and finalized: every index has rows.
      const worker = h.ch.worker({
        instanceId,
        handlers: invoiceHandlers({ seed: 3, failureRate: 0.1 }),
        pollIntervalMs: 5,
      });
      let steps = 0;
      worker.on("processed", () => steps++);
      await worker.start();
      while (steps < 12) await new Promise((r) => setTimeout(r, 10));
      await worker.stop();
      // Two more that surely wait at the upgrade.
      await h.ch.work.startMany(
        instanceId,
        makeInvoices(2, 4).map((attributes) => ({ attributes, actorId: "intake" })),
      );
      target = await engine.fresh();
      const store = await connectStore("instances", target.instancesUrl);
      try {
        await store.migrate(7);
        await copyRows(h.ch.stores.instances.db, store.db, 7);
      } finally {
        await store.close();
      }
      upgraded = await openChameleon({ templatesUrl: h.fresh.templatesUrl, instancesUrl: target.instancesUrl });
    }, 120_000);
    afterAll(async () => {
      await upgraded?.close();
      await target?.drop();
    });

    it("builds the three indexes partial where the engine can, and an upgraded store ends with the same ones", async () => {
      const fresh = await definitions(engine.name, h.ch.stores.instances.db);
      expect(Object.keys(fresh).sort()).toEqual([...PARTIAL].sort());
      if (engine.name === "mysql") {
        expect(fresh.ix_units_of_work_due).toBe("current_interaction_id,status,due_at,uow_id");
      } else {
        expect(fresh.ix_units_of_work_due).toMatch(/WHERE \(?due_at IS NOT NULL\)?$/i);
        expect(fresh.ix_units_of_work_parent).toMatch(/WHERE \(?parent_id IS NOT NULL\)?$/i);
        expect(fresh.ix_interaction_logs_event).toMatch(/WHERE .*FAIL.*REJECT.*FINALIZE/);
      }
      expect(await definitions(engine.name, upgraded.stores.instances.db)).toEqual(fresh);
      const versions = await upgraded.stores.instances.db
        .selectFrom("chameleon_migrations")
        .select("version")
        .execute();
      expect(versions.map((v) => v.version)).toContain(8);
    });

    it("serves the same overview from the upgraded store, runs its invoices to their end, and keeps the audit log whole", async () => {
      const unfinished = (await upgraded.work.list(instanceId)).filter(
        (u) => u.parentId === null && u.status !== "FINALIZED",
      );
      expect(unfinished.length, "invoices still in flight at the upgrade").toBeGreaterThan(0);
      // What the audit and the units say; not the ages, which move on between the two calls.
      const counts = async (ch: Chameleon) =>
        (await ch.instances.overview(instanceId)).interactions.map((i) => ({
          name: i.name,
          byStatus: i.byStatus,
          waiting: i.waiting,
          waits: i.oldestWaitingSeconds !== null,
          held: i.held,
          overdue: i.overdue,
          failures: i.failuresLastHour,
          finalized: i.finalizedLastHour,
          finalizedInMinutes: i.finalizedPerMinute.reduce((a, b) => a + b, 0),
        }));
      const before = await counts(h.ch);
      expect(await counts(upgraded)).toEqual(before);
      expect(await finishInvoices(upgraded, instanceId, INVOICES, 3)).toBe(INVOICES);
      expect(await invariantViolations(upgraded, instanceId)).toEqual([]);
    }, 90_000);
  });
}

describe("the overview and the deadline sweep read through the partial indexes", () => {
  const cases = engines.filter((e) => e.name !== "mysql" && e.skipReason === null);
  for (const engine of cases) {
    describe(engine.name, () => {
      const h = useChameleon(engine);
      afterAll(() => vi.restoreAllMocks());

      it("uses ix_interaction_logs_event for the window's failures and finalized units, ix_units_of_work_due for what is overdue", async () => {
        const { instanceId } = await h.ch.instances.create({
          workflow: "Invoice_Approval",
          name: "plans8",
          actors: [{ name: "intake", type: "AI_AGENT", identityKey: "intake", roles: ["Intake"] }],
        });
        await h.ch.work.startMany(
          instanceId,
          makeInvoices(2, 5).map((attributes) => ({ attributes, actorId: "intake" })),
        );
        const seen: { text: string; params: unknown[] }[] = [];
        if (engine.name === "sqlite") {
          const prepare = Database.prototype.prepare;
          vi.spyOn(Database.prototype, "prepare").mockImplementation(function (this: Database.Database, source) {
            seen.push({ text: source, params: Array.from(source.matchAll(/\?/g), () => null) });
            return prepare.call(this, source);
          });
        } else {
          const query = pg.Client.prototype.query;
          vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
            const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
            // Named (prepared) statements come as a config object.
            if (typeof first === "string") seen.push({ text: first, params: second ?? [] });
            else if (first && typeof first.text === "string")
              seen.push({ text: first.text, params: first.values ?? [] });
            return (query as (...a: unknown[]) => unknown).apply(this, args);
          } as typeof query);
        }
        await h.ch.instances.overview(instanceId);
        await h.ch.sweep(instanceId);
        vi.restoreAllMocks();

        const byEvent = seen.filter((s) => /interaction_logs/.test(s.text) && /event IN \('FAIL'/.test(s.text));
        const byDue = seen.filter((s) => /units_of_work/.test(s.text) && /"due_at" </.test(s.text));
        // The overview's two window reads and its newest failures; its overdue counts and the sweep's deadline read.
        expect(new Set(byEvent.map((s) => s.text)).size).toBe(3);
        expect(new Set(byDue.map((s) => s.text)).size).toBe(2);
        for (const [statements, index] of [
          [byEvent, "ix_interaction_logs_event"],
          [byDue, "ix_units_of_work_due"],
        ] as const) {
          for (const s of statements) expect(await planOf(engine.name, h.fresh, s), s.text).toContain(index);
        }
      });
    });
  }
});

/** The plan of one statement as run; on PostgreSQL with sequential scans priced out, so that a usable index is taken. */
async function planOf(engine: string, fresh: FreshStores, s: { text: string; params: unknown[] }): Promise<string> {
  if (engine === "sqlite") {
    const db = new Database(fresh.instancesUrl.replace(/^sqlite:/, ""), { readonly: true });
    try {
      return (db.prepare(`explain query plan ${s.text}`).all(...s.params) as { detail: string }[])
        .map((r) => r.detail)
        .join("\n");
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: fresh.instancesUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("set local enable_seqscan = off");
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`explain ${s.text}`, s.params);
    await client.query("rollback");
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.end();
  }
}
