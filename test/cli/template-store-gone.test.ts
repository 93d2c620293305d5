/**
 * The real CLI binary with the template store dropped after instantiation: `work …`,
 * `instance …` and `sweep` still run the instance, and `template list` fails with one line
 * naming the template store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon } from "../../src/chameleon.js";
import { runCli } from "../support/cli.js";
import { engines, type FreshStores } from "../support/engines.js";
import { example } from "../support/fixtures.js";
import { dropTemplateStore } from "../support/gone.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the CLI without its template store on ${engine.name}`, () => {
    let fresh: FreshStores;
    let stores: string[];
    const cli = (...args: string[]) => runCli([...args, ...stores]);
    const json = async (...args: string[]) => {
      const r = await cli(...args, "--json");
      expect(r.stderr, args.join(" ")).toBe("");
      expect(r.code, args.join(" ")).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };

    beforeAll(async () => {
      fresh = await engine.fresh();
      const ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
      try {
        await ch.templates.importYaml(example("minimal.yml"));
        await ch.instances.create({
          workflow: "Minimal",
          name: "no-templates",
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
        });
      } finally {
        await ch.close();
      }
      stores = ["--templates", await dropTemplateStore(engine, fresh), "--instances", fresh.instancesUrl];
    });
    afterAll(() => fresh?.drop());

    it(
      "starts, checks out and submits work, and refuses template commands in one line",
      { timeout: 60_000 },
      async () => {
        const { uowId } = await json("work", "start", "no-templates", "--attrs", '{"n":1}', "--actor", "ann");
        const unit = await json("work", "checkout", "no-templates", "--role", "Work", "--actor", "ann");
        expect(unit.uowId).toBe(uowId);
        const submitted = await json(
          "work",
          "submit",
          "no-templates",
          uowId as string,
          "--lease",
          unit.leaseToken as string,
          "--actor",
          "ann",
        );
        expect(submitted).toMatchObject({ status: "COMPLETED", interaction: "Done" });
        expect(await json("instance", "show", "no-templates")).toMatchObject({ name: "no-templates" });
        expect(await json("sweep", "no-templates")).toEqual({ reclaimed: 0, timedOut: 0, failures: [] });

        for (const args of [
          ["template", "list"],
          ["instance", "create", "Minimal", "--name", "another"],
        ]) {
          const refused = await cli(...args);
          expect(refused.code, args.join(" ")).toBe(1);
          expect(refused.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
          expect(refused.stderr, args.join(" ")).toMatch(/^chameleon: (template store \(|no template store at )/);
        }
      },
    );
  });
}
