/**
 * Guardians (ENGINE.md section 6), compiled once per instance graph: a condition is parsed
 * when the graph is loaded, and a check is a walk over its syntax tree.
 */
import { compileCondition, type ConditionScope } from "../conditions/index.js";
import { ConditionEvaluationError } from "../conditions/index.js";
import type { GuardianType } from "../schema/enums.js";
import type { JsonObject } from "../schema/json.js";
import { isJsonObject } from "../schema/json.js";

export interface GuardResult {
  pass: boolean;
  /** Why it did not pass: the guardian, its condition, and an evaluation error with its values. */
  reason?: string;
  condition?: string;
}

export type ChildDisposition = "ARCHIVE" | "PRUNE" | "SELECTIVE";

export interface CompiledGuardian {
  id: string;
  name: string;
  type: GuardianType;
  config: JsonObject | null;
  /** True when the guardian decides by a condition (a routing condition in the sense of rule 8). */
  decidesByCondition: boolean;
  test(scope: ConditionScope): GuardResult;
  /** CERBERUS only: what happens to the children when OMEGA finalizes the set. */
  disposition?: { mode: ChildDisposition; keepIf?: (scope: ConditionScope) => GuardResult };
}

export interface Check {
  decides: boolean;
  test(scope: ConditionScope): GuardResult;
}

/**
 * A condition checked exactly as a CRITERIA_GATE or DIRECTIONAL_FILTER checks it: false, and an
 * evaluation error, do not pass. work.list's `where` uses it so that its meaning is routing's.
 */
export function conditionCheck(source: string, label: string): Check {
  const compiled = compileCondition(source);
  return {
    decides: true,
    test(scope) {
      try {
        return compiled.test(scope)
          ? { pass: true }
          : { pass: false, condition: source, reason: `${label}: '${source}' is false` };
      } catch (error) {
        const detail =
          error instanceof ConditionEvaluationError
            ? `${error.message} (values: ${JSON.stringify(error.values)})`
            : String(error);
        return { pass: false, condition: source, reason: `${label}: '${source}' could not be evaluated: ${detail}` };
      }
    },
  };
}

function ttlCheck(config: JsonObject, label: string): Check {
  const field = String(config.field);
  const maxAge = Number(config.max_age_seconds);
  return {
    decides: true,
    test(scope) {
      const value = Object.prototype.hasOwnProperty.call(scope.attributes, field) ? scope.attributes[field] : undefined;
      const time = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : Number.NaN;
      if (!Number.isFinite(time)) {
        return {
          pass: false,
          reason: `${label}: attribute '${field}' is not a time (${JSON.stringify(value ?? null)})`,
        };
      }
      const age = ((scope.nowMs ?? Date.now()) - time) / 1000;
      return age <= maxAge
        ? { pass: true }
        : { pass: false, reason: `${label}: '${field}' is ${Math.round(age)} s old, more than ${maxAge} s` };
    },
  };
}

function checkFor(type: GuardianType, config: JsonObject | null, label: string): Check {
  switch (type) {
    case "PASS_THRU":
    case "CERBERUS":
      return { decides: false, test: () => ({ pass: true }) };
    case "CRITERIA_GATE":
    case "DIRECTIONAL_FILTER":
      return conditionCheck(String(config?.condition), label);
    case "TTL_CHECK":
      return ttlCheck(config ?? {}, label);
    case "COMPOSITE": {
      const all = Array.isArray(config?.all);
      const members = ((all ? config?.all : config?.any) as unknown[]).filter(isJsonObject);
      const checks = members.map((m, i) =>
        checkFor(m.type as GuardianType, isJsonObject(m.config) ? m.config : null, `${label}[${i + 1}]`),
      );
      return {
        decides: checks.some((c) => c.decides),
        test(scope) {
          const results: GuardResult[] = [];
          for (const check of checks) {
            const r = check.test(scope);
            if (all && !r.pass) return r;
            if (!all && r.pass) return r;
            results.push(r);
          }
          return all
            ? { pass: true }
            : { pass: false, reason: `${label}: none of ${results.map((r) => r.reason).join("; ")}` };
        },
      };
    }
  }
}

export function compileGuardian(g: {
  id: string;
  name: string;
  type: GuardianType;
  config: JsonObject | null;
}): CompiledGuardian {
  const check = checkFor(g.type, g.config, `guardian ${g.name}`);
  const compiled: CompiledGuardian = { ...g, decidesByCondition: check.decides, test: check.test };
  if (g.type === "CERBERUS") {
    const mode = (g.config?.child_disposition as ChildDisposition | undefined) ?? "ARCHIVE";
    compiled.disposition = {
      mode,
      keepIf:
        mode === "SELECTIVE" ? conditionCheck(String(g.config?.keep_if), `guardian ${g.name} keep_if`).test : undefined,
    };
  }
  return compiled;
}

/** All guardians of a component, in order; the first that does not pass decides. */
export function passesAll(
  guardians: readonly CompiledGuardian[],
  scope: ConditionScope,
): GuardResult & { guardian?: string } {
  for (const g of guardians) {
    const r = g.test(scope);
    if (!r.pass) return { ...r, guardian: g.name };
  }
  return { pass: true };
}
