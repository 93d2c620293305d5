/**
 * Every row of the transition table and every guardian type, driven through the Lab
 * blueprint (test/fixtures/lab.yml) on each engine, with the invariants checked after each.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { events, LAB, labVariant, step, TestClock } from "../support/lab.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`engine paths on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now, leaseTimeoutSeconds: 30, maxAttempts: 2 });
    let inst = "";
    const fresh = { kind: "work", sent_at: "" };

    beforeAll(async () => {
      await h.ch.templates.importYaml(LAB);
      await h.ch.templates.importYaml(labVariant("Lab_Prune", "PRUNE"));
      await h.ch.templates.importYaml(labVariant("Lab_Archive", "ARCHIVE"));
    });

    const roles = ["Origin", "Sorter", "Worker", "End", "Medic", "Clock"];
    const newInstance = async (workflow = "Lab") => {
      const created = await h.ch.instances.create({
        workflow,
        name: uniqueName(workflow),
        actors: [
          { name: "ops", type: "HUMAN", identityKey: "ops@example.com", roles },
          { name: "robot", type: "AI_AGENT", identityKey: "robot-1", roles: ["Worker"] },
          { name: "outsider", type: "HUMAN", identityKey: "nobody@example.com" },
        ],
      });
      inst = created.instanceId;
      return created;
    };
    const start = async (attributes: Record<string, unknown>) =>
      (
        await h.ch.work.start(inst, {
          attributes: { sent_at: clock.now().toISOString(), ...attributes },
          actorId: "ops",
        })
      ).uowId;
    const unit = (id: string) => h.ch.work.get(inst, id);

    afterEach(async () => {
      if (inst) expect(await invariantViolations(h.ch, inst)).toEqual([]);
    });

    it("genesis places a base unit PENDING with version-1 attributes (none -> PENDING)", async () => {
      await newInstance();
      fresh.sent_at = clock.now().toISOString();
      const id = await start({ kind: "work", batch: "b1" });
      expect(await unit(id)).toMatchObject({
        status: "PENDING",
        interaction: "Intake",
        parentId: null,
        attempt: 0,
        attributes: { kind: "work", batch: "b1" },
      });
      const versions = await h.ch.stores.instances.db
        .selectFrom("uow_attributes")
        .select(["key", "version"])
        .where("uow_id", "=", id)
        .execute();
      expect(versions.every((v) => v.version === 1)).toBe(true);
      expect(await events(h.ch, inst, id)).toEqual(["GENESIS"]);
    });

    it("genesis with no eligible route goes down the Ate path (none -> FAILED)", async () => {
      await newInstance();
      const id = await start({ kind: "poison" });
      expect(await unit(id)).toMatchObject({ status: "FAILED", interaction: "Broken" });
      const [genesis] = await h.ch.work.history(inst, id);
      expect(genesis!.details).toMatchObject({ status: "FAILED", reason: "no eligible route" });
    });

    it("routes by DIRECTIONAL_FILTER and COMPOSITE any: to a queue, the Ate path, the Chronos path and Cerberus", async () => {
      await newInstance();
      const cases = [
        { kind: "work", status: "PENDING", interaction: "Work" }, // ACTIVE -> PENDING
        { kind: "job", status: "PENDING", interaction: "Work" }, // COMPOSITE any, second member
        { kind: "broken", status: "FAILED", interaction: "Broken" }, // ACTIVE -> FAILED (route into EPSILON's interaction)
        { kind: "late", status: "TIMEOUT", interaction: "Late" }, // ACTIVE -> TIMEOUT (route into TAU's interaction)
        { kind: "done", status: "COMPLETED", interaction: "Finished" }, // ACTIVE -> COMPLETED
        { kind: "unheard-of", status: "FAILED", interaction: "Broken" }, // no eligible route
      ];
      for (const c of cases) {
        const id = await start({ kind: c.kind });
        const { unit: u, result } = await step(h.ch, inst, "Sorter", "ops", {}, id);
        expect(u.attempt).toBe(1);
        expect(result).toMatchObject({ status: c.status, interaction: c.interaction });
        expect(await unit(id)).toMatchObject({ status: c.status, interaction: c.interaction, attempt: 0 });
      }
      const last = await h.ch.work.history(inst, (await h.ch.work.list(inst, { status: "FAILED" })).at(-1)!.uowId);
      expect(last.at(-1)).toMatchObject({ event: "FAIL", details: { reason: "no eligible route" } });
      expect(JSON.stringify(last.at(-1)!.details)).toContain("Sorter_To_Work");
    });

    it("rejects at checkout by CRITERIA_GATE and TTL_CHECK inside a COMPOSITE all, and goes on with the next unit (PENDING -> FAILED)", async () => {
      await newInstance();
      const stale = await start({ kind: "work", sent_at: new Date(clock.ms - 7200_000).toISOString() });
      const kindless = (
        await h.ch.work.start(inst, { attributes: { sent_at: clock.now().toISOString() }, actorId: "ops" })
      ).uowId;
      clock.advance(1);
      const good = await start({ kind: "work" });
      const got = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      expect(got?.uowId).toBe(good);
      for (const id of [stale, kindless]) {
        expect(await unit(id)).toMatchObject({ status: "FAILED", interaction: "Broken" });
        const reject = (await h.ch.work.history(inst, id)).at(-1)!;
        expect(reject.event).toBe("REJECT");
        expect(reject.details).toMatchObject({ guardian: "Sorter_In_guard", status: "FAILED" });
      }
      expect(JSON.stringify((await h.ch.work.history(inst, stale)).at(-1)!.details)).toMatch(
        /sent_at' is 7201 s old, more than 3600 s/,
      );
      expect(JSON.stringify((await h.ch.work.history(inst, kindless)).at(-1)!.details)).toContain("exists(kind)");
      await h.ch.work.submit(inst, { uowId: good, leaseToken: got!.leaseToken, actorId: "ops" });
    });

    it("EPSILON and TAU take units off their paths and route them on (FAILED -> ACTIVE, TIMEOUT -> ACTIVE)", async () => {
      await newInstance();
      const late = await start({ kind: "late" });
      await step(h.ch, inst, "Sorter", "ops", {}, late);
      const viaClock = await step(h.ch, inst, "Clock", "ops", { attributes: { escalated: true } }, late);
      expect(viaClock.result).toMatchObject({ status: "FAILED", interaction: "Broken" });
      const healed = await step(h.ch, inst, "Medic", "ops", { attributes: { fixed: true } }, late);
      expect(healed.result).toMatchObject({ status: "COMPLETED", interaction: "Finished" });
      expect(await unit(late)).toMatchObject({ attributes: { escalated: true, fixed: true } });
    });

    it("work.fail sends the unit down the Ate path with the error", async () => {
      await newInstance();
      const id = await start({ kind: "work" });
      const u = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      const r = await h.ch.work.fail(inst, {
        uowId: id,
        leaseToken: u!.leaseToken,
        actorId: "ops",
        error: "printer on fire",
        details: { code: 42 },
      });
      expect(r).toMatchObject({ status: "FAILED", interaction: "Broken" });
      expect((await h.ch.work.history(inst, id)).at(-1)).toMatchObject({
        event: "FAIL",
        details: { error: "printer on fire", details: { code: 42 } },
      });
    });

    it("the sweep times out stale PENDING units, and only the sweep does (PENDING -> TIMEOUT)", async () => {
      await newInstance();
      const a = await start({ kind: "work" });
      const b = await start({ kind: "work" });
      clock.advance(61);
      // Past its limit but not swept: a checkout still hands it out.
      const got = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      expect(got?.uowId).toBe(a);
      expect(await h.ch.sweep(inst)).toEqual({ reclaimed: 0, timedOut: 1, failures: [] });
      expect(await unit(b)).toMatchObject({ status: "TIMEOUT", interaction: "Late" });
      expect((await h.ch.work.history(inst, b)).at(-1)).toMatchObject({
        event: "TIMEOUT",
        details: { limit: 60, waited: 61 },
      });
      expect(await h.ch.sweep(inst)).toEqual({ reclaimed: 0, timedOut: 0, failures: [] });
      await h.ch.work.submit(inst, { uowId: a, leaseToken: got!.leaseToken, actorId: "ops" });
    });

    it("reclaims an expired lease back where it came from, refuses the late holder, and fails the unit on the last attempt", async () => {
      await newInstance();
      const id = await start({ kind: "work" });
      const first = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      clock.advance(20);
      await h.ch.work.heartbeat(inst, { uowId: id, leaseToken: first!.leaseToken, actorId: "ops" });
      clock.advance(20);
      expect((await h.ch.sweep(inst)).reclaimed).toBe(0); // the heartbeat kept it alive
      clock.advance(11);
      expect(await h.ch.sweep(inst)).toEqual({ reclaimed: 1, timedOut: 0, failures: [] });
      expect(await unit(id)).toMatchObject({ status: "PENDING", interaction: "Intake", attempt: 1, lockedBy: null });
      const late = h.ch.work.submit(inst, {
        uowId: id,
        leaseToken: first!.leaseToken,
        actorId: "ops",
        attributes: { kind: "done" },
      });
      await expect(late).rejects.toThrow(ConflictError);
      await expect(late).rejects.toThrow(/is not the current lease.*nothing was changed/);
      expect((await unit(id)).attributes).toMatchObject({ kind: "work" });
      await expect(
        h.ch.work.heartbeat(inst, { uowId: id, leaseToken: first!.leaseToken, actorId: "ops" }),
      ).rejects.toThrow(ConflictError);

      const second = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      expect(second).toMatchObject({ uowId: id, attempt: 2 });
      clock.advance(31);
      expect(await h.ch.sweep(inst)).toEqual({ reclaimed: 1, timedOut: 0, failures: [] });
      expect(await unit(id)).toMatchObject({ status: "FAILED", interaction: "Broken", attempt: 0 });
      expect((await h.ch.work.history(inst, id)).at(-1)).toMatchObject({
        event: "RECLAIM",
        details: { status: "FAILED" },
      });
    });

    it("reclaims a unit held by EPSILON back to FAILED", async () => {
      await newInstance();
      const id = await start({ kind: "broken" });
      await step(h.ch, inst, "Sorter", "ops", {}, id);
      await h.ch.work.checkout(inst, { role: "Medic", actorId: "ops" });
      clock.advance(31);
      expect((await h.ch.sweep(inst)).reclaimed).toBe(1);
      expect(await unit(id)).toMatchObject({ status: "FAILED", interaction: "Broken", attempt: 1 });
    });

    it("splits a base unit, routes each child on its own, holds the set, and finalizes it SELECTIVEly", async () => {
      await newInstance();
      const base = await start({ kind: "work", batch: "B-7" });
      const u = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      const r = await h.ch.work.submit(inst, {
        uowId: base,
        leaseToken: u!.leaseToken,
        actorId: "ops",
        attributes: { split: true },
        children: [
          { attributes: { kind: "done", keep: true } }, // straight into Cerberus: none -> COMPLETED
          { attributes: { kind: "work", n: 2 }, reasoning: "needs work" }, // none -> PENDING
          { attributes: { kind: "weird" } }, // no route: none -> FAILED
          { attributes: { kind: "late" } }, // none -> TIMEOUT
        ],
      });
      expect(r).toMatchObject({ status: "COMPLETED", interaction: "Finished" });
      const [done, work, weird, late] = r.children!;
      expect(await unit(base)).toMatchObject({ childCount: 4, finishedChildCount: 1 });
      expect(await unit(done!)).toMatchObject({
        status: "COMPLETED",
        parentId: base,
        attributes: { kind: "done", keep: true, batch: "B-7" },
      });
      expect(await unit(work!)).toMatchObject({
        status: "PENDING",
        interaction: "Work",
        attributes: { kind: "work", n: 2, batch: "B-7" },
      });
      expect(await unit(weird!)).toMatchObject({ status: "FAILED", interaction: "Broken" });
      expect(await unit(late!)).toMatchObject({ status: "TIMEOUT", interaction: "Late" });
      expect(await h.ch.work.checkout(inst, { role: "End", actorId: "ops" })).toBeNull(); // Cerberus holds the set

      await step(h.ch, inst, "Worker", "robot", { attributes: { n: 3 } }, work);
      await step(h.ch, inst, "Medic", "ops", {}, weird);
      await step(h.ch, inst, "Clock", "ops", {}, late);
      expect(await h.ch.work.checkout(inst, { role: "End", actorId: "ops" })).toBeNull();
      await step(h.ch, inst, "Medic", "ops", { attributes: { keep: true } }, late);
      expect(await unit(base)).toMatchObject({ finishedChildCount: 4 });

      const omega = await h.ch.work.checkout(inst, { role: "End", actorId: "ops" });
      expect(omega?.uowId).toBe(base);
      expect(omega?.set?.map((m) => m.uowId)).toEqual([base, done, work, weird, late]);
      expect(omega?.set?.[2]?.attributes).toMatchObject({ n: 3 });
      const fin = await h.ch.work.submit(inst, { uowId: base, leaseToken: omega!.leaseToken, actorId: "ops" });
      expect(fin.status).toBe("FINALIZED");
      for (const id of [base, done!, work!, weird!, late!]) expect((await unit(id)).status).toBe("FINALIZED");
      // keep_if "keep == true": done and late keep their history; work and weird are pruned.
      expect((await unit(done!)).attributes).toMatchObject({ keep: true });
      expect((await unit(late!)).attributes).toMatchObject({ keep: true });
      expect((await unit(work!)).attributes).toEqual({});
      expect((await unit(weird!)).attributes).toEqual({});
      expect(await events(h.ch, inst, work!)).toEqual(["SPAWN", "CHECKOUT", "SUBMIT", "FINALIZE", "PRUNE"]);
      expect(await events(h.ch, inst, base)).toEqual([
        "GENESIS",
        "CHECKOUT",
        "SUBMIT",
        "SYNC_HOLD",
        "SYNC_HOLD",
        "SYNC_HOLD",
        "SYNC_HOLD",
        "SYNC_RELEASE",
        "CHECKOUT",
        "FINALIZE",
      ]);
    });

    for (const [workflow, keeps] of [
      ["Lab_Prune", false],
      ["Lab_Archive", true],
    ] as const) {
      it(`finalizes with ${workflow.slice(4).toUpperCase()}: children's history ${keeps ? "kept" : "deleted"}, their rows kept`, async () => {
        await newInstance(workflow);
        const base = await start({ kind: "work" });
        const u = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
        const { children } = await h.ch.work.submit(inst, {
          uowId: base,
          leaseToken: u!.leaseToken,
          actorId: "ops",
          children: [{ attributes: { kind: "done", keep: true } }, { attributes: { kind: "done", keep: false } }],
        });
        await step(h.ch, inst, "End", "ops", {}, base);
        for (const c of children!) {
          const child = await unit(c);
          expect(child.status).toBe("FINALIZED");
          expect(Object.keys(child.attributes).length > 0).toBe(keeps);
          expect((await events(h.ch, inst, c)).includes("PRUNE")).toBe(!keeps);
        }
        expect((await unit(base)).attributes).toMatchObject({ kind: "work" });
      });
    }

    it("refuses splits the strategy or the unit does not allow, and writes nothing", async () => {
      await newInstance();
      const base = await start({ kind: "work" });
      await step(h.ch, inst, "Sorter", "ops", {}, base);
      const w = await h.ch.work.checkout(inst, { role: "Worker", actorId: "robot" });
      const homogeneous = h.ch.work.submit(inst, {
        uowId: base,
        leaseToken: w!.leaseToken,
        actorId: "robot",
        attributes: { changed: 1 },
        children: [{ attributes: { a: 1 } }, { attributes: { b: 1 } }],
      });
      await expect(homogeneous).rejects.toThrow(ValidationError);
      await expect(homogeneous).rejects.toThrow(
        /children\[1\] has the keys \[b\] but children\[0\] has \[a\]: role 'Worker' splits HOMOGENEOUS/,
      );
      expect(await unit(base)).toMatchObject({ status: "ACTIVE", childCount: 0 });
      expect((await unit(base)).attributes).not.toHaveProperty("changed");
      const { children } = await h.ch.work.submit(inst, {
        uowId: base,
        leaseToken: w!.leaseToken,
        actorId: "robot",
        children: [{ attributes: { a: 1 } }, { attributes: { a: 2 } }],
      });
      await h.ch.work.list(inst, { role: "End" });
      // A child routed back to work cannot split again.
      const other = await start({ kind: "work" });
      const s = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      const { children: kids } = await h.ch.work.submit(inst, {
        uowId: other,
        leaseToken: s!.leaseToken,
        actorId: "ops",
        children: [{ attributes: { kind: "work" } }],
      });
      const child = await h.ch.work.checkout(inst, { role: "Worker", actorId: "robot" });
      expect(child?.uowId).toBe(kids![0]);
      await expect(
        h.ch.work.submit(inst, {
          uowId: kids![0],
          leaseToken: child!.leaseToken,
          actorId: "robot",
          children: [{ attributes: { x: 1 } }],
        }),
      ).rejects.toThrow(/is a child of .*: only base units split/);
      expect(children).toHaveLength(2);
      // EPSILON routes units on; it does not split them.
      const broken = await start({ kind: "broken" });
      await step(h.ch, inst, "Sorter", "ops", {}, broken);
      const medic = await h.ch.work.checkout(inst, { role: "Medic", actorId: "ops" });
      await expect(
        h.ch.work.submit(inst, {
          uowId: broken,
          leaseToken: medic!.leaseToken,
          actorId: "ops",
          children: [{ attributes: { x: 1 } }],
        }),
      ).rejects.toThrow("role 'Medic' is EPSILON: only processing roles split units into children");
      await h.ch.work.submit(inst, { uowId: broken, leaseToken: medic!.leaseToken, actorId: "ops" });
    });

    it("refuses bad input with typed errors and changes nothing", async () => {
      await newInstance();
      const id = await start({ kind: "work" });
      const u = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      const submitWith = (extra: Record<string, unknown>) =>
        h.ch.work.submit(inst, { uowId: id, leaseToken: u!.leaseToken, actorId: "ops", ...extra });
      await expect(submitWith({ attributes: { _secret: 1 } })).rejects.toThrow(
        /attributes._secret: keys starting with '_' are reserved/,
      );
      await expect(submitWith({ attributes: { big: "x".repeat(1_100_000) } })).rejects.toThrow(PayloadTooLargeError);
      await expect(submitWith({ attributes: [1, 2] })).rejects.toThrow(ValidationError);
      await expect(submitWith({ colour: "red" })).rejects.toThrow(/Unrecognized key.*colour/);
      await expect(
        h.ch.work.submit(inst, { uowId: "not-a-uuid", leaseToken: u!.leaseToken, actorId: "ops" }),
      ).rejects.toThrow(NotFoundError);
      await expect(h.ch.work.submit(inst, { uowId: id, leaseToken: u!.leaseToken, actorId: "robot" })).rejects.toThrow(
        ConflictError,
      );
      await expect(h.ch.work.checkout(inst, { role: "Sorter", actorId: "outsider" })).rejects.toThrow(ForbiddenError);
      await expect(h.ch.work.checkout(inst, { role: "Nobody", actorId: "ops" })).rejects.toThrow(
        /no role 'Nobody' in instance/,
      );
      await expect(h.ch.work.checkout(inst, { role: "Origin", actorId: "ops" })).rejects.toThrow(
        /ALPHA: it creates units with work.start/,
      );
      await expect(h.ch.work.checkout(inst, { role: "Sorter", actorId: "ghost" })).rejects.toThrow(/no actor 'ghost'/);
      await expect(h.ch.work.start(inst, { attributes: { kind: "work" }, actorId: "robot" })).rejects.toThrow(
        ForbiddenError,
      );
      expect(await unit(id)).toMatchObject({ status: "ACTIVE", attempt: 1, attributes: { kind: "work" } });
      expect(await events(h.ch, inst, id)).toEqual(["GENESIS", "CHECKOUT"]);
      await submitWith({});
    });

    it("revoking an assignment stops the checkout; assigning again restores it", async () => {
      await newInstance();
      await start({ kind: "work" });
      await h.ch.actors.revoke(inst, "ops", "Sorter");
      await expect(h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" })).rejects.toThrow(ForbiddenError);
      await h.ch.actors.assign(inst, "ops", "Sorter");
      expect(await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" })).not.toBeNull();
    });

    it("cancels from every status but FINALIZED, counts a cancelled child back, and takes a cancelled base's children with it", async () => {
      await newInstance();
      const pending = await start({ kind: "work" });
      await h.ch.work.cancel(inst, { uowId: pending, reason: "not needed" });
      expect(await unit(pending)).toMatchObject({ status: "FINALIZED" });
      await expect(h.ch.work.cancel(inst, { uowId: pending, reason: "again" })).rejects.toThrow(ConflictError);

      const active = await start({ kind: "work" });
      await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      await expect(h.ch.work.cancel(inst, { uowId: active, actorId: "ops", reason: "mine" })).rejects.toThrow(
        /may cancel only a unit it holds as EPSILON or TAU/,
      );
      await h.ch.work.cancel(inst, { uowId: active, reason: "admin says so" });
      expect(await unit(active)).toMatchObject({ status: "FINALIZED", lockedBy: null });

      const broken = await start({ kind: "broken" });
      await step(h.ch, inst, "Sorter", "ops", {}, broken);
      expect((await unit(broken)).status).toBe("FAILED");
      await h.ch.work.checkout(inst, { role: "Medic", actorId: "ops" });
      await h.ch.work.cancel(inst, { uowId: broken, actorId: "ops", reason: "beyond repair" }); // EPSILON gives up
      expect((await h.ch.work.history(inst, broken)).at(-1)).toMatchObject({
        event: "CANCEL",
        role: "Medic",
        details: { reason: "beyond repair" },
      });

      const late = await start({ kind: "late" });
      await step(h.ch, inst, "Sorter", "ops", {}, late);
      await h.ch.work.cancel(inst, { uowId: late, reason: "too late" }); // TIMEOUT -> FINALIZED

      const base = await start({ kind: "work" });
      const s = await h.ch.work.checkout(inst, { role: "Sorter", actorId: "ops" });
      const { children } = await h.ch.work.submit(inst, {
        uowId: base,
        leaseToken: s!.leaseToken,
        actorId: "ops",
        children: [
          { attributes: { kind: "done" } },
          { attributes: { kind: "work" } },
          { attributes: { kind: "work" } },
        ],
      });
      await h.ch.work.cancel(inst, { uowId: children![1]!, reason: "dropped line" });
      expect(await unit(base)).toMatchObject({ finishedChildCount: 2, status: "COMPLETED" }); // COMPLETED -> stays, counted
      await h.ch.work.cancel(inst, { uowId: base, reason: "whole batch dropped" }); // COMPLETED -> FINALIZED
      for (const c of children!) expect((await unit(c)).status).toBe("FINALIZED");
      expect((await h.ch.work.history(inst, children![2]!)).at(-1)).toMatchObject({ event: "CANCEL" });
    });

    it("keeps units of one instance out of another", async () => {
      await newInstance();
      const mine = await start({ kind: "work" });
      const first = inst;
      await newInstance();
      await expect(h.ch.work.get(inst, mine)).rejects.toThrow(NotFoundError);
      await expect(h.ch.work.cancel(inst, { uowId: mine, reason: "x" })).rejects.toThrow(/no unit .* in instance/);
      const otherActor = (await h.ch.instances.get(first)).actors.find((a) => a.name === "ops")!.actorId;
      await expect(h.ch.work.checkout(inst, { role: "Sorter", actorId: otherActor })).rejects.toThrow(NotFoundError);
      await expect(h.ch.work.get("no-such-instance", mine)).rejects.toThrow(/no instance 'no-such-instance'/);
      expect((await h.ch.work.get(first, mine)).status).toBe("PENDING");
    });
  });
}
