/**
 * One failing blueprint per rule (0-13 from ENGINE.md section 3, the project's own from 14 on,
 * all listed in docs/blueprint.md), each derived from minimal.yml, with the expected rule,
 * path and line, and its fixed version passing.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { StoredWorkflowLookup } from "../../src/blueprint/validate.js";
import { edit, insertAfter, issuesOf, lineWith, MINIMAL, NO_STORE } from "./helpers.js";

interface RuleCase {
  title: string;
  broken: string;
  /** The issue that must be reported. */
  rule: number;
  path: string;
  /** Text of the line the issue must point at. */
  at: string;
  message?: RegExp;
  /** The rules reported, when the case is free of follow-on issues. */
  rules?: number[];
  fixed: string;
  /** The template store seen by the broken and the fixed version (none by default). */
  context?: StoredWorkflowLookup;
  fixedContext?: StoredWorkflowLookup;
}

const WORK_FAIL = "  - { name: Work_Fail, role: Work, interaction: Errors, direction: OUTBOUND }";
const guardedWorkFail = (condition: string): string =>
  `  - { name: Work_Fail, role: Work, interaction: Errors, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: ${JSON.stringify(condition)} } } }`;
const withRepairGuard = (guardian: string): string =>
  edit(MINIMAL, "guardian: { type: PASS_THRU } }", `guardian: ${guardian} }`);
const stored = (name: string, childWorkflows: string[]): StoredWorkflowLookup => ({
  storedWorkflow: (n) => (n === name ? { name, childWorkflows } : undefined),
});
const SIGMA_WORK = "{ name: Work, type: SIGMA, strategy: HOMOGENEOUS, child_workflow: Sub }";

const cases: RuleCase[] = [
  {
    title: "0: an unknown key is named",
    broken: edit(MINIMAL, "strategy: HOMOGENEOUS", "strateg: HOMOGENEOUS"),
    rule: 0,
    path: "Minimal/roles/Work/strateg",
    at: "name: Work,",
    message: /unknown key 'strateg' in role 'Work' of workflow 'Minimal' \(did you mean 'strategy'\?\)/,
    rules: [0],
    fixed: MINIMAL,
  },
  {
    title: "0: a required field is missing",
    broken: edit(MINIMAL, "{ name: Done }", "{ description: no name }"),
    rule: 0,
    path: "Minimal/interactions/#2",
    at: "{ description: no name }",
    message: /interaction #2 of workflow 'Minimal' has no name/,
    rules: [0],
    fixed: MINIMAL,
  },
  {
    title: "0: YAML syntax",
    broken: edit(MINIMAL, "{ name: Done }", "{ name: Done "),
    rule: 0,
    path: "document 1",
    at: "  - { name: Errors }",
    fixed: MINIMAL,
  },
  {
    title: "1: a second TAU role",
    broken: insertAfter(
      insertAfter(MINIMAL, "name: Watch, type: TAU", "  - { name: Watch2, type: TAU }"),
      "name: Watch_In,",
      "  - { name: Watch2_In, role: Watch2, interaction: Stale, direction: INBOUND }",
    ),
    rule: 1,
    path: "Minimal/roles/Watch2",
    at: "name: Watch2, type: TAU",
    message: /workflow 'Minimal' has 2 TAU roles \(Watch, Watch2\)/,
    rules: [1],
    fixed: MINIMAL,
  },
  {
    title: "2: a processing role without strategy",
    broken: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", "{ name: Work, type: BETA }"),
    rule: 2,
    path: "Minimal/roles/Work",
    at: "name: Work,",
    message: /^role 'Work' of workflow 'Minimal' has no strategy/,
    rules: [2],
    fixed: MINIMAL,
  },
  {
    title: "2: a strategy on a non-processing role",
    broken: edit(MINIMAL, "{ name: Start, type: ALPHA }", "{ name: Start, type: ALPHA, strategy: HETEROGENEOUS }"),
    rule: 2,
    path: "Minimal/roles/Start/strategy",
    at: "name: Start,",
    rules: [2],
    fixed: MINIMAL,
  },
  {
    title: "3: an unknown direction",
    broken: edit(MINIMAL, "interaction: Todo, direction: OUTBOUND", "interaction: Todo, direction: OUTWARD"),
    rule: 3,
    path: "Minimal/components/Start_Out/direction",
    at: "name: Start_Out,",
    message: /unknown direction 'OUTWARD'/,
    rules: [3],
    fixed: MINIMAL,
  },
  {
    title: "3: an unknown guardian type is an error, not a default",
    broken: withRepairGuard("{ type: PASS_THROUGH }"),
    rule: 3,
    path: "Minimal/components/Repair_In/guardians/Repair_In_guard/type",
    at: "name: Repair_In,",
    rules: [3],
    fixed: MINIMAL,
  },
  {
    title: "4: a duplicate interaction name",
    broken: insertAfter(MINIMAL, "{ name: Stale }", "  - { name: Done, description: again }"),
    rule: 4,
    path: "Minimal/interactions/Done",
    at: "description: again",
    rules: [4],
    fixed: MINIMAL,
  },
  {
    title: "4: a reference to an unknown interaction",
    broken: edit(MINIMAL, "role: Watch, interaction: Errors", "role: Watch, interaction: Error"),
    rule: 4,
    path: "Minimal/components/Watch_Out/interaction",
    at: "name: Watch_Out,",
    message: /component 'Watch_Out' of workflow 'Minimal' names unknown interaction 'Error'/,
    fixed: MINIMAL,
  },
  {
    title: "5: an interaction nobody reads or writes",
    broken: insertAfter(MINIMAL, "{ name: Stale }", "  - { name: Limbo }"),
    rule: 5,
    path: "Minimal/interactions/Limbo",
    at: "name: Limbo",
    message: /interaction 'Limbo' of workflow 'Minimal' has no consumer/,
    rules: [5],
    fixed: MINIMAL,
  },
  {
    title: "6: ALPHA with an INBOUND component",
    broken: insertAfter(
      MINIMAL,
      "name: Start_Out,",
      "  - { name: Start_In, role: Start, interaction: Stale, direction: INBOUND }",
    ),
    rule: 6,
    path: "Minimal/components/Start_In",
    at: "name: Start_In,",
    rules: [6],
    fixed: MINIMAL,
  },
  {
    title: "7: EPSILON's input without a guardian",
    broken: edit(MINIMAL, ", guardian: { type: PASS_THRU } }", " }"),
    rule: 7,
    path: "Minimal/components/Repair_In",
    at: "name: Repair_In,",
    rules: [7],
    fixed: MINIMAL,
  },
  {
    title: "7: OMEGA's input without CERBERUS",
    broken: edit(MINIMAL, "guardian: { type: CERBERUS }", "guardian: { type: PASS_THRU }"),
    rule: 7,
    path: "Minimal/components/Finish_In",
    at: "name: Finish_In,",
    rules: [7],
    fixed: MINIMAL,
  },
  {
    title: "8: two default routes out of a processing role",
    broken: insertAfter(MINIMAL, "name: Work_Out,", WORK_FAIL),
    rule: 8,
    path: "Minimal/components/Work_Fail",
    at: "name: Work_Fail,",
    message: /role 'Work' already has a default route/,
    rules: [8],
    fixed: insertAfter(MINIMAL, "name: Work_Out,", guardedWorkFail("broken == true")),
  },
  {
    title: "9: a condition that does not parse, with its column",
    broken: insertAfter(MINIMAL, "name: Work_Out,", guardedWorkFail("score >")),
    rule: 9,
    path: "Minimal/components/Work_Fail/guardians/Work_Fail_guard/config",
    at: "name: Work_Fail,",
    message: /condition "score >" does not parse at column 8/,
    rules: [9],
    fixed: insertAfter(MINIMAL, "name: Work_Out,", guardedWorkFail("score > 3")),
  },
  {
    title: "9: an unknown function",
    broken: insertAfter(MINIMAL, "name: Work_Out,", guardedWorkFail("size(items) > 3")),
    rule: 9,
    path: "Minimal/components/Work_Fail/guardians/Work_Fail_guard/config",
    at: "name: Work_Fail,",
    message: /column 1/,
    rules: [9],
    fixed: insertAfter(MINIMAL, "name: Work_Out,", guardedWorkFail("len(items) > 3")),
  },
  {
    title: "10: a SIGMA role running an unknown workflow",
    broken: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", SIGMA_WORK),
    rule: 10,
    path: "Minimal/roles/Work/child_workflow",
    at: "name: Work,",
    message: /runs workflow 'Sub', which is neither in this file nor in the template store/,
    rules: [10],
    fixed: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", SIGMA_WORK),
    fixedContext: stored("Sub", []),
  },
  {
    title: "10: nesting that comes back to itself through the store",
    broken: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", SIGMA_WORK),
    context: stored("Sub", ["Minimal"]),
    rule: 10,
    path: "Minimal/roles/Work/child_workflow",
    at: "name: Work,",
    message: /nesting circular: Minimal -> Sub -> Minimal/,
    rules: [10],
    fixed: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", SIGMA_WORK),
    fixedContext: stored("Sub", ["Other"]),
  },
  {
    title: "10: a child_workflow on a role that is not SIGMA",
    broken: edit(
      MINIMAL,
      "type: BETA, strategy: HOMOGENEOUS }",
      "type: BETA, strategy: HOMOGENEOUS, child_workflow: Sub }",
    ),
    context: stored("Sub", []),
    rule: 10,
    path: "Minimal/roles/Work/child_workflow",
    at: "name: Work,",
    rules: [10],
    fixed: MINIMAL,
  },
  {
    title: "11: a loop with no conditional component",
    broken: insertAfter(
      edit(
        MINIMAL,
        "{ name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }",
        guardedWorkOut("done == true"),
      ),
      "name: Work_Out,",
      "  - { name: Work_Again, role: Work, interaction: Todo, direction: OUTBOUND }",
    ),
    rule: 11,
    path: "Minimal/roles/Work",
    at: "name: Work,",
    message:
      /role 'Work' of workflow 'Minimal' form a cycle \(components Work_In, Work_Again\) with no conditional component/,
    rules: [11],
    fixed: insertAfter(
      MINIMAL,
      "name: Work_Out,",
      '  - { name: Work_Again, role: Work, interaction: Todo, direction: OUTBOUND, guardian: { type: CRITERIA_GATE, config: { condition: "round < 3" } } }',
    ),
  },
  {
    title: "11: a role that cannot reach OMEGA",
    broken: insertAfter(
      insertAfter(MINIMAL, "name: Work, type: BETA", "  - { name: Sink, type: AUTO, strategy: HOMOGENEOUS }"),
      "name: Work_In,",
      "  - { name: Sink_In, role: Sink, interaction: Todo, direction: INBOUND }",
    ),
    rule: 11,
    path: "Minimal/roles/Sink",
    at: "name: Sink,",
    message: /OMEGA role 'Finish' of workflow 'Minimal' cannot be reached from role 'Sink'/,
    rules: [11],
    fixed: MINIMAL,
  },
  {
    title: "11: a role ALPHA cannot reach",
    broken: insertAfter(
      insertAfter(MINIMAL, "name: Work, type: BETA", "  - { name: Orphan, type: AUTO, strategy: HOMOGENEOUS }"),
      "name: Work_Out,",
      "  - { name: Orphan_Out, role: Orphan, interaction: Done, direction: OUTBOUND }",
    ),
    rule: 11,
    path: "Minimal/roles/Orphan",
    at: "name: Orphan,",
    message: /role 'Orphan' of workflow 'Minimal' cannot be reached from ALPHA role 'Start'/,
    rules: [11],
    fixed: MINIMAL,
  },
  {
    title: "12: PASS_THRU with a config",
    broken: withRepairGuard("{ type: PASS_THRU, config: { condition: 'x' } }"),
    rule: 12,
    path: "Minimal/components/Repair_In/guardians/Repair_In_guard/config",
    at: "name: Repair_In,",
    message: /PASS_THRU takes no config/,
    rules: [12],
    fixed: withRepairGuard("{ type: PASS_THRU, config: {} }"),
  },
  {
    title: "12: CERBERUS SELECTIVE without keep_if",
    broken: edit(
      MINIMAL,
      "guardian: { type: CERBERUS }",
      "guardian: { type: CERBERUS, config: { child_disposition: SELECTIVE } }",
    ),
    rule: 12,
    path: "Minimal/components/Finish_In/guardians/Finish_In_guard/config",
    at: "name: Finish_In,",
    rules: [12],
    fixed: edit(
      MINIMAL,
      "guardian: { type: CERBERUS }",
      `guardian: { type: CERBERUS, config: { child_disposition: SELECTIVE, keep_if: "keep == true" } }`,
    ),
  },
  {
    title: "12: CERBERUS on an OUTBOUND component",
    broken: edit(
      MINIMAL,
      "{ name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }",
      "{ name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND, guardian: { type: CERBERUS } }",
    ),
    rule: 12,
    path: "Minimal/components/Repair_Out/guardians/Repair_Out_guard",
    at: "name: Repair_Out,",
    message: /CERBERUS is not allowed on an OUTBOUND component/,
    rules: [12],
    fixed: MINIMAL,
  },
  {
    title: "13: EPSILON with two INBOUND interactions",
    broken: insertAfter(
      insertAfter(MINIMAL, "{ name: Stale }", "  - { name: Errors2 }"),
      "name: Repair_In,",
      "  - { name: Repair_In2, role: Repair, interaction: Errors2, direction: INBOUND, guardian: { type: PASS_THRU } }",
    ),
    rule: 13,
    path: "Minimal/roles/Repair",
    at: "name: Repair,",
    message:
      /EPSILON role 'Repair' of workflow 'Minimal' must have exactly one INBOUND interaction; it has 2 \(Errors, Errors2\)/,
    rules: [13],
    fixed: MINIMAL,
  },
  {
    title: "13: OMEGA with two INBOUND interactions",
    broken: insertAfter(
      insertAfter(MINIMAL, "{ name: Stale }", "  - { name: Done2 }"),
      "name: Finish_In,",
      "  - { name: Finish_In2, role: Finish, interaction: Done2, direction: INBOUND, guardian: { type: CERBERUS } }",
      "  - { name: Repair_Out2, role: Repair, interaction: Done2, direction: OUTBOUND }",
    ),
    rule: 13,
    path: "Minimal/roles/Finish",
    at: "name: Finish,",
    rules: [13],
    fixed: MINIMAL,
  },
  {
    title: "14: EPSILON and TAU share one INBOUND interaction",
    broken: edit(
      edit(MINIMAL, "  - { name: Stale }\n", ""),
      "  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }\n  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }",
      "  - { name: Watch_In, role: Watch, interaction: Errors, direction: INBOUND }\n  - { name: Watch_Out, role: Watch, interaction: Done, direction: OUTBOUND }",
    ),
    rule: 14,
    path: "Minimal/components/Watch_In",
    at: "name: Watch_In,",
    message:
      /component 'Watch_In' of workflow 'Minimal' makes TAU role 'Watch' pull from interaction 'Errors', the INBOUND interaction of EPSILON role 'Repair'; EPSILON and TAU each need an INBOUND interaction of their own/,
    rules: [14],
    fixed: MINIMAL,
  },
  {
    title: "14: a processing role pulls from TAU's INBOUND interaction",
    broken: insertAfter(
      MINIMAL,
      "name: Work_In,",
      "  - { name: Work_Late, role: Work, interaction: Stale, direction: INBOUND }",
      '  - { name: Work_Late_Out, role: Work, interaction: Stale, direction: OUTBOUND, guardian: { type: CRITERIA_GATE, config: { condition: "late == true" } } }',
    ),
    rule: 14,
    path: "Minimal/components/Work_Late",
    at: "name: Work_Late,",
    message: /makes BETA role 'Work' pull from interaction 'Stale', the INBOUND interaction of TAU role 'Watch'/,
    rules: [14],
    fixed: MINIMAL,
  },
  {
    title: "15: a role's lease_seconds is not a positive whole number",
    broken: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("lease_seconds: 0")),
    rule: 15,
    path: "Minimal/roles/Work/config/lease_seconds",
    at: "lease_seconds: 0",
    message:
      /'lease_seconds' of role 'Work' of workflow 'Minimal' must be a whole number of seconds from 1 to 2592000, not 0/,
    rules: [15],
    fixed: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("lease_seconds: 60")),
  },
  {
    title: "15: a role's lease_seconds is over the engine's lease range",
    broken: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("lease_seconds: 2592001")),
    rule: 15,
    path: "Minimal/roles/Work/config/lease_seconds",
    at: "lease_seconds: 2592001",
    rules: [15],
    fixed: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("lease_seconds: 2592000")),
  },
  {
    title: "15: a role's max_attempts is not a whole number from 1 to 1000",
    broken: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("max_attempts: 1.5")),
    rule: 15,
    path: "Minimal/roles/Work/config/max_attempts",
    at: "max_attempts: 1.5",
    message: /'max_attempts' of role 'Work' of workflow 'Minimal' must be a whole number of checkouts from 1 to 1000/,
    rules: [15],
    fixed: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("max_attempts: 1")),
  },
  {
    title: "16: two fields of a form have the same key",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: ok, type: boolean }\n        - { key: ok, type: text }"),
    ),
    rule: 16,
    path: "Minimal/roles/Work/config/form/1/key",
    at: "- { key: ok, type: text }",
    message: /field 'ok' of the form of role 'Work' of workflow 'Minimal' repeats key 'ok'/,
    rules: [16],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: ok, type: boolean }\n        - { key: note, type: text }"),
    ),
  },
  {
    title: "16: a form field has an unknown type",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: n, type: integer }"),
    ),
    rule: 16,
    path: "Minimal/roles/Work/config/form/0/type",
    at: "- { key: n, type: integer }",
    message:
      /field 'n' of the form of role 'Work' of workflow 'Minimal' has type "integer"; expected one of number, text, boolean, choice, json/,
    rules: [16],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: n, type: number }"),
    ),
  },
  {
    title: "16: a choice field has no choices",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: c, type: choice, choices: [] }"),
    ),
    rule: 16,
    path: "Minimal/roles/Work/config/form/0/choices",
    at: "- { key: c, type: choice, choices: [] }",
    message: /field 'c' .* is a choice and needs a non-empty list of 'choices'/,
    rules: [16],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: c, type: choice, choices: [a, b] }"),
    ),
  },
  {
    title: "16: a field that is not a choice has choices",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: t, type: text, choices: [a] }"),
    ),
    rule: 16,
    path: "Minimal/roles/Work/config/form/0/choices",
    at: "- { key: t, type: text, choices: [a] }",
    message: /has 'choices' but is not of type choice/,
    rules: [16],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: t, type: text }"),
    ),
  },
  {
    title: "16: a field's default is not of its type",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: c, type: choice, choices: [a, b], default: z }"),
    ),
    rule: 16,
    path: "Minimal/roles/Work/config/form/0/default",
    at: "- { key: c, type: choice, choices: [a, b], default: z }",
    message: /'default' of field 'c' of the form of role 'Work' of workflow 'Minimal' is "z", not one of "a", "b"/,
    rules: [16],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("form:\n        - { key: c, type: choice, choices: [a, b], default: b }"),
    ),
  },
  {
    title: "17: a role's retry has an unknown backoff",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("retry: { backoff: linear, initial_seconds: 5 }"),
    ),
    rule: 17,
    path: "Minimal/roles/Work/config/retry/backoff",
    at: "retry: { backoff: linear, initial_seconds: 5 }",
    message: /'retry.backoff' of role 'Work' of workflow 'Minimal' must be one of fixed, exponential, not "linear"/,
    rules: [17],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("retry: { backoff: fixed, initial_seconds: 5 }"),
    ),
  },
  {
    title: "17: an exponential retry's max_seconds is below its initial_seconds",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("retry: { backoff: exponential, initial_seconds: 60, max_seconds: 30 }"),
    ),
    rule: 17,
    path: "Minimal/roles/Work/config/retry/max_seconds",
    at: "retry: { backoff: exponential, initial_seconds: 60, max_seconds: 30 }",
    message: /'retry.max_seconds' of role 'Work' of workflow 'Minimal' \(30\) is less than its initial_seconds \(60\)/,
    rules: [17],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("retry: { backoff: exponential, initial_seconds: 60, max_seconds: 600 }"),
    ),
  },
  {
    title: "17: a retry without initial_seconds, with an unknown key",
    broken: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("retry: { backoff: fixed, tries: 3 }"),
    ),
    rule: 17,
    path: "Minimal/roles/Work/config/retry/initial_seconds",
    at: "retry: { backoff: fixed, tries: 3 }",
    message: /'retry' of role 'Work' of workflow 'Minimal' needs 'initial_seconds'/,
    rules: [17],
    fixed: edit(
      MINIMAL,
      "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
      workWith("retry: { backoff: fixed, initial_seconds: 1 }"),
    ),
  },
  {
    title: "17: a retry on a role whose units do not wait PENDING",
    broken: edit(
      MINIMAL,
      "{ name: Repair, type: EPSILON }",
      "{ name: Repair, type: EPSILON, config: { retry: { backoff: fixed, initial_seconds: 5 } } }",
    ),
    rule: 17,
    path: "Minimal/roles/Repair/config/retry",
    at: "{ name: Repair, type: EPSILON, config:",
    message: /'retry' of role 'Repair' of workflow 'Minimal' is not allowed: .* is EPSILON/,
    rules: [17],
    fixed: MINIMAL,
  },
  {
    title: "18: a role's due_seconds is not a positive whole number",
    broken: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("due_seconds: 0.5")),
    rule: 18,
    path: "Minimal/roles/Work/config/due_seconds",
    at: "due_seconds: 0.5",
    message:
      /'due_seconds' of role 'Work' of workflow 'Minimal' must be a whole number of seconds from 1 to 31536000, not 0.5/,
    rules: [18],
    fixed: edit(MINIMAL, "{ name: Work, type: BETA, strategy: HOMOGENEOUS }", workWith("due_seconds: 86400")),
  },
  {
    title: "18: due_seconds on OMEGA",
    broken: edit(
      MINIMAL,
      "{ name: Finish, type: OMEGA }",
      "{ name: Finish, type: OMEGA, config: { due_seconds: 60 } }",
    ),
    rule: 18,
    path: "Minimal/roles/Finish/config/due_seconds",
    at: "{ name: Finish, type: OMEGA, config:",
    message: /'due_seconds' of role 'Finish' of workflow 'Minimal' is not allowed/,
    rules: [18],
    fixed: MINIMAL,
  },
];

/** The Work role of minimal.yml as a block, with `settings` (YAML lines at config's indent) in its config. */
function workWith(settings: string): string {
  return `name: Work\n    type: BETA\n    strategy: HOMOGENEOUS\n    config:\n      ${settings}`;
}

function guardedWorkOut(condition: string): string {
  return `{ name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: "${condition}" } } }`;
}

describe("every rule has a failing blueprint and a fixed one", () => {
  it("covers every rule from 0 to 18", () => {
    expect(new Set(cases.map((c) => c.rule))).toEqual(new Set(Array.from({ length: 19 }, (_, i) => i)));
  });

  it("docs/blueprint.md lists every rule, each with its statement", () => {
    const docs = readFileSync(fileURLToPath(new URL("../../docs/blueprint.md", import.meta.url)), "utf8");
    const listed = [...docs.matchAll(/^\| (\d+) +\| (\S.*?) *\|$/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual([...new Set(cases.map((c) => c.rule))].sort((a, b) => a - b));
  });

  for (const c of cases) {
    it(`rule ${c.title}`, () => {
      const context = c.context ?? NO_STORE;
      const issues = issuesOf(c.broken, context);
      expect(issues).toContainEqual(
        expect.objectContaining({ rule: c.rule, path: c.path, line: lineWith(c.broken, c.at) }),
      );
      if (c.message) {
        const match = issues.find((i) => i.rule === c.rule && i.path === c.path);
        expect(match?.message).toMatch(c.message);
      }
      if (c.rules) expect([...new Set(issues.map((i) => i.rule))]).toEqual(c.rules);
      expect(issuesOf(c.fixed, c.fixedContext ?? context)).toEqual([]);
    });
  }
});
