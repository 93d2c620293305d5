/**
 * The background sweep while the server runs: every few seconds, ch.sweep() reclaims expired
 * leases and times out stale units in every instance, then ch.schedules.tick() starts the units
 * of due schedules. One round at a time; stop() waits for the one running.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Chameleon } from "../chameleon.js";

export interface Sweeper {
  stop(): Promise<void>;
}

export function startSweeper(ch: Chameleon, intervalMs: number, log: FastifyBaseLogger): Sweeper {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = ch
      .sweep()
      .then((result) => {
        const { failures, ...moved } = result;
        if (moved.reclaimed > 0 || moved.timedOut > 0) log.info({ sweep: moved }, "sweep");
        for (const failure of failures) log.error({ sweepFailure: failure }, "sweep could not move a unit");
      })
      .catch((error: unknown) => log.error({ err: error }, "sweep failed"))
      .then(() => ch.schedules.tick())
      .then((result) => {
        if (result.started > 0 || result.missed > 0) {
          log.info({ schedules: { started: result.started, missed: result.missed } }, "schedules");
        }
        for (const failure of result.failures) log.error({ scheduleFailure: failure }, "a schedule could not run");
      })
      .catch((error: unknown) => log.error({ err: error }, "schedules failed"))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
