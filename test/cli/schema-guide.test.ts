/** `chameleon schema guide`: the view's rows, for people and as JSON, on every engine. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tablesOfTier } from "../../src/schema/tables.js";
import { engines, type FreshStores } from "../support/engines.js";
import { runCli } from "../support/cli.js";

const COLUMNS = ["table_name", "column_name", "data_type", "is_primary_key", "foreign_key_target", "description"];

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`chameleon schema guide on ${engine.name}`, () => {
    let fresh: FreshStores;
    let urls: string[];
    beforeAll(async () => {
      fresh = await engine.fresh();
      urls = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
    });
    afterAll(async () => fresh?.drop());

    for (const tier of ["templates", "instances"] as const) {
      it(`--json prints every table and column of the ${tier} store with its description`, async () => {
        const r = await runCli(["schema", "guide", "--tier", tier, "--json", ...urls]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
        for (const row of rows) expect(Object.keys(row)).toEqual(COLUMNS);
        for (const def of tablesOfTier(tier)) {
          expect(rows.find((x) => x.table_name === def.name && x.column_name === null)?.description).toBe(
            def.description,
          );
          for (const c of def.columns) {
            expect(rows.find((x) => x.table_name === def.name && x.column_name === c.name)?.description).toBe(
              c.description,
            );
          }
        }
      });
    }

    it("prints one table for people", async () => {
      const r = await runCli(["schema", "guide", "--table", "units_of_work", ...urls]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^units_of_work: A token of work that moves through the graph/);
      expect(r.stdout).toContain("lease_token");
      expect(r.stdout).not.toContain("template_roles");
    });
  });
}

describe("chameleon schema guide with bad input", () => {
  it("reports a bad store URL in one line, without a stack trace, exit 1", async () => {
    const r = await runCli(["schema", "guide", "--templates", "sqlite::memory:", "--instances", "nosql://x"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "chameleon: instance store (nosql://x): unknown URL scheme 'nosql' (expected sqlite:PATH, sqlite::memory:, postgres://… or mysql://…)",
    ]);
    expect(r.stdout).toBe("");
  });

  it("refuses a bad --tier as usage, exit 2", async () => {
    const r = await runCli([
      "schema",
      "guide",
      "--tier",
      "both",
      "--templates",
      "sqlite::memory:",
      "--instances",
      "sqlite::memory:",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--tier must be templates or instances, not 'both'");
  });

  it("refuses an unknown option as usage, exit 2", async () => {
    const r = await runCli(["schema", "guide", "--colour"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--colour'");
  });
});
