/**
 * The canonical form of a workflow: what export writes and what `schema_json` stores. Two
 * workflows are the same structure iff their canonical JSON is equal, so everything that does
 * not change behaviour or meaning is normalised away: YAML formatting and key order, aliases,
 * `guardian:` vs a one-element `guardians:`, default guardian names, empty optional fields,
 * and CERBERUS `child_disposition: ARCHIVE` (the default). Array order is kept: component and
 * guardian order is their `position`, and roles and interactions keep the author's order.
 */
import { ValidationError } from "../errors.js";
import type { GuardianType } from "../schema/enums.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../schema/json.js";
import { isGuardianType } from "./guardian-config.js";
import type { BlueprintComponent, BlueprintGuardian, BlueprintRole, BlueprintWorkflow } from "./model.js";
import { defaultGuardianName } from "./names.js";
import { workflowFromTree } from "./shape.js";
import { treeFromValue } from "./tree.js";

export function canonicalWorkflow(w: BlueprintWorkflow): JsonObject {
  return {
    workflow: fields([
      ["name", w.name],
      ["description", w.description],
      ["ai_context", w.aiContext],
      ["author_version", w.authorVersion ?? null],
    ]),
    roles: w.roles.map(canonicalRole),
    interactions: w.interactions.map((x) =>
      fields([
        ["name", x.name],
        ["stale_token_limit_seconds", x.staleTokenLimitSeconds],
        ["description", x.description],
        ["ai_context", x.aiContext],
      ]),
    ),
    components: w.components.map(canonicalComponent),
  };
}

export function canonicalJson(w: BlueprintWorkflow): string {
  return JSON.stringify(canonicalWorkflow(w));
}

/** Reads a canonical object (e.g. `schema_json`) back; throws ValidationError if it is not one. */
export function workflowFromCanonical(obj: unknown): BlueprintWorkflow {
  let value: unknown = obj;
  if (typeof obj === "string") {
    try {
      value = JSON.parse(obj);
    } catch (error) {
      throw ValidationError.single(
        "stored workflow",
        `not JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const shape = workflowFromTree(treeFromValue(value), "stored workflow");
  if (shape.issues.length > 0 || shape.workflow === undefined) {
    throw new ValidationError("not a canonical blueprint workflow", shape.issues);
  }
  return shape.workflow;
}

function canonicalRole(r: BlueprintRole): JsonObject {
  const { transferable, ...settings } = r.config ?? {};
  // `transferable` is written as its own key, as in the YAML; anything else stays in config.
  const shorthand = Array.isArray(transferable) && transferable.every((t) => typeof t === "string");
  const config: JsonObject = shorthand || transferable === undefined ? settings : { ...settings, transferable };
  return fields([
    ["name", r.name],
    ["type", r.type],
    ["strategy", r.strategy],
    ["child_workflow", r.childWorkflow],
    ["description", r.description],
    ["ai_context", r.aiContext],
    ["transferable", shorthand ? transferable : null],
    ["config", config],
  ]);
}

function canonicalComponent(c: BlueprintComponent): JsonObject {
  return fields([
    ["name", c.name],
    ["role", c.role],
    ["interaction", c.interaction],
    ["direction", c.direction],
    ["description", c.description],
    ["ai_context", c.aiContext],
    ["guardians", c.guardians.map((g, k) => canonicalGuardian(g, defaultGuardianName(c.name, k)))],
  ]);
}

function canonicalGuardian(g: BlueprintGuardian, defaultName: string): JsonObject {
  return fields([
    ["name", g.name === defaultName ? null : g.name],
    ["type", g.type],
    ["config", g.config === null ? null : guardianConfig(g.type, g.config)],
    ["description", g.description],
    ["ai_context", g.aiContext],
  ]);
}

/** Drops settings that only restate a default, recursively through COMPOSITE members. */
function guardianConfig(type: GuardianType, config: JsonObject): JsonObject {
  const out: JsonObject = { ...config };
  if (type === "CERBERUS" && out["child_disposition"] === "ARCHIVE") delete out["child_disposition"];
  if (type === "COMPOSITE") {
    for (const mode of ["all", "any"] as const) {
      const list = out[mode];
      if (!Array.isArray(list)) continue;
      out[mode] = list.map((member) => {
        if (!isJsonObject(member)) return member;
        const memberType = member["type"];
        const memberConfig = member["config"];
        if (typeof memberType !== "string" || !isGuardianType(memberType)) return member;
        const { config: _config, ...rest } = member;
        const normal = isJsonObject(memberConfig) ? guardianConfig(memberType, memberConfig) : memberConfig;
        return isEmpty(normal) ? rest : { ...rest, config: normal ?? null };
      });
    }
  }
  return out;
}

/**
 * An object of the given keys in the given order, leaving out null and empty values. The
 * free-form values (ai_context, config) get their keys sorted; structure keeps its order.
 */
function fields(entries: [string, JsonValue | undefined][]): JsonObject {
  const out: [string, JsonValue][] = [];
  for (const [key, value] of entries) {
    if (value === undefined || isEmpty(value)) continue;
    out.push([key, FREE_FORM.has(key) ? sortKeys(value) : value]);
  }
  return Object.fromEntries(out);
}

const FREE_FORM = new Set(["ai_context", "config", "transferable"]);

function isEmpty(value: JsonValue | undefined): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** JSON values with object keys in code-unit order, so key order in the YAML never matters. */
function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  // fromEntries defines keys, so even a key named `__proto__` stays an ordinary key.
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key] as JsonValue)]),
  );
}
