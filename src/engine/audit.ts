/**
 * The append-only ledger: every change writes its interaction_logs rows in the same
 * transaction as the change. Nothing in the engine updates or deletes a log row. A step
 * writes all its entries at once, at its end (engine/step.ts), and then tells the event
 * stream's listeners once, where the engine has any (a NOTIFY on PostgreSQL).
 */
import type { LogEvent } from "../schema/enums.js";
import { jsonText, type JsonObject } from "../schema/json.js";
import type { LogRow } from "../store/dialects/hot-path.js";
import type { EngineContext, Trx } from "./context.js";

export interface LogEntry {
  uowId: string;
  actorId: string;
  roleId?: string | null;
  interactionId?: string | null;
  event: LogEvent;
  details?: JsonObject;
  /** The lease this entry consumed (a submit's or failure's main entry). */
  leaseToken?: string;
}

export async function appendLog(
  ctx: EngineContext,
  trx: Trx,
  instanceId: string,
  at: Date,
  entries: readonly LogEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await ctx.store.dialect.hotPath.insertLogs(trx, { instanceId, at, rows: logRows(entries) });
  await announce(ctx, trx, instanceId);
}

/** The rows of these entries, as the store writes them. */
export function logRows(entries: readonly LogEntry[]): LogRow[] {
  return entries.map((e) => ({
    uow_id: e.uowId,
    actor_id: e.actorId,
    role_id: e.roleId ?? null,
    interaction_id: e.interactionId ?? null,
    event: e.event,
    details: jsonText(e.details ?? null),
    lease_token: e.leaseToken ?? null,
  }));
}

/** Tells the event stream's listeners that the transaction wrote entries of the instance, where the engine has any. */
export async function announce(ctx: EngineContext, trx: Trx, instanceId: string): Promise<void> {
  const announceOn = ctx.store.dialect.eventFeed.announce;
  if (announceOn !== null) await announceOn(trx, ctx.store.db, instanceId);
}

/**
 * announce after a write that committed on its own (a claim or a held submit of one statement):
 * its failure must not turn a write that is done into an error, and it need not, since the
 * stream's poll finds entries whose notice was not sent (docs/events.md).
 */
export async function announceCommitted(ctx: EngineContext, instanceId: string): Promise<void> {
  try {
    await announce(ctx, ctx.store.db as unknown as Trx, instanceId);
  } catch {
    // Found by the poll.
  }
}
