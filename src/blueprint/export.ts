/**
 * Workflows -> the canonical blueprint YAML of BLUEPRINT.md. Built from the canonical form,
 * so an export imported again has the same canonical JSON (no new version). Short elements are
 * written on one line in flow style, as in the spec; longer ones as block mappings.
 */
import { Document, isCollection, isScalar, stringify, visit, YAMLMap, YAMLSeq, type Node } from "yaml";
import type { JsonObject, JsonValue } from "../schema/json.js";
import { canonicalWorkflow } from "./canonical.js";
import type { BlueprintWorkflow } from "./model.js";

/** An element or value is written in flow style (one line) when it fits in this many characters. */
const FLOW_WIDTH = 110;
/** Config keys holding conditions: always double-quoted, as in the spec, so they read as expressions. */
const CONDITION_KEYS = new Set(["condition", "keep_if"]);

export function workflowsToYaml(workflows: BlueprintWorkflow[]): string {
  const names = workflows.length === 0 ? "(no workflow)" : workflows.map((w) => w.name).join(", ");
  const header = `# Chameleon blueprint: ${names}\n`;
  return header + workflows.map((w) => documentText(canonicalWorkflow(w))).join("---\n");
}

function documentText(canonical: JsonObject): string {
  const doc = new Document();
  const top = new YAMLMap();
  const sections: [string, JsonValue | undefined][] = [
    ["workflow", canonical["workflow"]],
    ["roles", canonical["roles"]],
    ["interactions", canonical["interactions"]],
    ["components", exportComponents(canonical["components"])],
  ];
  for (const [key, value] of sections) {
    if (value === undefined) continue;
    // The workflow header is always a block; list elements take flow style when short.
    const node =
      key === "workflow"
        ? blockWithShortValues(doc, value)
        : Array.isArray(value)
          ? blockList(doc, value)
          : styled(doc, value);
    top.items.push(doc.createPair(key, node));
  }
  doc.contents = top;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && CONDITION_KEYS.has(String(pair.key.value)) && isScalar(pair.value)) {
        if (typeof pair.value.value === "string") pair.value.type = "QUOTE_DOUBLE";
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** A component with one guardian writes it as `guardian:` (the spec's shorthand), else `guardians:`. */
function exportComponents(components: JsonValue | undefined): JsonValue | undefined {
  if (!Array.isArray(components)) return components;
  return components.map((c) => {
    if (c === null || typeof c !== "object" || Array.isArray(c)) return c;
    const guardians = c["guardians"];
    if (!Array.isArray(guardians) || guardians.length !== 1) return c;
    return Object.fromEntries(
      Object.entries(c).map(([k, v]) => (k === "guardians" ? ["guardian", guardians[0] ?? null] : [k, v])),
    );
  });
}

function blockList(doc: Document, items: JsonValue[]): Node {
  const seq = new YAMLSeq();
  for (const item of items) seq.items.push(styled(doc, item));
  return seq;
}

/** Flow style when the value fits on a short line, else a block whose values are styled alike. */
function styled(doc: Document, value: JsonValue): Node {
  if (fitsOnOneLine(value)) {
    const node = doc.createNode(value);
    if (isCollection(node)) node.flow = true;
    return node;
  }
  return Array.isArray(value) ? blockList(doc, value) : blockWithShortValues(doc, value);
}

function blockWithShortValues(doc: Document, value: JsonValue): Node {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return doc.createNode(value);
  const map = new YAMLMap();
  for (const [k, v] of Object.entries(value)) map.items.push(doc.createPair(k, styled(doc, v)));
  return map;
}

function fitsOnOneLine(value: JsonValue): boolean {
  if (value === null || typeof value !== "object") return true;
  if (hasLineBreak(value)) return false;
  const text = stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trimEnd();
  return text.length <= FLOW_WIDTH && !text.includes("\n");
}

function hasLineBreak(value: JsonValue): boolean {
  if (typeof value === "string") return value.includes("\n") || value.includes("\r");
  if (Array.isArray(value)) return value.some(hasLineBreak);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasLineBreak);
  return false;
}
