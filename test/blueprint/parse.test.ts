import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/blueprint/canonical.js";
import { MAX_BLUEPRINT_BYTES, parseBlueprintText } from "../../src/blueprint/parse.js";
import { edit, insertAfter, lineWith, MINIMAL, prototypeLayout } from "./helpers.js";

function parseOne(text: string) {
  const result = parseBlueprintText(text);
  expect(result.issues).toEqual([]);
  expect(result.workflows).toHaveLength(1);
  return result.workflows[0]!;
}

describe("parseBlueprintText", () => {
  it("reads the minimal blueprint into the model", () => {
    const { workflow, document } = parseOne(MINIMAL);
    expect(document).toBe(1);
    expect(workflow.name).toBe("Minimal");
    expect(workflow.roles.map((r) => [r.name, r.type, r.strategy])).toEqual([
      ["Start", "ALPHA", null],
      ["Work", "BETA", "HOMOGENEOUS"],
      ["Finish", "OMEGA", null],
      ["Repair", "EPSILON", null],
      ["Watch", "TAU", null],
    ]);
    expect(workflow.interactions[0]).toEqual({
      name: "Todo",
      description: null,
      aiContext: null,
      staleTokenLimitSeconds: 600,
    });
    expect(workflow.components[3]?.guardians).toEqual([
      { name: "Finish_In_guard", type: "CERBERUS", config: null, description: null, aiContext: null },
    ]);
  });

  it("knows the line of every element and field, by name and by index", () => {
    const parsed = parseOne(MINIMAL);
    expect(parsed.lineOf("Minimal/roles/Work")).toBe(lineWith(MINIMAL, "name: Work,"));
    expect(parsed.lineOf("Minimal/roles/#2/strategy")).toBe(lineWith(MINIMAL, "name: Work,"));
    expect(parsed.lineOf("Minimal/components/Finish_In/guardians/Finish_In_guard")).toBe(
      lineWith(MINIMAL, "name: Finish_In"),
    );
    expect(parsed.lineOf("Minimal/workflow/name")).toBe(2);
    expect(parsed.lineOf("Minimal/roles/Nobody")).toBeUndefined();
  });

  it("accepts the aliases in their context", () => {
    const aliased = `workflow:
  name: Minimal
roles:
  - { role_name: Start, role_type: ALPHA }
  - { role_name: Work, role_type: BETA, strategy: HOMOGENEOUS }
  - { role_name: Finish, role_type: OMEGA }
  - { role_name: Repair, role_type: EPSILON }
  - { role_name: Watch, role_type: TAU }
interactions:
  - { interaction_name: Todo, stale_token_limit_seconds: 600 }
  - { interaction_name: Done }
  - { interaction_name: Errors }
  - { interaction_name: Stale }
components:
  - { component_name: Start_Out, role_name: Start, interaction_name: Todo, direction: OUTBOUND }
  - { component_name: Work_In, role_name: Work, interaction_name: Todo, direction: INBOUND }
  - { component_name: Work_Out, role_name: Work, interaction_name: Done, direction: OUTBOUND }
  - { component_name: Finish_In, role_name: Finish, interaction_name: Done, direction: INBOUND }
  - { component_name: Repair_In, role_name: Repair, interaction_name: Errors, direction: INBOUND, guardian: { guardian_type: PASS_THRU } }
  - { component_name: Repair_Out, role_name: Repair, interaction_name: Done, direction: OUTBOUND }
  - { component_name: Watch_In, role_name: Watch, interaction_name: Stale, direction: INBOUND }
  - { component_name: Watch_Out, role_name: Watch, interaction_name: Errors, direction: OUTBOUND }
guardians:
  - { component_name: Finish_In, guardian_type: CERBERUS }
`;
    expect(canonicalJson(parseOne(aliased).workflow)).toBe(canonicalJson(parseOne(MINIMAL).workflow));
    const sigma = edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      "{ name: Work, type: SIGMA, strategy: HOMOGENEOUS, child_workflow_name: Sub }",
    );
    expect(parseOne(sigma).workflow.roles[1]?.childWorkflow).toBe("Sub");
  });

  it("refuses an alias given together with its canonical key", () => {
    const text = edit(MINIMAL, "{ name: Start, type: ALPHA }", "{ name: Start, type: ALPHA, role_type: ALPHA }");
    const { issues, workflows } = parseBlueprintText(text);
    expect(workflows).toEqual([]);
    expect(issues).toEqual([
      {
        rule: 0,
        path: "Minimal/roles/Start/type",
        line: lineWith(text, "name: Start,"),
        message: "role 'Start' of workflow 'Minimal' gives both 'type' and 'role_type'; use 'type'",
      },
    ]);
  });

  it("does not accept an alias outside its context", () => {
    const text = edit(MINIMAL, "{ name: Done }", "{ role_name: Done }");
    const { issues } = parseBlueprintText(text);
    expect(issues.map((i) => [i.rule, i.path])).toEqual([
      [0, "Minimal/interactions/#2/role_name"],
      [0, "Minimal/interactions/#2"],
    ]);
  });

  it("names unknown keys at every level", () => {
    const text = `workflow:
  name: W
  descripton: typo
roles: []
interactions:
  - { name: Q, stale_limit: 5 }
components:
  - { name: C, role: R, interaction: Q, direction: INBOUND, guardian: { type: PASS_THRU, settings: {} } }
extras: true
`;
    const messages = parseBlueprintText(text).issues.map((i) => `${i.line}: ${i.message}`);
    expect(messages).toEqual([
      "3: unknown key 'descripton' in workflow 'W' (did you mean 'description'?)",
      "9: unknown key 'extras' in workflow 'W'",
      "6: unknown key 'stale_limit' in interaction 'Q' of workflow 'W'",
      "8: unknown key 'settings' in guardian 'C_guard' of workflow 'W'",
    ]);
  });

  it("collects every shape problem of a file instead of stopping at the first", () => {
    const text = `workflow:
  name: Bad Name
roles:
  - { name: 42, type: ALPHA }
  - { name: Work, type: beta, strategy: SOMETIMES }
  - "just a string"
interactions:
  - { name: Todo, stale_token_limit_seconds: 0 }
  - { name: Done, stale_token_limit_seconds: 1.5 }
components:
  - { name: C, role: Work, interaction: Todo, direction: INBOUND, guardian: { type: PASS_THRU }, guardians: [] }
  - { name: D, role: Work, interaction: Todo }
---
workflow: { name: Second }
roles: {}
interactions: []
`;
    const { issues, workflows } = parseBlueprintText(text);
    expect(workflows).toEqual([]);
    expect(issues.map((i) => [i.rule, i.path, i.line])).toEqual([
      [0, "document 1/workflow/name", 2],
      [0, "document 1/roles/#1/name", 4],
      [3, "document 1/roles/Work/type", 5],
      [3, "document 1/roles/Work/strategy", 5],
      [0, "document 1/roles/#3", 6],
      [0, "document 1/interactions/Todo/stale_token_limit_seconds", 8],
      [0, "document 1/interactions/Done/stale_token_limit_seconds", 9],
      [0, "document 1/components/C/guardians", 11],
      [0, "document 1/components/D", 12],
      [0, "Second/roles", 15],
      [0, "Second/components", 14],
    ]);
    expect(issues[0]?.message).toBe("name 'Bad Name' of document 1 must be 1 to 100 letters, digits, '_' or '-'");
    expect(issues[1]?.message).toBe("the name of role #1 of document 1 must be a string (quote it)");
    expect(issues[2]?.message).toMatch(
      /role 'Work' of document 1 has unknown type 'beta' \(expected one of ALPHA, BETA/,
    );
    expect(issues[8]?.message).toBe("component 'D' of document 1 has no direction");
  });

  it("reports YAML syntax errors and duplicate keys with their line", () => {
    const duplicate = edit(MINIMAL, "{ name: Done }", "{ name: Done, name: Finished }");
    expect(parseBlueprintText(duplicate).issues).toEqual([
      {
        rule: 0,
        path: "document 1",
        line: lineWith(duplicate, "name: Finished"),
        message: expect.stringMatching(/^YAML: Map keys must be unique/),
      },
    ]);
    const broken = edit(MINIMAL, "  - { name: Done }", "  - { name: Done\n  oops: [");
    const issues = parseBlueprintText(broken).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.rule === 0 && i.path === "document 1" && typeof i.line === "number")).toBe(true);
  });

  it("reads several documents, numbering them from 1", () => {
    const second = MINIMAL.replace("name: Minimal", "name: Second");
    const { workflows, issues } = parseBlueprintText(`${MINIMAL}---\n${second}---\n# nothing here\n`);
    expect(issues).toEqual([]);
    expect(workflows.map((w) => [w.workflow.name, w.document])).toEqual([
      ["Minimal", 1],
      ["Second", 2],
    ]);
    expect(workflows[1]?.lineOf("Second/roles/Work")).toBe(
      lineWith(MINIMAL, "name: Work,") + MINIMAL.split("\n").length,
    );
  });

  it("refuses a file over 1 MiB without parsing it, counting UTF-8 bytes", () => {
    const padding = "é".repeat(MAX_BLUEPRINT_BYTES / 2); // 2 bytes each: 1 MiB of padding alone
    const { issues, workflows } = parseBlueprintText(`${MINIMAL}# ${padding}\n`);
    expect(workflows).toEqual([]);
    expect(issues).toEqual([{ rule: 0, path: "file", message: expect.stringMatching(/at most 1048576 bytes/) }]);
    expect(parseBlueprintText(`${MINIMAL}# ${"x".repeat(1000)}\n`).issues).toEqual([]);
  });

  it("reports an empty file, a document that is not a mapping, and values that are not JSON", () => {
    expect(parseBlueprintText("").issues).toEqual([
      { rule: 0, path: "file", message: "the blueprint holds no workflow" },
    ]);
    expect(parseBlueprintText("- a\n- b\n").issues).toEqual([
      { rule: 0, path: "document 1", line: 1, message: expect.stringMatching(/must be a mapping/) },
    ]);
    const inf = edit(MINIMAL, "  name: Minimal", "  name: Minimal\n  ai_context: { weight: .inf }");
    expect(parseBlueprintText(inf).issues).toEqual([
      {
        rule: 0,
        path: "Minimal/workflow/ai_context",
        line: 3,
        message: "'ai_context' of workflow 'Minimal': Infinity is not a JSON value",
      },
    ]);
  });

  it("resolves YAML anchors and aliases, and refuses alias bombs and self-references", () => {
    const anchored = MINIMAL.replace(
      "guardian: { type: PASS_THRU } }",
      "guardian: &pass { type: PASS_THRU } }",
    ).replace(
      "{ name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }",
      "{ name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND, guardian: *pass }",
    );
    expect(parseOne(anchored).workflow.components[6]?.guardians[0]?.type).toBe("PASS_THRU");

    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++)
      levels.push(
        `${"abcdefgh"[i]}: &${"abcdefgh"[i]} [${Array(10)
          .fill(`*${"abcdefgh"[i - 1]}`)
          .join(", ")}]`,
      );
    const bomb = `${levels.join("\n")}\n${MINIMAL.replace("  name: Minimal", "  name: Minimal\n  ai_context: *h")}`;
    // Expanded, the bomb would hold billions of nodes: a parse that expanded it would not end
    // within the test's time. The refusal is what is asserted, not how fast it comes.
    const issues = parseBlueprintText(bomb).issues;
    expect(issues).toContainEqual(
      expect.objectContaining({ rule: 0, message: "YAML: aliases expand to too many nodes" }),
    );

    expect(parseBlueprintText(`x: &x [*x]\n${MINIMAL}`).issues).toContainEqual(
      expect.objectContaining({ rule: 0, message: "YAML: alias *x refers to a node that contains it" }),
    );
  });

  it("names unnamed guardians by their index and appends top-level guardians after the inline ones", () => {
    const text = `${edit(
      MINIMAL,
      "guardian: { type: PASS_THRU } }",
      "guardians: [{ type: PASS_THRU }, { name: Second, type: PASS_THRU }] }",
    )}guardians:
  - { component: Repair_In, type: PASS_THRU, description: from the list }
  - { name: Named, component: Repair_In, type: PASS_THRU }
  - { component: Work_In, type: CRITERIA_GATE, config: { condition: "ready" } }
`;
    const w = parseOne(text).workflow;
    expect(w.components[4]?.guardians.map((g) => g.name)).toEqual([
      "Repair_In_guard",
      "Second",
      "Repair_In_guard_3",
      "Named",
    ]);
    expect(w.components[4]?.guardians[2]?.description).toBe("from the list");
    expect(w.components[1]?.guardians).toEqual([
      {
        name: "Work_In_guard",
        type: "CRITERIA_GATE",
        config: { condition: "ready" },
        description: null,
        aiContext: null,
      },
    ]);
  });

  it("reports a top-level guardian of an unknown component as a reference (rule 4)", () => {
    const text = `${MINIMAL}guardians:\n  - { component: Nowhere, type: PASS_THRU }\n`;
    const { issues } = parseBlueprintText(text);
    expect(issues).toEqual([
      {
        rule: 4,
        path: "Minimal/guardians/#1/component",
        line: lineWith(text, "Nowhere"),
        message: "guardian #1 of workflow 'Minimal' names unknown component 'Nowhere'",
      },
    ]);
  });

  it("refuses guardian and guardians together", () => {
    const text = edit(
      MINIMAL,
      "guardian: { type: PASS_THRU } }",
      "guardian: { type: PASS_THRU }, guardians: [{ type: PASS_THRU }] }",
    );
    expect(parseBlueprintText(text).issues).toEqual([
      {
        rule: 0,
        path: "Minimal/components/Repair_In/guardians",
        line: lineWith(text, "name: Repair_In"),
        message: "component 'Repair_In' of workflow 'Minimal' has both 'guardian' and 'guardians'; use one",
      },
    ]);
  });

  it("keeps transferable in the role's config, merged with config, and refuses it twice", () => {
    const both = edit(
      MINIMAL,
      "strategy: HOMOGENEOUS }",
      "strategy: HOMOGENEOUS, transferable: [customer, region], config: { max_children: 5 } }",
    );
    expect(parseOne(both).workflow.roles[1]?.config).toEqual({ max_children: 5, transferable: ["customer", "region"] });

    const inConfig = edit(
      MINIMAL,
      "strategy: HOMOGENEOUS }",
      "strategy: HOMOGENEOUS, config: { transferable: [customer] } }",
    );
    expect(parseOne(inConfig).workflow.roles[1]?.config).toEqual({ transferable: ["customer"] });

    const twice = edit(
      MINIMAL,
      "strategy: HOMOGENEOUS }",
      "strategy: HOMOGENEOUS, transferable: [a], config: { transferable: [b] } }",
    );
    expect(parseBlueprintText(twice).issues).toEqual([
      expect.objectContaining({
        rule: 0,
        path: "Minimal/roles/Work/transferable",
        message: expect.stringMatching(/both as a key and inside 'config'/),
      }),
    ]);
    const notStrings = edit(MINIMAL, "strategy: HOMOGENEOUS }", "strategy: HOMOGENEOUS, transferable: [1, { a: b }] }");
    expect(parseBlueprintText(notStrings).issues).toEqual([
      expect.objectContaining({
        rule: 0,
        path: "Minimal/roles/Work/transferable",
        message: expect.stringMatching(/list of attribute names/),
      }),
    ]);
  });

  it("gives block-style fields their own lines", () => {
    const text = insertAfter(
      MINIMAL,
      "name: Work_Out,",
      "  - name: Work_Fail",
      "    role: Work",
      "    interaction: Errors",
      "    direction: OUTBOUND",
      "    guardian:",
      "      type: COMPOSITE",
      "      config:",
      "        any:",
      '          - { type: DIRECTIONAL_FILTER, config: { condition: "failed" } }',
      "          - type: CRITERIA_GATE",
      "            config:",
      '              condition: "retries > 3"',
    );
    const parsed = parseOne(text);
    const base = "Minimal/components/Work_Fail/guardians/Work_Fail_guard";
    expect(parsed.lineOf(`${base}/type`)).toBe(lineWith(text, "type: COMPOSITE"));
    expect(parsed.lineOf(`${base}/config/any/1/config/condition`)).toBe(lineWith(text, "retries > 3"));
    expect(parsed.lineOf("Minimal/components/#4/guardians/#1/config/any/0")).toBe(lineWith(text, '"failed"'));
  });
});

describe("the Python prototype's layout", () => {
  it("reads sections under 'workflow:' as the same workflow, keeps the author's version and ignores schema_json", () => {
    const text = prototypeLayout(MINIMAL);
    expect(text).toContain("\n  roles:\n");
    const { workflow } = parseOne(text);
    expect(workflow.authorVersion).toBe("2.1");
    expect(canonicalJson({ ...workflow, authorVersion: null })).toBe(canonicalJson(parseOne(MINIMAL).workflow));
    expect(canonicalJson(workflow)).toContain('"author_version":"2.1"');
  });

  it("reads a numeric version as text and gives issue lines of the nested sections", () => {
    const text = edit(
      prototypeLayout(MINIMAL, "  version: 3\n"),
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      "{ name: Work, type: BETA, strategy: ODD }",
    );
    expect(parseBlueprintText(prototypeLayout(MINIMAL, "  version: 3\n")).workflows[0]!.workflow.authorVersion).toBe(
      "3",
    );
    expect(parseBlueprintText(text).issues).toEqual([
      expect.objectContaining({ rule: 3, path: "Minimal/roles/Work/strategy", line: lineWith(text, "strategy: ODD") }),
    ]);
  });

  it("refuses a section given both under 'workflow:' and at the top level", () => {
    const text = `${prototypeLayout(MINIMAL)}interactions:\n  - { name: Todo }\n`;
    expect(parseBlueprintText(text).issues).toEqual([
      expect.objectContaining({
        rule: 0,
        path: "Minimal/interactions",
        line: lineWith(text, "  interactions:"),
        message: "'interactions' is given both at the top level and under 'workflow'; give it once",
      }),
    ]);
  });

  it("refuses a version that is not text or a number, and both 'version' and 'author_version'", () => {
    const list = prototypeLayout(MINIMAL, "  version: [1, 2]\n");
    expect(parseBlueprintText(list).issues).toEqual([
      expect.objectContaining({ rule: 0, path: "Minimal/workflow/version", line: lineWith(list, "version:") }),
    ]);
    const both = prototypeLayout(MINIMAL, "  version: 1\n  author_version: 2\n");
    expect(parseBlueprintText(both).issues).toEqual([
      expect.objectContaining({
        rule: 0,
        message: "workflow 'Minimal' gives both 'version' and 'author_version'; use 'author_version'",
      }),
    ]);
  });

  it("accepts 'component' and 'component_name' on top-level guardians, under 'workflow:' too", () => {
    const guardians =
      "guardians:\n  - { component: Work_Out, type: PASS_THRU }\n  - { component_name: Work_Out, type: PASS_THRU }\n";
    for (const text of [`${MINIMAL}${guardians}`, prototypeLayout(`${MINIMAL}${guardians}`)]) {
      const work = parseOne(text).workflow.components.find((c) => c.name === "Work_Out")!;
      expect(work.guardians.map((g) => g.name)).toEqual(["Work_Out_guard", "Work_Out_guard_2"]);
    }
  });
});
