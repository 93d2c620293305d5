/** Every command ends quietly when the reader of its output goes away (`chameleon … | head -2`). */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../support/cli.js";
import { engines, type FreshStores } from "../support/engines.js";
import { EXAMPLES_DIR } from "../support/fixtures.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

/** Runs the CLI with its standard output closed before it writes anything. */
function withOutputClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("a closed standard output", () => {
  let fresh: FreshStores;
  let stores: string[];
  beforeAll(async () => {
    fresh = await sqlite.fresh();
    stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
    expect((await runCli([...stores, "template", "import", `${EXAMPLES_DIR}minimal.yml`])).code).toBe(0);
    expect((await runCli([...stores, "instance", "create", "Minimal", "--name", "piped"])).code).toBe(0);
    const actor = ["--name", "ann", "--type", "HUMAN", "--identity", "ann@example.com", "--role", "Start"];
    expect((await runCli([...stores, "actor", "add", "piped", ...actor])).code).toBe(0);
    for (let i = 0; i < 3; i++) {
      expect((await runCli([...stores, "work", "start", "piped", "--attrs", "{}", "--actor", "ann"])).code).toBe(0);
    }
  }, 60_000);
  afterAll(() => fresh?.drop());

  it.each([
    ["work", "list", "piped"],
    ["work", "list", "piped", "--json"],
    ["schema", "guide"],
    ["template", "list"],
    ["--help"],
    ["work", "--help"],
  ])("%s %s %s ends with code 0 and nothing on stderr", { timeout: 30_000 }, async (...args: string[]) => {
    const result = await withOutputClosed([...stores, ...args]);
    expect(result).toEqual({ code: 0, stderr: "" });
  });
});
