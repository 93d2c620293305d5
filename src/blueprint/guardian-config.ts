/**
 * Guardian configuration (ENGINE.md section 6): the shape each type needs (rule 12), the
 * conditions inside it (rule 9), and whether a guardian carries a condition (rules 8 and 11).
 */
import { ConditionSyntaxError, parseCondition } from "../conditions/index.js";
import { GuardianType } from "../schema/enums.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../schema/json.js";

export const CHILD_DISPOSITIONS = ["ARCHIVE", "PRUNE", "SELECTIVE"] as const;
export type ChildDisposition = (typeof CHILD_DISPOSITIONS)[number];

/** A problem inside a config; `at` is the path below `config` (`all/1/config/condition`), "" for the config itself. */
export interface ConfigProblem {
  rule: number;
  at: string;
  message: string;
}

/** Checks a guardian's config against its type, recursively for COMPOSITE. */
export function checkGuardianConfig(type: GuardianType, config: JsonObject | null): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  check(type, config, "", problems);
  return problems;
}

/**
 * True when the guardian decides by a condition (CRITERIA_GATE, DIRECTIONAL_FILTER, TTL_CHECK,
 * or a COMPOSITE containing one): a component it guards is a conditional route, not a default.
 */
export function decidesByCondition(type: GuardianType, config: JsonObject | null): boolean {
  if (type === "CRITERIA_GATE" || type === "DIRECTIONAL_FILTER" || type === "TTL_CHECK") return true;
  if (type !== "COMPOSITE" || config === null) return false;
  return members(config).some((m) => {
    const t = m["type"];
    const c = m["config"];
    return typeof t === "string" && isGuardianType(t) && decidesByCondition(t, isJsonObject(c) ? c : null);
  });
}

/** COMPOSITE members, as far as they are mappings. */
export function members(config: JsonObject): JsonObject[] {
  const list = config["all"] ?? config["any"];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

export function isGuardianType(value: string): value is GuardianType {
  return (GuardianType as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------

function check(type: GuardianType, config: JsonObject | null, at: string, out: ConfigProblem[]): void {
  const fail = (message: string, where = at): void => void out.push({ rule: 12, at: where, message });
  const keys = config === null ? [] : Object.keys(config);
  const only = (allowed: string[]): void => {
    for (const k of keys) if (!allowed.includes(k)) fail(`${type} config has unknown key '${k}'`, join(at, k));
  };
  switch (type) {
    case "PASS_THRU":
      if (keys.length > 0) fail("PASS_THRU takes no config");
      return;
    case "CRITERIA_GATE":
    case "DIRECTIONAL_FILTER": {
      only(["condition"]);
      const condition = config?.["condition"];
      if (typeof condition !== "string" || condition.trim() === "") {
        fail(`${type} needs config { condition: <expression> }`, join(at, "condition"));
      } else {
        parseProblem(condition, join(at, "condition"), out);
      }
      return;
    }
    case "TTL_CHECK": {
      only(["field", "max_age_seconds"]);
      const field = config?.["field"];
      const maxAge = config?.["max_age_seconds"];
      if (typeof field !== "string" || field.trim() === "") {
        fail("TTL_CHECK needs config 'field': the attribute holding the timestamp", join(at, "field"));
      }
      if (typeof maxAge !== "number" || !(maxAge > 0)) {
        fail("TTL_CHECK needs config 'max_age_seconds': a positive number", join(at, "max_age_seconds"));
      }
      return;
    }
    case "COMPOSITE":
      checkComposite(config, at, out);
      return;
    case "CERBERUS": {
      only(["child_disposition", "keep_if"]);
      const disposition = config?.["child_disposition"] ?? "ARCHIVE";
      const keepIf = config?.["keep_if"];
      if (typeof disposition !== "string" || !(CHILD_DISPOSITIONS as readonly string[]).includes(disposition)) {
        fail(
          `CERBERUS child_disposition must be one of ${CHILD_DISPOSITIONS.join(", ")}`,
          join(at, "child_disposition"),
        );
        return;
      }
      if (disposition === "SELECTIVE") {
        if (typeof keepIf !== "string" || keepIf.trim() === "") {
          fail("CERBERUS with child_disposition SELECTIVE needs 'keep_if': a condition", join(at, "keep_if"));
        } else {
          parseProblem(keepIf, join(at, "keep_if"), out);
        }
      } else if (keepIf !== undefined && keepIf !== null) {
        fail(`'keep_if' is only for child_disposition SELECTIVE, not ${disposition}`, join(at, "keep_if"));
      }
      return;
    }
  }
}

function checkComposite(config: JsonObject | null, at: string, out: ConfigProblem[]): void {
  const fail = (message: string, where = at): void => void out.push({ rule: 12, at: where, message });
  const keys = config === null ? [] : Object.keys(config);
  const modes = keys.filter((k) => k === "all" || k === "any");
  for (const k of keys) if (k !== "all" && k !== "any") fail(`COMPOSITE config has unknown key '${k}'`, join(at, k));
  if (modes.length !== 1 || config === null) {
    fail("COMPOSITE needs exactly one of 'all' or 'any': a list of { type, config }");
    return;
  }
  const mode = modes[0] as "all" | "any";
  const list: JsonValue | undefined = config[mode];
  if (!Array.isArray(list) || list.length === 0) {
    fail(`COMPOSITE '${mode}' must be a non-empty list of { type, config }`, join(at, mode));
    return;
  }
  list.forEach((member, i) => {
    const where = join(at, `${mode}/${i}`);
    if (!isJsonObject(member)) {
      fail(`COMPOSITE ${mode}[${i}] must be a mapping { type, config }`, where);
      return;
    }
    for (const k of Object.keys(member)) {
      if (k !== "type" && k !== "config") fail(`COMPOSITE ${mode}[${i}] has unknown key '${k}'`, join(where, k));
    }
    const type = member["type"];
    const memberConfig = member["config"] ?? null;
    if (typeof type !== "string" || !isGuardianType(type)) {
      out.push({
        rule: 3,
        at: join(where, "type"),
        message: `COMPOSITE ${mode}[${i}] has unknown guardian type '${String(type)}' (expected one of ${GuardianType.join(", ")})`,
      });
      return;
    }
    if (type === "CERBERUS") {
      fail(`COMPOSITE ${mode}[${i}]: CERBERUS cannot be part of a COMPOSITE`, join(where, "type"));
      return;
    }
    if (memberConfig !== null && !isJsonObject(memberConfig)) {
      fail(`COMPOSITE ${mode}[${i}] config must be a mapping`, join(where, "config"));
      return;
    }
    check(type, memberConfig, join(where, "config"), out);
  });
}

/** Rule 9: the condition must parse; the message gives the column in the expression. */
function parseProblem(source: string, at: string, out: ConfigProblem[]): void {
  try {
    parseCondition(source);
  } catch (error) {
    // The parser throws only ConditionSyntaxError; anything else is still reported, not thrown.
    const detail =
      error instanceof ConditionSyntaxError
        ? ` at column ${error.column}: ${error.message.replace(/^column \d+: /, "")}`
        : `: ${error instanceof Error ? error.message : String(error)}`;
    out.push({ rule: 9, at, message: `condition ${JSON.stringify(source)} does not parse${detail}` });
  }
}

function join(at: string, key: string): string {
  return at === "" ? key : `${at}/${key}`;
}
