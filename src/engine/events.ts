/**
 * events: the audit entries of one instance as a stream, each with an opaque cursor that
 * resumes right after it, without missing or repeating an entry, whichever processes wrote
 * them. How new entries are found differs by engine (store/dialects/<engine>/events.ts):
 * LISTEN/NOTIFY plus a snapshot horizon on PostgreSQL, polling with a settle window on
 * MySQL/MariaDB, polling in id order on SQLite (docs/events.md).
 */
import { ValidationError } from "../errors.js";
import type { ActorType, LogEvent } from "../schema/enums.js";
import { LogEvent as LOG_EVENTS } from "../schema/enums.js";
import type { JsonValue } from "../schema/json.js";
import type { FeedReader, FeedRow, FeedSubscription } from "../store/dialects/dialect.js";
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import type { RuntimeGraph } from "./graph.js";
import { name, parseInput, z } from "./input.js";
import { UUID_SHAPE } from "./limits.js";
import { assertMayRead, mayReadEntry, readerOf, type Reader } from "./visibility.js";

export interface InstanceEvent {
  /** Give it back as `after` (HTTP: Last-Event-ID) to resume right after this entry. */
  cursor: string;
  logId: number;
  event: LogEvent;
  uowId: string;
  actorId: string;
  actorName: string;
  actorType: ActorType;
  /** API name of the role the entry was written in, or null. */
  role: string | null;
  /** API name of the interaction involved, or null. */
  interaction: string | null;
  details: JsonValue;
  timestamp: Date;
}

export interface EventsOptions {
  /** The cursor of the last entry received; without it, from the instance's first entry. */
  after?: string;
  /** "now": only entries written from now on (and perhaps the last moments'), for a live view; not with `after`. */
  from?: "now";
  /** Keep waiting for new entries (default true); false: end once every entry written so far is read. */
  follow?: boolean;
  /** Only the entries of this unit. */
  uowId?: string;
  /** Only entries of these events. */
  events?: LogEvent[];
  /** Ends the stream (a following one at once, even while it waits). */
  signal?: AbortSignal;
  /** Actor id or name: only the entries that actor may read (docs/engine.md, "Who reads what"). */
  reader?: string;
}

const eventsInput = z
  .object({
    after: z.string().optional(),
    from: z.literal("now").optional(),
    follow: z.boolean().optional(),
    uowId: z.string().regex(UUID_SHAPE, "must be a unit id (a UUID)").optional(),
    events: z.array(z.enum(LOG_EVENTS)).min(1).optional(),
    reader: name.optional(),
  })
  .strict();

/** Entries read at once. */
const BATCH = 500;
/** First wait before reading entries again that were written but not settled (doubling up to the poll). */
const PENDING_MS = 20;
/**
 * How long a stream that does not follow keeps reading entries that are written but held back
 * (on PostgreSQL: behind a transaction still open anywhere on the server) before it ends
 * without them: the engine's own transactions are single steps.
 */
const SETTLE_LIMIT_MS = 2_000;
/**
 * Wait after a read that found entries, before the next: while writers keep writing, a reader
 * reads a few times a second rather than in a tight loop (which on SQLite also keeps the WAL
 * from being checkpointed); entries written meanwhile come in the next batch.
 */
const GATHER_MS = 50;

interface Opened {
  graph: RuntimeGraph;
  reader: FeedReader;
  /** The actor the stream is read for, or null for an operator. */
  audience: Reader | null;
}

/**
 * The stream of one instance's entries. Iterate it (for await); `open()` checks the instance
 * and the options first (a ValidationError or NotFoundError) without waiting for an entry.
 */
export class EventStream implements AsyncIterable<InstanceEvent> {
  readonly #ctx: EngineContext;
  readonly #instance: string;
  readonly #raw: unknown;
  #opened: Promise<Opened> | null = null;
  #options: z.infer<typeof eventsInput> & { signal?: AbortSignal } = {};

  constructor(ctx: EngineContext, instance: string, raw: unknown = {}) {
    this.#ctx = ctx;
    this.#instance = instance;
    this.#raw = raw;
  }

  /** Checks the instance, the cursor and the filters. */
  async open(): Promise<void> {
    await this.#open();
  }

  #open(): Promise<Opened> {
    this.#opened ??= (async () => {
      const { signal, ...rest } = (this.#raw ?? {}) as { signal?: unknown };
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw ValidationError.single("signal", "events: signal must be an AbortSignal");
      }
      const options = parseInput(eventsInput, rest, "events");
      this.#options = { ...options, ...(signal === undefined ? {} : { signal }) };
      const graph = await this.#ctx.graphs.get(this.#instance);
      const { db, dialect } = this.#ctx.store;
      if (options.from !== undefined && options.after !== undefined) {
        throw ValidationError.single("from", "events: give after (resume) or from: 'now' (only what comes), not both");
      }
      const start =
        options.from === "now"
          ? await dialect.eventFeed.end(db, graph.instanceId, this.#ctx.now().getTime())
          : (options.after ?? null);
      const reader = dialect.eventFeed.open(db, graph.instanceId, start, () => this.#ctx.now().getTime());
      if (reader === null) {
        throw ValidationError.single(
          "after",
          `events: after '${shorten(options.after!)}' is not a cursor of this event stream (give the cursor of an event it sent)`,
        );
      }
      const audience = options.reader === undefined ? null : await readerOf(db, graph, options.reader);
      if (audience !== null && options.uowId !== undefined) {
        const unit = await db
          .selectFrom("units_of_work")
          .select(["uow_id", "current_interaction_id", "locked_by_actor_id"])
          .where("uow_id", "=", options.uowId)
          .where("instance_id", "=", graph.instanceId)
          .executeTakeFirst();
        if (unit) await assertMayRead(db, audience, unit);
      }
      return { graph, reader, audience };
    })();
    return this.#opened;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<InstanceEvent> {
    const { graph, reader, audience } = await this.#open();
    const { follow = true, uowId, events, signal } = this.#options;
    const wanted = events === undefined ? null : new Set<string>(events);
    const feed = this.#ctx.store.dialect.eventFeed;
    let wake: (() => void) | null = null;
    let woken = false;
    const onWrite = (instanceId: string) => {
      if (instanceId !== graph.instanceId) return;
      woken = true;
      wake?.();
    };
    let subscription: FeedSubscription | null = null;
    if (follow && feed.subscribe !== null) {
      // Without it, polling alone finds the entries.
      subscription = await feed.subscribe(this.#ctx.store.url, onWrite).catch(() => null);
    }
    /** Waits ms, or less when a write is announced (if wakeable) or the signal aborts. */
    const sleep = (ms: number, wakeable = true) =>
      new Promise<void>((resolve) => {
        if ((wakeable && woken) || signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          wake = null;
          signal?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        if (wakeable) wake = done;
        signal?.addEventListener("abort", done);
      });
    try {
      let pendingWait = PENDING_MS;
      const settleBy = performance.now() + SETTLE_LIMIT_MS;
      while (!signal?.aborted) {
        woken = false;
        const batch = await reader.read(BATCH);
        for (const { row, cursor } of batch.rows) {
          if (uowId !== undefined && row.uow_id !== uowId) continue;
          if (wanted !== null && !wanted.has(row.event)) continue;
          if (audience !== null && !mayReadEntry(audience, row)) continue;
          yield await this.#event(graph, row, cursor);
          if (signal?.aborted) return;
        }
        if (batch.more) continue;
        const pollMs = feed.pollMs(subscription?.alive === true);
        if (!follow) {
          // "Every entry written so far" includes those written but not settled yet.
          if (!batch.pending || performance.now() >= settleBy) return;
          await sleep(Math.min(pendingWait, pollMs), false);
          pendingWait *= 2;
          continue;
        }
        if (batch.pending) {
          await sleep(Math.min(pendingWait, pollMs));
          pendingWait *= 2;
        } else {
          pendingWait = PENDING_MS;
          await (batch.rows.length === 0 ? sleep(pollMs) : sleep(GATHER_MS, false));
        }
      }
    } finally {
      await subscription?.close();
    }
  }

  async #event(graph: RuntimeGraph, row: FeedRow, cursor: string): Promise<InstanceEvent> {
    const actor = await findActor(this.#ctx.store.db, graph, row.actor_id);
    return {
      cursor,
      logId: row.log_id,
      event: row.event as LogEvent,
      uowId: row.uow_id,
      actorId: row.actor_id,
      actorName: actor.name,
      actorType: actor.type,
      role: row.role_id ? (graph.roles.get(row.role_id)?.apiName ?? null) : null,
      interaction: row.interaction_id ? (graph.interactions.get(row.interaction_id)?.apiName ?? null) : null,
      details: (row.details ?? null) as JsonValue,
      timestamp: row.timestamp,
    };
  }
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function events(ctx: EngineContext, instance: string, options?: unknown): EventStream {
  return new EventStream(ctx, instance, options);
}
