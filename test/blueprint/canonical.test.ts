import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalWorkflow, workflowFromCanonical } from "../../src/blueprint/canonical.js";
import { parseBlueprintText } from "../../src/blueprint/parse.js";
import { ValidationError } from "../../src/errors.js";
import { edit, exampleText, EXAMPLE_FILES, MINIMAL } from "./helpers.js";

function canonicalOf(text: string): string {
  const { workflows, issues } = parseBlueprintText(text);
  expect(issues).toEqual([]);
  return workflows.map((w) => canonicalJson(w.workflow)).join("\n");
}

/** MINIMAL written as differently as the format allows, with the same meaning. */
const REWRITTEN = `# Same workflow, other formatting.
roles:
  - role_type: ALPHA
    role_name: "Start"
  - { strategy: HOMOGENEOUS, type: BETA, name: 'Work', config: {}, description: "" }
  - { name: Finish, type: OMEGA }
  - name: Repair
    type: EPSILON
  - { name: Watch, type: TAU, ai_context: ~ }
workflow: { name: Minimal, description: null }
components:
  - name: Start_Out
    direction: OUTBOUND
    interaction: Todo
    role: Start
  - { name: Work_In, role: Work, interaction: Todo, direction: INBOUND, guardians: [] }
  - { name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }
  - name: Finish_In
    role_name: Finish
    interaction_name: Done
    direction: INBOUND
    guardians:
      - name: Finish_In_guard
        type: CERBERUS
        config: { child_disposition: ARCHIVE }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
interactions:
  - stale_token_limit_seconds: 600
    name: Todo
  - { name: Done }
  - { name: Errors }
  - &stale { name: Stale }
guardians:
  - { component: Repair_In, type: PASS_THRU, config: {} }
`;

describe("canonical form", () => {
  it("ignores formatting, key order, aliases, defaults, empty fields and guardian vs guardians", () => {
    expect(canonicalOf(REWRITTEN)).toBe(canonicalOf(MINIMAL));
  });

  it("ignores key order inside ai_context and config", () => {
    const a = edit(
      MINIMAL,
      "  name: Minimal",
      "  name: Minimal\n  ai_context: { goal: ship, limits: { max: 3, min: 1 } }",
    );
    const b = edit(
      MINIMAL,
      "  name: Minimal",
      "  name: Minimal\n  ai_context:\n    limits: { min: 1, max: 3 }\n    goal: ship",
    );
    expect(canonicalOf(a)).toBe(canonicalOf(b));
  });

  it("tells apart every change that matters", () => {
    const base = canonicalOf(MINIMAL);
    const changes = [
      edit(MINIMAL, "  name: Minimal", "  name: Minimal\n  description: now described"),
      edit(MINIMAL, "strategy: HOMOGENEOUS", "strategy: HETEROGENEOUS"),
      edit(MINIMAL, "stale_token_limit_seconds: 600", "stale_token_limit_seconds: 601"),
      edit(
        MINIMAL,
        "guardian: { type: CERBERUS }",
        "guardian: { type: CERBERUS, config: { child_disposition: PRUNE } }",
      ),
      edit(MINIMAL, "guardian: { type: PASS_THRU } }", "guardian: { name: Gate, type: PASS_THRU } }"),
      edit(MINIMAL, "strategy: HOMOGENEOUS }", "strategy: HOMOGENEOUS, transferable: [customer] }"),
      // Component order is routing order (position).
      MINIMAL.replace(
        "  - { name: Start_Out, role: Start, interaction: Todo, direction: OUTBOUND }\n  - { name: Work_In, role: Work, interaction: Todo, direction: INBOUND }\n",
        "  - { name: Work_In, role: Work, interaction: Todo, direction: INBOUND }\n  - { name: Start_Out, role: Start, interaction: Todo, direction: OUTBOUND }\n",
      ),
    ];
    const seen = new Set([base]);
    for (const text of changes) {
      const json = canonicalOf(text);
      expect(seen.has(json), text).toBe(false);
      seen.add(json);
    }
  });

  it("writes keys in a stable order and leaves out what is empty or default", () => {
    const text = edit(
      MINIMAL,
      "strategy: HOMOGENEOUS }",
      "strategy: HOMOGENEOUS, description: Does it, transferable: [b, a], config: { z: 1, a: 2 } }",
    );
    const canonical = canonicalWorkflow(parseBlueprintText(text).workflows[0]!.workflow);
    expect(Object.keys(canonical)).toEqual(["workflow", "roles", "interactions", "components"]);
    const roles = canonical["roles"] as Record<string, unknown>[];
    expect(roles[0]).toEqual({ name: "Start", type: "ALPHA" });
    expect(JSON.stringify(roles[1])).toBe(
      '{"name":"Work","type":"BETA","strategy":"HOMOGENEOUS","description":"Does it","transferable":["b","a"],"config":{"a":2,"z":1}}',
    );
    const components = canonical["components"] as Record<string, unknown>[];
    expect(components[3]).toEqual({
      name: "Finish_In",
      role: "Finish",
      interaction: "Done",
      direction: "INBOUND",
      guardians: [{ type: "CERBERUS" }],
    });
  });

  it("reads its own output back, from an object or from JSON text", () => {
    for (const file of EXAMPLE_FILES) {
      for (const parsed of parseBlueprintText(exampleText(file)).workflows) {
        const json = canonicalJson(parsed.workflow);
        expect(canonicalJson(workflowFromCanonical(JSON.parse(json)))).toBe(json);
        expect(canonicalJson(workflowFromCanonical(json))).toBe(json);
      }
    }
  });

  it("refuses what is not a canonical workflow", () => {
    expect(() => workflowFromCanonical({ workflow: { name: "X" }, roles: "none" })).toThrow(ValidationError);
    expect(() => workflowFromCanonical(42)).toThrow(ValidationError);
    expect(() => workflowFromCanonical("{ not json")).toThrow(ValidationError);
  });
});
