/**
 * `chameleon instance overview` and `chameleon instance graph` with the real CLI binary: the
 * table and --json, the graph in each format and to a file, and usage errors (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { engines, type FreshStores } from "../support/engines.js";
import { runCli } from "../support/cli.js";
import { EXAMPLES_DIR } from "../support/fixtures.js";

// The CLI is a thin shell over the library, whose overview is tested on every engine: SQLite here.
for (const engine of engines.filter((e) => e.name === "sqlite")) {
  describe.skipIf(engine.skipReason !== null)(`chameleon instance overview and graph on ${engine.name}`, () => {
    let fresh: FreshStores;
    let stores: string[];
    let ch: Chameleon;
    let dir: string;
    let held: string;
    const cli = (...args: string[]) => runCli([...args, ...stores]);

    beforeAll(async () => {
      fresh = await engine.fresh();
      dir = mkdtempSync(join(tmpdir(), "chameleon-graph-"));
      stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
      expect((await cli("template", "import", `${EXAMPLES_DIR}minimal.yml`)).code).toBe(0);
      ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
      await ch.instances.create({
        workflow: "Minimal",
        name: "dash",
        actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
      });
      await ch.work.startMany(
        "dash",
        [1, 2, 3].map((n) => ({ actorId: "ann", attributes: { n } })),
      );
      const a = await ch.work.checkout("dash", { role: "Work", actorId: "ann" });
      await ch.work.fail("dash", { uowId: a!.uowId, leaseToken: a!.leaseToken, actorId: "ann", error: "no paper" });
      held = (await ch.work.checkout("dash", { role: "Work", actorId: "ann" }))!.uowId;
    });
    afterAll(async () => {
      await ch?.close();
      await fresh?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("prints the overview as tables, and as JSON with --json", async () => {
      const text = await cli("instance", "overview", "dash");
      expect(text.stderr).toBe("");
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^3 units; 2 waiting \(oldest \d+s\); held: ann 1$/m);
      expect(text.stdout).toMatch(/^Last hour: 1 failed, 0 finalized; per minute ▁{60}$/m);
      expect(text.stdout).toMatch(/^Todo +queue +1 +1 +0 +0 +0 +0 +1 +\d+s +ann 1 +1 +0$/m);
      expect(text.stdout).toMatch(/^Work +BETA +1 +\d+s +ann 1 +1 +0$/m);
      expect(text.stdout).toMatch(/FAIL +Work +Todo +no paper$/m);
      const json = await cli("instance", "overview", "dash", "--json");
      expect(json.code).toBe(0);
      const o = JSON.parse(json.stdout) as { totals: { units: number }; recentFailures: { reason: string }[] };
      expect(o.totals.units).toBe(3);
      expect(o.recentFailures.map((f) => f.reason)).toEqual(["no paper"]);
    });

    it("draws the graph as Mermaid, DOT or SVG, to stdout or a file, with a unit marked", async () => {
      const mermaid = await cli("instance", "graph", "dash");
      expect(mermaid.code).toBe(0);
      expect(mermaid.stdout).toMatch(/^flowchart LR/);
      expect(mermaid.stdout).toContain("1 waiting");
      const dot = await cli("instance", "graph", "dash", "--format", "dot", "--uow", held);
      expect(dot.stdout).toMatch(/^digraph/);
      expect(dot.stdout).toContain("fillcolor");
      const file = join(dir, "dash.svg");
      const svg = await cli("instance", "graph", "dash", "--out", file, "--json");
      expect(svg.code).toBe(0);
      expect(JSON.parse(svg.stdout)).toMatchObject({ format: "svg", file });
      expect(readFileSync(file, "utf8")).toMatch(/<svg[\s\S]*1 waiting/);
    });

    it("refuses bad flags and input with exit 2, naming what is wrong", async () => {
      const age = await cli("instance", "overview", "dash", "--max-age", "99");
      expect(age.code).toBe(2);
      expect(age.stderr).toMatch(/--max-age/);
      const format = await cli("instance", "graph", "dash", "--format", "png");
      expect(format.code).toBe(2);
      expect(format.stderr).toMatch(/--format/);
      const clash = await cli("instance", "graph", "dash", "--format", "dot", "--out", join(dir, "x.svg"));
      expect(clash.code).toBe(2);
      const uow = await cli("instance", "graph", "dash", "--uow", "nope");
      expect(uow.code).toBe(2);
      expect(uow.stderr).toMatch(/uow/);
      const missing = await cli("instance", "overview", "nope");
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/no instance 'nope'/);
    });
  });
}
