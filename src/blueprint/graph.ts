/**
 * A workflow as a diagram: roles and interactions are nodes, components are directed edges
 * (OUTBOUND role -> interaction, INBOUND interaction -> role) labelled with their guardians.
 * Two formats: Mermaid flowchart and Graphviz DOT. Node ids are generated (`r0`, `i0`), never
 * taken from names, so no name can collide with a keyword of either language; every label is
 * escaped for its format.
 */
import type { RoleType } from "../schema/enums.js";
import { isJsonObject, type JsonObject } from "../schema/json.js";
import { isGuardianType, members } from "./guardian-config.js";
import type { BlueprintGuardian, BlueprintRole, BlueprintWorkflow } from "./model.js";

export type GraphFormat = "mermaid" | "dot";
/** What a graph can be drawn as: its text formats, or SVG rendered from DOT. */
export type DrawingFormat = GraphFormat | "svg";
export const DRAWING_FORMATS: readonly DrawingFormat[] = ["svg", "dot", "mermaid"];

/** What a drawing shows beyond the blueprint: live counts, and where one unit is. */
export interface GraphMarks {
  /** Extra label lines of interactions, by name. */
  interactionLines?: ReadonlyMap<string, readonly string[]>;
  /** Extra label lines of roles, by name. */
  roleLines?: ReadonlyMap<string, readonly string[]>;
  /** Interactions and roles drawn highlighted, by name. */
  marked?: { interactions?: readonly string[]; roles?: readonly string[] };
  /** The title instead of `workflow NAME`. */
  title?: string;
}

export function workflowGraph(w: BlueprintWorkflow, format: GraphFormat, marks: GraphMarks = {}): string {
  const model = graphModel(w, marks);
  return format === "mermaid" ? mermaid(w, model, marks) : dot(w, model, marks);
}

/** The drawing in any format: SVG is rendered from the DOT text. */
export async function drawWorkflow(
  w: BlueprintWorkflow,
  format: DrawingFormat,
  marks: GraphMarks = {},
): Promise<string> {
  return format === "svg" ? renderSvg(workflowGraph(w, "dot", marks)) : workflowGraph(w, format, marks);
}

type Viz = Awaited<ReturnType<(typeof import("@viz-js/viz"))["instance"]>>;
let viz: Promise<Viz> | null = null;

/**
 * DOT -> SVG with Graphviz compiled to WebAssembly (the npm package @viz-js/viz), loaded at the
 * first SVG asked for and kept for the process: nothing is downloaded and no `dot` program is run.
 */
export async function renderSvg(dotText: string): Promise<string> {
  if (viz === null) {
    const loading = import("@viz-js/viz").then((m) => m.instance());
    viz = loading;
    loading.catch(() => {
      if (viz === loading) viz = null;
    });
  }
  const result = (await viz).render(dotText, { format: "svg", engine: "dot" });
  if (result.status !== "success") {
    const detail = result.errors.map((e) => e.message).join("; ");
    throw new Error(`Graphviz could not render the graph: ${detail || "unknown error"}`);
  }
  return result.output;
}

// ---------------------------------------------------------------------------------------------
// Format-independent content

type Shape = "origin" | "terminal" | "gateway" | "handler" | "processor" | "queue" | "unknown";

interface GraphNode {
  id: string;
  shape: Shape;
  marked: boolean;
  /** Label lines, unescaped. */
  lines: string[];
}

interface GraphEdge {
  from: string;
  to: string;
  lines: string[];
}

function graphModel(w: BlueprintWorkflow, marks: GraphMarks): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const roleIds = new Map<string, string>();
  const interactionIds = new Map<string, string>();
  const markedRoles = new Set(marks.marked?.roles ?? []);
  const markedInteractions = new Set(marks.marked?.interactions ?? []);
  w.roles.forEach((r, i) => {
    if (roleIds.has(r.name)) return;
    roleIds.set(r.name, `r${i}`);
    const extra = marks.roleLines?.get(r.name) ?? [];
    nodes.push({
      id: `r${i}`,
      shape: roleShape(r.type),
      marked: markedRoles.has(r.name),
      lines: [...roleLines(r), ...extra],
    });
  });
  w.interactions.forEach((x, i) => {
    if (interactionIds.has(x.name)) return;
    interactionIds.set(x.name, `i${i}`);
    const stale = x.staleTokenLimitSeconds === null ? [] : [`stale after ${x.staleTokenLimitSeconds} s`];
    const extra = marks.interactionLines?.get(x.name) ?? [];
    nodes.push({
      id: `i${i}`,
      shape: "queue",
      marked: markedInteractions.has(x.name),
      lines: [x.name, ...stale, ...extra],
    });
  });
  // A blueprint that did not validate may name missing ends; draw them rather than fail.
  const idFor = (ids: Map<string, string>, name: string, kind: string): string => {
    const known = ids.get(name);
    if (known !== undefined) return known;
    const id = `u${nodes.length}`;
    ids.set(name, id);
    nodes.push({ id, shape: "unknown", marked: false, lines: [name, `unknown ${kind}`] });
    return id;
  };
  const edges = w.components.map((c): GraphEdge => {
    const role = idFor(roleIds, c.role, "role");
    const interaction = idFor(interactionIds, c.interaction, "interaction");
    const lines = [c.name, ...c.guardians.map(guardianText)];
    return c.direction === "OUTBOUND" ? { from: role, to: interaction, lines } : { from: interaction, to: role, lines };
  });
  return { nodes, edges };
}

function roleShape(type: RoleType): Shape {
  switch (type) {
    case "ALPHA":
      return "origin";
    case "OMEGA":
      return "terminal";
    case "SIGMA":
      return "gateway";
    case "EPSILON":
    case "TAU":
      return "handler";
    default:
      return "processor";
  }
}

function roleLines(r: BlueprintRole): string[] {
  const type = r.strategy === null ? r.type : `${r.type} (${r.strategy})`;
  return r.type === "SIGMA" ? [r.name, type, `runs ${r.childWorkflow ?? "?"}`] : [r.name, type];
}

/** `CRITERIA_GATE: len(subject) > 0`, `CERBERUS (PRUNE)`, `COMPOSITE all(...)`. */
function guardianText(g: BlueprintGuardian): string {
  return describeGuardian(g.type, g.config);
}

function describeGuardian(type: string, config: JsonObject | null): string {
  const condition = config?.["condition"];
  switch (type) {
    case "CRITERIA_GATE":
    case "DIRECTIONAL_FILTER":
      return typeof condition === "string" ? `${type}: ${condition}` : type;
    case "TTL_CHECK":
      return `${type}: ${String(config?.["field"] ?? "?")} within ${String(config?.["max_age_seconds"] ?? "?")} s`;
    case "CERBERUS": {
      const disposition = typeof config?.["child_disposition"] === "string" ? config["child_disposition"] : "ARCHIVE";
      const keepIf = config?.["keep_if"];
      return `${type} (${disposition}${typeof keepIf === "string" ? ` if ${keepIf}` : ""})`;
    }
    case "COMPOSITE": {
      if (config === null) return type;
      const mode = "all" in config ? "all" : "any";
      const parts = members(config).map((m) => {
        const t = m["type"];
        const c = m["config"];
        return typeof t === "string" && isGuardianType(t) ? describeGuardian(t, isJsonObject(c) ? c : null) : "?";
      });
      return `${type} ${mode}(${parts.join("; ")})`;
    }
    default:
      return type;
  }
}

/** How a marked node (where a unit is) is drawn. */
const MARKED = {
  dot: 'style=filled, fillcolor="#ffe08a", color="#b7791f", penwidth=3',
  mermaid: "fill:#ffe08a,stroke:#b7791f,stroke-width:3px",
};

// ---------------------------------------------------------------------------------------------
// Mermaid

const MERMAID_SHAPES: Record<Shape, [string, string]> = {
  origin: ["((", "))"],
  terminal: ["(((", ")))"],
  gateway: ["[[", "]]"],
  handler: ["{{", "}}"],
  processor: ["[", "]"],
  queue: ["[(", ")]"],
  unknown: [">", "]"],
};

/** Inside a quoted Mermaid label only entity codes are safe; `#` starts one, so it is escaped too. */
function mermaidText(text: string): string {
  return text.replace(/[#"<>&|`\\{}[\]]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\r?\n|\r/g, "<br/>");
}

function mermaidLabel(lines: string[]): string {
  return `"${lines.map(mermaidText).join("<br/>")}"`;
}

function mermaid(w: BlueprintWorkflow, model: { nodes: GraphNode[]; edges: GraphEdge[] }, marks: GraphMarks): string {
  const out = ["flowchart LR", `  %% ${(marks.title ?? `workflow ${w.name}`).replace(/[\r\n]/g, " ")}`];
  for (const n of model.nodes) {
    const [open, close] = MERMAID_SHAPES[n.shape];
    out.push(`  ${n.id}${open}${mermaidLabel(n.lines)}${close}`);
  }
  for (const e of model.edges) out.push(`  ${e.from} -->|${mermaidLabel(e.lines)}| ${e.to}`);
  const marked = model.nodes.filter((n) => n.marked).map((n) => n.id);
  if (marked.length > 0) {
    out.push(`  classDef marked ${MARKED.mermaid}`);
    out.push(`  class ${marked.join(",")} marked`);
  }
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// DOT

const DOT_SHAPES: Record<Shape, string> = {
  origin: "shape=circle",
  terminal: "shape=doublecircle",
  gateway: "shape=box, peripheries=2",
  handler: "shape=hexagon",
  processor: "shape=box",
  // The cylinder's caps take room from the label: a wider margin keeps a second line inside.
  queue: 'shape=cylinder, margin="0.25,0.2"',
  unknown: "shape=box, style=dashed",
};

/**
 * A DOT quoted string. Backslashes and quotes are escaped; `&` becomes `&amp;` because
 * Graphviz reads `&name;` entities in labels (so `&lt;` written by a user stays literal).
 */
function dotString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/&/g, "&amp;")
    .replace(/\r?\n|\r/g, "\\n");
  return `"${escaped}"`;
}

function dotLabel(lines: string[]): string {
  return dotString(lines.join("\n"));
}

/** Each line left-justified; escaped like dotString, with `\l` ending every line. */
function dotEdgeLabel(lines: string[]): string {
  const inner = lines.map((l) => dotString(l.replace(/\r?\n|\r/g, " ")).slice(1, -1));
  return `"${inner.map((l) => `${l}\\l`).join("")}"`;
}

function dot(w: BlueprintWorkflow, model: { nodes: GraphNode[]; edges: GraphEdge[] }, marks: GraphMarks): string {
  const out = [
    `digraph ${dotString(w.name)} {`,
    `  label=${dotString(marks.title ?? `workflow ${w.name}`)};`,
    "  labelloc=t;",
    // Top to bottom: a workflow is a long chain, which left to right is too wide for a screen.
    "  rankdir=TB;",
    "  nodesep=0.5;",
    "  ranksep=0.45;",
    '  node [fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const n of model.nodes) {
    out.push(`  ${n.id} [label=${dotLabel(n.lines)}, ${DOT_SHAPES[n.shape]}${n.marked ? `, ${MARKED.dot}` : ""}];`);
  }
  // Edge labels left-justified (`\l`): centred, a wide guardian line reaches back over its arrow.
  for (const e of model.edges) out.push(`  ${e.from} -> ${e.to} [label=${dotEdgeLabel(e.lines)}];`);
  out.push("}");
  return `${out.join("\n")}\n`;
}
