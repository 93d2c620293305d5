/**
 * Checkpoints on SQLite (docs/engine.md, "Checkpoints on SQLite"): once a connection has
 * committed a hundred write transactions, a thread of its own copies the WAL back into the
 * database file, so the engine's commits do not. Read from the WAL index (the -shm file, whose
 * layout https://www.sqlite.org/walformat.html fixes): after a pause in writing, every frame
 * of the WAL has been copied back (nBackfill = mxFrame), which SQLite's own checkpoint after a
 * commit, every 1,000 pages, leaves undone for up to 999 frames.
 */
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

/** mxFrame (the last frame of the WAL) and nBackfill (frames copied back) of a WAL index. */
function walIndex(file: string): { mxFrame: number; nBackfill: number } {
  const shm = readFileSync(`${file}-shm`);
  // Two copies of the 48-byte header (mxFrame at byte 16), then the checkpoint info (nBackfill first).
  return { mxFrame: shm.readUInt32LE(16), nBackfill: shm.readUInt32LE(96) };
}

describe("checkpoints on sqlite", () => {
  const h = useChameleon(sqlite);

  it("a busy connection's WAL is copied back by its checkpoint thread, not after its own commits", async () => {
    const file = h.fresh.instancesUrl.replace(/^sqlite:/, "");
    const { instanceId: I } = await h.ch.instances.create({
      workflow: "Minimal",
      name: uniqueName("checkpoint"),
      actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] }],
    });
    const setting = async () =>
      Number(
        Object.values((await sql`pragma wal_autocheckpoint`.execute(h.ch.stores.instances.db)).rows[0] as object)[0],
      );
    expect(await setting()).toBe(1000);

    // One write transaction per start: past the hundred commits that start the thread.
    for (let n = 0; n < 150; n++) await h.ch.work.start(I, { attributes: { n } });
    expect(await setting()).toBe(10_000);
    const written = walIndex(file).mxFrame;
    expect(written).toBeGreaterThan(0);

    // The thread checkpoints every 50 ms; give it a few.
    let index = walIndex(file);
    for (let waited = 0; waited < 2000 && index.nBackfill !== index.mxFrame; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      index = walIndex(file);
    }
    expect(index).toEqual({ mxFrame: written, nBackfill: written });
    expect(await h.ch.work.list(I)).toHaveLength(150);
  });
});
