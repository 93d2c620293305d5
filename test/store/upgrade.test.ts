/**
 * Upgrading a populated instance store of schema version 2 to the current version, with
 * units in flight: invoices half done, one unit checked out and held under a lease. The
 * version-2 database holds the very rows the engine wrote (copied column by column from a
 * current store, the columns of later migrations left out); after the upgrade every unit
 * reads the same, the held lease still submits, and every invoice runs to its end.
 * On MySQL/MariaDB, whose DDL commits statement by statement, a migration cut short at any
 * step is completed by the next start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { invoiceHandlers } from "../../src/demo/handlers.js";
import { makeInvoices } from "../../src/demo/data.js";
import { LATEST_SCHEMA_VERSION, migrationSteps } from "../../src/store/migrations.js";
import { connectStore, type InstanceStore } from "../../src/store/open.js";
import { sql } from "kysely";
import { engines, type FreshStores } from "../support/engines.js";
import { example, exampleFiles } from "../support/fixtures.js";
import { finishInvoices } from "../support/finish-invoices.js";
import { invariantViolations } from "../support/invariants.js";
import { copyRows } from "../support/copy-rows.js";

const INVOICES = 11;
const OLD_VERSION = 2;

async function guideOf(ch: Chameleon) {
  const rows = await ch.schemaGuide("instances");
  return rows
    .map((r) => `${r.table_name}.${r.column_name ?? ""} ${r.data_type ?? ""} ${r.foreign_key_target ?? ""}`)
    .sort();
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason)(`upgrading a populated store on ${engine.name}`, () => {
    let source: FreshStores;
    let ch: Chameleon;
    let instanceId: string;
    let held: { uowId: string; leaseToken: string };

    beforeAll(async () => {
      source = await engine.fresh();
      ch = await openChameleon({ templatesUrl: source.templatesUrl, instancesUrl: source.instancesUrl });
      for (const file of exampleFiles()) await ch.templates.importYaml(example(file));
      ({ instanceId } = await ch.instances.create({
        workflow: "Invoice_Approval",
        name: "upgrade",
        actors: [
          { name: "intake", type: "AI_AGENT", identityKey: "intake", roles: ["Intake", "Splitter"] },
          { name: "checker", type: "AI_AGENT", identityKey: "checker", roles: ["Line_Checker"] },
          { name: "ada", type: "HUMAN", identityKey: "ada", roles: ["Approver"] },
          { name: "fixer", type: "AI_AGENT", identityKey: "fixer", roles: ["Fixer"] },
        ],
      }));
      await ch.work.startMany(
        instanceId,
        makeInvoices(INVOICES - 1, 7).map((attributes) => ({ attributes, actorId: "intake" })),
      );
      // Half the work: some invoices split, some lines checked, some reconciled.
      const worker = ch.worker({
        instanceId,
        handlers: invoiceHandlers({ seed: 7, failureRate: 0.1 }),
        pollIntervalMs: 5,
      });
      let steps = 0;
      worker.on("processed", () => steps++);
      await worker.start();
      while (steps < 25) await new Promise((r) => setTimeout(r, 10));
      await worker.stop();
      // One more invoice split by hand, so that a line surely waits for the checker.
      const [extra] = makeInvoices(1, 8);
      await ch.work.start(instanceId, { attributes: extra!, actorId: "intake" });
      const invoice = (await ch.work.checkout(instanceId, { role: "Splitter", actorId: "intake" }))!;
      const split = await invoiceHandlers().Splitter!(invoice);
      await ch.work.submit(instanceId, {
        uowId: invoice.uowId,
        leaseToken: invoice.leaseToken,
        actorId: "intake",
        children: split!.children,
      });
      const unit = await ch.work.checkout(instanceId, { role: "Line_Checker", actorId: "checker" });
      expect(unit, "a line waits for the checker").not.toBeNull();
      held = { uowId: unit!.uowId, leaseToken: unit!.leaseToken };
    }, 120_000);

    afterAll(async () => {
      await ch?.close();
      await source?.drop();
    });

    /** A store of version 2 holding the source's rows; `cut` steps of the next migration already run. */
    async function oldStore(cut = 0): Promise<FreshStores> {
      const target = await engine.fresh();
      const store: InstanceStore = await connectStore("instances", target.instancesUrl);
      try {
        await store.migrate(OLD_VERSION);
        await copyRows(ch.stores.instances.db, store.db, OLD_VERSION);
        for (const step of migrationSteps(store.dialect, "instances", OLD_VERSION + 1).slice(0, cut)) {
          await sql.raw(step.sql).execute(store.db);
        }
      } finally {
        await store.close();
      }
      return target;
    }

    it("reads every unit as before, keeps the held lease and runs every invoice to its end", async () => {
      const target = await oldStore();
      const upgraded = await openChameleon({ templatesUrl: source.templatesUrl, instancesUrl: target.instancesUrl });
      try {
        const versions = await upgraded.stores.instances.db
          .selectFrom("chameleon_migrations")
          .select("version")
          .execute();
        expect(Math.max(...versions.map((v) => v.version))).toBe(LATEST_SCHEMA_VERSION);
        expect(await guideOf(upgraded)).toEqual(await guideOf(ch));

        const before = await ch.work.list(instanceId);
        expect(before.length).toBeGreaterThan(INVOICES);
        for (const u of before) {
          const [a, b] = await Promise.all([ch.work.get(instanceId, u.uowId), upgraded.work.get(instanceId, u.uowId)]);
          expect(b.attributes, u.uowId).toEqual(a.attributes);
          expect(b.status).toBe(a.status);
          expect((await upgraded.work.history(instanceId, u.uowId)).map((h) => h.event)).toEqual(
            (await ch.work.history(instanceId, u.uowId)).map((h) => h.event),
          );
        }
        expect(await invariantViolations(upgraded, instanceId)).toEqual([]);

        // Migration 7 filled what retries and priorities need: every unit is available from its
        // arrival and has the default priority; none has a deadline yet.
        const rows = await upgraded.stores.instances.db
          .selectFrom("units_of_work")
          .select(["uow_id", "entered_interaction_at", "available_at", "priority", "due_at"])
          .where("instance_id", "=", instanceId)
          .execute();
        expect(rows.length).toBe(before.length);
        for (const r of rows) {
          expect(r.available_at?.getTime(), r.uow_id).toBe(r.entered_interaction_at.getTime());
          expect(r.priority, r.uow_id).toBe(5);
          expect(r.due_at, r.uow_id).toBeNull();
        }

        // The lease handed out before the upgrade is still the lease.
        const line = (await upgraded.work.get(instanceId, held.uowId)).attributes;
        const price = Number(line.price) * Number(line.qty);
        const submitted = await upgraded.work.submit(instanceId, {
          ...held,
          actorId: "checker",
          attributes: { checked: true, amount: price },
        });
        expect(submitted.uowId).toBe(held.uowId);

        expect(await finishInvoices(upgraded, instanceId, INVOICES, 7)).toBe(INVOICES);
        expect(await invariantViolations(upgraded, instanceId)).toEqual([]);

        // The event stream hands out the entries written before the upgrade and after it, each once,
        // and resumes from a cursor among the old ones into the new ones.
        const logIds = (
          await upgraded.stores.instances.db
            .selectFrom("interaction_logs")
            .select("log_id")
            .where("instance_id", "=", instanceId)
            .execute()
        ).map((r) => r.log_id);
        const streamed: number[] = [];
        const cursors: string[] = [];
        for await (const e of upgraded.events(instanceId, { follow: false })) {
          streamed.push(e.logId);
          cursors.push(e.cursor);
        }
        const ascending = (xs: number[]) => [...xs].sort((a, b) => a - b);
        expect(ascending(streamed)).toEqual(ascending(logIds));
        const rest: number[] = [];
        for await (const e of upgraded.events(instanceId, { follow: false, after: cursors[5] })) rest.push(e.logId);
        expect(rest).toEqual(streamed.slice(6));
      } finally {
        await upgraded.close();
        await target.drop();
      }
    }, 120_000);

    it.skipIf(engine.name !== "mysql")(
      "completes a migration cut short after any of its DDL statements (MySQL commits each at once)",
      async () => {
        const steps = migrationSteps(ch.stores.instances.dialect, "instances", OLD_VERSION + 1);
        for (const cut of [1, Math.ceil(steps.length / 2), steps.length]) {
          const target = await oldStore(cut);
          const upgraded = await openChameleon({
            templatesUrl: source.templatesUrl,
            instancesUrl: target.instancesUrl,
          });
          try {
            expect(await guideOf(upgraded), `cut after ${cut} of ${steps.length}`).toEqual(await guideOf(ch));
            const units = await upgraded.work.list(instanceId);
            const one = await upgraded.work.get(instanceId, units[0]!.uowId);
            expect(one.attributes).toEqual((await ch.work.get(instanceId, units[0]!.uowId)).attributes);
            expect(await invariantViolations(upgraded, instanceId)).toEqual([]);
          } finally {
            await upgraded.close();
            await target.drop();
          }
        }
      },
      180_000,
    );
  });
}
