/**
 * Rule 10 across workflows: a SIGMA role's child workflow exists (in the same file or in the
 * template store) and nesting has no cycle. A workflow in the file stands for the newest
 * version of its name, so its SIGMA roles replace what the store says about that name.
 */
import type { BlueprintWorkflow } from "./model.js";

export interface StoredWorkflowLookup {
  storedWorkflow(name: string): { name: string; childWorkflows: string[] } | undefined;
}

export type NestingProblem =
  | { kind: "unknown"; workflow: number; role: number; child: string }
  | { kind: "cycle"; workflow: number; role: number; chain: string[] };

/**
 * Problems of the SIGMA roles of `checked[i]` (reported by index into `checked`); `others`
 * are further workflows of the same file (e.g. with shape problems) that still exist by name.
 */
export function nestingProblems(
  checked: BlueprintWorkflow[],
  others: BlueprintWorkflow[],
  context: StoredWorkflowLookup,
): NestingProblem[] {
  const inFile = new Map<string, BlueprintWorkflow>();
  for (const w of [...checked, ...others]) if (!inFile.has(w.name)) inFile.set(w.name, w);
  const storedCache = new Map<string, string[] | undefined>();
  const children = (name: string): string[] | undefined => {
    const local = inFile.get(name);
    if (local !== undefined)
      return local.roles.flatMap((r) => (r.type === "SIGMA" && r.childWorkflow ? [r.childWorkflow] : []));
    if (!storedCache.has(name)) storedCache.set(name, context.storedWorkflow(name)?.childWorkflows);
    return storedCache.get(name);
  };

  const problems: NestingProblem[] = [];
  checked.forEach((w, workflow) => {
    w.roles.forEach((r, role) => {
      if (r.type !== "SIGMA" || !r.childWorkflow) return;
      if (children(r.childWorkflow) === undefined) {
        problems.push({ kind: "unknown", workflow, role, child: r.childWorkflow });
        return;
      }
      const back = pathTo(r.childWorkflow, w.name, children);
      if (back !== undefined) problems.push({ kind: "cycle", workflow, role, chain: [w.name, ...back] });
    });
  });
  return problems;
}

/** Shortest nesting chain from `start` to `target` (both included), if any. */
function pathTo(start: string, target: string, children: (name: string) => string[] | undefined): string[] | undefined {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const name = queue[k] as string;
    if (name === target) {
      const chain: string[] = [];
      for (let n: string | null | undefined = name; n != null; n = previous.get(n)) chain.unshift(n);
      return chain;
    }
    for (const child of children(name) ?? []) {
      if (!previous.has(child)) {
        previous.set(child, name);
        queue.push(child);
      }
    }
  }
  return undefined;
}
