/**
 * What a command loads: the drivers of the engines it does not use, the HTTP server, MCP and
 * metrics stay unloaded until a command needs them, so that a short command starts quickly.
 * A preload records the CommonJS modules the process loaded (all of these packages are).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { engines } from "../support/engines.js";

const dir = mkdtempSync(join(tmpdir(), "ch-startup-"));
const preload = join(dir, "record-modules.cjs");
writeFileSync(
  preload,
  `process.on("exit", () => require("node:fs").writeFileSync(process.env.CH_MODULES_OUT, JSON.stringify(Object.keys(require.cache))));\n`,
);

/** Packages under node_modules that the command loaded, by name. */
async function packagesLoadedBy(args: string[]): Promise<Set<string>> {
  const out = join(dir, `modules-${Math.random().toString(36).slice(2)}.json`);
  const result = await runCli(args, { env: { NODE_OPTIONS: `--require ${preload}`, CH_MODULES_OUT: out } });
  expect(result.code, result.stderr).toBe(0);
  const files = JSON.parse(readFileSync(out, "utf8")) as string[];
  return new Set(
    files.flatMap((file) => {
      const rest = file.split("/node_modules/").pop();
      if (rest === undefined || rest === file) return [];
      const parts = rest.split("/");
      return [parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!];
    }),
  );
}

const SERVER_SIDE = ["fastify", "prom-client", "ajv"];

describe("what a command loads", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--help loads no database driver and no server", async () => {
    const loaded = await packagesLoadedBy(["--help"]);
    expect(loaded.has("commander")).toBe(true);
    for (const name of ["better-sqlite3", "pg", "mysql2", ...SERVER_SIDE]) expect(loaded, name).not.toContain(name);
  });

  for (const engine of engines) {
    it.skipIf(engine.skipReason !== null)(`a command on ${engine.name} loads its own driver only`, async () => {
      const fresh = await engine.fresh();
      const loaded = await packagesLoadedBy([
        "--templates",
        fresh.templatesUrl,
        "--instances",
        fresh.instancesUrl,
        "schema",
        "guide",
      ]).finally(() => fresh.drop());
      const drivers = { sqlite: "better-sqlite3", postgres: "pg", mysql: "mysql2" } as const;
      expect(loaded).toContain(drivers[engine.name]);
      for (const [other, driver] of Object.entries(drivers)) {
        if (other !== engine.name) expect(loaded, driver).not.toContain(driver);
      }
      for (const name of SERVER_SIDE) expect(loaded, name).not.toContain(name);
    });
  }
});
