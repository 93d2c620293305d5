/**
 * schedules.create, list, pause, resume and delete: cron schedules that start a unit of work in
 * an instance at each tick (schedule-tick.ts runs them). A pattern is read by croner, in the
 * schedule's IANA time zone (default UTC). Each change is audited in instance_events.
 */
import { Cron } from "croner";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { newId } from "../schema/ids.js";
import { jsonText, type JsonObject, type JsonValue } from "../schema/json.js";
import { isUuid } from "../schema/ids.js";
import { checkActorAttributes } from "./attributes.js";
import { inTransaction, type EngineContext, type Trx } from "./context.js";
import type { RuntimeGraph } from "./graph.js";
import { appendInstanceEvent } from "./instance-events.js";
import { jsonObject, name, parseInput, z } from "./input.js";
import { checkStoredSize, LIMITS } from "./limits.js";

export interface Schedule {
  scheduleId: string;
  name: string;
  cron: string;
  timezone: string;
  attributes: JsonValue;
  /** The next tick not yet run. */
  nextTickAt: Date;
  lastTickAt: Date | null;
  lastUowId: string | null;
  /** When the schedule was paused; null while it runs. */
  pausedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

const createInput = z
  .object({
    name,
    cron: z.string().min(1).max(255),
    timezone: z.string().min(1).max(64).optional(),
    attributes: jsonObject.optional(),
    by: name,
  })
  .strict();
const changeInput = z.object({ by: name, reason: z.string().min(1).max(LIMITS.textLength).optional() }).strict();

/** The croner job of a pattern, not running (this process never fires it; it only computes ticks). */
export function cronOf(pattern: string, timezone: string): Cron {
  return new Cron(pattern, { timezone, paused: true });
}

function checkedCron(pattern: string, timezone: string, now: Date): { cron: Cron; next: Date } {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    throw ValidationError.single(
      "timezone",
      `schedules.create timezone: '${timezone}' is not an IANA time zone (such as UTC or Europe/Paris)`,
    );
  }
  let cron: Cron;
  try {
    cron = cronOf(pattern, timezone);
  } catch (error) {
    throw ValidationError.single("cron", `schedules.create cron: '${pattern}': ${(error as Error).message}`);
  }
  const next = cron.nextRun(now);
  if (next === null) throw ValidationError.single("cron", `schedules.create cron: '${pattern}' has no tick after now`);
  return { cron, next };
}

function toSchedule(r: {
  schedule_id: string;
  name: string;
  cron: string;
  timezone: string;
  attributes: JsonValue;
  next_tick_at: Date;
  last_tick_at: Date | null;
  last_uow_id: string | null;
  paused_at: Date | null;
  created_by: string;
  created_at: Date;
}): Schedule {
  return {
    scheduleId: r.schedule_id,
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    attributes: r.attributes ?? {},
    nextTickAt: r.next_tick_at,
    lastTickAt: r.last_tick_at,
    lastUowId: r.last_uow_id,
    pausedAt: r.paused_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export async function createSchedule(ctx: EngineContext, instance: string, raw: unknown): Promise<Schedule> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(createInput, raw, "schedules.create");
  checkActorAttributes(input.attributes, "attributes");
  checkStoredSize(input.attributes, [], ctx.settings.maxSubmitBytes, "the attributes of a schedule");
  const timezone = input.timezone ?? "UTC";
  const now = ctx.now();
  const { next } = checkedCron(input.cron, timezone, now);
  const scheduleId = newId();
  try {
    await inTransaction(ctx, async (trx) => {
      const taken = await trx
        .selectFrom("schedules")
        .select("schedule_id")
        .where("instance_id", "=", graph.instanceId)
        .where("name", "=", input.name)
        .executeTakeFirst();
      if (taken) throw nameTaken(graph, input.name);
      await trx
        .insertInto("schedules")
        .values({
          schedule_id: scheduleId,
          instance_id: graph.instanceId,
          name: input.name,
          cron: input.cron,
          timezone,
          attributes: jsonText(input.attributes ?? {}),
          next_tick_at: next,
          last_tick_at: null,
          last_uow_id: null,
          paused_at: null,
          created_by: input.by,
          created_at: now,
        })
        .execute();
      await appendInstanceEvent(trx, {
        instanceId: graph.instanceId,
        event: "SCHEDULE_CREATE",
        scheduleId,
        by: input.by,
        details: { name: input.name, cron: input.cron, timezone },
        at: now,
      });
    });
  } catch (error) {
    // A concurrent create of the same name won the unique key.
    if (ctx.store.dialect.isUniqueViolation(error)) throw nameTaken(graph, input.name);
    throw error;
  }
  return getSchedule(ctx, graph, scheduleId);
}

const nameTaken = (graph: RuntimeGraph, scheduleName: string) =>
  new ConflictError(`instance '${graph.instanceName}' already has a schedule named '${scheduleName}'`);

export async function listSchedules(ctx: EngineContext, instance: string): Promise<Schedule[]> {
  const graph = await ctx.graphs.get(instance);
  const rows = await ctx.store.db
    .selectFrom("schedules")
    .selectAll()
    .where("instance_id", "=", graph.instanceId)
    .orderBy("name")
    .execute();
  return rows.map(toSchedule);
}

async function getSchedule(ctx: EngineContext, graph: RuntimeGraph, scheduleId: string): Promise<Schedule> {
  const row = await ctx.store.db
    .selectFrom("schedules")
    .selectAll()
    .where("schedule_id", "=", scheduleId)
    .executeTakeFirstOrThrow();
  return toSchedule(row);
}

/** The schedule of this instance with that id or name, locked for the transaction. */
async function lockSchedule(trx: Trx, ctx: EngineContext, graph: RuntimeGraph, ref: string) {
  let query = trx.selectFrom("schedules").selectAll().where("instance_id", "=", graph.instanceId);
  query = isUuid(ref) ? query.where("schedule_id", "=", ref) : query.where("name", "=", ref);
  const row = await ctx.store.dialect.lockRows(query, "wait").executeTakeFirst();
  if (!row) throw new NotFoundError(`no schedule '${ref}' in instance '${graph.instanceName}'`);
  return row;
}

/**
 * Pauses a schedule (it starts nothing until resumed; the ticks in between are skipped, not
 * caught up), or resumes it from its next tick after now.
 */
export async function setSchedulePaused(
  ctx: EngineContext,
  instance: string,
  ref: string,
  paused: boolean,
  raw: unknown,
): Promise<Schedule> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(changeInput, raw, paused ? "schedules.pause" : "schedules.resume");
  const id = await inTransaction(ctx, async (trx) => {
    const row = await lockSchedule(trx, ctx, graph, ref);
    if ((row.paused_at !== null) === paused) {
      throw new ConflictError(
        `schedule '${row.name}' is ${paused ? "already paused" : "not paused"}; nothing was changed`,
      );
    }
    const at = ctx.now();
    const patch: { paused_at: Date | null; next_tick_at?: Date } = { paused_at: paused ? at : null };
    if (!paused) patch.next_tick_at = cronOf(row.cron, row.timezone).nextRun(at) ?? row.next_tick_at;
    await trx.updateTable("schedules").set(patch).where("schedule_id", "=", row.schedule_id).execute();
    await appendInstanceEvent(trx, {
      instanceId: graph.instanceId,
      event: paused ? "SCHEDULE_PAUSE" : "SCHEDULE_RESUME",
      scheduleId: row.schedule_id,
      by: input.by,
      reason: input.reason ?? null,
      details: { name: row.name } satisfies JsonObject,
      at,
    });
    return row.schedule_id;
  });
  return getSchedule(ctx, graph, id);
}

/** Deletes a schedule; the units it started and its entries in instance_events stay. */
export async function deleteSchedule(
  ctx: EngineContext,
  instance: string,
  ref: string,
  raw: unknown,
): Promise<{ scheduleId: string; deleted: true }> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(changeInput, raw, "schedules.delete");
  return inTransaction(ctx, async (trx) => {
    const row = await lockSchedule(trx, ctx, graph, ref);
    await trx.deleteFrom("schedules").where("schedule_id", "=", row.schedule_id).execute();
    await appendInstanceEvent(trx, {
      instanceId: graph.instanceId,
      event: "SCHEDULE_DELETE",
      scheduleId: row.schedule_id,
      by: input.by,
      reason: input.reason ?? null,
      details: { name: row.name, cron: row.cron, timezone: row.timezone },
      at: ctx.now(),
    });
    return { scheduleId: row.schedule_id, deleted: true as const };
  });
}
