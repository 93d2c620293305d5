/**
 * The published package as a consumer gets it: `npm pack`, the tarball installed in a scratch
 * project, the library imported and used, an example resolved through the package's exports,
 * the CLI's --help, and a TypeScript file type-checked against the declarations without Node's
 * types (`types: []`, as TypeScript 7 does by default). Install scripts are skipped and this
 * repository's compiled better-sqlite3 is copied in, so nothing is built here.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

describe("the packed package", () => {
  let dir = "";
  let project = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "chameleon-pack-"));
    project = join(dir, "consumer");
    // dist/ is built by `npm test` (pretest); --ignore-scripts keeps pack from building again.
    const packed = await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], { cwd: ROOT });
    const tarball = join(dir, packed.stdout.trim().split("\n").pop() ?? "");
    expect(tarball).toMatch(new RegExp(`chameleon-workflow-${version.replace(/\./g, "\\.")}\\.tgz$`));
    cpSync(join(ROOT, "test", "package", "consumer"), project, { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
      cwd: project,
    });
    cpSync(
      join(ROOT, "node_modules", "better-sqlite3", "build"),
      join(project, "node_modules", "better-sqlite3", "build"),
      {
        recursive: true,
      },
    );
  }, 180_000);

  afterAll(() => {
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  it("ships the license, the examples and the declarations, and no sources or tests", async () => {
    const listed = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const [{ files }] = JSON.parse(listed.stdout) as [{ files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["LICENSE", "package.json", "dist/index.js", "dist/index.d.ts", "examples/minimal.yml"]),
    );
    expect(paths.filter((p) => p.startsWith("src/") || p.startsWith("test/"))).toEqual([]);
  });

  it("imports the library, resolves an example through the exports and imports it into SQLite", async () => {
    const { stdout } = await run(process.execPath, ["use.mjs"], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      workflows: [expect.objectContaining({ name: "Minimal", version: 1, created: true })],
      example: expect.stringMatching(/node_modules\/chameleon-workflow\/examples\/minimal\.yml$/),
    });
  });

  it("runs the installed CLI", async () => {
    const { stdout } = await run(join(project, "node_modules", ".bin", "chameleon"), ["--help"], { cwd: project });
    expect(stdout).toMatch(/^Usage: chameleon \[options\] \[command\]/);
  });

  it("type-checks a consumer against the declarations without Node's types", async () => {
    const result = await run(process.execPath, [TSC, "-p", "."], { cwd: project }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(result).toEqual({ code: 0, out: "" });
  }, 120_000);
});
