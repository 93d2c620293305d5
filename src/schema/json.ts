/** A value that survives JSON.stringify / JSON.parse unchanged: what every json column holds. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * What is written into a json column: the JSON text itself, so that no driver guesses
 * (pg turns arrays into SQL arrays, better-sqlite3 refuses objects). The brand makes the
 * compiler insist on jsonText() for every write.
 */
export type JsonText = string & { readonly __json: true };

export function jsonText(value: JsonValue | undefined): JsonText | null {
  return value === undefined || value === null ? null : (JSON.stringify(value) as JsonText);
}

/** Structural equality of JSON values; object key order does not matter. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (
    a === null ||
    b === null ||
    a === undefined ||
    b === undefined ||
    typeof a !== "object" ||
    typeof b !== "object"
  ) {
    return false;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]))
  );
}
