/**
 * Every limit on what callers hand the library, in one place (docs/http.md lists them), and
 * the checks that apply to all input alike: how deep JSON nests, which strings and keys can be
 * stored unchanged on every engine. A refused input has written nothing.
 */
import { LEASE_SECONDS_RANGE, MAX_ATTEMPTS_RANGE } from "../blueprint/role-settings.js";
import { PayloadTooLargeError, ValidationError } from "../errors.js";

export const LIMITS = {
  /** Characters of an attribute key, a memory key or a name. */
  keyLength: 255,
  /** Keys of one JSON object (the attributes of a unit or of a child, or any object inside a value). */
  keysPerObject: 10_000,
  /** Attribute keys of one submit or genesis, the unit's and every child's together. */
  keysPerSubmit: 20_000,
  /** Children of one split. */
  childrenPerSubmit: 1_000,
  /** Levels of nesting of any input, counted from the input itself (MySQL's JSON stops at 100). */
  jsonDepth: 64,
  /** Characters of the reasoning of a submit, a child or a genesis. */
  reasoningLength: 65_536,
  /** Characters of a description or a reason. */
  textLength: 65_535,
  /** Units of one bulk cancel or release by ids. */
  unitsPerBulkMove: 1_000,
  /** Units one bulk move by a selection moves per call (`max`); the default is BULK_DEFAULT_MAX. */
  unitsPerBulkSelection: 1_000,
  /** Default of the `maxSubmitBytes` setting: JSON bytes of a submit as stored (reasoning once per row). */
  submitBytes: 1_048_576,
} as const;

/** Units a bulk move by a selection moves per call when it gives no `max`. */
export const BULK_DEFAULT_MAX = 100;

/** Ranges of the settings of openChameleon, the worker and the CLI. */
export const SETTING_RANGES = {
  /** A lease lasts at most 30 days; a role's `lease_seconds` has the same range (rule 15). */
  leaseTimeoutSeconds: LEASE_SECONDS_RANGE,
  maxAttempts: MAX_ATTEMPTS_RANGE,
  /** MariaDB's max_allowed_packet is 16 MiB by default; a larger submit could not be written. */
  maxSubmitBytes: { min: 1_024, max: 16 * 1_048_576 },
  /** Timers: setTimeout and setInterval take at most 2^31-1 ms, and fire at once beyond. */
  intervalMs: { min: 0, max: 2 ** 31 - 1 },
  concurrency: { min: 1, max: 1_000 },
  /** Units a worker claims per checkout and submits together: 1 to MAX_CHECKOUT_BATCH (work.checkoutMany). */
  batchSize: { min: 1, max: 100 },
  /** Memory decay: entries unserved for up to a hundred years. */
  decayDays: { min: 0, max: 36_500 },
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored as given, or null. PostgreSQL's text and JSON cannot hold NUL,
 * and a lone UTF-16 surrogate has no UTF-8 form (drivers turn it into U+FFFD): both are
 * refused on every engine, so that the same input means the same thing everywhere.
 */
export function textProblem(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character (U+0000)";
  if (LONE_SURROGATE.test(text)) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  return null;
}

/** Keys that JavaScript objects do not keep as ordinary keys. */
const UNSAFE_KEYS = new Set(["__proto__"]);

/**
 * Checks a whole input before it is parsed: nesting depth, keys per object, and every string
 * and key storable unchanged. `what` names the input (`work.submit`) in the error.
 */
export function checkInputJson(value: unknown, what: string): void {
  walk(value, what, "", 0);
}

function walk(value: unknown, what: string, path: string, depth: number): void {
  const at = path ? `${what} ${path}` : what;
  if (typeof value === "string") {
    const problem = textProblem(value);
    if (problem) throw ValidationError.single(path || what, `${at} ${problem}`);
    return;
  }
  if (value === null || typeof value !== "object" || value instanceof Date) return;
  if (depth >= LIMITS.jsonDepth) {
    throw ValidationError.single(path || what, `${at} nests deeper than ${LIMITS.jsonDepth} levels`);
  }
  const child = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], what, child(i), depth + 1);
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > LIMITS.keysPerObject) {
    throw new PayloadTooLargeError(
      `${at} has ${keys.length} keys; the limit is ${LIMITS.keysPerObject} keys per object`,
    );
  }
  for (const key of keys) {
    if (UNSAFE_KEYS.has(key)) {
      throw ValidationError.single(
        child(key),
        `${at} has the key '${key}', which JavaScript objects do not keep as data: use another key`,
      );
    }
    const problem = textProblem(key);
    if (problem) throw ValidationError.single(path || what, `${at} has a key that ${problem}`);
    walk((value as Record<string, unknown>)[key], what, child(key), depth + 1);
  }
}

/** The shape of an id: a name of this shape would be taken for an id where either is accepted. */
export const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a write stores beside its JSON: a reasoning text, copied onto each of `rows` attribute versions. */
export interface StoredReasoning {
  text: string | null | undefined;
  rows: number;
}

/**
 * Refuses a write whose stored size is over the limit: the JSON of its data, plus each
 * reasoning as many times as it is stored (once per attribute version row).
 */
export function checkStoredSize(data: unknown, reasoning: StoredReasoning[], limit: number, what: string): void {
  const dataBytes = Buffer.byteLength(JSON.stringify(data ?? null), "utf8");
  let reasoningBytes = 0;
  for (const r of reasoning) if (r.text) reasoningBytes += Buffer.byteLength(r.text, "utf8") * r.rows;
  const size = dataBytes + reasoningBytes;
  if (size > limit) {
    const of = reasoningBytes > 0 ? ` (${reasoningBytes} of them reasoning, stored once per attribute version)` : "";
    throw new PayloadTooLargeError(`${what} is ${size} bytes as stored${of}; the limit is ${limit} bytes`);
  }
}
