/**
 * The events of a deployment as a whole (instance_events): pauses and resumes, and what its
 * schedules did. They concern no unit, so they are not in the audit log of units; like it,
 * the table is append-only.
 */
import type { InstanceEvent } from "../schema/enums.js";
import { jsonText, type JsonObject, type JsonValue } from "../schema/json.js";
import type { EngineContext, Trx } from "./context.js";
import { parseInput, z } from "./input.js";

export interface InstanceEventDraft {
  instanceId: string;
  event: InstanceEvent;
  roleId?: string | null;
  scheduleId?: string | null;
  by: string;
  reason?: string | null;
  details?: JsonObject;
  at: Date;
}

export async function appendInstanceEvent(trx: Trx, e: InstanceEventDraft): Promise<void> {
  await trx
    .insertInto("instance_events")
    .values({
      instance_id: e.instanceId,
      event: e.event,
      role_id: e.roleId ?? null,
      schedule_id: e.scheduleId ?? null,
      performed_by: e.by,
      reason: e.reason ?? null,
      details: jsonText(e.details ?? null),
      timestamp: e.at,
    })
    .execute();
}

export interface InstanceEventEntry {
  eventId: number;
  event: InstanceEvent;
  /** The role paused or resumed (its API name); null for the instance or a schedule. */
  role: string | null;
  scheduleId: string | null;
  by: string;
  reason: string | null;
  details: JsonValue;
  at: Date;
}

const historyInput = z
  .object({
    limit: z.number().int().min(1).max(1000).optional(),
    /** The `eventId` of the last entry of the previous page (entries come newest first). */
    before: z.number().int().min(1).optional(),
  })
  .strict();

/** The instance's events, newest first, at most `limit` (default 100) a page. */
export async function instanceHistory(
  ctx: EngineContext,
  instance: string,
  raw: unknown = {},
): Promise<InstanceEventEntry[]> {
  const input = parseInput(historyInput, raw ?? {}, "instances.history");
  const graph = await ctx.graphs.get(instance);
  let query = ctx.store.db
    .selectFrom("instance_events")
    .selectAll()
    .where("instance_id", "=", graph.instanceId)
    .orderBy("event_id", "desc")
    .limit(input.limit ?? 100);
  if (input.before !== undefined) query = query.where("event_id", "<", input.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    eventId: Number(r.event_id),
    event: r.event,
    role: r.role_id === null ? null : (graph.roles.get(r.role_id)?.apiName ?? r.role_id),
    scheduleId: r.schedule_id,
    by: r.performed_by,
    reason: r.reason,
    details: r.details,
    at: r.timestamp,
  }));
}
