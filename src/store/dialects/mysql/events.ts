/**
 * The event stream on MySQL/MariaDB. AUTO_INCREMENT values are taken at insert, before commit:
 * an entry with a smaller log_id can become visible after a larger one. The engine has no
 * snapshot horizon to ask for, so the reader keeps a watermark W (every entry at or below it is
 * settled: read, or never to appear) and the ids above W it has handed out; the cursor is both.
 *
 * Settling rests on one bound: a transaction ends within SETTLE_MS of its start (the engine's
 * transactions are single steps lasting milliseconds). An id moves below the watermark when
 *  - it is at most the highest log_id the reader saw at least SETTLE_MS earlier (every smaller
 *    id was taken before that moment, so its transaction has ended), or
 *  - it is at most the log_id of an entry read whose timestamp (taken at its step's start, on
 *    the engine's clock) is 2 x SETTLE_MS old: every smaller id was taken before that entry's
 *    commit, itself within SETTLE_MS of its start, and its transaction ended SETTLE_MS later,
 * and the read that moves it read every entry of the instance up to it. Above the watermark,
 * gaps (ids of other instances, rolled back, or not committed yet) are simply not in the set:
 * an entry that fills one later is read then. The set holds at most the entries of the last
 * 2 x SETTLE_MS, and runs of consecutive ids are kept as ranges.
 */
import { sql } from "kysely";
import type { AnyKysely, EventFeed, FeedBatch, FeedReader, FeedRow } from "../dialect.js";
import { FEED_COLUMNS } from "../dialect.js";
import { decodeCursor, encodeCursor } from "../event-cursor.js";

const TAG = "m";
export const SETTLE_MS = 10_000;

/** [W, then for each run of handed-out ids above W: its start minus the previous end, its length]. */
function encode(watermark: number, sent: readonly number[], from: number): string {
  const parts = [watermark];
  let end = watermark;
  let i = from;
  while (i < sent.length) {
    const start = sent[i]!;
    let j = i;
    while (j + 1 < sent.length && sent[j + 1] === sent[j]! + 1) j++;
    parts.push(start - end, j - i + 1);
    end = sent[j]!;
    i = j + 1;
  }
  return encodeCursor(TAG, parts);
}

function decode(text: string): { watermark: number; sent: number[] } | null {
  const parts = decodeCursor(TAG, text);
  if (parts === null || parts.length % 2 !== 1) return null;
  const watermark = parts[0]!;
  const sent: number[] = [];
  let end = watermark;
  for (let i = 1; i < parts.length; i += 2) {
    const gap = parts[i]!;
    const length = parts[i + 1]!;
    if (gap < 1 || length < 1 || sent.length + length > 1_000_000) return null;
    for (let k = 0; k < length; k++) sent.push(end + gap + k);
    end = sent[sent.length - 1]!;
  }
  return { watermark, sent };
}

function open(db: AnyKysely, instanceId: string, cursor: string | null, now: () => number): FeedReader | null {
  let watermark = 0;
  let sent: number[] = [];
  if (cursor !== null) {
    const decoded = decode(cursor);
    if (decoded === null) return null;
    ({ watermark, sent } = decoded);
  }
  /** Highest log_id seen, and when (this process's clock): oldest first. */
  const seen: { max: number; at: number }[] = [];
  return {
    async read(limit: number): Promise<FeedBatch> {
      const startedAt = Date.now();
      const engineNow = now();
      let settled = watermark;
      while (seen.length > 0 && seen[0]!.at + SETTLE_MS <= startedAt) settled = Math.max(settled, seen.shift()!.max);
      const top = await sql<{ top: number | null }>`select max(log_id) as top from interaction_logs`.execute(db);
      const highest = Number(top.rows[0]?.top ?? 0);
      // Every id up to `highest` was taken before now.
      if (highest > (seen[seen.length - 1]?.max ?? settled)) seen.push({ max: highest, at: Date.now() });

      const want = limit + sent.length;
      const rows = (await db
        .selectFrom("interaction_logs")
        .select(FEED_COLUMNS)
        .where("instance_id", "=", instanceId)
        // Always empty here; named so that the stream's index (instance_id, writer_xid, log_id) serves the range.
        .where("writer_xid", "is", null)
        .where("log_id", ">", watermark)
        .orderBy("log_id")
        .limit(want)
        .execute()) as FeedRow[];
      const cut = rows.length === want;
      const reach = cut ? rows[rows.length - 1]!.log_id : Number.POSITIVE_INFINITY;
      let byTime = 0;
      for (const row of rows) if (row.timestamp.getTime() <= engineNow - 2 * SETTLE_MS) byTime = row.log_id;
      const next = Math.max(watermark, Math.min(settled, reach), byTime);
      if (settled > next) seen.unshift({ max: settled, at: 0 });

      // The ids handed out above the mark, ascending; `from`: the first one above the current mark.
      const handed = [...sent];
      const known = new Set(sent);
      let from = 0;
      const out: FeedBatch["rows"] = [];
      for (const row of rows) {
        if (known.has(row.log_id)) continue;
        known.add(row.log_id);
        handed.splice(insertionPoint(handed, row.log_id), 0, row.log_id);
        const mark = Math.min(next, row.log_id);
        while (from < handed.length && handed[from]! <= mark) from++;
        out.push({ row, cursor: encode(mark, handed, from) });
      }
      watermark = next;
      sent = handed.filter((id) => id > watermark);
      return { rows: out, cursor: encode(watermark, sent, 0), more: cut, pending: false };
    },
  };
}

function insertionPoint(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The end: a watermark at the instance's last entry settled by time (written 2 x SETTLE_MS
 * ago or more; every smaller id has ended). The entries of the last seconds come again.
 */
async function end(db: AnyKysely, instanceId: string, now: number): Promise<string> {
  const top = await db
    .selectFrom("interaction_logs")
    .select((eb) => eb.fn.max("log_id").as("top"))
    .where("instance_id", "=", instanceId)
    .where("timestamp", "<=", new Date(now - 2 * SETTLE_MS))
    .executeTakeFirst();
  return encode(Number(top?.top ?? 0), [], 0);
}

export const mysqlEventFeed: EventFeed = {
  open,
  end,
  subscribe: null,
  announce: null,
  pollMs: () => 100,
};
