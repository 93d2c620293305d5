/** Two worker processes share one database: every step of every unit is done exactly once. */
import { describe, expect, it } from "vitest";
import { makeInvoices } from "../../src/demo/data.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { startTsProcess } from "../support/processes.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`two worker processes on ${engine.name}`, () => {
    const h = useChameleon(engine);

    it("process every unit once between them", { timeout: 180_000 }, async () => {
      const { ch } = h;
      const inst = await ch.instances.create({
        workflow: "Invoice_Approval",
        name: uniqueName("two"),
        actors: [
          { name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Intake", "Splitter", "Line_Checker", "Fixer"] },
          { name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Approver", "Reconciler"] },
        ],
      });
      const workers = [1, 2].map(() =>
        startTsProcess("./worker-process.ts", {
          templatesUrl: h.fresh.templatesUrl,
          instancesUrl: h.fresh.instancesUrl,
          instance: inst.instanceId,
        }),
      );
      await Promise.all(workers.map((w) => w.firstLine));
      const invoices = makeInvoices(60, 11);
      await ch.work.startMany(
        inst.instanceId,
        invoices.map((attributes) => ({ attributes, actorId: "bot" })),
      );
      const deadline = Date.now() + 150_000;
      while ((await ch.work.list(inst.instanceId)).some((u) => u.status !== "FINALIZED")) {
        if (Date.now() > deadline) throw new Error("the workers did not finish");
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const w of workers) w.child.kill("SIGTERM");
      const results = await Promise.all(workers.map((w) => w.exited));
      const reports = results.map(
        (r) => r.lines.at(-1) as { processed: { role: string; uowId: string }[]; errors: string[] },
      );
      for (const r of reports) expect(r.errors).toEqual([]);
      const steps = reports.flatMap((r) => r.processed.map((p) => `${p.uowId}/${p.role}`));
      expect(reports.every((r) => r.processed.length > 0)).toBe(true);
      const checkouts = await ch.stores.instances.db
        .selectFrom("interaction_logs")
        .select(["uow_id", "role_id"])
        .where("instance_id", "=", inst.instanceId)
        .where("event", "=", "CHECKOUT")
        .execute();
      // Every checkout led to exactly one submit or fail: nobody did a step twice or lost one.
      expect(steps.length).toBe(checkouts.length);
      const reclaims = await ch.stores.instances.db
        .selectFrom("interaction_logs")
        .select("uow_id")
        .where("instance_id", "=", inst.instanceId)
        .where("event", "=", "RECLAIM")
        .execute();
      expect(reclaims).toEqual([]);
      expect(await invariantViolations(ch, inst.instanceId)).toEqual([]);
    });
  });
}
