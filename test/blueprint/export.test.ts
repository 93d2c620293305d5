import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/blueprint/canonical.js";
import { workflowsToYaml } from "../../src/blueprint/export.js";
import type { BlueprintWorkflow } from "../../src/blueprint/model.js";
import { parseBlueprintText } from "../../src/blueprint/parse.js";
import type { JsonValue } from "../../src/schema/json.js";
import { edit, exampleText, EXAMPLE_FILES, MINIMAL } from "./helpers.js";

function workflowsOf(text: string): BlueprintWorkflow[] {
  const { workflows, issues } = parseBlueprintText(text);
  expect(issues).toEqual([]);
  return workflows.map((w) => w.workflow);
}

const canonical = (ws: BlueprintWorkflow[]): string[] => ws.map(canonicalJson);

describe("workflowsToYaml", () => {
  for (const file of EXAMPLE_FILES) {
    it(`round-trips ${file}: parse, export, parse gives the same canonical JSON`, () => {
      const original = workflowsOf(exampleText(file));
      const exported = workflowsToYaml(original);
      expect(canonical(workflowsOf(exported))).toEqual(canonical(original));
      // Exporting again is stable.
      expect(workflowsToYaml(workflowsOf(exported))).toBe(exported);
    });
  }

  it("exports a role's retry and due_seconds (rules 17 and 18) as they were written", () => {
    const [invoice] = workflowsOf(exampleText("invoice_approval.yml"));
    const again = workflowsOf(workflowsToYaml([invoice!]))[0]!;
    const config = (name: string) => again.roles.find((r) => r.name === name)?.config;
    expect(config("Line_Checker")).toEqual({
      retry: { backoff: "exponential", initial_seconds: 2, max_seconds: 60 },
    });
    expect(config("Approver")).toMatchObject({ due_seconds: 172_800, max_attempts: 2 });
  });

  it("writes the canonical layout of the spec", () => {
    const text = exampleText("nested_order.yml");
    const yaml = workflowsToYaml(workflowsOf(text));
    const lines = yaml.split("\n");
    expect(lines[0]).toBe("# Chameleon blueprint: Order_Fulfilment, Shipping");
    expect(lines[1]).toBe("workflow:");
    expect(yaml.split("\n---\n")).toHaveLength(2);
    const topKeys = lines.filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.replace(/:.*/, ""));
    expect(topKeys).toEqual([
      "workflow",
      "roles",
      "interactions",
      "components",
      "workflow",
      "roles",
      "interactions",
      "components",
    ]);
    expect(yaml).toContain("  - { name: Ship, type: SIGMA, strategy: HOMOGENEOUS, child_workflow: Shipping }");
    expect(yaml).not.toMatch(/role_type|role_name|interaction_name|component_name/);
  });

  it("writes one guardian as `guardian:` and several as `guardians:`, leaving default names out", () => {
    const text = edit(
      MINIMAL,
      "guardian: { type: PASS_THRU } }",
      `guardians: [{ name: Repair_In_guard, type: PASS_THRU }, { name: Check, type: CRITERIA_GATE, config: { condition: "a == 'b'" } }] }`,
    );
    const yaml = workflowsToYaml(workflowsOf(text));
    expect(yaml).toContain("guardian: { type: CERBERUS }");
    expect(yaml).toContain(
      `guardians: [ { type: PASS_THRU }, { name: Check, type: CRITERIA_GATE, config: { condition: "a == 'b'" } } ]`,
    );
    const named = edit(MINIMAL, "guardian: { type: PASS_THRU } }", "guardian: { name: Gate, type: PASS_THRU } }");
    expect(workflowsToYaml(workflowsOf(named))).toContain("guardian: { name: Gate, type: PASS_THRU }");
  });

  it("keeps descriptions, AI context and settings of any content through a round trip", () => {
    const text = fc.string({ unit: "binary", maxLength: 40 });
    const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
    const base = workflowsOf(MINIMAL)[0]!;
    fc.assert(
      fc.property(
        text,
        json,
        json,
        fc.array(text, { maxLength: 3 }),
        fc.option(text),
        (description, aiContext, setting, keys, guardDescription) => {
          const w: BlueprintWorkflow = structuredClone(base);
          w.description = description;
          w.aiContext = aiContext;
          w.roles[1]!.config = { transferable: keys, setting };
          w.interactions[0]!.description = description;
          w.components[4]!.guardians[0]!.description = guardDescription;
          w.components[4]!.guardians[0]!.aiContext = setting;
          const again = workflowsOf(workflowsToYaml([w]));
          expect(canonical(again)).toEqual(canonical([w]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("quotes names that YAML would otherwise read as numbers, booleans or null", () => {
    const names = ["123", "true", "null", "0x1F", "1e3", "-", "--", "No", "0o7", "1_000"];
    const base = workflowsOf(MINIMAL)[0]!;
    for (const name of names) {
      const w: BlueprintWorkflow = structuredClone(base);
      w.interactions.push({ name, description: null, aiContext: null, staleTokenLimitSeconds: null });
      w.components.push({
        name: `x${name}`,
        role: name,
        interaction: name,
        direction: "INBOUND",
        description: null,
        aiContext: null,
        guardians: [],
      });
      expect(canonical(workflowsOf(workflowsToYaml([w])))).toEqual(canonical([w]));
    }
  });
});
