/**
 * The engine's time is the instance database's time, so that processes whose clocks disagree
 * still agree on lease ages, expiry and audit times. Reading it inside every statement would
 * cost a round trip per step; instead the clock is read once at open (the best of a few
 * samples, half the round trip corrected) and carried forward on the process's monotonic
 * clock, which a change of the wall clock does not move. It is read again in the background
 * when it was last read more than REMEASURE_MS ago, never in the path of a step.
 *
 * Error bound: half the round trip of the best sample, plus how far the monotonic clock ran
 * apart from the database's since (a few milliseconds a minute at worst).
 */
import type { AnyKysely, SqlDialect } from "./dialects/dialect.js";

const SAMPLES = 3;
const REMEASURE_MS = 60_000;

interface Reading {
  /** The database's time, epoch milliseconds. */
  dbMs: number;
  /** performance.now() at the moment dbMs stands for (the middle of the round trip). */
  atMonotonic: number;
  /** dbMs minus the process's wall clock at that moment. */
  offsetMs: number;
  roundTripMs: number;
}

export class DatabaseClock {
  /** null until the database's clock was read, and always on SQLite: the process's clock. */
  #reading: Reading | null = null;
  #pending: Promise<void> | null = null;

  /**
   * `testClock`: the time tests set; the engine then runs at testClock() moved by the
   * database's offset from the process clock, measured once at open and never again (so a
   * test's frozen clock stays frozen), in whole seconds (testOffsetMs).
   */
  constructor(
    private readonly db: AnyKysely,
    private readonly dialect: SqlDialect,
    private readonly testClock?: () => Date,
  ) {}

  /** Reads the database's clock; before the first call now() is the process clock. */
  async measure(): Promise<void> {
    let best: Reading | null = null;
    for (let i = 0; i < SAMPLES; i++) {
      const before = performance.now();
      const dbMs = await this.dialect.currentTimeMs(this.db);
      const after = performance.now();
      const wall = Date.now();
      // SQLite lives on this machine: its clock is the process's.
      if (dbMs === null) return;
      const roundTripMs = after - before;
      const reading = {
        dbMs,
        atMonotonic: (before + after) / 2,
        offsetMs: dbMs - (wall - roundTripMs / 2),
        roundTripMs,
      };
      if (!best || reading.roundTripMs < best.roundTripMs) best = reading;
    }
    this.#reading = best;
  }

  /** Half the round trip of the reading in use: how far now() may be off the database's clock. */
  get boundMs(): number {
    return (this.#reading?.roundTripMs ?? 0) / 2;
  }

  now(): Date {
    const r = this.#reading;
    if (this.testClock) return new Date(this.testClock().getTime() + testOffsetMs(r));
    if (!r) return new Date();
    const elapsed = performance.now() - r.atMonotonic;
    if (elapsed > REMEASURE_MS && this.#pending === null) {
      this.#pending = this.measure()
        .catch(() => {}) // the next call tries again; until then the last reading holds
        .finally(() => (this.#pending = null));
    }
    return new Date(Math.round(r.dbMs + elapsed));
  }

  /** Waits for a reading in flight, before the connection closes. */
  async close(): Promise<void> {
    await this.#pending;
  }
}

/**
 * The offset a test clock is moved by, rounded to whole seconds. Measured to the millisecond,
 * two Chameleon objects on one frozen test clock would disagree by the noise of their
 * readings: a unit one of them made available at its now would stay in the future of the
 * other's, which never moves. A database on this machine is 0 s off; a skewed one still counts.
 */
function testOffsetMs(reading: Reading | null): number {
  return Math.round((reading?.offsetMs ?? 0) / 1000) * 1000;
}
