/**
 * The numbered rules (listed in docs/blueprint.md) over parsed workflows, and `blueprintIssues`,
 * which the import calls: parse, then validate the documents that parsed.
 */
import type { ValidationIssue } from "../errors.js";
import type { BlueprintWorkflow } from "./model.js";
import { nestingProblems, type StoredWorkflowLookup } from "./nesting.js";
import { parseBlueprintDocuments, type ParsedWorkflow } from "./parse.js";
import { checkWorkflow, WorkflowReport } from "./workflow-rules.js";

export type { StoredWorkflowLookup } from "./nesting.js";

export interface ValidateOptions {
  /**
   * Other workflows of the same file that are not validated (they had shape problems) but
   * still exist: their names count for uniqueness, child workflow references and cycles.
   */
  alsoInFile?: ParsedWorkflow[];
}

/** The rules from 1 on over workflows that parsed; every violation, with rule, path and line. */
export function validateWorkflows(
  parsed: ParsedWorkflow[],
  context: StoredWorkflowLookup,
  options: ValidateOptions = {},
): ValidationIssue[] {
  const others = options.alsoInFile ?? [];
  const perWorkflow = parsed.map((): ValidationIssue[] => []);
  uniqueWorkflowNames(parsed, others, perWorkflow);
  parsed.forEach((p, i) => checkWorkflow(p, perWorkflow[i] ?? []));
  for (const problem of nestingProblems(
    parsed.map((p) => p.workflow),
    others.map((p) => p.workflow),
    context,
  )) {
    const p = parsed[problem.workflow];
    const out = perWorkflow[problem.workflow];
    if (p === undefined || out === undefined) continue;
    const role = p.workflow.roles[problem.role];
    const path = `roles/${role?.name ?? ""}/child_workflow`;
    const where = `roles/#${problem.role + 1}/child_workflow`;
    const what = `SIGMA role '${role?.name ?? ""}' of workflow '${p.workflow.name}'`;
    const message =
      problem.kind === "unknown"
        ? `${what} runs workflow '${problem.child}', which is neither in this file nor in the template store`
        : `${what} makes nesting circular: ${problem.chain.join(" -> ")}`;
    new WorkflowReport(p, out).add(10, path, where, message);
  }
  return perWorkflow.flatMap((issues, i) => readingOrder(withoutFollowOns(issues, parsed[i]?.workflow)));
}

/** Rules 0-4: the shape, enums and names; what a reader must fix before the rest makes sense. */
const STRUCTURAL_RULES = 4;

/**
 * Reading order within a workflow: structural issues (rules 0-4) first, then the others; by
 * line within each group (issues without a line last), ties in the order the rules found them.
 */
function readingOrder(issues: ValidationIssue[]): ValidationIssue[] {
  const group = (issue: ValidationIssue): number => (issue.rule <= STRUCTURAL_RULES ? 0 : 1);
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort(
      (a, b) =>
        group(a.issue) - group(b.issue) || (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.order - b.order,
    )
    .map(({ issue }) => issue);
}

/**
 * A component naming an unknown role or interaction (rule 4) is left out of the graph, so the
 * reachability rule (11) then reports roles cut off by the typo rather than by the design:
 * while such a reference is unresolved, rule 11 issues are left out (they come back, if still
 * true, once the name is fixed).
 */
function withoutFollowOns(issues: ValidationIssue[], workflow: BlueprintWorkflow | undefined): ValidationIssue[] {
  if (workflow === undefined) return issues;
  const roles = new Set(workflow.roles.map((r) => r.name));
  const interactions = new Set(workflow.interactions.map((x) => x.name));
  const unresolved = workflow.components.some((c) => !roles.has(c.role) || !interactions.has(c.interaction));
  return unresolved ? issues.filter((issue) => issue.rule !== 11) : issues;
}

/** Rule 4: a workflow name appears once in a file. */
function uniqueWorkflowNames(
  parsed: ParsedWorkflow[],
  others: ParsedWorkflow[],
  perWorkflow: ValidationIssue[][],
): void {
  const all = [...parsed, ...others].sort((a, b) => a.document - b.document);
  const firstDocument = new Map<string, number>();
  for (const p of all) {
    const first = firstDocument.get(p.workflow.name);
    if (first === undefined) {
      firstDocument.set(p.workflow.name, p.document);
      continue;
    }
    const i = parsed.indexOf(p);
    const out = perWorkflow[i];
    if (out === undefined) continue; // a duplicate among the unvalidated documents: reported with them once fixed
    new WorkflowReport(p, out).add(
      4,
      "workflow/name",
      "workflow/name",
      `workflow name '${p.workflow.name}' of document ${p.document} is already used by document ${first} of this file`,
    );
  }
}

/**
 * Parses and validates a blueprint text: what the import calls. `workflows` is filled only
 * when there is no issue at all, so that an all-or-nothing import cannot store a broken file.
 */
export function blueprintIssues(
  text: string,
  context: StoredWorkflowLookup,
): { workflows: BlueprintWorkflow[]; issues: ValidationIssue[] } {
  const { documents, issues } = parseBlueprintDocuments(text);
  const ready = documents.flatMap((d) => (!d.blocking && d.parsed ? [d.parsed] : []));
  const others = documents.flatMap((d) => (d.blocking && d.parsed ? [d.parsed] : []));
  issues.push(...validateWorkflows(ready, context, { alsoInFile: others }));
  return { workflows: issues.length === 0 ? ready.map((p) => p.workflow) : [], issues };
}
