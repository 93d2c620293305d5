/**
 * Attribute versions: a unit's data is an append-only history per key. A write adds version
 * n+1 for each key whose value changed and nothing for the others. Keys starting with `_`
 * belong to the engine (the learning a submit carries, the link of a SIGMA copy).
 */
import { PayloadTooLargeError, ValidationError } from "../errors.js";
import { newId } from "../schema/ids.js";
import { isJsonObject, jsonEqual, jsonText, type JsonObject, type JsonValue } from "../schema/json.js";
import type { Kysely } from "kysely";
import type { InstanceDatabase } from "../schema/tables.js";
import type { Trx } from "./context.js";

export interface AttributeVersion {
  value: JsonValue;
  version: number;
}

export type AttributeState = Map<string, AttributeVersion>;

export const RESERVED_PREFIX = "_";
const MAX_KEY_LENGTH = 255;

/** The latest version of every key of a unit. */
export async function latestAttributes(trx: Trx, uowId: string): Promise<AttributeState> {
  const rows = await trx
    .selectFrom("uow_attributes")
    .select(["key", "value", "version"])
    .where("uow_id", "=", uowId)
    .orderBy("key")
    .orderBy("version")
    .execute();
  const state: AttributeState = new Map();
  for (const r of rows) state.set(r.key, { value: r.value, version: r.version });
  return state;
}

/** Latest versions of several units at once, keyed by unit (in a transaction or a plain read). */
export async function latestAttributesOf(
  trx: Kysely<InstanceDatabase>,
  uowIds: readonly string[],
): Promise<Map<string, AttributeState>> {
  const result = new Map<string, AttributeState>(uowIds.map((id) => [id, new Map()]));
  if (uowIds.length === 0) return result;
  const rows = await trx
    .selectFrom("uow_attributes")
    .select(["uow_id", "key", "value", "version"])
    .where("uow_id", "in", uowIds)
    .orderBy("uow_id")
    .orderBy("key")
    .orderBy("version")
    .execute();
  for (const r of rows) result.get(r.uow_id)!.set(r.key, { value: r.value, version: r.version });
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
 * Writes version n+1 of every key whose value differs from the latest, and updates `state`.
 * Returns the keys written.
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
  if (rows.length > 0) await trx.insertInto("uow_attributes").values(rows).execute();
  return changed;
}
