/**
 * Schedules (issue 14, part 4): a unit per cron tick, exactly one even when several processes
 * (here several Chameleon objects on one store) run the same schedule; after downtime one
 * catch-up start and the rest counted as missed; paused instances and schedules start nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { ConflictError, NotFoundError, ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";
import { startSweeper } from "../../src/http/sweeper.js";
import type { FastifyBaseLogger } from "fastify";

const until = async (what: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
};

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`schedules on ${engine.name}`, () => {
    const clock = new TestClock();
    // A second past the minute, so that the engine's time (the test clock moved by the
    // database's offset, milliseconds) is past each whole-minute tick the test crosses.
    clock.advance(1);
    const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    const h = useChameleon(engine, { clock: clock.now });
    const others: Chameleon[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        others.push(
          await openChameleon({
            templatesUrl: h.fresh.templatesUrl,
            instancesUrl: h.fresh.instancesUrl,
            clock: clock.now,
          }),
        );
      }
    });
    afterAll(async () => {
      for (const o of others) await o.close();
    });
    const deploy = async () =>
      (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: uniqueName("sched"),
          actors: [{ name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Work"] }],
        })
      ).instanceId;
    const units = async (inst: string) => (await h.ch.work.list(inst, { attributes: ["*"] })).map((u) => u.uowId);

    it("creates, lists, pauses, resumes and deletes a schedule, audited; refuses bad input", async () => {
      const inst = await deploy();
      const s = await h.ch.schedules.create(inst, {
        name: "nightly",
        cron: "0 2 * * *",
        timezone: "Europe/Paris",
        attributes: { kind: "report" },
        by: "olga",
      });
      // 02:00 in Paris is 01:00 UTC in November; the clock is at 12:00 UTC.
      expect(s).toMatchObject({ name: "nightly", timezone: "Europe/Paris", pausedAt: null, createdBy: "olga" });
      expect(s.nextTickAt.toISOString()).toBe("2026-11-27T01:00:00.000Z");
      expect((await h.ch.schedules.list(inst)).map((x) => x.name)).toEqual(["nightly"]);
      await expect(h.ch.schedules.create(inst, { name: "nightly", cron: "* * * * *", by: "olga" })).rejects.toThrow(
        ConflictError,
      );
      await expect(h.ch.schedules.create(inst, { name: "x", cron: "every day", by: "olga" })).rejects.toThrow(
        /cron: 'every day'/,
      );
      await expect(
        h.ch.schedules.create(inst, { name: "x", cron: "* * * * *", timezone: "Mars/Base", by: "olga" }),
      ).rejects.toThrow(/timezone: 'Mars\/Base' is not an IANA time zone/);
      await expect(h.ch.schedules.create(inst, { name: "x", cron: "* * * * *" })).rejects.toThrow(ValidationError);

      expect((await h.ch.schedules.pause(inst, "nightly", { by: "olga", reason: "audit" })).pausedAt).not.toBeNull();
      await expect(h.ch.schedules.pause(inst, s.scheduleId, { by: "olga" })).rejects.toThrow(/already paused/);
      expect((await h.ch.schedules.resume(inst, s.scheduleId, { by: "pat" })).pausedAt).toBeNull();
      await h.ch.schedules.delete(inst, "nightly", { by: "pat", reason: "not needed" });
      expect(await h.ch.schedules.list(inst)).toEqual([]);
      await expect(h.ch.schedules.delete(inst, "nightly", { by: "pat" })).rejects.toThrow(NotFoundError);
      expect((await h.ch.instances.history(inst)).map((e) => [e.event, e.by])).toEqual([
        ["SCHEDULE_DELETE", "pat"],
        ["SCHEDULE_RESUME", "pat"],
        ["SCHEDULE_PAUSE", "olga"],
        ["SCHEDULE_CREATE", "olga"],
      ]);
    });

    it("several processes ticking the same schedule start exactly one unit per tick", async () => {
      const inst = await deploy();
      const s = await h.ch.schedules.create(inst, {
        name: "minutely",
        cron: "* * * * *",
        attributes: { n: 1 },
        by: "olga",
      });
      const all = [h.ch, ...others];
      // Nothing is due before the first tick.
      expect((await Promise.all(all.map((c) => c.schedules.tick()))).every((r) => r.started === 0)).toBe(true);
      for (let minute = 1; minute <= 3; minute++) {
        clock.advance(60);
        const results = await Promise.all(all.flatMap((c) => [c.schedules.tick(inst), c.schedules.tick()]));
        expect(results.reduce((n, r) => n + r.started, 0)).toBe(1);
        expect(results.every((r) => r.failures.length === 0 && r.missed === 0)).toBe(true);
      }
      const started = await h.ch.work.list(inst, {});
      expect(started).toHaveLength(3);
      const after = (await h.ch.schedules.list(inst))[0]!;
      expect(after.lastTickAt?.getTime()).toBe(minuteOf(clock.ms));
      expect(after.nextTickAt.getTime()).toBe(minuteOf(clock.ms) + 60_000);
      const runs = (await h.ch.instances.history(inst)).filter((e) => e.event === "SCHEDULE_RUN");
      expect(runs).toHaveLength(3);
      expect(runs.every((e) => e.scheduleId === s.scheduleId && e.by === "scheduler")).toBe(true);
      // The tick's key: a start by hand with it makes no second unit.
      const tick = new Date(minuteOf(clock.ms)).toISOString();
      const again = await h.ch.work.start(inst, {
        attributes: { n: 1 },
        reasoning: `schedule 'minutely', tick ${tick}`,
        idempotencyKey: `schedule:${s.scheduleId}:${tick}`,
      });
      expect(again.created).toBe(false);
      expect(await units(inst)).toHaveLength(3);
    });

    it("after downtime: one catch-up start, the other ticks counted as missed", async () => {
      const inst = await deploy();
      await h.ch.schedules.create(inst, { name: "minutely", cron: "* * * * *", by: "olga" });
      clock.advance(60);
      expect((await h.ch.schedules.tick(inst)).started).toBe(1);
      // Ten minutes and a half without any process: ticks at +1 … +10 min passed.
      clock.advance(10 * 60 + 30);
      const caughtUp = await Promise.all([h.ch.schedules.tick(inst), others[0]!.schedules.tick(inst)]);
      expect(caughtUp.reduce((n, r) => n + r.started, 0)).toBe(1);
      expect(caughtUp.reduce((n, r) => n + r.missed, 0)).toBe(9);
      expect(await units(inst)).toHaveLength(2);
      const missed = (await h.ch.instances.history(inst)).find((e) => e.event === "SCHEDULE_MISSED")!;
      expect(missed.details).toMatchObject({ count: 9, atLeast: false });
      // The next tick is the one after now, not one of the missed.
      const s = (await h.ch.schedules.list(inst))[0]!;
      expect(s.nextTickAt.getTime()).toBeGreaterThan(clock.ms);
      expect(s.nextTickAt.getTime() - clock.ms).toBeLessThanOrEqual(60_000);
    });

    it("a paused instance starts nothing; on resume one catch-up start; a paused schedule skips its ticks", async () => {
      const inst = await deploy();
      await h.ch.schedules.create(inst, { name: "minutely", cron: "* * * * *", by: "olga" });
      await h.ch.instances.pause(inst, { by: "olga" });
      clock.advance(5 * 60);
      expect(await h.ch.schedules.tick(inst)).toEqual({ started: 0, missed: 0, failures: [] });
      expect(await units(inst)).toHaveLength(0);
      await h.ch.instances.resume(inst, { by: "olga" });
      expect(await h.ch.schedules.tick(inst)).toMatchObject({ started: 1, missed: 4 });

      await h.ch.schedules.pause(inst, "minutely", { by: "olga" });
      clock.advance(5 * 60);
      expect((await h.ch.schedules.tick(inst)).started).toBe(0);
      await h.ch.schedules.resume(inst, "minutely", { by: "olga" });
      // Resumed from the next tick after now: nothing to catch up.
      expect((await h.ch.schedules.tick(inst)).started).toBe(0);
      clock.advance(60);
      expect(await h.ch.schedules.tick(inst)).toMatchObject({ started: 1, missed: 0 });
      expect(await units(inst)).toHaveLength(2);
    });

    it("a tick whose genesis is refused is used up and recorded; a paused ALPHA makes schedules wait", async () => {
      const inst = await deploy();
      await h.ch.schedules.create(inst, { name: "minutely", cron: "* * * * *", by: "olga" });
      const db = h.ch.stores.instances.db;
      const master = (await h.ch.engine.graphs.get(inst)).master.id;
      // A master workflow that is not active starts no work: genesis is refused.
      await db
        .updateTable("local_workflows")
        .set({ is_active: false })
        .where("local_workflow_id", "=", master)
        .execute();
      await expect(h.ch.work.start(inst, { attributes: {} })).rejects.toThrow(/is not active/);
      clock.advance(60);
      expect(await h.ch.schedules.tick(inst)).toEqual({ started: 0, missed: 0, failures: [] });
      const failed = (await h.ch.instances.history(inst))[0]!;
      expect(failed.event).toBe("SCHEDULE_FAILED");
      expect(failed.details).toMatchObject({ error: expect.stringMatching(/is not active/) });
      // The tick is used up: the next call finds nothing due.
      const next = (await h.ch.schedules.list(inst))[0]!.nextTickAt.getTime();
      expect(next).toBeGreaterThan(clock.ms);
      await db
        .updateTable("local_workflows")
        .set({ is_active: true })
        .where("local_workflow_id", "=", master)
        .execute();

      await h.ch.instances.pause(inst, { role: "Start", by: "olga" });
      clock.advance(3 * 60);
      expect((await h.ch.schedules.tick(inst)).started).toBe(0);
      await h.ch.instances.resume(inst, { role: "Start", by: "olga" });
      expect(await h.ch.schedules.tick(inst)).toMatchObject({ started: 1, missed: 2 });
      expect(await units(inst)).toHaveLength(1);
    });

    it("a worker and the server's sweeper, running side by side, start one unit per tick", async () => {
      const inst = await deploy();
      await h.ch.schedules.create(inst, { name: "minutely", cron: "* * * * *", by: "olga" });
      const errors: unknown[] = [];
      const log = { info: () => {}, error: (e: unknown) => errors.push(e) } as unknown as FastifyBaseLogger;
      const worker = h.ch.worker({ instanceId: inst, handlers: { Work: () => ({}) }, sweepIntervalMs: 20 });
      worker.on("error", (e) => errors.push(e));
      await worker.start();
      const sweeper = startSweeper(others[0]!, 20, log);
      try {
        const count = async () => (await h.ch.work.list(inst, {})).length;
        clock.advance(60);
        await until(async () => (await count()) === 1);
        clock.advance(60);
        await until(async () => (await count()) === 2);
        // Several more rounds of both find nothing due.
        await new Promise((r) => setTimeout(r, 200));
        expect(await count()).toBe(2);
      } finally {
        await sweeper.stop();
        await worker.stop();
      }
      expect(errors).toEqual([]);
    });
  });
}
