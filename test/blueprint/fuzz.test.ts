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

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "duplicate"; at: number }
  | { kind: "swap"; at: number; with: number }
  | { kind: "word"; at: number; word: string };

/** Replacement words: YAML and blueprint vocabulary plus arbitrary text. */
const WORDS = fc.oneof(
  fc.constantFrom(
    "ALPHA",
    "OMEGA",
    "SIGMA",
    "EPSILON",
    "TAU",
    "BETA",
    "INBOUND",
    "OUTBOUND",
    "CERBERUS",
    "COMPOSITE",
    "TTL_CHECK",
    "child_workflow",
    "guardian",
    "guardians",
    "name",
    "type",
    "role",
    "-",
    ":",
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!binary",
    "---",
    "~",
    "null",
    "'",
    '"',
    "#",
    "|",
    ">",
    "0",
    "-1",
    ".nan",
    "score >",
    "len(",
    "Shipping",
    "Order_Fulfilment",
  ),
  fc.string({ maxLength: 12 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant("word" as const), at: fc.nat(), word: WORDS }),
);

function apply(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const i = m.at % lines.length;
  switch (m.kind) {
    case "delete":
      lines.splice(i, 1);
      break;
    case "duplicate":
      lines.splice(i, 0, lines[i] ?? "");
      break;
    case "swap": {
      const j = m.with % lines.length;
      [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
      break;
    }
    case "word": {
      // Replace the n-th word of the whole text (words: runs of letters, digits and _).
      const words = [...text.matchAll(/[A-Za-z0-9_]+/g)];
      const w = words[m.at % words.length];
      if (w?.index === undefined) return text;
      return text.slice(0, w.index) + m.word + text.slice(w.index + w[0].length);
    }
  }
  return lines.join("\n");
}

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
          expect(issue.rule).toBeLessThanOrEqual(13);
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
