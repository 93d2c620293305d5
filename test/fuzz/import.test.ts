/**
 * Random damage to every example, imported into a real template store: each import is either
 * refused with a ValidationError and stores nothing, or stores a blueprint that exports and
 * imports again without a new version. Never a crash, never a partial store.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { example, exampleFiles, useChameleon } from "../support/fixtures.js";
import { apply, mutation } from "../support/mutations.js";

const RUNS: Record<string, number> = { sqlite: 150, postgres: 40, mysql: 40 };
const TABLES = [
  "template_workflows",
  "template_roles",
  "template_interactions",
  "template_components",
  "template_guardians",
] as const;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`importing damaged blueprints on ${engine.name}`, () => {
    const h = useChameleon(engine);

    it("refuses cleanly or stores whole", { timeout: 300_000 }, async () => {
      const db = h.ch.stores.templates.db;
      const counts = async () =>
        Promise.all(
          TABLES.map(async (t) =>
            Number(
              (
                await db
                  .selectFrom(t)
                  .select((eb) => eb.fn.countAll().as("n"))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          ),
        );
      const texts = exampleFiles().map(example);
      let refused = 0;
      let stored = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...texts),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          async (text, mutations) => {
            const damaged = mutations.reduce(apply, text);
            const before = await counts();
            try {
              const { workflows } = await h.ch.templates.importYaml(damaged);
              stored++;
              for (const w of workflows) {
                const again = await h.ch.templates.importYaml(await h.ch.templates.exportYaml(w.name, w.version));
                expect(again.workflows).toEqual([{ ...w, created: false }]);
              }
            } catch (error) {
              expect(error).toBeInstanceOf(ValidationError);
              expect((error as ValidationError).issues.length).toBeGreaterThan(0);
              expect(await counts()).toEqual(before);
              refused++;
            }
          },
        ),
        { numRuns: RUNS[engine.name] ?? 40 },
      );
      expect(refused).toBeGreaterThan(0);
      expect(stored + refused).toBe(RUNS[engine.name] ?? 40);
    });
  });
}
