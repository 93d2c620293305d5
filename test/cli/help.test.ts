/**
 * The command line's own text: every command's --help shows examples, and every usage error
 * is one line of the CLI's wording on stderr with exit code 2.
 */
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgram } from "../../src/cli/program.js";
import { runCli } from "../support/cli.js";
import { engines, type FreshStores } from "../support/engines.js";
import { EXAMPLES_DIR } from "../support/fixtures.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

/** Every command that runs something (no subcommands of its own), by its path. */
function leaves(cmd: Command, path: string[] = []): [string, Command][] {
  return cmd.commands.flatMap((sub) => {
    const here = [...path, sub.name()];
    return sub.commands.length === 0 ? [[here.join(" "), sub] as [string, Command]] : leaves(sub, here);
  });
}

function helpOf(cmd: Command): string {
  let text = "";
  cmd.configureOutput({ writeOut: (t) => (text += t), writeErr: (t) => (text += t) });
  cmd.outputHelp();
  return text;
}

describe("chameleon --help", () => {
  const commands = leaves(createProgram());

  it("walks every command", () => {
    // The issue counted 32 subcommands; more are welcome, fewer means the walk lost some.
    expect(commands.length).toBeGreaterThanOrEqual(32);
  });

  it.each(commands)("%s shows an example that runs it", (path, cmd) => {
    const help = helpOf(cmd);
    const examples = help.slice(help.search(/^Examples?:$/m));
    expect(examples, `${path} --help has no "Example:" section`).toMatch(/^Examples?:$/m);
    expect(examples).toContain(`chameleon `);
    expect(examples).toMatch(new RegExp(`chameleon (--\\S+ \\S+ )*${path.replace(/ /g, " ")}\\b`));
  });
});

describe("usage errors", () => {
  let fresh: FreshStores;
  let stores: string[];
  beforeAll(async () => {
    fresh = await sqlite.fresh();
    stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
    expect((await runCli([...stores, "template", "import", `${EXAMPLES_DIR}minimal.yml`])).code).toBe(0);
    expect((await runCli([...stores, "instance", "create", "Minimal", "--name", "usage"])).code).toBe(0);
    const actor = ["--name", "ann", "--type", "HUMAN", "--identity", "ann@example.com", "--role", "Start"];
    expect((await runCli([...stores, "actor", "add", "usage", ...actor])).code).toBe(0);
  }, 60_000);
  afterAll(() => fresh?.drop());

  it.each([
    [
      ["work", "start", "usage", "--attrs", "[1]", "--actor", "ann"],
      "chameleon: --attrs must be a JSON object, not an array",
    ],
    [["work", "start", "usage", "--attrs", "{", "--actor", "ann"], "chameleon: --attrs is not valid JSON: "],
    [
      ["instance", "create", "Minimal", "--name", "x", "--actors", "{}"],
      "chameleon: --actors must be a JSON array, not an object",
    ],
    [
      ["work", "start", "usage", "--actor", "ann"],
      "chameleon: required option '--attrs <json>' not specified; see chameleon work start --help",
    ],
    [["work", "submitt"], "chameleon: unknown command 'submitt' (Did you mean submit?); see chameleon work --help"],
    [["--bogus"], "chameleon: unknown option '--bogus'; see chameleon --help"],
    [["actor", "add", "usage", "--name", "x", "--type", "ROBOT", "--identity", "x"], "chameleon: actors.add type: "],
    [
      ["serve", "--admin-token", "a-token-of-sixteen-chars", "--metrics-public", "--no-metrics"],
      "chameleon: give --metrics-public or --no-metrics, not both",
    ],
  ])("%j: one line, exit 2", { timeout: 30_000 }, async (args, line) => {
    const result = await runCli([...stores, ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toHaveLength(2); // one line and its newline
    expect(result.stderr.startsWith(line)).toBe(true);
  });

  it("writes nothing for a refused value", { timeout: 30_000 }, async () => {
    await runCli([...stores, "work", "start", "usage", "--attrs", "[1]", "--actor", "ann"]);
    const list = await runCli([...stores, "work", "list", "usage", "--json"]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});
