/**
 * Rule 0 and rule 3 of ENGINE.md section 3: is a document shaped like a blueprint? Turns a
 * tree (tree.ts) into a BlueprintWorkflow, collecting every problem rather than stopping at
 * the first, and records the line of every element and field for later issues.
 *
 * Paths: `<workflow name or "document N">/<section>/<element name>[/<field>]`. Each element is
 * also recorded under `<section>/#<1-based index>` (names cannot contain `#`), so that the
 * validator can find the line of the second of two elements with the same name.
 */
import type { ValidationIssue } from "../errors.js";
import { ComponentDirection, DecompositionStrategy, GuardianType, RoleType } from "../schema/enums.js";
import type { JsonObject, JsonValue } from "../schema/json.js";
import type {
  BlueprintComponent,
  BlueprintGuardian,
  BlueprintInteraction,
  BlueprintRole,
  BlueprintWorkflow,
} from "./model.js";
import { defaultGuardianName, didYouMean, isValidName } from "./names.js";
import { collectLines, treeToJson, type TreeEntry, type TreeMap, type TreeNode } from "./tree.js";

export interface ShapeResult {
  /** Undefined when the document has no usable workflow name; partial when `blocking`. */
  workflow: BlueprintWorkflow | undefined;
  lines: Map<string, number>;
  issues: ValidationIssue[];
  /** True when a rule-0 or rule-3 issue makes the workflow unfit for the semantic rules. */
  blocking: boolean;
}

/** Keys of each element, canonical first; aliases map an accepted alternative to its canonical key. */
interface ElementSpec {
  kind: string;
  keys: readonly string[];
  aliases: Readonly<Record<string, string>>;
}

const WORKFLOW: ElementSpec = {
  kind: "workflow",
  keys: ["name", "description", "ai_context", "author_version"],
  aliases: { version: "author_version" },
};
const ROLE: ElementSpec = {
  kind: "role",
  keys: ["name", "type", "strategy", "child_workflow", "description", "ai_context", "transferable", "config"],
  aliases: { role_name: "name", role_type: "type", child_workflow_name: "child_workflow" },
};
const INTERACTION: ElementSpec = {
  kind: "interaction",
  keys: ["name", "stale_token_limit_seconds", "description", "ai_context"],
  aliases: { interaction_name: "name" },
};
const COMPONENT: ElementSpec = {
  kind: "component",
  keys: ["name", "role", "interaction", "direction", "description", "ai_context", "guardian", "guardians"],
  aliases: { component_name: "name", role_name: "role", interaction_name: "interaction" },
};
const GUARDIAN: ElementSpec = {
  kind: "guardian",
  keys: ["name", "type", "config", "description", "ai_context"],
  aliases: { guardian_type: "type" },
};
const TOP_GUARDIAN: ElementSpec = {
  kind: "guardian",
  keys: ["name", "component", "type", "config", "description", "ai_context"],
  aliases: { guardian_type: "type", component_name: "component" },
};
const TOP_LEVEL_KEYS = ["workflow", "roles", "interactions", "components", "guardians"] as const;
/** The sections the Python prototype's layout puts under `workflow:`. */
const SECTION_KEYS: readonly string[] = ["roles", "interactions", "components", "guardians"];
/** A key of the prototype's workflow header that is accepted and ignored: the store derives its own. */
const IGNORED_WORKFLOW_KEYS: readonly string[] = ["schema_json"];

/** Stored in a 32-bit integer column. */
const MAX_STALE_SECONDS = 2_147_483_647;

class Reader {
  readonly issues: ValidationIssue[] = [];
  readonly lines = new Map<string, number>();
  /** Path prefix: the workflow's name, or "document N" when it has none. */
  prefix: string;
  /** How messages name the workflow. */
  owner: string;

  constructor(label: string) {
    this.prefix = label;
    this.owner = label;
  }

  issue(rule: number, path: string, line: number | undefined, message: string): void {
    this.issues.push(line === undefined ? { rule, path, message } : { rule, path, line, message });
  }

  mark(path: string, line: number | undefined): void {
    if (line !== undefined && !this.lines.has(path)) this.lines.set(path, line);
  }
}

/** One element being read: its fields by canonical key, and how to name it in paths and messages. */
interface Element {
  node: TreeMap;
  fields: Map<string, TreeEntry>;
  /** Path of the element (by name when it has a valid one, else by index). */
  path: string;
  /** `role 'Triage' of workflow 'Ticket_Triage'`. */
  what: string;
  name: string | null;
}

export function workflowFromTree(root: TreeNode, label: string): ShapeResult {
  const r = new Reader(label);
  const done = (workflow: BlueprintWorkflow | undefined): ShapeResult => ({
    workflow,
    lines: r.lines,
    issues: r.issues,
    blocking: r.issues.some((i) => i.rule === 0 || i.rule === 3),
  });

  if (root.kind !== "map") {
    r.issue(
      0,
      label,
      root.line,
      `${label} must be a mapping with the keys workflow, roles, interactions and components`,
    );
    return done(undefined);
  }
  const top = new Map<string, TreeEntry>();
  for (const e of root.entries) top.set(e.key, e);
  const nested = nestedSections(top.get("workflow"));

  const header = readHeader(r, nested.header, root.line);
  for (const e of nested.sections) {
    if (top.has(e.key)) {
      const message = `'${e.key}' is given both at the top level and under 'workflow'; give it once`;
      r.issue(0, `${r.prefix}/${e.key}`, e.line, message);
    } else {
      top.set(e.key, e);
    }
  }
  for (const e of root.entries) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(e.key)) {
      r.issue(
        0,
        `${r.prefix}/${e.key}`,
        e.line,
        `unknown key '${e.key}' in ${r.owner}${suggest(e.key, TOP_LEVEL_KEYS)}`,
      );
    }
  }

  const roles = readSection(r, top, "roles", true, root.line, (node, i) => readRole(r, node, i));
  const interactions = readSection(r, top, "interactions", true, root.line, (node, i) => readInteraction(r, node, i));
  const components = readSection(r, top, "components", true, root.line, (node, i) => readComponent(r, node, i));
  const extra = readSection(r, top, "guardians", false, root.line, (node, i) =>
    readGuardian(r, node, TOP_GUARDIAN, `${r.prefix}/guardians`, i, null),
  );
  attachTopLevelGuardians(r, components, extra);
  const built = components.map((c, i) => finishComponent(r, c, i));

  if (header === undefined) return done(undefined);
  return done({
    name: header.name,
    description: header.description,
    aiContext: header.aiContext,
    ...(header.authorVersion === null ? {} : { authorVersion: header.authorVersion }),
    roles,
    interactions,
    components: built,
  });
}

// ---------------------------------------------------------------------------------------------
// Generic element reading

function readElement(
  r: Reader,
  node: TreeNode,
  spec: ElementSpec,
  section: string,
  index: number,
  fixed?: { path: string; what: string },
): Element | undefined {
  const indexPath = `${section}/#${index + 1}`;
  if (node.kind !== "map") {
    r.issue(0, indexPath, node.line, `${spec.kind} #${index + 1} of ${r.owner} must be a mapping`);
    return undefined;
  }
  const nameEntry = node.entries.find((e) => (spec.aliases[e.key] ?? e.key) === "name");
  const rawName = nameEntry?.value.kind === "scalar" ? nameEntry.value.value : undefined;
  const name = typeof rawName === "string" ? rawName : null;
  const byName = name !== null && isValidName(name);
  const path = fixed?.path ?? (byName ? `${section}/${name}` : indexPath);
  const what = fixed?.what ?? `${spec.kind} ${byName ? `'${name}'` : `#${index + 1}`} of ${r.owner}`;

  const fields = new Map<string, TreeEntry>();
  for (const e of node.entries) {
    const key = spec.aliases[e.key] ?? e.key;
    if (!spec.keys.includes(key)) {
      r.issue(0, `${path}/${e.key}`, e.line, `unknown key '${e.key}' in ${what}${suggest(e.key, spec.keys)}`);
      continue;
    }
    const earlier = fields.get(key);
    if (earlier !== undefined) {
      r.issue(0, `${path}/${key}`, e.line, `${what} gives both '${earlier.key}' and '${e.key}'; use '${key}'`);
      continue;
    }
    fields.set(key, e);
  }
  return { node, fields, path, what, name };
}

/** Checks the element's name field; returns the name when it is a string (even an invalid one). */
function readName(r: Reader, el: Element, required: boolean): string | null {
  const entry = el.fields.get("name");
  const value = present(entry);
  if (value === undefined) {
    if (required) r.issue(0, el.path, el.node.line, `${el.what} has no name`);
    return null;
  }
  if (value.kind !== "scalar" || typeof value.value !== "string") {
    r.issue(0, `${el.path}/name`, entry?.line, `the name of ${el.what} must be a string (quote it)`);
    return null;
  }
  if (!isValidName(value.value)) {
    r.issue(0, `${el.path}/name`, entry?.line, `name '${value.value}' of ${el.what} ${NAME_RULE}`);
  }
  return value.value;
}

const NAME_RULE = "must be 1 to 100 letters, digits, '_' or '-'";

/** Records the lines of an element and its fields under each of `bases`. */
function placeLines(r: Reader, el: Element, bases: string[]): void {
  for (const base of bases) {
    r.mark(base, el.node.line);
    for (const [key, e] of el.fields) {
      r.mark(`${base}/${key}`, e.line);
      if (key === "config") collectLines(e.value, `${base}/config`, r.lines);
    }
  }
}

function readSection<T>(
  r: Reader,
  top: Map<string, TreeEntry>,
  section: string,
  required: boolean,
  docLine: number | undefined,
  read: (node: TreeNode, index: number) => T | undefined,
): T[] {
  const entry = top.get(section);
  const value = present(entry);
  if (value === undefined) {
    if (required) r.issue(0, `${r.prefix}/${section}`, entry?.line ?? docLine, `${r.owner} has no ${section} list`);
    return [];
  }
  if (value.kind !== "seq") {
    r.issue(0, `${r.prefix}/${section}`, entry?.line, `${section} of ${r.owner} must be a list`);
    return [];
  }
  r.mark(`${r.prefix}/${section}`, entry?.line);
  const out: T[] = [];
  value.items.forEach((node, i) => {
    const item = read(node, i);
    if (item !== undefined) out.push(item);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Field readers. Each reports its own problem and returns null (or undefined) when unusable.

/** The entry's value unless absent or an explicit null (`key:` or `key: ~`). */
function present(entry: TreeEntry | undefined): TreeNode | undefined {
  if (entry === undefined) return undefined;
  if (entry.value.kind === "scalar" && entry.value.value === null) return undefined;
  return entry.value;
}

function text(r: Reader, el: Element, key: string, required: boolean): string | null {
  const entry = el.fields.get(key);
  const value = present(entry);
  if (value === undefined) {
    if (required) r.issue(0, el.path, el.node.line, `${el.what} has no ${key}`);
    return null;
  }
  if (value.kind !== "scalar" || typeof value.value !== "string") {
    r.issue(0, `${el.path}/${key}`, entry?.line, `'${key}' of ${el.what} must be a string`);
    return null;
  }
  return value.value;
}

/** An enum value; a wrong value is rule 3, a missing required one rule 0. */
function enumValue<T extends string>(
  r: Reader,
  el: Element,
  key: string,
  values: readonly T[],
  required: boolean,
): T | null | undefined {
  const entry = el.fields.get(key);
  const value = present(entry);
  if (value === undefined) {
    if (required) r.issue(0, el.path, el.node.line, `${el.what} has no ${key}`);
    return null;
  }
  if (value.kind !== "scalar") {
    r.issue(0, `${el.path}/${key}`, entry?.line, `'${key}' of ${el.what} must be one of ${values.join(", ")}`);
    return undefined;
  }
  if (typeof value.value === "string" && (values as readonly string[]).includes(value.value)) return value.value as T;
  r.issue(
    3,
    `${el.path}/${key}`,
    entry?.line,
    `${el.what} has unknown ${key} '${String(value.value)}' (expected one of ${values.join(", ")})`,
  );
  return undefined;
}

function json(r: Reader, el: Element, key: string): JsonValue | null {
  const entry = el.fields.get(key);
  const value = present(entry);
  if (value === undefined) return null;
  const result = treeToJson(value);
  if (!result.ok) {
    r.issue(0, `${el.path}/${key}`, result.line ?? entry?.line, `'${key}' of ${el.what}: ${result.message}`);
    return null;
  }
  return result.value;
}

function object(r: Reader, el: Element, key: string): JsonObject | null {
  const entry = el.fields.get(key);
  const value = present(entry);
  if (value === undefined) return null;
  if (value.kind !== "map") {
    r.issue(0, `${el.path}/${key}`, entry?.line, `'${key}' of ${el.what} must be a mapping`);
    return null;
  }
  return json(r, el, key) as JsonObject | null;
}

// ---------------------------------------------------------------------------------------------
// Sections

/**
 * The Python prototype's layout puts the sections under `workflow:`: splits them off the
 * `workflow` entry, which keeps only its header keys, `schema_json` left out (the stored
 * canonical form is derived, never taken from the file).
 */
function nestedSections(entry: TreeEntry | undefined): { header: TreeEntry | undefined; sections: TreeEntry[] } {
  if (entry === undefined || entry.value.kind !== "map") return { header: entry, sections: [] };
  const kept = entry.value.entries.filter((e) => !IGNORED_WORKFLOW_KEYS.includes(e.key));
  const header = kept.filter((e) => !SECTION_KEYS.includes(e.key));
  const sections = kept.filter((e) => SECTION_KEYS.includes(e.key));
  return { header: { ...entry, value: { ...entry.value, entries: header } }, sections };
}

interface Header {
  name: string;
  description: string | null;
  aiContext: JsonValue | null;
  authorVersion: string | null;
}

function readHeader(r: Reader, entry: TreeEntry | undefined, docLine: number | undefined): Header | undefined {
  const value = present(entry);
  if (value === undefined) {
    r.issue(0, `${r.prefix}/workflow`, entry?.line ?? docLine, `${r.owner} has no 'workflow' section with its name`);
    return undefined;
  }
  if (value.kind !== "map") {
    r.issue(
      0,
      `${r.prefix}/workflow`,
      entry?.line,
      `'workflow' of ${r.owner} must be a mapping with name, description and ai_context`,
    );
    return undefined;
  }
  // The workflow's name becomes the prefix of every path, so read it before anything else.
  const nameEntry = value.entries.find((e) => e.key === "name");
  const rawName = nameEntry?.value.kind === "scalar" ? nameEntry.value.value : undefined;
  if (typeof rawName === "string" && isValidName(rawName)) {
    r.prefix = rawName;
    r.owner = `workflow '${rawName}'`;
  }
  const path = `${r.prefix}/workflow`;
  const el = readElement(r, value, WORKFLOW, path, 0, { path, what: r.owner });
  if (el === undefined) return undefined;
  const name = readName(r, el, true);
  placeLines(r, el, [el.path]);
  const header = {
    description: text(r, el, "description", false),
    aiContext: json(r, el, "ai_context"),
    authorVersion: authorVersion(r, el),
  };
  return name !== null && isValidName(name) ? { name, ...header } : undefined;
}

/** `version: 2` or `version: "1.0"`: kept as text (a YAML number as JavaScript prints it, so `1.0` is "1"). */
function authorVersion(r: Reader, el: Element): string | null {
  const entry = el.fields.get("author_version");
  const value = present(entry);
  if (value === undefined) return null;
  if (value.kind === "scalar" && (typeof value.value === "string" || typeof value.value === "number")) {
    const written = String(value.value);
    if (written.length >= 1 && written.length <= 100) return written;
  }
  r.issue(
    0,
    `${el.path}/${entry?.key ?? "version"}`,
    entry?.line,
    `'${entry?.key ?? "version"}' of ${el.what} must be a string or number of 1 to 100 characters`,
  );
  return null;
}

function readRole(r: Reader, node: TreeNode, index: number): BlueprintRole | undefined {
  const section = `${r.prefix}/roles`;
  const el = readElement(r, node, ROLE, section, index);
  if (el === undefined) return undefined;
  placeLines(r, el, [el.path, `${section}/#${index + 1}`]);
  const name = readName(r, el, true);
  const type = enumValue(r, el, "type", RoleType, true);
  const strategy = enumValue(r, el, "strategy", DecompositionStrategy, false);
  const role = {
    description: text(r, el, "description", false),
    aiContext: json(r, el, "ai_context"),
    childWorkflow: text(r, el, "child_workflow", false),
    config: roleConfig(r, el),
  };
  if (name === null || !type) return undefined;
  return { name, type, strategy: strategy ?? null, ...role };
}

/** `config` and the `transferable` shorthand, merged into one settings object. */
function roleConfig(r: Reader, el: Element): JsonObject | null {
  let config = object(r, el, "config");
  const entry = el.fields.get("transferable");
  const value = present(entry);
  if (value !== undefined) {
    const list = treeToJson(value);
    if (!list.ok || !isStringList(list.value)) {
      r.issue(
        0,
        `${el.path}/transferable`,
        entry?.line,
        `'transferable' of ${el.what} must be a list of attribute names`,
      );
    } else if (config !== null && "transferable" in config) {
      r.issue(
        0,
        `${el.path}/transferable`,
        entry?.line,
        `${el.what} gives 'transferable' both as a key and inside 'config'`,
      );
    } else {
      config = { ...(config ?? {}), transferable: list.value };
    }
  } else if (config !== null && "transferable" in config && !isStringList(config["transferable"])) {
    r.issue(
      0,
      `${el.path}/config`,
      el.fields.get("config")?.line,
      `'transferable' of ${el.what} must be a list of attribute names`,
    );
  }
  return config;
}

function isStringList(value: JsonValue | undefined): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function readInteraction(r: Reader, node: TreeNode, index: number): BlueprintInteraction | undefined {
  const section = `${r.prefix}/interactions`;
  const el = readElement(r, node, INTERACTION, section, index);
  if (el === undefined) return undefined;
  placeLines(r, el, [el.path, `${section}/#${index + 1}`]);
  const name = readName(r, el, true);
  const interaction = {
    description: text(r, el, "description", false),
    aiContext: json(r, el, "ai_context"),
    staleTokenLimitSeconds: staleLimit(r, el),
  };
  return name === null ? undefined : { name, ...interaction };
}

function staleLimit(r: Reader, el: Element): number | null {
  const entry = el.fields.get("stale_token_limit_seconds");
  const value = present(entry);
  if (value === undefined) return null;
  const n = value.kind === "scalar" ? value.value : undefined;
  if (typeof n !== "number" || !Number.isInteger(n) || n <= 0 || n > MAX_STALE_SECONDS) {
    r.issue(
      0,
      `${el.path}/stale_token_limit_seconds`,
      entry?.line,
      `'stale_token_limit_seconds' of ${el.what} must be a positive whole number of seconds (at most ${MAX_STALE_SECONDS})`,
    );
    return null;
  }
  return n;
}

/** A component as read, before the top-level guardians are attached and default names given. */
interface ComponentDraft {
  el: Element;
  index: number;
  component: Omit<BlueprintComponent, "guardians">;
  guardians: GuardianDraft[];
}

interface GuardianDraft {
  el: Element;
  name: string | null;
  guardian: Omit<BlueprintGuardian, "name">;
}

function readComponent(r: Reader, node: TreeNode, index: number): ComponentDraft | undefined {
  const section = `${r.prefix}/components`;
  const el = readElement(r, node, COMPONENT, section, index);
  if (el === undefined) return undefined;
  placeLines(r, el, [el.path, `${section}/#${index + 1}`]);
  const name = readName(r, el, true);
  const role = text(r, el, "role", true);
  const interaction = text(r, el, "interaction", true);
  const direction = enumValue(r, el, "direction", ComponentDirection, true);
  const description = text(r, el, "description", false);
  const aiContext = json(r, el, "ai_context");
  const guardians = inlineGuardians(r, el, name ?? `#${index + 1}`);
  if (name === null || role === null || interaction === null || !direction) return undefined;
  return { el, index, component: { name, role, interaction, direction, description, aiContext }, guardians };
}

function inlineGuardians(r: Reader, el: Element, componentName: string): GuardianDraft[] {
  const one = el.fields.get("guardian");
  const many = el.fields.get("guardians");
  if (present(one) !== undefined && present(many) !== undefined) {
    r.issue(0, `${el.path}/guardians`, many?.line, `${el.what} has both 'guardian' and 'guardians'; use one`);
    return [];
  }
  const section = `${el.path}/guardians`;
  const single = present(one);
  if (single !== undefined) {
    const g = readGuardian(r, single, GUARDIAN, section, 0, componentName);
    return g === undefined ? [] : [g];
  }
  const list = present(many);
  if (list === undefined) return [];
  if (list.kind !== "seq") {
    r.issue(0, section, many?.line, `'guardians' of ${el.what} must be a list`);
    return [];
  }
  const out: GuardianDraft[] = [];
  list.items.forEach((node, i) => {
    const g = readGuardian(r, node, GUARDIAN, section, i, componentName);
    if (g !== undefined) out.push(g);
  });
  return out;
}

/**
 * Reads one guardian. `componentName` is known for inline guardians (so an unnamed one is
 * reported under its default name) and null for the top-level list.
 */
function readGuardian(
  r: Reader,
  node: TreeNode,
  spec: ElementSpec,
  section: string,
  index: number,
  componentName: string | null,
): (GuardianDraft & { component: string | null }) | undefined {
  // An unnamed inline guardian is reported under the default name it will get.
  const named = node.kind === "map" && node.entries.some((e) => (spec.aliases[e.key] ?? e.key) === "name");
  const fallback =
    !named && componentName !== null && isValidName(componentName) ? defaultGuardianName(componentName, index) : null;
  const fixed =
    fallback === null ? undefined : { path: `${section}/${fallback}`, what: `guardian '${fallback}' of ${r.owner}` };
  const el = readElement(r, node, spec, section, index, fixed);
  if (el === undefined) return undefined;
  const name = readName(r, el, false);
  const component = spec === TOP_GUARDIAN ? text(r, el, "component", true) : componentName;
  const type = enumValue(r, el, "type", GuardianType, true);
  const guardian = {
    config: object(r, el, "config"),
    description: text(r, el, "description", false),
    aiContext: json(r, el, "ai_context"),
  };
  if (!type || (spec === TOP_GUARDIAN && component === null)) return undefined;
  return { el, name, component, guardian: { type, ...guardian } };
}

/** Appends each top-level guardian to its component, after the inline ones, in file order. */
function attachTopLevelGuardians(
  r: Reader,
  components: ComponentDraft[],
  extra: (GuardianDraft & { component: string | null })[],
): void {
  for (const g of extra) {
    const target = components.find((c) => c.component.name === g.component);
    if (target === undefined) {
      // A reference problem, not a shape one: the rest of the document can still be validated.
      r.issue(
        4,
        `${g.el.path}/component`,
        g.el.fields.get("component")?.line,
        `${g.el.what} names unknown component '${g.component ?? ""}'${didYouMean(
          g.component ?? "",
          components.map((c) => c.component.name),
        )}`,
      );
      continue;
    }
    target.guardians.push(g);
  }
}

function finishComponent(r: Reader, draft: ComponentDraft, index: number): BlueprintComponent {
  const { component } = draft;
  const guardians = draft.guardians.map((g, j): BlueprintGuardian => {
    const name = g.name ?? defaultGuardianName(component.name, j);
    if (g.name === null && !isValidName(name)) {
      r.issue(
        0,
        `${draft.el.path}/guardians/#${j + 1}`,
        g.el.node.line,
        `default guardian name '${name}' ${NAME_RULE}; name the guardian`,
      );
    }
    placeLines(r, g.el, [
      `${r.prefix}/components/${component.name}/guardians/${name}`,
      `${r.prefix}/components/#${index + 1}/guardians/#${j + 1}`,
    ]);
    return { name, ...g.guardian };
  });
  return { ...component, guardians };
}

// ---------------------------------------------------------------------------------------------

/** ` (did you mean 'strategy'?)` when an unknown key is one or two edits away from a known one. */
function suggest(key: string, known: readonly string[]): string {
  return didYouMean(key, known);
}
