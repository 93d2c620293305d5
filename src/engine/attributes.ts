/**
 * Attribute versions: a unit's data is an append-only history per key. A write adds version
 * n+1 for each key whose value changed and nothing for the others. Keys starting with `_`
 * belong to the engine (the learning a submit carries, the link of a SIGMA copy).
 */
import { PayloadTooLargeError, ValidationError } from "../errors.js";
import { newId } from "../schema/ids.js";
import { isJsonObject, jsonEqual, jsonText, type JsonObject, type JsonText, type JsonValue } from "../schema/json.js";
import type { AttributeRow } from "../store/dialects/hot-path.js";
import type { EngineContext, Trx } from "./context.js";
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

/** units_of_work.current_attributes for this state, as JSON text. */
export function currentAttributesText(state: AttributeState): JsonText {
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
 * Version n+1 of every key whose value differs from the latest, as rows to write; `state` is
 * updated with them. Returns the rows and the keys they are for.
 */
export function attributeVersions(
  uowId: string,
  state: AttributeState,
  changes: JsonObject,
  by: { actorId: string; reasoning: string | null },
): { rows: AttributeRow[]; changed: string[] } {
  const rows: AttributeRow[] = [];
  const changed: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const latest = state.get(key);
    if (latest && jsonEqual(latest.value, value)) continue;
    const version = (latest?.version ?? 0) + 1;
    rows.push({
      attribute_id: newId(),
      uow_id: uowId,
      key,
      value: jsonText(value)!,
      version,
      actor_id: by.actorId,
      reasoning: by.reasoning,
    });
    state.set(key, { value, version });
    changed.push(key);
  }
  return { rows, changed };
}

/**
 * Writes version n+1 of every key whose value differs from the latest, and updates `state`
 * and the unit's current_attributes with it. Returns the keys written.
 */
export async function writeAttributes(
  step: { trx: Trx; ctx: EngineContext },
  unit: { uowId: string; instanceId: string },
  state: AttributeState,
  changes: JsonObject,
  by: { actorId: string; reasoning: string | null; at: Date },
): Promise<string[]> {
  const { rows, changed } = attributeVersions(unit.uowId, state, changes, by);
  await writeVersions(step, unit, state, rows, by.at);
  return changed;
}

/** Writes attribute versions made by attributeVersions, and the unit's current_attributes from `state`. */
export async function writeVersions(
  step: { trx: Trx; ctx: EngineContext },
  unit: { uowId: string; instanceId: string },
  state: AttributeState,
  rows: readonly AttributeRow[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await step.ctx.store.dialect.hotPath.insertAttributeVersions(step.trx, { instanceId: unit.instanceId, at, rows });
  await step.trx
    .updateTable("units_of_work")
    .set({ current_attributes: currentAttributesText(state), updated_at: at })
    .where("uow_id", "=", unit.uowId)
    .execute();
}
