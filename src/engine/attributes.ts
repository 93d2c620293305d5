/**
 * Attribute versions: a unit's data is an append-only history per key. A write adds version
 * n+1 for each key whose value changed and nothing for the others. Keys starting with `_`
 * belong to the engine (the learning a submit carries, the link of a SIGMA copy).
 */
import { PayloadTooLargeError, ValidationError } from "../errors.js";
import { newId } from "../schema/ids.js";
import { isJsonObject, jsonEqual, jsonText, type JsonObject, type JsonText, type JsonValue } from "../schema/json.js";
import { insertInChunks } from "../store/chunks.js";
import type { Trx } from "./context.js";
import { LIMITS } from "./limits.js";

export interface AttributeVersion {
  value: JsonValue;
  version: number;
}

export type AttributeState = Map<string, AttributeVersion>;

export const RESERVED_PREFIX = "_";
const MAX_KEY_LENGTH = LIMITS.keyLength;

/**
 * The latest version of every key, as kept on the unit's row (units_of_work.current_attributes),
 * so that reading a unit costs the same however long its history is. Keys in sorted order.
 */
export function stateOf(unit: { current_attributes: JsonValue | null }): AttributeState {
  const state: AttributeState = new Map();
  const current = unit.current_attributes;
  if (!isJsonObject(current)) return state;
  for (const key of Object.keys(current).sort()) {
    const entry = current[key];
    if (isJsonObject(entry) && typeof entry.version === "number") {
      state.set(key, { value: entry.value ?? null, version: entry.version });
    }
  }
  return state;
}

function currentAttributesText(state: AttributeState): JsonText {
  const out: JsonObject = {};
  for (const [key, { value, version }] of state)
    Object.defineProperty(out, key, { value: { value, version }, enumerable: true });
  return jsonText(out)!;
}

/** The latest version of every key of a unit. */
export async function latestAttributes(trx: Trx, uowId: string): Promise<AttributeState> {
  const row = await trx
    .selectFrom("units_of_work")
    .select("current_attributes")
    .where("uow_id", "=", uowId)
    .executeTakeFirst();
  return row ? stateOf(row) : new Map();
}

/** Latest versions of several units at once, keyed by unit. */
export async function latestAttributesOf(trx: Trx, uowIds: readonly string[]): Promise<Map<string, AttributeState>> {
  const result = new Map<string, AttributeState>(uowIds.map((id) => [id, new Map()]));
  if (uowIds.length === 0) return result;
  const rows = await trx
    .selectFrom("units_of_work")
    .select(["uow_id", "current_attributes"])
    .where("uow_id", "in", uowIds)
    .execute();
  for (const r of rows) result.set(r.uow_id, stateOf(r));
  return result;
}

/** The attributes actors see and conditions read: latest values, engine keys left out. */
export function visibleAttributes(state: AttributeState): JsonObject {
  const out: JsonObject = {};
  for (const [key, { value }] of state) if (!key.startsWith(RESERVED_PREFIX)) out[key] = value;
  return out;
}

/**
 * Checks attributes given by an actor: an object of JSON values whose keys are not reserved.
 * `path` names the input in the error (`attributes`, `children[2].attributes`).
 */
export function checkActorAttributes(value: unknown, path: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw ValidationError.single(path, `${path} must be an object of attribute values`);
  for (const key of Object.keys(value)) {
    if (key === "") throw ValidationError.single(path, `${path} has an empty key`);
    if (key.length > MAX_KEY_LENGTH)
      throw ValidationError.single(
        `${path}.${key.slice(0, 20)}…`,
        `${path} has a key longer than ${MAX_KEY_LENGTH} characters`,
      );
    if (key.startsWith(RESERVED_PREFIX)) {
      throw ValidationError.single(
        `${path}.${key}`,
        `${path}.${key}: keys starting with '_' are reserved for the engine`,
      );
    }
    if (value[key] === undefined) throw ValidationError.single(`${path}.${key}`, `${path}.${key} has no value`);
  }
  return value;
}

/** Refuses an input whose JSON is larger than the limit, naming the limit. */
export function checkPayloadSize(input: unknown, limit: number, what: string): void {
  const size = Buffer.byteLength(JSON.stringify(input ?? null), "utf8");
  if (size > limit) {
    throw new PayloadTooLargeError(`${what} is ${size} bytes of JSON; the limit is ${limit} bytes`);
  }
}

/**
 * Writes version n+1 of every key whose value differs from the latest, and updates `state`
 * and the unit's current_attributes with it. Returns the keys written.
 */
export async function writeAttributes(
  trx: Trx,
  unit: { uowId: string; instanceId: string },
  state: AttributeState,
  changes: JsonObject,
  by: { actorId: string; reasoning: string | null; at: Date },
): Promise<string[]> {
  const rows = [];
  const changed: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const latest = state.get(key);
    if (latest && jsonEqual(latest.value, value)) continue;
    const version = (latest?.version ?? 0) + 1;
    rows.push({
      attribute_id: newId(),
      uow_id: unit.uowId,
      instance_id: unit.instanceId,
      key,
      value: jsonText(value),
      version,
      actor_id: by.actorId,
      reasoning: by.reasoning,
      created_at: by.at,
    });
    state.set(key, { value, version });
    changed.push(key);
  }
  if (rows.length > 0) {
    await insertInChunks(rows, (chunk) => trx.insertInto("uow_attributes").values(chunk).execute());
    await trx
      .updateTable("units_of_work")
      .set({ current_attributes: currentAttributesText(state) })
      .where("uow_id", "=", unit.uowId)
      .execute();
  }
  return changed;
}
