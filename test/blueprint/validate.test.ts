import { describe, expect, it } from "vitest";
import { parseBlueprintText } from "../../src/blueprint/parse.js";
import { blueprintIssues, validateWorkflows } from "../../src/blueprint/validate.js";
import { edit, exampleText, EXAMPLE_FILES, insertAfter, issuesOf, lineWith, MINIMAL, NO_STORE } from "./helpers.js";

/** MINIMAL with Work's way out to Done replaced by the given components (Work keeps Work_In). */
function workRoutes(...components: string[]): string {
  return insertAfter(
    edit(MINIMAL, "  - { name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }\n", ""),
    "name: Work_In,",
    ...components,
  );
}
const route = (name: string, interaction: string, guardian?: string): string =>
  `  - { name: ${name}, role: Work, interaction: ${interaction}, direction: OUTBOUND${guardian ? `, guardian: ${guardian}` : ""} }`;

describe("the examples", () => {
  for (const file of EXAMPLE_FILES) {
    it(`${file} parses and validates clean`, () => {
      const { workflows, issues } = blueprintIssues(exampleText(file), NO_STORE);
      expect(issues).toEqual([]);
      expect(workflows.length).toBeGreaterThan(0);
    });
  }

  it("nested_order's first workflow alone needs Shipping in the store", () => {
    const [order] = exampleText("nested_order.yml").split("\n---\n");
    const issues = issuesOf(order!);
    expect(issues).toEqual([
      expect.objectContaining({
        rule: 10,
        path: "Order_Fulfilment/roles/Ship/child_workflow",
        line: lineWith(order!, "name: Ship,"),
      }),
    ]);
    expect(
      issuesOf(order!, { storedWorkflow: (n) => (n === "Shipping" ? { name: n, childWorkflows: [] } : undefined) }),
    ).toEqual([]);
  });
});

describe("validateWorkflows", () => {
  it("reports every violation of a file, across rules and documents, each with rule, path and line", () => {
    const first = insertAfter(
      insertAfter(
        edit(
          edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", "{ name: Work, type: BETA }"),
          ", guardian: { type: PASS_THRU } }",
          " }",
        ),
        "{ name: Stale }",
        "  - { name: Limbo }",
      ),
      "name: Work_Out,",
      "  - { name: Work_Fail, role: Work, interaction: Errors, direction: OUTBOUND }",
    );
    const second = edit(
      MINIMAL.replace("name: Minimal", "name: Other"),
      "guardian: { type: CERBERUS }",
      "guardian: { type: CERBERUS, config: { keep_if: 'x' } }",
    );
    const text = `${first}---\n${second}`;
    const issues = issuesOf(text);
    const offset = first.split("\n").length;
    expect(issues.map((i) => [i.rule, i.path, i.line])).toEqual([
      [2, "Minimal/roles/Work", lineWith(first, "name: Work,")],
      [5, "Minimal/interactions/Limbo", lineWith(first, "Limbo")],
      [5, "Minimal/interactions/Limbo", lineWith(first, "Limbo")],
      [8, "Minimal/components/Work_Fail", lineWith(first, "Work_Fail")],
      [7, "Minimal/components/Repair_In", lineWith(first, "name: Repair_In,")],
      [12, "Other/components/Finish_In/guardians/Finish_In_guard/config", offset + lineWith(second, "Finish_In")],
    ]);
  });

  it("validates directly from parsed workflows", () => {
    const { workflows } = parseBlueprintText(exampleText("nested_order.yml"));
    expect(validateWorkflows(workflows, NO_STORE)).toEqual([]);
    expect(validateWorkflows(workflows.slice(0, 1), NO_STORE)).toEqual([expect.objectContaining({ rule: 10 })]);
  });

  it("requires workflow names to be unique within the file", () => {
    const text = `${MINIMAL}---\n${MINIMAL}`;
    expect(issuesOf(text)).toEqual([
      {
        rule: 4,
        path: "Minimal/workflow/name",
        line: MINIMAL.split("\n").length + 2, // after the first document and the `---` line
        message: "workflow name 'Minimal' of document 2 is already used by document 1 of this file",
      },
    ]);
  });

  it("requires guardian names to be unique across the workflow", () => {
    const text = edit(
      MINIMAL,
      "guardian: { type: PASS_THRU } }",
      "guardian: { name: Finish_In_guard, type: PASS_THRU } }",
    );
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        rule: 4,
        path: "Minimal/components/Repair_In/guardians/Finish_In_guard",
        line: lineWith(text, "name: Repair_In"),
      }),
    ]);
  });

  it("finds nesting cycles within one file", () => {
    const a = edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      "{ name: Work, type: SIGMA, strategy: HOMOGENEOUS, child_workflow: B }",
    );
    const b = a.replace("name: Minimal", "name: B").replace("child_workflow: B", "child_workflow: Minimal");
    const issues = issuesOf(`${a}---\n${b}`);
    expect(issues.map((i) => [i.rule, i.path, i.message])).toEqual([
      [
        10,
        "Minimal/roles/Work/child_workflow",
        "SIGMA role 'Work' of workflow 'Minimal' makes nesting circular: Minimal -> B -> Minimal",
      ],
      [
        10,
        "B/roles/Work/child_workflow",
        "SIGMA role 'Work' of workflow 'B' makes nesting circular: B -> Minimal -> B",
      ],
    ]);
    const self = a.replace("child_workflow: B", "child_workflow: Minimal");
    expect(issuesOf(self)).toEqual([
      expect.objectContaining({ rule: 10, message: expect.stringMatching(/Minimal -> Minimal$/) }),
    ]);
  });

  it("lets the file's version of a workflow replace the stored one when looking for cycles", () => {
    const a = edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      "{ name: Work, type: SIGMA, strategy: HOMOGENEOUS, child_workflow: B }",
    );
    const b = MINIMAL.replace("name: Minimal", "name: B");
    // The store's B nests Minimal; the B in the file no longer does.
    const store = {
      storedWorkflow: (n: string) => (n === "B" ? { name: "B", childWorkflows: ["Minimal"] } : undefined),
    };
    expect(issuesOf(a, store)).toEqual([expect.objectContaining({ rule: 10 })]);
    expect(issuesOf(`${a}---\n${b}`, store)).toEqual([]);
  });

  it("does not blame a reference to a workflow of the same file that has shape problems", () => {
    const a = edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      "{ name: Work, type: SIGMA, strategy: HOMOGENEOUS, child_workflow: B }",
    );
    const b = edit(MINIMAL.replace("name: Minimal", "name: B"), "{ name: Done }", "{ name: Done, colour: red }");
    const { issues, workflows } = blueprintIssues(`${a}---\n${b}`, NO_STORE);
    expect(issues.map((i) => [i.rule, i.path])).toEqual([[0, "B/interactions/Done/colour"]]);
    expect(workflows).toEqual([]);
  });

  it("counts conditional COMPOSITE and TTL_CHECK guardians as routing conditions (rule 8)", () => {
    const composite = `{ type: COMPOSITE, config: { all: [{ type: PASS_THRU }, { type: DIRECTIONAL_FILTER, config: { condition: "urgent" } }] } }`;
    const ttl = `{ type: TTL_CHECK, config: { field: received_at, max_age_seconds: 60 } }`;
    expect(issuesOf(workRoutes(route("A", "Done", composite), route("B", "Errors", ttl), route("C", "Done")))).toEqual(
      [],
    );
    const passOnly = `{ type: COMPOSITE, config: { any: [{ type: PASS_THRU }] } }`;
    expect(issuesOf(workRoutes(route("A", "Done", passOnly), route("C", "Done")))).toEqual([
      expect.objectContaining({ rule: 8, path: "Minimal/components/C" }),
    ]);
  });

  it("checks guardian config shapes (rule 12), nested conditions (rule 9) and nested types (rule 3)", () => {
    const cases: [string, number, RegExp][] = [
      [`{ type: COMPOSITE, config: { all: [], any: [] } }`, 12, /exactly one of 'all' or 'any'/],
      [`{ type: COMPOSITE, config: { any: [] } }`, 12, /'any' must be a non-empty list/],
      [`{ type: COMPOSITE, config: { any: [{ type: CERBERUS }] } }`, 12, /CERBERUS cannot be part of a COMPOSITE/],
      [`{ type: COMPOSITE, config: { any: [{ type: GATE }] } }`, 3, /unknown guardian type 'GATE'/],
      [
        `{ type: COMPOSITE, config: { any: [{ type: CRITERIA_GATE, config: { condition: "a ==" } }] } }`,
        9,
        /condition "a ==" does not parse at column 5/,
      ],
      [`{ type: COMPOSITE, config: { any: [{ type: TTL_CHECK, config: { field: t } }] } }`, 12, /max_age_seconds/],
      [`{ type: TTL_CHECK, config: { field: t, max_age_seconds: 0 } }`, 12, /max_age_seconds/],
      [`{ type: TTL_CHECK, config: { max_age_seconds: 10 } }`, 12, /TTL_CHECK needs config 'field'/],
      [`{ type: CRITERIA_GATE }`, 12, /CRITERIA_GATE needs config \{ condition/],
      [`{ type: DIRECTIONAL_FILTER, config: { condition: "ok", extra: 1 } }`, 12, /unknown key 'extra'/],
    ];
    for (const [guardian, rule, message] of cases) {
      const text = workRoutes(
        route("A", "Done", guardian),
        route("B", "Errors", `{ type: CRITERIA_GATE, config: { condition: "failed" } }`),
      );
      const issues = issuesOf(text);
      expect(issues, guardian).toEqual([
        {
          rule,
          path: "Minimal/components/A/guardians/A_guard/config",
          line: lineWith(text, "name: A,"),
          message: expect.stringMatching(message),
        },
      ]);
      expect(issues[0]?.message).toMatch(/^guardian 'A_guard' of component 'A' in workflow 'Minimal': /);
    }
  });

  it("checks CERBERUS dispositions and placement", () => {
    const finish = (config: string): string =>
      edit(MINIMAL, "guardian: { type: CERBERUS }", `guardian: { type: CERBERUS, config: ${config} }`);
    expect(issuesOf(finish("{ child_disposition: PRUNE }"))).toEqual([]);
    expect(issuesOf(finish("{ child_disposition: ARCHIVE }"))).toEqual([]);
    expect(issuesOf(finish(`{ child_disposition: SELECTIVE, keep_if: "score > 5" }`))).toEqual([]);
    expect(issuesOf(finish(`{ child_disposition: PRUNE, keep_if: "x" }`))).toEqual([
      expect.objectContaining({
        rule: 12,
        message: expect.stringMatching(/'keep_if' is only for child_disposition SELECTIVE, not PRUNE/),
      }),
    ]);
    expect(issuesOf(finish(`{ child_disposition: SELECTIVE, keep_if: "score >" }`))).toEqual([
      expect.objectContaining({ rule: 9, message: expect.stringMatching(/column 8/) }),
    ]);
    expect(issuesOf(finish(`{ child_disposition: SHRED }`))).toEqual([
      expect.objectContaining({
        rule: 12,
        message: expect.stringMatching(/child_disposition must be one of ARCHIVE, PRUNE, SELECTIVE/),
      }),
    ]);
    const onWork = edit(
      MINIMAL,
      "{ name: Work_In, role: Work, interaction: Todo, direction: INBOUND }",
      "{ name: Work_In, role: Work, interaction: Todo, direction: INBOUND, guardian: { type: CERBERUS } }",
    );
    expect(issuesOf(onWork)).toEqual([
      expect.objectContaining({
        rule: 12,
        path: "Minimal/components/Work_In/guardians/Work_In_guard",
        message: expect.stringMatching(/only the INBOUND components of the OMEGA role/),
      }),
    ]);
  });

  it("gives the line of a nested condition written in block style", () => {
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
      "          - type: CRITERIA_GATE",
      "            config:",
      '              condition: "retries >"',
    );
    expect(issuesOf(text)).toEqual([
      {
        rule: 9,
        path: "Minimal/components/Work_Fail/guardians/Work_Fail_guard/config",
        line: lineWith(text, "retries >"),
        message: expect.stringMatching(/condition "retries >" does not parse at column 10/),
      },
    ]);
  });

  it("reports a cycle hidden next to a guarded one", () => {
    // Work -> Todo -> Work unguarded, although Work also has a guarded loop through Errors.
    const text = workRoutes(
      route("Again", "Todo", `{ type: DIRECTIONAL_FILTER, config: { condition: "again" } }`),
      route("Out", "Done", `{ type: DIRECTIONAL_FILTER, config: { condition: "done" } }`),
      route("Loop", "Todo"),
    );
    expect(issuesOf(text).filter((i) => i.rule === 11)).toEqual([
      expect.objectContaining({
        path: "Minimal/roles/Work",
        message: expect.stringMatching(/components Work_In, Loop/),
      }),
    ]);
  });

  it("returns workflows only when there is no issue", () => {
    expect(blueprintIssues(MINIMAL, NO_STORE).workflows.map((w) => w.name)).toEqual(["Minimal"]);
    const broken = edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", "{ name: Work, type: BETA }");
    expect(blueprintIssues(broken, NO_STORE)).toEqual({
      workflows: [],
      issues: [expect.objectContaining({ rule: 2 })],
    });
  });
});

describe("the order and selection of issues", () => {
  it("reports a mistyped role name alone, with the closest known name, and no reachability follow-ons", () => {
    const text = edit(MINIMAL, "{ name: Work_Out, role: Work,", "{ name: Work_Out, role: Wokr,");
    expect(issuesOf(text)).toEqual([
      {
        rule: 4,
        path: "Minimal/components/Work_Out/role",
        line: lineWith(text, "name: Work_Out"),
        message: "component 'Work_Out' of workflow 'Minimal' names unknown role 'Wokr' (did you mean 'Work'?)",
      },
    ]);
  });

  it("suggests the closest interaction and top-level guardian component, and nothing for a name far from all", () => {
    const typo = edit(MINIMAL, "role: Work, interaction: Done,", "role: Work, interaction: Dnoe,");
    expect(issuesOf(typo).map((i) => i.message)).toEqual([
      "component 'Work_Out' of workflow 'Minimal' names unknown interaction 'Dnoe' (did you mean 'Done'?)",
    ]);
    const far = edit(MINIMAL, "role: Work, interaction: Done,", "role: Work, interaction: Shipping,");
    expect(issuesOf(far).map((i) => i.message)).toEqual([
      "component 'Work_Out' of workflow 'Minimal' names unknown interaction 'Shipping'",
    ]);
    const guardian = `${MINIMAL}guardians:\n  - { component: Wrk_In, type: PASS_THRU }\n`;
    expect(issuesOf(guardian).map((i) => i.message)).toEqual([
      expect.stringMatching(/names unknown component 'Wrk_In' \(did you mean 'Work_In'\?\)$/),
    ]);
  });

  it("reports structural issues (rules 0-4) before the others, even when they are further down", () => {
    // Rule 7 on line 19 (EPSILON's input without a guardian), rule 4 on line 22 (a repeated name).
    const text = insertAfter(
      edit(MINIMAL, "direction: INBOUND, guardian: { type: PASS_THRU } }", "direction: INBOUND }"),
      "name: Watch_Out,",
      "  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }",
    );
    const issues = issuesOf(text);
    expect(issues.map((i) => i.rule)).toEqual([4, 7]);
    expect(issues[0]!.line).toBeGreaterThan(issues[1]!.line!);
  });

  it("keeps reachability issues when every reference resolves", () => {
    const text = edit(MINIMAL, "{ name: Work_Out, role: Work,", "{ name: Work_Out, role: Repair,");
    expect(issuesOf(text).map((i) => i.rule)).toContain(11);
  });
});
