/**
 * The plans of the hot statements on SQLite (docs/engine.md, "The hot path"): SQLite keeps no
 * statistics unless ANALYZE runs, so its planner picks an index by the shape of the WHERE
 * clause alone, and a statement that names both the instance and a unit's id may walk every
 * unit of the instance. Every statement a step prepares is explained here on the same file;
 * none may scan units_of_work or search it by instance alone, so a step's cost does not grow
 * with the number of units.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

describe("query plans of a step on sqlite", () => {
  const h = useChameleon(sqlite);
  afterEach(() => vi.restoreAllMocks());

  it("checkout, submit and their batches look units up by queue or by id, never through the whole instance", async () => {
    const prepared = new Set<string>();
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, "prepare").mockImplementation(function (this: Database.Database, source: string) {
      prepared.add(source);
      return prepare.call(this, source);
    });

    const { instanceId: I } = await h.ch.instances.create({
      workflow: "Minimal",
      name: uniqueName("plans"),
      actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] }],
    });
    await h.ch.work.startMany(
      I,
      Array.from({ length: 40 }, (_, n) => ({ attributes: { n } })),
    );
    const one = (await h.ch.work.checkout(I, { role: "Work", actorId: "ann" }))!;
    await h.ch.work.submit(I, { uowId: one.uowId, leaseToken: one.leaseToken, actorId: "ann", attributes: { ok: 1 } });
    // Ten: without statistics SQLite searches by instance once an id list has eight entries or more.
    const held = await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 10 });
    const results = await h.ch.work.submitMany(
      I,
      held.map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "ann", attributes: { ok: 2 } })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    vi.restoreAllMocks();

    const hot = [...prepared].filter((s) => /\bunits_of_work\b/.test(s) && !/^\s*(create|drop|alter|pragma)/i.test(s));
    expect(hot.length).toBeGreaterThan(3);
    const db = new Database(h.fresh.instancesUrl.replace(/^sqlite:/, ""), { readonly: true });
    try {
      const bad = hot
        .map((source) => {
          // NULL for every parameter: the plan depends on the statement's shape, not its values.
          const nulls = Array.from(source.matchAll(/\?/g), () => null);
          const steps = (db.prepare(`explain query plan ${source}`).all(...nulls) as { detail: string }[]).map(
            (r) => r.detail,
          );
          return { source: source.replace(/\s+/g, " ").slice(0, 120), steps };
        })
        .filter(({ steps }) =>
          steps.some(
            (d) =>
              /^SCAN units_of_work\b/.test(d) || /USING INDEX ix_units_of_work_instance \(instance_id=\?\)/.test(d),
          ),
        );
      expect(bad).toEqual([]);
    } finally {
      db.close();
    }
    expect(await invariantViolations(h.ch, I)).toEqual([]);
  });
});
