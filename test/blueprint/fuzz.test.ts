/**
 * Random damage to the example blueprints must never make blueprintIssues throw: it returns
 * issues, or workflows when the damage happens to leave a valid blueprint.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/blueprint/canonical.js";
import { workflowsToYaml } from "../../src/blueprint/export.js";
import { workflowGraph } from "../../src/blueprint/graph.js";
import { blueprintIssues } from "../../src/blueprint/validate.js";
import { exampleText, EXAMPLE_FILES, NO_STORE } from "./helpers.js";
import { apply, mutation } from "../support/mutations.js";

describe("blueprintIssues under random damage", () => {
  it("never throws, and returns issues or workflows", () => {
    const texts = EXAMPLE_FILES.map(exampleText);
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(mutation, { minLength: 1, maxLength: 4 }), (text, mutations) => {
        const damaged = mutations.reduce(apply, text);
        const { workflows, issues } = blueprintIssues(damaged, NO_STORE);
        expect(issues.length > 0 || workflows.length > 0).toBe(true);
        for (const issue of issues) {
          expect(issue.rule).toBeGreaterThanOrEqual(0);
          expect(issue.rule).toBeLessThanOrEqual(18); // rules 17 (retry) and 18 (due_seconds) are the last
          expect(issue.path.length).toBeGreaterThan(0);
          if (issue.line !== undefined) expect(issue.line).toBeGreaterThanOrEqual(1);
          // That message comes only from the safety net around an unexpected exception.
          expect(issue.message).not.toMatch(/could not be read/);
        }
        // What validates can be exported, read back unchanged, and drawn.
        if (issues.length === 0) {
          const again = blueprintIssues(workflowsToYaml(workflows), NO_STORE);
          expect(again.issues).toEqual([]);
          expect(again.workflows.map(canonicalJson)).toEqual(workflows.map(canonicalJson));
          for (const w of workflows) {
            expect(workflowGraph(w, "dot")).toContain(w.name);
            expect(workflowGraph(w, "mermaid")).toContain(w.name);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
