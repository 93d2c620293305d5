/**
 * Values at run time, and the built-in functions. Values are JSON values: null, boolean, finite
 * number, string, list, plain object. Anything else read from the scope is treated as null.
 */
import { MAX_RESULT_LENGTH } from "./ast.js";

/** Thrown inside evaluation; evaluateCondition turns it into a ConditionEvaluationError with the source. */
export class EvaluationFailure extends Error {
  constructor(
    message: string,
    readonly values: unknown[],
  ) {
    super(message);
  }
}

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Keeps JSON values and turns everything else (undefined, functions, class instances, NaN) into null. */
export function toJsonValue(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "object":
      return value === null || Array.isArray(value) || isPlainObject(value) ? value : null;
    default:
      return null;
  }
}

export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return false;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Structural equality without coercion; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every((key) => hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], bRecord[key]))
  );
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return typeof value;
}

/** A value for an error message: its type and a short JSON preview, e.g. `list [1,2]`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  let preview: string;
  try {
    preview = JSON.stringify(value) ?? String(value);
  } catch {
    preview = "...";
  }
  if (preview.length > 60) preview = `${preview.slice(0, 57)}...`;
  return `${typeName(value)} ${preview}`;
}

/** Checked before building a result, so an oversized string or list is never allocated. */
export function checkLength(length: number, what: string, unit: "characters" | "items"): void {
  if (length > MAX_RESULT_LENGTH) {
    throw new EvaluationFailure(`${what} gives a result longer than ${MAX_RESULT_LENGTH} ${unit}`, []);
  }
}

function wrongType(name: string, value: unknown, wanted: string): EvaluationFailure {
  return new EvaluationFailure(`cannot apply ${name}() to ${describe(value)} (expected ${wanted})`, [value]);
}

export function len(value: unknown): number {
  if (value === null) return 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  throw wrongType("len", value, "a string, list, object or null");
}

export function lower(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === "string") return limited(value.toLowerCase(), "lower()");
  throw wrongType("lower", value, "a string or null");
}

export function upper(value: unknown): string | null {
  if (value === null) return null;
  // Upper-casing can grow a string ("ß" becomes "SS"), hence the check.
  if (typeof value === "string") return limited(value.toUpperCase(), "upper()");
  throw wrongType("upper", value, "a string or null");
}

function limited(result: string, what: string): string {
  checkLength(result.length, what, "characters");
  return result;
}

export function now(nowMs: number): number {
  return nowMs / 1000;
}

export function age(value: unknown, nowMs: number): number | null {
  if (value === null) return null;
  if (typeof value !== "string") throw wrongType("age", value, "an ISO time string or null");
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    throw new EvaluationFailure(`age() cannot read ${describe(value)} as a time`, [value]);
  }
  return (nowMs - parsed) / 1000;
}
