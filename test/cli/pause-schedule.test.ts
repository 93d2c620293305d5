/**
 * `chameleon instance pause | resume | history` and `chameleon schedule ...` with the real CLI
 * binary: the state and the history they write, and a bad pattern refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { engines, type FreshStores } from "../support/engines.js";
import { runCli } from "../support/cli.js";
import { EXAMPLES_DIR } from "../support/fixtures.js";

// The CLI is a thin shell over the library, whose verbs are tested on every engine: SQLite here.
for (const engine of engines.filter((e) => e.name === "sqlite")) {
  describe(`chameleon pause and schedule commands on ${engine.name}`, () => {
    let fresh: FreshStores;
    let stores: string[];
    let ch: Chameleon;
    const cli = (...args: string[]) => runCli([...args, ...stores]);
    const json = async (...args: string[]) => {
      const r = await cli(...args, "--json");
      expect(r.stderr, args.join(" ")).toBe("");
      expect(r.code, args.join(" ")).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown> & unknown[];
    };

    beforeAll(async () => {
      fresh = await engine.fresh();
      stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
      expect((await cli("template", "import", `${EXAMPLES_DIR}minimal.yml`)).code).toBe(0);
      ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
      await ch.instances.create({ workflow: "Minimal", name: "ops", actors: [] });
    });
    afterAll(async () => {
      await ch?.close();
      await fresh?.drop();
    });

    it("pauses and resumes the instance and a role, shown by instance show and history", async () => {
      expect(await json("instance", "pause", "ops", "--reason", "freeze", "--by", "olga")).toMatchObject({
        paused: true,
        role: null,
      });
      const shown = await cli("instance", "show", "ops");
      expect(shown.stdout).toMatch(/PAUSED/);
      expect(shown.stdout).toMatch(/Paused since .* by olga: freeze/);
      const again = await cli("instance", "pause", "ops");
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/already paused/);
      await json("instance", "resume", "ops", "--by", "olga");
      await json("instance", "pause", "ops", "--role", "Work", "--by", "pat");
      expect((await ch.instances.get("ops")).paused.roles).toMatchObject([{ role: "Work", by: "pat" }]);
      expect((await cli("instance", "overview", "ops")).stdout).toMatch(/Role Work paused since .* by pat/);
      await json("instance", "resume", "ops", "--role", "Work", "--by", "pat");
      const history = (await json("instance", "history", "ops")) as unknown as { event: string; by: string }[];
      expect(history.map((e) => `${e.event} ${e.by}`)).toEqual([
        "RESUME pat",
        "PAUSE pat",
        "RESUME olga",
        "PAUSE olga",
      ]);
    });

    it("creates, lists, pauses, resumes, ticks and deletes a schedule; refuses a bad pattern", async () => {
      const created = await json(
        "schedule",
        "create",
        "ops",
        "--name",
        "nightly",
        "--cron",
        "0 2 * * *",
        "--timezone",
        "Europe/Paris",
        "--attributes",
        '{"kind":"report"}',
        "--by",
        "olga",
      );
      expect(created).toMatchObject({ name: "nightly", timezone: "Europe/Paris", attributes: { kind: "report" } });
      const bad = await cli("schedule", "create", "ops", "--name", "bad", "--cron", "every night");
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/cron: 'every night'/);
      expect(((await json("schedule", "list", "ops")) as unknown as { name: string }[]).map((s) => s.name)).toEqual([
        "nightly",
      ]);
      expect((await json("schedule", "pause", "ops", "nightly")).pausedAt).not.toBeNull();
      expect((await json("schedule", "resume", "ops", "nightly")).pausedAt).toBeNull();
      expect(await json("schedule", "tick")).toEqual({ started: 0, missed: 0, failures: [] });
      expect(await json("schedule", "delete", "ops", "nightly")).toMatchObject({ deleted: true });
      expect((await cli("schedule", "list", "ops")).stdout).toMatch(/No schedule yet/);
    });
  });
}
