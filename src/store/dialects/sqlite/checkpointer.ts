/**
 * WAL checkpoints off the engine's thread (docs/engine.md, "Checkpoints on SQLite"). SQLite
 * copies the WAL back into the database file after the commit that crosses
 * `wal_autocheckpoint` pages, on the committing connection: in this process that is the one
 * thread that runs every step, and the copy with its fsync stalled one commit in thirty-odd
 * for 10 to 30 ms (p99 of a commit at claims of one: 20 ms). A worker thread with its own
 * connection runs a PASSIVE checkpoint every CHECKPOINT_INTERVAL_MS instead; PASSIVE takes no
 * write lock, so the engine's writers never wait for it. The engine's connection keeps a far
 * automatic checkpoint as the fallback should the thread fall behind or die.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export const CHECKPOINT_INTERVAL_MS = 50;
/**
 * The engine connection's own automatic checkpoint while the thread runs, in pages (SQLite's
 * default: 1,000). Under a steady stream of commits the thread rarely catches the WAL with
 * nothing left to copy, which is when the next writer may start it over; this fallback is what
 * starts it over, with little left to copy by then. It bounds the WAL at about 40 MB. Measured
 * at claims of one: 2,000 pages gave 541 to 618 steps/s, 4,000 633 to 717, 10,000 666 to 793.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

// CommonJS in the thread, so that it runs the same from the sources (tsx) and from the build.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 0");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or closing: the next tick, or the engine's fallback, checkpoints.
  }
}, workerData.intervalMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Ends the thread; the engine connection goes back to SQLite's own automatic checkpoint first. */
  stop(): void;
}

/**
 * Starts the checkpoint thread of one database file. `autocheckpoint(pages)` sets the engine
 * connection's `wal_autocheckpoint`: far once the thread is up, SQLite's default again if it exits.
 */
export function startCheckpointer(file: string, autocheckpoint: (pages: number) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { file, driver, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  // It must never keep a process alive that has nothing else to do.
  worker.unref();
  let running = true;
  // At once, not on the thread's "online" event: a busy engine may not return to its event
  // loop for a long time (better-sqlite3 is synchronous), and it is then that the thread helps.
  autocheckpoint(FALLBACK_AUTOCHECKPOINT_PAGES);
  const fallBack = () => {
    if (running) autocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES);
    running = false;
  };
  worker.once("error", fallBack);
  worker.once("exit", fallBack);
  return {
    stop() {
      if (!running) return;
      running = false;
      autocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES);
      worker.postMessage("stop");
    },
  };
}
