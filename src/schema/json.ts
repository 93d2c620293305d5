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
