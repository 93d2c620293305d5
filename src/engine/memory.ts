/**
 * Role memory (ENGINE.md section 9): shared entries of a role (no actor) overlaid by the
 * actor's own playbook entries with the same key; toxic entries are never served. Learning
 * that a submit carries is kept with the unit and written here only when OMEGA finalizes
 * its base unit.
 */
import { ForbiddenError, NotFoundError } from "../errors.js";
import { isUuid, newId } from "../schema/ids.js";
import { jsonEqual, jsonText, type JsonValue } from "../schema/json.js";
import type { EngineContext, Trx } from "./context.js";
import { inTransaction } from "./context.js";
import { retryTransient } from "../store/retry.js";
import { findActor, mayTakeRole } from "./actors.js";
import { findRole, type RuntimeGraph } from "./graph.js";
import { jsonValue, name, parseInput, z } from "./input.js";
import { SETTING_RANGES } from "./limits.js";
import type { MemoryRow } from "../store/dialects/hot-path.js";

export interface MemoryEntry {
  memoryId: string;
  key: string;
  value: JsonValue;
  shared: boolean;
}

/** The entries an actor of a role receives, shared ones first replaced by its own of the same key. */
export async function memoryFor(
  store: EngineContext["store"],
  roleId: string,
  actorId: string,
  query?: string,
): Promise<MemoryEntry[]> {
  const entries = servedEntries(await store.dialect.hotPath.roleMemory(store.db, { roleId, actorId }));
  // A key search over one role's memory: few rows, and LIKE escapes differ between engines.
  const needle = query?.toLowerCase();
  return needle ? entries.filter((e) => e.key.toLowerCase().includes(needle)) : entries;
}

/** The entries served from a role's rows for one actor (ordered by key): its own replace shared ones of the same key. */
export function servedEntries(rows: readonly MemoryRow[]): MemoryEntry[] {
  const byKey = new Map<string, MemoryEntry>();
  for (const r of rows) {
    const entry = { memoryId: r.memory_id, key: r.key, value: r.value as JsonValue, shared: r.actor_id === null };
    lastServed.set(entry, r.last_accessed_at);
    const seen = byKey.get(r.key);
    if (!seen || (seen.shared && !entry.shared)) byKey.set(r.key, entry);
  }
  return [...byKey.values()];
}

/**
 * When each entry read by servedEntries was last marked served, as it was read: kept beside the
 * entries rather than on them, since the entries are what an actor receives.
 */
const lastServed = new WeakMap<MemoryEntry, Date | null>();

/**
 * How often an entry's last_accessed_at is written at most (docs/engine.md, "Memory"):
 * decay counts in days, so marking a busy role's entries at every checkout would only rewrite
 * the same rows again and again.
 */
export const SERVED_MARK_INTERVAL_MS = 3_600_000;

/** Records that these entries were served now (at checkout; drives decay), where the last mark is older than the interval. */
export async function markServed(
  trx: Trx | EngineContext["store"]["db"],
  entries: readonly MemoryEntry[],
  at: Date,
): Promise<void> {
  const due = entries.filter((e) => {
    const last = lastServed.get(e);
    return last === undefined || last === null || at.getTime() - last.getTime() >= SERVED_MARK_INTERVAL_MS;
  });
  if (due.length === 0) return;
  await trx
    .updateTable("local_role_attributes")
    .set({ last_accessed_at: at })
    .where(
      "memory_id",
      "in",
      due.map((e) => e.memoryId),
    )
    .execute();
  for (const e of due) lastServed.set(e, at);
}

export interface LearnedEntry {
  key: string;
  value: JsonValue;
  shared: boolean;
  roleId: string;
  actorId: string;
}

/** Writes learned entries (one per role, owner and key: a later one replaces the value, see putEntry). */
export async function commitLearning(
  ctx: EngineContext,
  trx: Trx,
  instanceId: string,
  entries: LearnedEntry[],
  sourceUowId: string,
  at: Date,
) {
  for (const e of entries) {
    await putEntry(ctx, trx, instanceId, {
      roleId: e.roleId,
      actorId: e.shared ? null : e.actorId,
      key: e.key,
      value: e.value,
      source: sourceUowId,
      at,
    });
  }
}

/**
 * Upserts one entry by (role, owner, key), safe against concurrent writers of the same key:
 * the insert does nothing where the key exists (waiting for a concurrent insert of it), then
 * the row is locked and updated. A toxic entry learned again with the same value stays as it
 * is, toxic; a different value is a new chance and clears the flag.
 */
async function putEntry(
  ctx: EngineContext,
  trx: Trx,
  instanceId: string,
  e: { roleId: string; actorId: string | null; key: string; value: JsonValue; source: string | null; at: Date },
): Promise<string> {
  const { dialect } = ctx.store;
  const memoryId = newId();
  const insert = trx.insertInto("local_role_attributes").values({
    memory_id: memoryId,
    instance_id: instanceId,
    role_id: e.roleId,
    actor_id: e.actorId,
    key: e.key,
    value: jsonText(e.value),
    is_toxic: false,
    toxic_reason: null,
    source_uow_id: e.source,
    created_at: e.at,
    last_accessed_at: null,
  });
  await dialect.insertUnlessExists(insert, ["role_id", "owner_key", "key"], "memory_id").execute();
  let q = trx
    .selectFrom("local_role_attributes")
    .select(["memory_id", "value", "is_toxic"])
    .where("role_id", "=", e.roleId)
    .where("key", "=", e.key);
  q = e.actorId === null ? q.where("actor_id", "is", null) : q.where("actor_id", "=", e.actorId);
  const row = await dialect.lockRows(q, "wait").executeTakeFirstOrThrow();
  if (row.memory_id === memoryId) return memoryId;
  if (row.is_toxic && jsonEqual(row.value as JsonValue, e.value)) return row.memory_id;
  await trx
    .updateTable("local_role_attributes")
    .set({ value: jsonText(e.value), is_toxic: false, toxic_reason: null, source_uow_id: e.source, created_at: e.at })
    .where("memory_id", "=", row.memory_id)
    .execute();
  return row.memory_id;
}

const getInput = z.object({ role: name, actorId: name, query: z.string().max(255).optional() }).strict();
const putInput = z.object({ role: name, actorId: name.optional(), key: name, value: jsonValue }).strict();

export async function getMemory(ctx: EngineContext, instance: string, raw: unknown): Promise<MemoryEntry[]> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(getInput, raw, "memory.get");
  const role = findRole(graph, input.role);
  const actor = await findActor(ctx.store.db, graph, input.actorId);
  // Only what a checkout would serve: an actor without the role is refused, like at checkout.
  if (actor.type !== "SYSTEM" && !(await mayTakeRole(ctx.store.db, graph, actor, role.id)))
    throw new ForbiddenError(`actor '${actor.name}' has no active assignment to role '${role.apiName}'`);
  return memoryFor(ctx.store, role.id, actor.actorId, input.query);
}

export async function putMemory(ctx: EngineContext, instance: string, raw: unknown): Promise<{ memoryId: string }> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(putInput, raw, "memory.put");
  const role = findRole(graph, input.role);
  return inTransaction(ctx, async (trx) => {
    const actorId = input.actorId === undefined ? null : (await findActor(trx, graph, input.actorId)).actorId;
    const memoryId = await putEntry(ctx, trx, graph.instanceId, {
      roleId: role.id,
      actorId,
      key: input.key,
      value: input.value,
      source: null,
      at: ctx.now(),
    });
    return { memoryId };
  });
}

export async function markToxic(
  ctx: EngineContext,
  instance: string,
  memoryId: unknown,
  reason: unknown,
): Promise<void> {
  const graph: RuntimeGraph = await ctx.graphs.get(instance);
  if (!isUuid(memoryId)) throw new NotFoundError(`no memory entry '${String(memoryId)}': memory ids are UUIDs`);
  const why = parseInput(z.string().min(1).max(65_535), reason, "memory.markToxic reason");
  // One statement, retried as a whole when the database is busy.
  const result = await retryTransient(ctx.store.dialect, () =>
    ctx.store.db
      .updateTable("local_role_attributes")
      .set({ is_toxic: true, toxic_reason: why })
      .where("memory_id", "=", memoryId)
      .where("instance_id", "=", graph.instanceId)
      .executeTakeFirst(),
  );
  if (Number(result.numUpdatedRows) === 0)
    throw new NotFoundError(`no memory entry '${memoryId}' in instance '${graph.instanceName}'`);
}

/** Removes the entries not served for more than `days` (never served: counted from when written). */
export async function decayMemory(ctx: EngineContext, instance: string, days: unknown): Promise<{ removed: number }> {
  const graph = await ctx.graphs.get(instance);
  const d = parseInput(
    z.number().min(SETTING_RANGES.decayDays.min).max(SETTING_RANGES.decayDays.max),
    days,
    "memory.decay days",
  );
  const cutoff = new Date(ctx.now().getTime() - d * 86_400_000);
  const result = await retryTransient(ctx.store.dialect, () =>
    ctx.store.db
      .deleteFrom("local_role_attributes")
      .where("instance_id", "=", graph.instanceId)
      .where((eb) =>
        eb.or([
          eb("last_accessed_at", "<", cutoff),
          eb.and([eb("last_accessed_at", "is", null), eb("created_at", "<", cutoff)]),
        ]),
      )
      .executeTakeFirst(),
  );
  return { removed: Number(result.numDeletedRows) };
}
