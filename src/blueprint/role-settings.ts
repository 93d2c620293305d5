/**
 * A role's own lease policy, form, retry backoff and deadline, kept in its config
 * (docs/blueprint.md, rules 15 to 18): `lease_seconds`, `max_attempts`, `form`, `retry` and
 * `due_seconds`. Checked here when a blueprint is validated, and read here by the engine, so
 * that both agree on what a setting means.
 */
import type { RoleType } from "../schema/enums.js";
import type { JsonObject, JsonValue } from "../schema/json.js";
import { isJsonObject } from "../schema/json.js";

/** The range of a lease, in seconds, for a role and for the engine-wide setting: at most 30 days. */
export const LEASE_SECONDS_RANGE = { min: 1, max: 30 * 86_400 } as const;
/** The range of the checkouts one unit may have in one step, for a role and engine-wide. */
export const MAX_ATTEMPTS_RANGE = { min: 1, max: 1_000 } as const;
/** The lease of a HUMAN role that sets none: a working day. */
export const HUMAN_LEASE_SECONDS = 8 * 3_600;
/** The range of a retry's backoff, in seconds: at most 30 days, as a lease. */
export const BACKOFF_SECONDS_RANGE = { min: 1, max: 30 * 86_400 } as const;
/** The range of a role's deadline, in seconds: at most a year. */
export const DUE_SECONDS_RANGE = { min: 1, max: 365 * 86_400 } as const;
export const BACKOFF_KINDS = ["fixed", "exponential"] as const;
/** The roles whose units wait PENDING for them: the only ones a retry sends back to, and a deadline watches. */
export const QUEUE_ROLE_TYPES: readonly RoleType[] = ["BETA", "HUMAN", "AI_AGENT", "AUTO"];

/** A role's `retry` (rule 17): how long a unit waits before its next attempt. */
export interface RetryPolicy {
  backoff: (typeof BACKOFF_KINDS)[number];
  initial_seconds: number;
  /** Exponential only: the longest wait; the range's maximum when not given. */
  max_seconds?: number;
}
const RETRY_KEYS = ["backoff", "initial_seconds", "max_seconds"];

export const FORM_FIELD_TYPES = ["number", "text", "boolean", "choice", "json"] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** A choice is one of a list of scalars. */
export type Choice = string | number | boolean;

export interface FormField {
  key: string;
  type: FormFieldType;
  label?: string;
  required?: boolean;
  choices?: Choice[];
  default?: JsonValue;
}

const FIELD_KEYS = ["key", "type", "label", "required", "choices", "default"];
/** Attribute keys are at most this long (engine/limits.ts LIMITS.keyLength). */
const KEY_LENGTH = 255;

/** One problem of a role's settings: the rule, the path below the role's `config`, the message. */
export interface RoleSettingProblem {
  rule: 15 | 16 | 17 | 18;
  path: string;
  message: string;
}

/**
 * Rules 15 (lease_seconds, max_attempts), 16 (form), 17 (retry) and 18 (due_seconds) over one
 * role's config.
 */
export function roleSettingProblems(config: JsonObject | null, what: string, type: RoleType): RoleSettingProblem[] {
  if (config === null) return [];
  const out: RoleSettingProblem[] = [];
  const whole = (
    rule: RoleSettingProblem["rule"],
    path: string,
    value: JsonValue | undefined,
    range: { min: number; max: number },
    unit: string,
  ): void => {
    if (value === undefined) return;
    if (!isWhole(value, range)) {
      const key = path.split("/").join(".");
      out.push({
        rule,
        path,
        message: `'${key}' of ${what} must be a whole number of ${unit} from ${range.min} to ${range.max}, not ${JSON.stringify(value)}`,
      });
    }
  };
  whole(15, "lease_seconds", config["lease_seconds"], LEASE_SECONDS_RANGE, "seconds");
  whole(15, "max_attempts", config["max_attempts"], MAX_ATTEMPTS_RANGE, "checkouts");
  if (config["form"] !== undefined) out.push(...formProblems(config["form"], what));
  const queueRole = QUEUE_ROLE_TYPES.includes(type);
  const notHere = (rule: 17 | 18, key: string, does: string) =>
    out.push({
      rule,
      path: key,
      message: `'${key}' of ${what} is not allowed: ${does}, and only units waiting for a ${QUEUE_ROLE_TYPES.join(", ")} role do; ${what} is ${type}`,
    });
  const retry = config["retry"];
  if (retry !== undefined) {
    if (!queueRole) notHere(17, "retry", "a retry sends a unit back to wait PENDING");
    else if (!isJsonObject(retry)) {
      out.push({
        rule: 17,
        path: "retry",
        message: `'retry' of ${what} must be a mapping: { backoff: fixed|exponential, initial_seconds, max_seconds }`,
      });
    } else {
      for (const k of Object.keys(retry)) {
        if (!RETRY_KEYS.includes(k)) {
          out.push({
            rule: 17,
            path: `retry/${k}`,
            message: `unknown key '${k}' in 'retry' of ${what} (expected ${RETRY_KEYS.join(", ")})`,
          });
        }
      }
      const backoff = retry["backoff"];
      if (typeof backoff !== "string" || !(BACKOFF_KINDS as readonly string[]).includes(backoff)) {
        out.push({
          rule: 17,
          path: "retry/backoff",
          message: `'retry.backoff' of ${what} must be one of ${BACKOFF_KINDS.join(", ")}, not ${JSON.stringify(backoff ?? null)}`,
        });
      }
      if (retry["initial_seconds"] === undefined) {
        out.push({
          rule: 17,
          path: "retry/initial_seconds",
          message: `'retry' of ${what} needs 'initial_seconds': the wait before the second attempt`,
        });
      }
      whole(17, "retry/initial_seconds", retry["initial_seconds"], BACKOFF_SECONDS_RANGE, "seconds");
      const max = retry["max_seconds"];
      if (max !== undefined && backoff === "fixed") {
        out.push({
          rule: 17,
          path: "retry/max_seconds",
          message: `'retry.max_seconds' of ${what} is for an exponential backoff; a fixed one always waits initial_seconds`,
        });
      } else {
        whole(17, "retry/max_seconds", max, BACKOFF_SECONDS_RANGE, "seconds");
        const initial = retry["initial_seconds"];
        if (isWhole(max, BACKOFF_SECONDS_RANGE) && isWhole(initial, BACKOFF_SECONDS_RANGE) && max < initial) {
          out.push({
            rule: 17,
            path: "retry/max_seconds",
            message: `'retry.max_seconds' of ${what} (${max}) is less than its initial_seconds (${initial})`,
          });
        }
      }
    }
  }
  if (config["due_seconds"] !== undefined) {
    if (!queueRole) notHere(18, "due_seconds", "a deadline watches units waiting for a role or held by it");
    else whole(18, "due_seconds", config["due_seconds"], DUE_SECONDS_RANGE, "seconds");
  }
  return out;
}

function isWhole(value: JsonValue | undefined, range: { min: number; max: number }): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** The retry policy a role declares, or null; the config is valid (rule 17 passed at import). */
export function retryOf(config: JsonObject | null): RetryPolicy | null {
  const retry = config?.["retry"];
  return isJsonObject(retry) ? (retry as unknown as RetryPolicy) : null;
}

/**
 * Seconds a unit waits before attempt `attempt + 1`, after `attempt` checkouts that failed:
 * fixed, always initial_seconds; exponential, initial_seconds doubled at every attempt after
 * the first, at most max_seconds. No policy: no wait.
 */
export function backoffSeconds(policy: RetryPolicy | null, attempt: number): number {
  if (policy === null) return 0;
  if (policy.backoff === "fixed") return policy.initial_seconds;
  const cap = policy.max_seconds ?? BACKOFF_SECONDS_RANGE.max;
  const doublings = Math.max(0, attempt - 1);
  // 2^31 seconds is past any cap: stop doubling before the number grows without use.
  return doublings >= 31 ? cap : Math.min(cap, policy.initial_seconds * 2 ** doublings);
}

/** The deadline a role declares in seconds from a unit's arrival, or null (rule 18). */
export function dueSecondsOf(config: JsonObject | null): number | null {
  const due = config?.["due_seconds"];
  return typeof due === "number" ? due : null;
}

function formProblems(form: JsonValue, what: string): RoleSettingProblem[] {
  const out: RoleSettingProblem[] = [];
  const add = (path: string, message: string) => out.push({ rule: 16, path, message });
  if (!Array.isArray(form)) {
    add("form", `'form' of ${what} must be a list of fields`);
    return out;
  }
  const seen = new Set<string>();
  form.forEach((field, i) => {
    const at = `form/${i}`;
    if (!isJsonObject(field)) {
      add(at, `field #${i + 1} of the form of ${what} must be a mapping with key and type`);
      return;
    }
    const key = field["key"];
    const name = typeof key === "string" && key !== "" ? `field '${key}'` : `field #${i + 1}`;
    const of = `${name} of the form of ${what}`;
    for (const k of Object.keys(field)) {
      if (!FIELD_KEYS.includes(k)) add(`${at}/${k}`, `unknown key '${k}' in ${of} (expected ${FIELD_KEYS.join(", ")})`);
    }
    if (typeof key !== "string" || key === "" || key.length > KEY_LENGTH || key.startsWith("_")) {
      add(`${at}/key`, `${of} needs a 'key': an attribute name of 1 to ${KEY_LENGTH} characters not starting with '_'`);
    } else if (seen.has(key)) {
      add(`${at}/key`, `${of} repeats key '${key}'; each field's key is unique`);
    } else {
      seen.add(key);
    }
    const type = field["type"];
    const known = typeof type === "string" && (FORM_FIELD_TYPES as readonly string[]).includes(type);
    if (!known) {
      add(
        `${at}/type`,
        `${of} has type ${JSON.stringify(type ?? null)}; expected one of ${FORM_FIELD_TYPES.join(", ")}`,
      );
    }
    if (field["label"] !== undefined && typeof field["label"] !== "string") {
      add(`${at}/label`, `'label' of ${of} must be a string`);
    }
    if (field["required"] !== undefined && typeof field["required"] !== "boolean") {
      add(`${at}/required`, `'required' of ${of} must be true or false`);
    }
    const choices = field["choices"];
    if (type === "choice") {
      if (!Array.isArray(choices) || choices.length === 0) {
        add(`${at}/choices`, `${of} is a choice and needs a non-empty list of 'choices'`);
      } else if (!choices.every(isChoice) || new Set(choices).size !== choices.length) {
        add(`${at}/choices`, `'choices' of ${of} must be distinct strings, numbers or booleans`);
      }
    } else if (choices !== undefined) {
      add(`${at}/choices`, `${of} has 'choices' but is not of type choice`);
    }
    const value = field["default"];
    if (value !== undefined && known && !fitsType(value, field as unknown as FormField)) {
      add(
        `${at}/default`,
        `'default' of ${of} is ${JSON.stringify(value)}, not ${describeType(field as unknown as FormField)}`,
      );
    }
  });
  return out;
}

function isChoice(value: JsonValue): value is Choice {
  return (
    typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))
  );
}

/** Is `value` of the field's type (and, for a choice, one of its choices)? */
export function fitsType(value: JsonValue, field: FormField): boolean {
  switch (field.type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "text":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "choice":
      return isChoice(value) && (field.choices ?? []).includes(value);
    case "json":
      return true;
  }
}

/** `a number`, `one of "approve", "reject"`: what a field takes, for messages. */
export function describeType(field: FormField): string {
  switch (field.type) {
    case "number":
      return "a number";
    case "text":
      return "a text";
    case "boolean":
      return "true or false";
    case "choice":
      return `one of ${(field.choices ?? []).map((c) => JSON.stringify(c)).join(", ")}`;
    case "json":
      return "a JSON value";
  }
}

/** The form a role declares, or null; the config is valid (rule 16 passed at import). */
export function formOf(config: JsonObject | null): FormField[] | null {
  const form = config?.["form"];
  return Array.isArray(form) && form.length > 0 ? (form as unknown as FormField[]) : null;
}
