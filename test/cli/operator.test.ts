/**
 * `chameleon operator ...` with the real CLI binary: an operator token that the
 * HTTP API accepts under its name and scope, checkout of a chosen unit, and the operator's
 * moves (release, reassign, cancel of several units) with a result per unit, and `work bulk` on a
 * selection (dry run, max, retry into a target EPSILON routes to) with `operator retry`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { engines, type FreshStores } from "../support/engines.js";
import { runCli } from "../support/cli.js";
import { EXAMPLES_DIR } from "../support/fixtures.js";
import { failedUnit, RETRY_ACTORS, RETRYABLE } from "../support/retryable.js";

// The CLI is a thin shell over the library, whose moves are tested on every engine: SQLite here, like the other CLI suites.
for (const engine of engines.filter((e) => e.name === "sqlite")) {
  describe.skipIf(engine.skipReason !== null)(`chameleon operator commands on ${engine.name}`, () => {
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
      await ch.instances.create({
        workflow: "Minimal",
        name: "ops",
        actors: [
          { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] },
          { name: "bob", type: "HUMAN", identityKey: "bob", roles: ["Work"] },
        ],
      });
    });
    afterAll(async () => {
      await ch?.close();
      await fresh?.drop();
    });

    it("issues operator tokens the store resolves to their name and scope, and refuses a bad scope", async () => {
      const admin = await json("operator", "token", "--name", "olga", "--scope", "admin");
      expect(admin).toMatchObject({ name: "olga", scope: "admin", token: expect.stringMatching(/^cho_/) });
      expect(await ch.operators.resolveToken(admin.token as string)).toEqual({
        tokenId: admin.tokenId,
        name: "olga",
        scope: "admin",
      });
      const viewer = await cli("operator", "token", "--name", "vic", "--scope", "viewer");
      expect(viewer.code).toBe(0);
      expect(await ch.operators.resolveToken(viewer.stdout.trim())).toMatchObject({ name: "vic", scope: "viewer" });
      const bad = await cli("operator", "token", "--name", "eve", "--scope", "root");
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/scope/);
      const help = await cli("operator", "token", "--help");
      expect(help.stdout).toMatch(/chameleon operator token --name olga --scope admin/);
    });

    it("checks out a chosen unit, reassigns and releases it, and cancels several units", async () => {
      const first = await ch.work.start("ops", { attributes: { n: 1 } });
      const second = await ch.work.start("ops", { attributes: { n: 2 } });
      const unit = await json("work", "checkout", "ops", "--role", "Work", "--actor", "ann", "--unit", second.uowId);
      expect(unit.uowId).toBe(second.uowId);
      const taken = await cli("work", "checkout", "ops", "--role", "Work", "--actor", "bob", "--unit", second.uowId);
      expect(taken.code).not.toBe(0);
      expect(taken.stderr).toMatch(/it is taken/);

      const moved = await json(
        "operator",
        "reassign",
        "ops",
        second.uowId,
        "--to",
        "bob",
        "--reason",
        "away",
        "--by",
        "olga",
      );
      expect(moved).toMatchObject({ uowId: second.uowId, leaseToken: expect.any(String) });
      expect((await ch.work.held("ops", { actorId: "bob" })).map((u) => u.uowId)).toEqual([second.uowId]);

      const releasing = await cli(
        "operator",
        "release",
        "ops",
        second.uowId,
        first.uowId,
        "--reason",
        "drain",
        "--by",
        "olga",
        "--json",
      );
      // One unit refused: the other is moved, and the exit code is 1.
      expect(releasing.code).toBe(1);
      const released = JSON.parse(releasing.stdout) as unknown;
      expect(released).toEqual([
        { uowId: second.uowId, ok: true, status: "PENDING" },
        { uowId: first.uowId, ok: false, error: { name: "ConflictError", message: expect.any(String) } },
      ]);
      const history = await ch.work.history("ops", second.uowId);
      expect(history.at(-1)!.details).toMatchObject({ released: true, by: "olga", reason: "drain" });

      const cancelled = await cli(
        "operator",
        "cancel",
        "ops",
        first.uowId,
        second.uowId,
        "--reason",
        "dup",
        "--by",
        "olga",
      );
      expect(cancelled.code).toBe(0);
      expect(cancelled.stdout).toMatch(/FINALIZED/);
      expect((await ch.work.get("ops", first.uowId)).status).toBe("FINALIZED");
      expect((await ch.work.get("ops", second.uowId)).status).toBe("FINALIZED");
      // A refused unit makes the command exit 1 after moving the others.
      const again = await cli("operator", "cancel", "ops", first.uowId, "--reason", "dup", "--by", "olga");
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/refused: ConflictError/);
    });
    it("moves a selection with work bulk: a dry run, then at most --max per run, and retries into a target", async () => {
      await ch.templates.importYaml(RETRYABLE);
      await ch.instances.create({ workflow: "Retryable", name: "retry", actors: RETRY_ACTORS });
      const ids = [await failedUnit(ch, "retry", { n: 1 }), await failedUnit(ch, "retry", { n: 2 })];
      const dry = await json("work", "bulk", "retry", "retry", "--status", "FAILED", "--to", "Todo", "--dry-run");
      expect(dry).toMatchObject({ dryRun: true, count: 2, uowIds: ids, more: false });
      expect((await ch.work.get("retry", ids[0]!)).status).toBe("FAILED");
      const human = await cli(
        "work",
        "bulk",
        "retry",
        "retry",
        "--status",
        "FAILED",
        "--to",
        "Todo",
        "--max",
        "1",
        "--reason",
        "back",
        "--by",
        "olga",
      );
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/retry: 1 moved, 0 skipped, 0 refused/);
      expect(human.stdout).toMatch(new RegExp(`more may match: go on with --after ${ids[0]}`));
      expect((await ch.work.history("retry", ids[0]!)).at(-1)!.details).toMatchObject({
        retried: true,
        by: "olga",
        reason: "back",
      });
      const wrong = await cli("work", "bulk", "retry", "retry", "--status", "FAILED", "--to", "Done", "--reason", "x");
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/allowed: Todo;/);
      const one = await json("operator", "retry", "retry", ids[1]!, "--to", "Todo", "--reason", "back", "--by", "olga");
      expect(one).toEqual({ uowId: ids[1], status: "PENDING", interaction: "Todo" });
      const none = await json("work", "bulk", "cancel", "retry", "--status", "FAILED", "--reason", "x");
      expect(none).toMatchObject({ count: 0, moved: 0 });
    });
  });
}
