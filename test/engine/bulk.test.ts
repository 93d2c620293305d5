/**
 * Operators' moves on a selection (work.bulk: cancel, release, retry) and the admin retry of one
 * failed unit (work.adminRetry), on each engine: dry runs write nothing, `max` is kept and
 * `more` said, one audit entry per unit under the operator's name, retry targets checked, units
 * that changed since they were chosen skipped, and a concurrent worker never loses a unit to a
 * move it no longer matches.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError, ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { failedUnit, RETRY_ACTORS, RETRYABLE } from "../support/retryable.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`bulk moves and admin retry on ${engine.name}`, () => {
    const h = useChameleon(engine);
    beforeAll(async () => {
      await h.ch.templates.importYaml(RETRYABLE);
    });
    const deploy = async (workflow = "Retryable") =>
      (await h.ch.instances.create({ workflow, name: uniqueName("bulk"), actors: RETRY_ACTORS })).instanceId;
    const state = async (inst: string, ids: string[]) =>
      Promise.all(
        ids.map(async (id) => ({ unit: await h.ch.work.get(inst, id), history: await h.ch.work.history(inst, id) })),
      );
    const systemActor = async (inst: string) => (await h.ch.engine.graphs.get(inst)).systemActorId;

    it("retries one failed unit into an interaction EPSILON routes to, attempt 0, audited as SYSTEM", async () => {
      const inst = await deploy();
      expect((await h.ch.instances.get(inst)).workflows.map((w) => w.retryTargets)).toEqual([["Todo"]]);
      const uowId = await failedUnit(h.ch, inst, { n: 1 });
      // EPSILON looked at it and gave it back: FAILED, on its first attempt there.
      const looked = await h.ch.work.checkout(inst, { role: "Repair", actorId: "Ann", uowId });
      await h.ch.work.release(inst, { uowId, leaseToken: looked!.leaseToken, actorId: "Ann" });
      const before = await state(inst, [uowId]);
      expect(before[0]!.unit).toMatchObject({ status: "FAILED", interaction: "Errors", attempt: 1 });

      // Not a target: Done is EPSILON's too, but a Cerberus interaction; Nope is no interaction.
      for (const to of ["Done", "Nope", "Errors"]) {
        const refused = h.ch.work.adminRetry(inst, { uowId, to, by: "olga", reason: "mail is back" });
        await expect(refused).rejects.toThrow(ValidationError);
        await expect(
          h.ch.work.adminRetry(inst, { uowId, to, by: "olga", reason: "mail is back" }),
        ).rejects.toMatchObject({ issues: [{ path: "to", message: expect.stringMatching(/allowed: Todo;/) }] });
      }
      expect(await state(inst, [uowId])).toEqual(before);

      const moved = await h.ch.work.adminRetry(inst, { uowId, to: "Todo", by: "olga", reason: "mail is back" });
      expect(moved).toEqual({ uowId, status: "PENDING", interaction: "Todo" });
      const unit = await h.ch.work.get(inst, uowId);
      expect(unit).toMatchObject({ status: "PENDING", interaction: "Todo", attempt: 0, heldBy: null });
      expect(unit.enteredInteractionAt.getTime()).toBeGreaterThan(before[0]!.unit.enteredInteractionAt.getTime() - 1);
      const last = (await h.ch.work.history(inst, uowId)).at(-1)!;
      expect(last).toMatchObject({ event: "SUBMIT", actorId: await systemActor(inst), role: "Repair" });
      expect(last.details).toEqual({
        from: "Errors",
        to: "Todo",
        status: "PENDING",
        retried: true,
        component: "Repair_Back",
        previousAttempt: 1,
        by: "olga",
        reason: "mail is back",
      });
      // Only a FAILED unit: now it is PENDING.
      await expect(h.ch.work.adminRetry(inst, { uowId, to: "Todo", by: "olga", reason: "again" })).rejects.toThrow(
        ConflictError,
      );
      // It is worked again from the start.
      const again = await h.ch.work.checkout(inst, { role: "Work", actorId: "Bob" });
      expect(again).toMatchObject({ uowId, attempt: 1 });
    });

    it("names no target where EPSILON routes nowhere a unit waits PENDING", async () => {
      const inst = await deploy("Minimal");
      expect((await h.ch.instances.get(inst)).workflows[0]!.retryTargets).toEqual([]);
      const { uowId } = await h.ch.work.start(inst, { attributes: { n: 1 } });
      await expect(h.ch.work.adminRetry(inst, { uowId, to: "Todo", by: "olga", reason: "x" })).rejects.toThrow(
        /this workflow has none/,
      );
      await expect(
        h.ch.work.bulk(inst, { move: "retry", filter: { status: "FAILED" }, to: "Todo", dryRun: true }),
      ).rejects.toThrow(/this workflow has none/);
    });

    it("answers a dry run with the count and ids, oldest first, keeps max, says more, and writes nothing", async () => {
      const inst = await deploy();
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) ids.push((await h.ch.work.start(inst, { attributes: { n, big: n >= 2 } })).uowId);
      const before = await state(inst, ids);
      const first = await h.ch.work.bulk(inst, {
        move: "cancel",
        filter: { status: "PENDING", where: "big" },
        dryRun: true,
        max: 2,
      });
      expect(first).toEqual({
        move: "cancel",
        dryRun: true,
        count: 2,
        uowIds: [ids[2], ids[3]],
        more: true,
        nextAfter: ids[3],
        results: [],
        moved: 0,
        skipped: 0,
        refused: 0,
      });
      const rest = await h.ch.work.bulk(inst, {
        move: "cancel",
        filter: { status: "PENDING", where: "big" },
        dryRun: true,
        max: 2,
        after: first.nextAfter,
      });
      expect(rest).toMatchObject({ count: 1, uowIds: [ids[4]], more: false, nextAfter: null });
      // Nothing held: a release chooses none of them.
      expect(
        await h.ch.work.bulk(inst, { move: "release", filter: { status: "PENDING" }, dryRun: true }),
      ).toMatchObject({ count: 0, uowIds: [], more: false });
      expect(await state(inst, ids)).toEqual(before);
    });

    it("refuses bad input before anything is chosen, naming the field", async () => {
      const inst = await deploy();
      const uowId = await failedUnit(h.ch, inst, { n: 1 });
      const before = await state(inst, [uowId]);
      const cases: [unknown, RegExp][] = [
        [{ move: "cancel", filter: {}, by: "olga", reason: "x" }, /at least one criterion/],
        [{ move: "cancel", filter: { status: "FAILED" }, reason: "x" }, /by: required unless dryRun/],
        [{ move: "cancel", filter: { status: "FAILED" }, by: "olga" }, /reason: required unless dryRun/],
        [{ move: "retry", filter: { status: "FAILED" }, by: "olga", reason: "x" }, /to: name the interaction/],
        [{ move: "retry", filter: { status: "FAILED" }, to: "Done", by: "olga", reason: "x" }, /allowed: Todo;/],
        [{ move: "release", filter: { status: "FAILED" }, to: "Todo", by: "olga", reason: "x" }, /only a retry/],
        [{ move: "cancel", filter: { status: "FAILED" }, max: 1001, by: "olga", reason: "x" }, /max/],
        [{ move: "cancel", filter: { where: "((" }, by: "olga", reason: "x" }, /where/],
        [{ move: "archive", filter: { status: "FAILED" }, by: "olga", reason: "x" }, /move/],
      ];
      for (const [input, message] of cases) {
        await expect(h.ch.work.bulk(inst, input)).rejects.toThrow(ValidationError);
        await expect(h.ch.work.bulk(inst, input)).rejects.toThrow(message);
      }
      expect(await state(inst, [uowId])).toEqual(before);
    });

    it("cancels, releases and retries the units chosen, one audit entry each under the operator's name", async () => {
      const inst = await deploy();
      const system = await systemActor(inst);
      const failed = [await failedUnit(h.ch, inst, { batch: 7 }), await failedUnit(h.ch, inst, { batch: 7 })];
      const other = await failedUnit(h.ch, inst, { batch: 8 });
      const held = (await h.ch.work.start(inst, { attributes: { batch: 7 } })).uowId;
      await h.ch.work.checkout(inst, { role: "Work", actorId: "Bob", uowId: held });
      const waiting = (await h.ch.work.start(inst, { attributes: { batch: 7 } })).uowId;
      const lengths = async (ids: string[]) =>
        Promise.all(ids.map(async (id) => (await h.ch.work.history(inst, id)).length));
      const all = [...failed, other, held, waiting];
      const before = await lengths(all);

      const retried = await h.ch.work.bulk(inst, {
        move: "retry",
        filter: { status: "FAILED", where: "batch == 7" },
        to: "Todo",
        by: "olga",
        reason: "mail is back",
      });
      expect(retried).toMatchObject({ count: 2, uowIds: failed, moved: 2, skipped: 0, refused: 0, more: false });
      expect(retried.results).toEqual(failed.map((uowId) => ({ uowId, outcome: "moved", status: "PENDING" })));
      const released = await h.ch.work.bulk(inst, {
        move: "release",
        filter: { heldBy: "Bob" },
        by: "olga",
        reason: "Bob is away",
      });
      expect(released).toMatchObject({ count: 1, uowIds: [held], moved: 1 });
      const cancelled = await h.ch.work.bulk(inst, {
        move: "cancel",
        filter: { uowIds: [other, waiting] },
        by: "olga",
        reason: "duplicates",
      });
      expect(cancelled).toMatchObject({ count: 2, moved: 2, results: [{ outcome: "moved", status: "FINALIZED" }, {}] });

      const after = await lengths(all);
      expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1, 1, 1, 1]);
      const last = async (id: string) => (await h.ch.work.history(inst, id)).at(-1)!;
      for (const id of failed) {
        expect(await last(id)).toMatchObject({
          event: "SUBMIT",
          actorId: system,
          details: { by: "olga", retried: true },
        });
        expect((await h.ch.work.get(inst, id)).status).toBe("PENDING");
      }
      expect(await last(held)).toMatchObject({
        event: "RECLAIM",
        actorId: system,
        details: { by: "olga", reason: "Bob is away", released: true },
      });
      for (const id of [other, waiting]) {
        expect(await last(id)).toMatchObject({
          event: "CANCEL",
          actorId: system,
          details: { by: "olga", reason: "duplicates" },
        });
      }
      // A second run finds nothing left to move.
      expect(
        await h.ch.work.bulk(inst, {
          move: "retry",
          filter: { where: "batch == 7" },
          to: "Todo",
          by: "olga",
          reason: "x",
        }),
      ).toMatchObject({ count: 0, moved: 0 });
    });

    it("skips a unit that changed since it was chosen: a child its cancelled base took along", async () => {
      const inst = await deploy();
      const base = (await h.ch.work.start(inst, { attributes: { order: 1 } })).uowId;
      const held = await h.ch.work.checkout(inst, { role: "Work", actorId: "Ann", uowId: base });
      const split = await h.ch.work.submit(inst, {
        uowId: base,
        leaseToken: held!.leaseToken,
        actorId: "Ann",
        children: [{ attributes: { order: 1, line: 1 } }],
      });
      const child = split.children![0]!;
      const report = await h.ch.work.bulk(inst, {
        move: "cancel",
        filter: { where: "order == 1" },
        by: "olga",
        reason: "order withdrawn",
      });
      expect(report).toMatchObject({ count: 2, uowIds: [base, child], moved: 1, skipped: 1, refused: 0 });
      expect(report.results[1]).toEqual({
        uowId: child,
        outcome: "skipped",
        reason: expect.stringMatching(/changed since it was chosen: it is now FINALIZED in Done/),
      });
      // The child has the one CANCEL entry of its base's cascade, not a second one.
      const cancels = (await h.ch.work.history(inst, child)).filter((e) => e.event === "CANCEL");
      expect(cancels).toHaveLength(1);
    });

    it("moves each unit once when two operators move the same selection at once", async () => {
      const inst = await deploy();
      const ids: string[] = [];
      for (let n = 0; n < 20; n++) ids.push((await h.ch.work.start(inst, { attributes: { n } })).uowId);
      const move = (by: string) =>
        h.ch.work.bulk(inst, { move: "cancel", filter: { status: "PENDING" }, by, reason: "drain" });
      const [first, second] = await Promise.all([move("olga"), move("oleg")]);
      expect(first.moved + second.moved).toBe(ids.length);
      expect(first.refused + second.refused).toBe(0);
      // What one chose and the other moved first, it skipped: chosen = moved + skipped.
      expect(first.count + second.count).toBe(ids.length + first.skipped + second.skipped);
      for (const id of ids) {
        const cancels = (await h.ch.work.history(inst, id)).filter((e) => e.event === "CANCEL");
        expect(cancels).toHaveLength(1);
      }
    });

    it("never moves a unit a concurrent worker took after it was chosen", async () => {
      const inst = await deploy();
      const ids: string[] = [];
      for (let n = 0; n < 30; n++) ids.push((await h.ch.work.start(inst, { attributes: { n } })).uowId);
      const taken: string[] = [];
      const worker = (async () => {
        for (;;) {
          const unit = await h.ch.work.checkout(inst, { role: "Work", actorId: "Bob" });
          if (unit === null) return;
          taken.push(unit.uowId);
        }
      })();
      const report = await h.ch.work.bulk(inst, {
        move: "cancel",
        filter: { status: "PENDING" },
        max: 1000,
        by: "olga",
        reason: "drain",
      });
      await worker;
      expect(report.moved + report.skipped).toBe(report.count);
      expect(report.refused).toBe(0);
      const movedIds = new Set(report.results.filter((r) => r.outcome === "moved").map((r) => r.uowId));
      for (const id of ids) {
        const history = await h.ch.work.history(inst, id);
        const events = history.map((e) => e.event).filter((e) => e === "CANCEL" || e === "CHECKOUT");
        // Each unit went one way: cancelled while still PENDING, or taken by the worker; never both.
        expect(events).toHaveLength(1);
        const unit = await h.ch.work.get(inst, id);
        if (movedIds.has(id)) expect([unit.status, events[0]]).toEqual(["FINALIZED", "CANCEL"]);
        else expect([unit.status, unit.heldBy, taken.includes(id)]).toEqual(["ACTIVE", "Bob", true]);
      }
      expect(movedIds.size + taken.length).toBe(ids.length);
    });
  });
}
