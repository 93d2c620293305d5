/**
 * The event stream on PostgreSQL. Identity values are taken before commit, so log_id order is
 * not commit order. Each entry carries the id of the transaction that wrote it (writer_xid,
 * pg_current_xact_id()); a read hands out only entries whose writer is older than the xmin of
 * the read's own snapshot: every such transaction has ended, so no entry below that horizon
 * can appear later. Entries go out in (writer_xid, log_id) order and the cursor is the last
 * pair handed out. Entries written before migration 5 (writer_xid empty) come first, by log_id.
 *
 * Waking: a reading process LISTENs on one connection of its own, named LISTENER_APP; a writing
 * transaction sends one NOTIFY (payload: the instance id) only while such a connection exists,
 * which it learns from pg_stat_activity, looked up at most every LISTENERS_CACHE_MS (off the
 * transaction but the first time). Readers poll as well (every 500 ms while subscribed), so a
 * notice not sent (a listener seen late) or lost only delays.
 */
import type * as Pg from "pg";
import { sql } from "kysely";
import type { AnyKysely, EventFeed, FeedBatch, FeedReader, FeedRow, FeedSubscription } from "../dialect.js";
import { FEED_COLUMNS } from "../dialect.js";
import { decodeCursor, encodeCursor } from "../event-cursor.js";
import type { StoreUrl } from "../../url.js";
import { pgDriver } from "./driver.js";

const TAG = "p";
export const EVENTS_CHANNEL = "chameleon_events";
export const LISTENER_APP = "chameleon-events";
const LISTENERS_CACHE_MS = 500;

function open(db: AnyKysely, instanceId: string, cursor: string | null): FeedReader | null {
  let xid = 0;
  let last = 0;
  if (cursor !== null) {
    const parts = decodeCursor(TAG, cursor);
    if (parts === null || parts.length !== 2) return null;
    [xid, last] = parts as [number, number];
  }
  const position = () => encodeCursor(TAG, [xid, last]);
  return {
    async read(limit: number): Promise<FeedBatch> {
      const out: FeedBatch["rows"] = [];
      if (xid === 0) {
        // Entries of before migration 5: all committed long ago.
        const old = await db
          .selectFrom("interaction_logs")
          .select(FEED_COLUMNS)
          .where("instance_id", "=", instanceId)
          .where("writer_xid", "is", null)
          .where("log_id", ">", last)
          .orderBy("log_id")
          .limit(limit)
          .execute();
        for (const row of old) {
          last = row.log_id as number;
          out.push({ row: row as FeedRow, cursor: position() });
        }
        if (old.length === limit) return { rows: out, cursor: position(), more: true, pending: false };
      }
      const want = limit - out.length;
      // The horizon comes from the statement's own snapshot: the rows it sees below it are all there will be.
      const rows = await db
        .selectFrom("interaction_logs")
        .select(FEED_COLUMNS)
        .select(["writer_xid", sql<number>`pg_snapshot_xmin(pg_current_snapshot())::text::bigint`.as("horizon")])
        .where("instance_id", "=", instanceId)
        .where("writer_xid", "is not", null)
        .where(sql<boolean>`("writer_xid", "log_id") > (${xid}::bigint, ${last}::bigint)`)
        .orderBy("writer_xid")
        .orderBy("log_id")
        .limit(want)
        .execute();
      let pending = false;
      for (const row of rows) {
        const writer = Number(row.writer_xid);
        if (writer >= Number(row.horizon)) {
          pending = true;
          break;
        }
        xid = writer;
        last = row.log_id as number;
        out.push({ row: row as FeedRow, cursor: position() });
      }
      return { rows: out, cursor: position(), more: !pending && rows.length === want, pending };
    },
  };
}

interface Listening {
  value: boolean;
  until: number;
  refreshing: boolean;
}
const listening = new WeakMap<AnyKysely, Listening>();

const LISTENERS_QUERY = sql<{ yes: boolean }>`select exists (select 1 from pg_stat_activity
    where application_name = ${LISTENER_APP} and datname = current_database()) as yes`;

/**
 * Whether a listener is connected. The first time, looked up on the writing transaction's own
 * connection (waiting for another connection of the pool there could wait for ever); after
 * that, the last answer, and a stale one starts a look-up on the pool, off the transaction.
 */
async function someoneListens(trx: AnyKysely, db: AnyKysely): Promise<boolean> {
  let seen = listening.get(db);
  if (seen === undefined) {
    seen = { value: false, until: 0, refreshing: true };
    listening.set(db, seen);
    try {
      seen.value = (await LISTENERS_QUERY.execute(trx)).rows[0]?.yes === true;
    } finally {
      seen.until = Date.now() + LISTENERS_CACHE_MS;
      seen.refreshing = false;
    }
    return seen.value;
  }
  const entry = seen;
  if (Date.now() >= entry.until && !entry.refreshing) {
    entry.refreshing = true;
    LISTENERS_QUERY.execute(db)
      .then((r) => {
        entry.value = r.rows[0]?.yes === true;
      })
      .catch(() => {})
      .finally(() => {
        entry.until = Date.now() + LISTENERS_CACHE_MS;
        entry.refreshing = false;
      });
  }
  return entry.value;
}

interface SharedListener {
  client: Pg.Client;
  handlers: Set<(instanceId: string) => void>;
  alive: boolean;
  ready: Promise<void>;
}
/** One LISTEN connection per store URL in this process, shared by its readers. */
const listeners = new Map<string, SharedListener>();

async function subscribe(url: StoreUrl, onWrite: (instanceId: string) => void): Promise<FeedSubscription> {
  let shared = listeners.get(url.url);
  if (shared === undefined) {
    const client = new (pgDriver().Client)({ connectionString: url.url, application_name: LISTENER_APP });
    const created: SharedListener = { client, handlers: new Set(), alive: true, ready: Promise.resolve() };
    const gone = () => {
      created.alive = false;
      if (listeners.get(url.url) === created) listeners.delete(url.url);
    };
    client.on("error", gone);
    client.on("end", gone);
    client.on("notification", (message) => {
      for (const handler of created.handlers) handler(message.payload ?? "");
    });
    created.ready = client.connect().then(() => client.query(`LISTEN ${EVENTS_CHANNEL}`).then(() => undefined));
    created.ready.catch(() => {
      gone();
      client.end().catch(() => {});
    });
    listeners.set(url.url, created);
    shared = created;
  }
  const mine = shared;
  mine.handlers.add(onWrite);
  const subscription: FeedSubscription = {
    get alive() {
      return mine.alive;
    },
    async close() {
      mine.handlers.delete(onWrite);
      if (mine.handlers.size === 0) {
        mine.alive = false;
        if (listeners.get(url.url) === mine) listeners.delete(url.url);
        await mine.client.end().catch(() => {});
      }
    },
  };
  try {
    await mine.ready;
  } catch (error) {
    mine.handlers.delete(onWrite);
    throw error;
  }
  return subscription;
}

export const postgresEventFeed: EventFeed = {
  open: (db, instanceId, cursor) => open(db, instanceId, cursor),
  // Every writer below the horizon has ended, and its entries are all visible: they are the
  // past. Entries of writers at or above it (running, or ended just now) come.
  async end(db) {
    const { rows } = await sql<{
      horizon: string;
    }>`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`.execute(db);
    return encodeCursor(TAG, [Number(rows[0]!.horizon) - 1, Number.MAX_SAFE_INTEGER]);
  },
  subscribe,
  async announce(trx, db, instanceId) {
    if (!(await someoneListens(trx, db))) return;
    // PostgreSQL folds equal notices of one transaction; the caller sends one per transaction anyway.
    await sql`select pg_notify(${EVENTS_CHANNEL}, ${instanceId})`.execute(trx);
  },
  // With LISTEN, polling only covers a notice not sent; without it, it is the only way.
  pollMs: (subscribed) => (subscribed ? 500 : 100),
};
