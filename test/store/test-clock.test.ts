/**
 * A test clock is moved by the database's offset in whole seconds (src/store/clock.ts): two
 * objects opened on one frozen test clock must run at the same time although their readings
 * of the database's clock differ by a few milliseconds, or a unit one of them makes available
 * now stays in the other's future for good. A database whose clock is really off still counts.
 */
import { describe, expect, it } from "vitest";
import { DatabaseClock } from "../../src/store/clock.js";
import type { AnyKysely, SqlDialect } from "../../src/store/dialects/dialect.js";

/** A dialect whose database clock reads the process's clock moved by `offsetMs`. */
const readingAt = (offsetMs: number) => ({ currentTimeMs: async () => Date.now() + offsetMs }) as unknown as SqlDialect;

const frozen = new Date(Date.UTC(2026, 10, 26, 12));
const testClock = () => frozen;

async function opened(offsetMs: number): Promise<DatabaseClock> {
  const clock = new DatabaseClock(null as unknown as AnyKysely, readingAt(offsetMs), testClock);
  await clock.measure();
  return clock;
}

describe("the engine's time on a test clock", () => {
  it("is the same for objects whose readings differ by milliseconds", async () => {
    const clocks = await Promise.all([-4, -1, 0, 2, 7].map(opened));
    for (const clock of clocks) expect(clock.now().getTime()).toBe(frozen.getTime());
  });

  it("keeps a database's real offset, in whole seconds", async () => {
    expect((await opened(60_004)).now().getTime() - frozen.getTime()).toBe(60_000);
    expect((await opened(-29_998)).now().getTime() - frozen.getTime()).toBe(-30_000);
  });
});
