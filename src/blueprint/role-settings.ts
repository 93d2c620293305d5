/**
 * A role's own lease policy and form, kept in its config (docs/blueprint.md, rules 15 and 16):
 * `lease_seconds`, `max_attempts` and `form`. Checked here when a blueprint is validated, and
 * read here by the engine, so that both agree on what a setting means.
 */
import type { JsonObject, JsonValue } from "../schema/json.js";
import { isJsonObject } from "../schema/json.js";

/** The range of a lease, in seconds, for a role and for the engine-wide setting: at most 30 days. */
export const LEASE_SECONDS_RANGE = { min: 1, max: 30 * 86_400 } as const;
/** The range of the checkouts one unit may have in one step, for a role and engine-wide. */
export const MAX_ATTEMPTS_RANGE = { min: 1, max: 1_000 } as const;
/** The lease of a HUMAN role that sets none: a working day. */
export const HUMAN_LEASE_SECONDS = 8 * 3_600;

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
  rule: 15 | 16;
  path: string;
  message: string;
}

/** Rules 15 (lease_seconds, max_attempts) and 16 (form) over one role's config. */
export function roleSettingProblems(config: JsonObject | null, what: string): RoleSettingProblem[] {
  if (config === null) return [];
  const out: RoleSettingProblem[] = [];
  const whole = (key: string, range: { min: number; max: number }, unit: string): void => {
    const value = config[key];
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
      out.push({
        rule: 15,
        path: key,
        message: `'${key}' of ${what} must be a whole number of ${unit} from ${range.min} to ${range.max}, not ${JSON.stringify(value)}`,
      });
    }
  };
  whole("lease_seconds", LEASE_SECONDS_RANGE, "seconds");
  whole("max_attempts", MAX_ATTEMPTS_RANGE, "checkouts");
  if (config["form"] !== undefined) out.push(...formProblems(config["form"], what));
  return out;
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
