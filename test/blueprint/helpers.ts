/** Shared fixtures for the blueprint tests. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ValidationIssue } from "../../src/errors.js";
import { blueprintIssues, type StoredWorkflowLookup } from "../../src/blueprint/validate.js";

export const EXAMPLE_FILES = ["minimal.yml", "invoice_approval.yml", "nested_order.yml", "review_loop.yml"] as const;

export function exampleText(file: string): string {
  return readFileSync(fileURLToPath(new URL(`../../examples/${file}`, import.meta.url)), "utf8");
}

export const NO_STORE: StoredWorkflowLookup = { storedWorkflow: () => undefined };

/** minimal.yml without comments and descriptions: the base every rule test mutates. */
export const MINIMAL = `workflow:
  name: Minimal
roles:
  - { name: Start, type: ALPHA }
  - { name: Work, type: BETA, strategy: HOMOGENEOUS }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: Todo, stale_token_limit_seconds: 600 }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Out, role: Start, interaction: Todo, direction: OUTBOUND }
  - { name: Work_In, role: Work, interaction: Todo, direction: INBOUND }
  - { name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

/** Replaces exactly one occurrence (the test fails loudly if the fixture drifted). */
export function edit(text: string, find: string, replace: string): string {
  const at = text.indexOf(find);
  if (at < 0 || text.indexOf(find, at + 1) >= 0) throw new Error(`fixture: '${find}' must occur exactly once`);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}

/** Inserts `lines` after the line containing `after`. */
export function insertAfter(text: string, after: string, ...lines: string[]): string {
  const rows = text.split("\n");
  const i = rows.findIndex((r) => r.includes(after));
  if (i < 0) throw new Error(`fixture: no line contains '${after}'`);
  rows.splice(i + 1, 0, ...lines);
  return rows.join("\n");
}

/** 1-based line of the only line containing `needle`. */
export function lineWith(text: string, needle: string): number {
  const rows = text.split("\n");
  const found = rows.flatMap((r, i) => (r.includes(needle) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`fixture: '${needle}' is on ${found.length} lines`);
  return found[0] as number;
}

export function issuesOf(text: string, context: StoredWorkflowLookup = NO_STORE): ValidationIssue[] {
  return blueprintIssues(text, context).issues;
}

/**
 * MINIMAL in the Python prototype's layout: the sections under `workflow:`, beside `version`
 * and `schema_json`.
 */
export function prototypeLayout(text: string, header = '  version: "2.1"\n  schema_json: { old: true }\n'): string {
  const [head, ...rest] = text.split(/\n(?=roles:)/);
  const body = rest
    .join("\n")
    .split("\n")
    .map((l) => (l === "" ? l : `  ${l}`))
    .join("\n");
  return `${head}\n${header}${body}`;
}
