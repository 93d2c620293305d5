/**
 * A small, position-carrying tree that both YAML documents and plain JS values (stored
 * canonical JSON) are turned into, so that one shape checker (shape.ts) serves the YAML
 * import and the read-back of `schema_json`.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { JsonValue } from "../schema/json.js";

export type TreeNode = TreeMap | TreeSeq | TreeScalar;
export interface TreeMap {
  kind: "map";
  line: number | undefined;
  entries: TreeEntry[];
}
export interface TreeEntry {
  key: string;
  /** Line of the key. */
  line: number | undefined;
  value: TreeNode;
}
export interface TreeSeq {
  kind: "seq";
  line: number | undefined;
  items: TreeNode[];
}
export interface TreeScalar {
  kind: "scalar";
  line: number | undefined;
  /** Whatever the YAML schema produced: usually string, number, boolean or null. */
  value: unknown;
}

export interface TreeProblem {
  line: number | undefined;
  message: string;
}

/** Deeper than this is not a blueprint; the limit also keeps recursion off the stack limit. */
const MAX_DEPTH = 64;
/** Nodes produced by expanding aliases; guards against "billion laughs" documents. */
const MAX_ALIAS_NODES = 100_000;

/** Converts a parsed YAML document to a tree; problems (complex keys, alias abuse, depth) are collected. */
export function treeFromYaml(doc: Document, lineCounter: LineCounter, problems: TreeProblem[]): TreeNode {
  let aliasNodes = 0;
  const lineAt = (node: { range?: readonly number[] | null } | null | undefined): number | undefined => {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };

  const convert = (node: unknown, depth: number, resolving: Set<unknown>, inAlias: boolean): TreeNode => {
    const line = lineAt(node as Node);
    if (inAlias && ++aliasNodes > MAX_ALIAS_NODES) {
      if (aliasNodes === MAX_ALIAS_NODES + 1) problems.push({ line, message: "aliases expand to too many nodes" });
      return { kind: "scalar", line, value: null };
    }
    if (depth > MAX_DEPTH) {
      problems.push({ line, message: `nesting deeper than ${MAX_DEPTH} levels` });
      return { kind: "scalar", line, value: null };
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) return { kind: "scalar", line, value: null }; // yaml already reported it
      if (resolving.has(target)) {
        problems.push({ line, message: `alias *${node.source} refers to a node that contains it` });
        return { kind: "scalar", line, value: null };
      }
      const inner = new Set(resolving).add(target);
      // The alias's own line is where the reader looks, so the top node takes it.
      return { ...convert(target, depth, inner, true), line };
    }
    if (isMap(node)) {
      const entries: TreeEntry[] = [];
      for (const pair of node.items) {
        const key = pair.key;
        let keyText: string;
        if (key === null || key === undefined) keyText = "";
        else if (isScalar(key)) keyText = key.value === null || key.value === undefined ? "" : String(key.value);
        else {
          problems.push({ line: lineAt(key as Node), message: "a mapping key must be a plain value" });
          continue;
        }
        const value =
          pair.value === null || pair.value === undefined
            ? ({ kind: "scalar", line: lineAt(key as Node), value: null } as const)
            : convert(pair.value, depth + 1, resolving, inAlias);
        entries.push({ key: keyText, line: lineAt(key as Node) ?? value.line, value });
      }
      return { kind: "map", line, entries };
    }
    if (isSeq(node)) {
      return { kind: "seq", line, items: node.items.map((item) => convert(item, depth + 1, resolving, inAlias)) };
    }
    if (isScalar(node)) return { kind: "scalar", line, value: node.value };
    // A bare pair inside a sequence (`- a: b` in flow) or an empty slot.
    return { kind: "scalar", line, value: null };
  };

  return convert(doc.contents, 0, new Set(), false);
}

/** Converts a plain JS value (e.g. parsed JSON) to a tree without lines. */
export function treeFromValue(value: unknown, depth = 0): TreeNode {
  if (depth > MAX_DEPTH) return { kind: "scalar", line: undefined, value: null };
  if (Array.isArray(value)) {
    return { kind: "seq", line: undefined, items: value.map((v) => treeFromValue(v, depth + 1)) };
  }
  if (typeof value === "object" && value !== null) {
    return {
      kind: "map",
      line: undefined,
      entries: Object.entries(value).map(([key, v]) => ({ key, line: undefined, value: treeFromValue(v, depth + 1) })),
    };
  }
  return { kind: "scalar", line: undefined, value };
}

export type JsonResult = { ok: true; value: JsonValue } | { ok: false; line: number | undefined; message: string };

/** The JSON value a tree stands for, or where and why it is not one (NaN, dates, binary...). */
export function treeToJson(node: TreeNode): JsonResult {
  switch (node.kind) {
    case "scalar": {
      const v = node.value;
      if (v === null || typeof v === "string" || typeof v === "boolean") return { ok: true, value: v };
      if (typeof v === "number" && Number.isFinite(v)) return { ok: true, value: v };
      const shown = typeof v === "number" ? String(v) : Object.prototype.toString.call(v);
      return { ok: false, line: node.line, message: `${shown} is not a JSON value` };
    }
    case "seq": {
      const out: JsonValue[] = [];
      for (const item of node.items) {
        const r = treeToJson(item);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    case "map": {
      // A null-prototype object so that a key such as `__proto__` stays an ordinary key.
      const out: { [key: string]: JsonValue } = Object.create(null) as { [key: string]: JsonValue };
      for (const e of node.entries) {
        const r = treeToJson(e.value);
        if (!r.ok) return r;
        out[e.key] = r.value;
      }
      return { ok: true, value: { ...out } };
    }
  }
}

/** Records the line of every node below `node` under `base/<key or index>/...`. */
export function collectLines(node: TreeNode, base: string, into: Map<string, number>): void {
  if (node.kind === "map") {
    for (const e of node.entries) {
      const path = `${base}/${e.key}`;
      if (e.line !== undefined && !into.has(path)) into.set(path, e.line);
      collectLines(e.value, path, into);
    }
  } else if (node.kind === "seq") {
    node.items.forEach((item, i) => {
      const path = `${base}/${i}`;
      if (item.line !== undefined && !into.has(path)) into.set(path, item.line);
      collectLines(item, path, into);
    });
  }
}
