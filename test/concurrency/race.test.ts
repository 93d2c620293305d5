/**
 * Eight worker processes race for the same units on one database; afterwards every unit was
 * handled exactly once per step (audit log and attribute versions prove it), none is lost,
 * and every split parent counted exactly the children that came back.
 */
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { LAB } from "../support/lab.js";
import { startTsProcess } from "../support/processes.js";

/** 1,000 units in a plain run; more with CHAMELEON_RACE_UNITS (5,000 before a release). */
const UNITS = Number(process.env.CHAMELEON_RACE_UNITS ?? 1000);
const WORKERS = 8;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`${WORKERS} processes racing on ${engine.name}`, () => {
    const h = useChameleon(engine);

    it(`handle ${UNITS} units exactly once per step`, { timeout: 600_000 }, async () => {
      const { ch } = h;
      await ch.templates.importYaml(LAB);
      const actors = Array.from({ length: WORKERS }, (_, i) => ({
        name: `w${i}`,
        type: "AI_AGENT" as const,
        identityKey: `worker-${i}`,
        roles: ["Sorter", "Worker", "End"],
      }));
      const inst = await ch.instances.create({ workflow: "Lab", name: uniqueName("race"), actors });
      const sentAt = new Date().toISOString();
      for (let i = 0; i < UNITS; i += 500) {
        const batch = Array.from({ length: Math.min(500, UNITS - i) }, (_, j) => ({
          attributes: { kind: "work", n: i + j + 1, sent_at: sentAt },
        }));
        await ch.work.startMany(inst.instanceId, batch);
      }
      const workers = actors.map((a) =>
        startTsProcess("./race-worker.ts", {
          templatesUrl: h.fresh.templatesUrl,
          instancesUrl: h.fresh.instancesUrl,
          instance: inst.instanceId,
          actor: a.name,
          mode: "race",
        }),
      );
      const results = await Promise.all(workers.map((w) => w.exited));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const done = results.map((r) => r.lines.at(-1)!.done as Record<string, number>);
      const total = (role: string) => done.reduce((n, d) => n + d[role]!, 0);
      const splits = Math.floor(UNITS / 10);
      expect(total("Sorter")).toBe(UNITS);
      expect(total("Worker")).toBe(UNITS - splits + 3 * splits);
      expect(total("End")).toBe(UNITS);
      // More than one process did real work: it was a race.
      expect(done.filter((d) => (d.Sorter ?? 0) > 0).length).toBeGreaterThan(1);

      const db = ch.stores.instances.db;
      const units = await db
        .selectFrom("units_of_work")
        .selectAll()
        .where("instance_id", "=", inst.instanceId)
        .execute();
      expect(units).toHaveLength(UNITS + 3 * splits);
      expect(units.filter((u) => u.status !== "FINALIZED")).toEqual([]);
      const submits = await db
        .selectFrom("interaction_logs")
        .select(["uow_id", "role_id", "event"])
        .where("instance_id", "=", inst.instanceId)
        .where("event", "in", ["SUBMIT", "CHECKOUT", "FINALIZE"])
        .execute();
      const perStep = new Map<string, number>();
      for (const s of submits.filter((x) => x.event === "SUBMIT")) {
        const k = `${s.uow_id}/${s.role_id}`;
        perStep.set(k, (perStep.get(k) ?? 0) + 1);
      }
      expect([...perStep.values()].filter((n) => n !== 1)).toEqual([]);
      expect(perStep.size).toBe(UNITS + (UNITS - splits + 3 * splits));
      expect(submits.filter((x) => x.event === "FINALIZE")).toHaveLength(UNITS + 3 * splits);
      // Each step wrote its key once: no second version anywhere.
      const versions = await db
        .selectFrom("uow_attributes")
        .select(["key", "version"])
        .where("instance_id", "=", inst.instanceId)
        .where("key", "in", ["sorted_by", "worked_by", "closed_by"])
        .execute();
      expect(versions.filter((v) => v.version !== 1)).toEqual([]);
      expect(versions).toHaveLength(UNITS + (UNITS - splits + 3 * splits) + UNITS);
      const parents = units.filter((u) => u.child_count > 0);
      expect(parents).toHaveLength(splits);
      for (const p of parents) expect(p.finished_child_count).toBe(3);
      expect(await invariantViolations(ch, inst.instanceId)).toEqual([]);
    });
  });
}
