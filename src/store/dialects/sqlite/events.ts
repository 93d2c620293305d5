/**
 * The event stream on SQLite. Every write transaction begins IMMEDIATE and holds the one write
 * lock from its first statement to its commit, so entries are numbered and committed in the
 * same order; a reader sees a committed prefix of the log. The cursor is the last log_id read.
 */
import type { AnyKysely, EventFeed, FeedBatch, FeedReader } from "../dialect.js";
import { FEED_COLUMNS } from "../dialect.js";
import { decodeCursor, encodeCursor } from "../event-cursor.js";

const TAG = "s";

export const sqliteEventFeed: EventFeed = {
  open(db: AnyKysely, instanceId: string, cursor: string | null): FeedReader | null {
    let last = 0;
    if (cursor !== null) {
      const parts = decodeCursor(TAG, cursor);
      if (parts === null || parts.length !== 1) return null;
      last = parts[0]!;
    }
    return {
      async read(limit: number): Promise<FeedBatch> {
        const rows = await db
          .selectFrom("interaction_logs")
          .select(FEED_COLUMNS)
          .where("instance_id", "=", instanceId)
          // Always empty here; named so that the stream's index (instance_id, writer_xid, log_id) serves the range.
          .where("writer_xid", "is", null)
          .where("log_id", ">", last)
          .orderBy("log_id")
          .limit(limit)
          .execute();
        const out = rows.map((row) => {
          last = row.log_id as number;
          return { row, cursor: encodeCursor(TAG, [last]) };
        });
        return { rows: out, cursor: encodeCursor(TAG, [last]), more: rows.length === limit, pending: false };
      },
    };
  },
  // Commits come in id order: the highest id is the end.
  async end(db: AnyKysely, instanceId: string): Promise<string> {
    const top = await db
      .selectFrom("interaction_logs")
      .select((eb) => eb.fn.max("log_id").as("top"))
      .where("instance_id", "=", instanceId)
      .executeTakeFirst();
    return encodeCursor(TAG, [Number(top?.top ?? 0)]);
  },
  subscribe: null,
  announce: null,
  pollMs: () => 100,
};
