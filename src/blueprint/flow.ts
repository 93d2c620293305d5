/**
 * Rule 11 on the bipartite graph role -OUTBOUND-> interaction -INBOUND-> role: reachability
 * from ALPHA and to OMEGA, and cycles without a way out.
 *
 * "Every cycle passes a conditional component" holds exactly when the graph left after
 * removing the conditional components has no cycle, so the cycles reported are the strongly
 * connected components of that remaining graph (stricter than "some conditional component
 * somewhere in the SCC", which would let an unconditional loop hide next to a guarded one).
 */
import type { BlueprintWorkflow } from "./model.js";
import { decidesByCondition } from "./guardian-config.js";

export type FlowProblem =
  | { kind: "unreachable"; role: number; from: number }
  | { kind: "no-way-to-omega"; role: number; omega: number }
  | { kind: "cycle"; roles: number[]; components: number[] };

interface Edge {
  from: number;
  to: number;
  component: number;
  conditional: boolean;
}

/** Roles are nodes 0..R-1, interactions R..R+I-1; components whose ends do not resolve are left out. */
function buildGraph(w: BlueprintWorkflow): { size: number; edges: Edge[] } {
  const roleIndex = firstIndex(w.roles.map((r) => r.name));
  const interactionIndex = firstIndex(w.interactions.map((i) => i.name));
  const edges: Edge[] = [];
  w.components.forEach((c, component) => {
    const role = roleIndex.get(c.role);
    const interaction = interactionIndex.get(c.interaction);
    if (role === undefined || interaction === undefined) return;
    const node = w.roles.length + interaction;
    const conditional = c.guardians.some((g) => decidesByCondition(g.type, g.config));
    edges.push(
      c.direction === "OUTBOUND"
        ? { from: role, to: node, component, conditional }
        : { from: node, to: role, component, conditional },
    );
  });
  return { size: w.roles.length + w.interactions.length, edges };
}

export function flowProblems(w: BlueprintWorkflow): FlowProblem[] {
  const { size, edges } = buildGraph(w);
  const problems: FlowProblem[] = [];
  const exempt = (i: number): boolean => {
    const type = w.roles[i]?.type;
    return type === "EPSILON" || type === "TAU";
  };
  const typed = (type: string): number[] => w.roles.flatMap((r, i) => (r.type === type ? [i] : []));

  const alphas = typed("ALPHA");
  const omegas = typed("OMEGA");
  if (alphas.length > 0) {
    const reached = reach(size, edges, alphas, "forward");
    w.roles.forEach((_, i) => {
      if (!reached.has(i) && !exempt(i)) problems.push({ kind: "unreachable", role: i, from: alphas[0] ?? 0 });
    });
  }
  if (omegas.length > 0) {
    const reaching = reach(size, edges, omegas, "backward");
    w.roles.forEach((_, i) => {
      if (!reaching.has(i) && !exempt(i)) problems.push({ kind: "no-way-to-omega", role: i, omega: omegas[0] ?? 0 });
    });
  }

  const loose = edges.filter((e) => !e.conditional);
  for (const scc of stronglyConnected(size, loose)) {
    if (scc.length < 2) continue; // bipartite: no self-loops, so a single node is no cycle
    const members = new Set(scc);
    const roles = scc.filter((n) => n < w.roles.length).sort((a, b) => a - b);
    const components = loose
      .filter((e) => members.has(e.from) && members.has(e.to))
      .map((e) => e.component)
      .sort((a, b) => a - b);
    problems.push({ kind: "cycle", roles, components });
  }
  return problems;
}

function firstIndex(names: string[]): Map<string, number> {
  const map = new Map<string, number>();
  names.forEach((n, i) => {
    if (!map.has(n)) map.set(n, i);
  });
  return map;
}

function reach(size: number, edges: Edge[], start: number[], direction: "forward" | "backward"): Set<number> {
  const next: number[][] = Array.from({ length: size }, () => []);
  for (const e of edges) {
    if (direction === "forward") next[e.from]?.push(e.to);
    else next[e.to]?.push(e.from);
  }
  const seen = new Set(start);
  const queue = [...start];
  for (let k = 0; k < queue.length; k++) {
    for (const m of next[queue[k] as number] ?? []) {
      if (!seen.has(m)) {
        seen.add(m);
        queue.push(m);
      }
    }
  }
  return seen;
}

/** Tarjan's algorithm, iterative so that a large blueprint cannot exhaust the call stack. */
function stronglyConnected(size: number, edges: Edge[]): number[][] {
  const next: number[][] = Array.from({ length: size }, () => []);
  for (const e of edges) next[e.from]?.push(e.to);
  const index = new Array<number>(size).fill(-1);
  const low = new Array<number>(size).fill(0);
  const onStack = new Array<boolean>(size).fill(false);
  const stack: number[] = [];
  const result: number[][] = [];
  let counter = 0;

  for (let root = 0; root < size; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; child: number }[] = [{ node: root, child: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: number; child: number };
      const v = frame.node;
      const successors = next[v] ?? [];
      if (frame.child < successors.length) {
        const w = successors[frame.child++] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ node: w, child: 0 });
        } else if (onStack[w]) {
          low[v] = Math.min(low[v] as number, index[w] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.node] = Math.min(low[parent.node] as number, low[v] as number);
      if (low[v] === index[v]) {
        const scc: number[] = [];
        let w: number | undefined;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          scc.push(w);
        } while (w !== v);
        result.push(scc);
      }
    }
  }
  return result;
}
