/**
 * The text of an event stream cursor: base64url of a JSON array whose first item names the
 * engine that wrote it, then that engine's counters. Opaque to callers; each feed
 * (dialects/<engine>/events.ts) decides what the counters mean and refuses what it did not write.
 */

export function encodeCursor(engine: string, parts: readonly number[]): string {
  return Buffer.from(JSON.stringify([engine, ...parts]), "utf8").toString("base64url");
}

const BASE64URL = /^[A-Za-z0-9_-]{1,65536}$/;

/** The counters of a cursor of this engine (each a whole number >= 0), or null when it is not one. */
export function decodeCursor(engine: string, text: string): number[] | null {
  if (!BASE64URL.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value[0] !== engine) return null;
  const parts = value.slice(1);
  return parts.every((p) => Number.isSafeInteger(p) && (p as number) >= 0) ? (parts as number[]) : null;
}
