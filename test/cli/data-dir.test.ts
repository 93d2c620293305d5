/**
 * Where the CLI finds its stores: --data-dir and CHAMELEON_DATA_DIR name them from any working
 * directory, and commands that act on existing instances never create an empty database.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveUrls } from "../../src/chameleon.js";
import { runCli } from "../support/cli.js";
import { EXAMPLES_DIR } from "../support/fixtures.js";

const noStoreEnv = {
  CHAMELEON_DATA_DIR: "",
  CHAMELEON_TEMPLATES_URL: undefined,
  CHAMELEON_INSTANCES_URL: undefined,
};

describe("the data directory", () => {
  let root: string;
  let data: string;
  let elsewhere: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "chameleon-datadir-"));
    data = join(root, "project", "chameleon-data");
    elsewhere = join(root, "elsewhere");
    mkdirSync(elsewhere);
    const env = { ...noStoreEnv, CHAMELEON_DATA_DIR: data };
    const run = (...args: string[]) => runCli(args, { env, cwd: elsewhere });
    expect((await run("template", "import", `${EXAMPLES_DIR}minimal.yml`)).code).toBe(0);
    expect((await run("instance", "create", "Minimal", "--name", "tour")).code).toBe(0);
    const actor = ["--name", "ann", "--type", "HUMAN", "--identity", "ann@example.com", "--role", "Work"];
    expect((await run("actor", "add", "tour", ...actor)).code).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("CHAMELEON_DATA_DIR put the stores there, not in the working directory", () => {
    expect(
      readdirSync(data)
        .filter((f) => f.endsWith(".db"))
        .sort(),
    ).toEqual(["instances.db", "templates.db"]);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("--data-dir finds them from another directory, relative to it", { timeout: 30_000 }, async () => {
    const shown = await runCli(["--data-dir", "../project/chameleon-data", "instance", "show", "tour", "--json"], {
      env: noStoreEnv,
      cwd: elsewhere,
    });
    expect(shown.stderr).toBe("");
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: "tour" });
  });

  it("mcp runs from another directory with --data-dir", { timeout: 30_000 }, async () => {
    // Its standard input closes at once: the server starts, then ends cleanly.
    const mcp = await runCli(["--data-dir", data, "mcp", "--instance", "tour", "--actor", "ann"], {
      env: noStoreEnv,
      cwd: elsewhere,
    });
    expect(mcp).toMatchObject({ code: 0, stderr: "" });
  });

  it.each([
    ["mcp", "--instance", "tour", "--actor", "ann"],
    ["work", "list", "tour"],
    ["instance", "show", "tour"],
    ["template", "list"],
  ])("%s %s %s without stores says where it looked and creates nothing", { timeout: 30_000 }, async (...args) => {
    const empty = mkdtempSync(join(root, "empty-"));
    const result = await runCli(args, { env: noStoreEnv, cwd: empty });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `chameleon: no instance store at ${join(empty, "chameleon-data", "instances.db")} (give --data-dir, or the store's URL, to use another)\n`,
    );
    expect(existsSync(join(empty, "chameleon-data"))).toBe(false);
  });

  it("an instance store without the instance is named with its path", { timeout: 30_000 }, async () => {
    const result = await runCli(["--data-dir", data, "mcp", "--instance", "nope", "--actor", "ann"], {
      env: noStoreEnv,
      cwd: elsewhere,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`chameleon: instance store at ${join(data, "instances.db")} holds no instance 'nope'\n`);
  });
});

describe("resolveUrls", () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it("takes a URL option, then dataDir, then the environment's URLs, then CHAMELEON_DATA_DIR, then ./chameleon-data", () => {
    process.env.CHAMELEON_TEMPLATES_URL = "postgres://env/t";
    process.env.CHAMELEON_INSTANCES_URL = "postgres://env/i";
    process.env.CHAMELEON_DATA_DIR = "/env-dir";
    expect(resolveUrls({ instancesUrl: "mysql://flag/i", dataDir: "/flag-dir" })).toEqual({
      templates: "sqlite:/flag-dir/templates.db",
      instances: "mysql://flag/i",
    });
    expect(resolveUrls({})).toEqual({ templates: "postgres://env/t", instances: "postgres://env/i" });
    delete process.env.CHAMELEON_INSTANCES_URL;
    expect(resolveUrls({}).instances).toBe("sqlite:/env-dir/instances.db");
    delete process.env.CHAMELEON_DATA_DIR;
    expect(resolveUrls({}).instances).toBe("sqlite:./chameleon-data/instances.db");
  });
});
