/** `chameleon events`: lines and NDJSON, --after, a bad cursor (exit 2), --follow picking up a write of another process. */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { engines, type FreshStores } from "../support/engines.js";
import { CLI, runCli } from "../support/cli.js";
import { example } from "../support/fixtures.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

describe("chameleon events", () => {
  let fresh: FreshStores;
  let stores: string[];
  let ch: Chameleon;
  const cli = (...args: string[]) => runCli([...args, ...stores]);
  const lines = (text: string) =>
    text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { cursor: string; event: string; uowId: string; actorName: string });

  beforeAll(async () => {
    fresh = await sqlite.fresh();
    stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
    ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
    await ch.templates.importYaml(example("minimal.yml"));
    await ch.instances.create({ workflow: "Minimal", name: "watched", actors: [] });
    await ch.work.startMany("watched", [{ attributes: { n: 1 } }, { attributes: { n: 2 } }, { attributes: { n: 3 } }]);
  });
  afterAll(async () => {
    await ch?.close();
    await fresh?.drop();
  });

  it("prints every entry, as NDJSON with --json, and resumes --after a cursor", { timeout: 60_000 }, async () => {
    const all = await cli("events", "watched", "--json");
    expect(all.stderr).toBe("");
    expect(all.code).toBe(0);
    const events = lines(all.stdout);
    expect(events.map((e) => e.event)).toEqual(["GENESIS", "GENESIS", "GENESIS"]);
    const rest = await cli("events", "watched", "--json", "--after", events[0]!.cursor);
    expect(lines(rest.stdout).map((e) => e.uowId)).toEqual(events.slice(1).map((e) => e.uowId));

    const human = await cli("events", "watched");
    expect(human.code).toBe(0);
    expect(human.stdout.trim().split("\n")).toHaveLength(3);
    expect(human.stdout).toMatch(/GENESIS {2}SYSTEM {2}Start @ Todo {2}/);
    expect(human.stderr).toBe(`resume with: --after ${events[2]!.cursor}\n`);
  });

  it("refuses a bad cursor with exit 2, naming --after's value", { timeout: 30_000 }, async () => {
    const bad = await cli("events", "watched", "--after", "nonsense");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/after 'nonsense' is not a cursor/);
    expect(bad.stdout).toBe("");
  });

  it("--follow prints an entry another process writes, and ends on SIGINT", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [CLI, "events", "watched", "--follow", "--json", ...stores], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const waitFor = async (count: number) => {
      for (let i = 0; i < 3000 && lines(stdout).length < count; i++) await new Promise((r) => setTimeout(r, 10));
      return lines(stdout);
    };
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    expect(await waitFor(3)).toHaveLength(3);
    const started = await ch.work.start("watched", { attributes: { n: 4 } });
    const seen = await waitFor(4);
    expect(seen.map((e) => e.uowId)[3]).toBe(started.uowId);
    child.kill("SIGINT");
    expect(await exited, stderr).toBe(0);
    expect(lines(stdout)).toHaveLength(4);
  });
});
