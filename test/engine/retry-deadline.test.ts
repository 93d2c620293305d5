/**
 * Retries with backoff, deadlines and priority (rules 17 and 18, docs/engine.md) on each engine,
 * through the library and over HTTP, on the test clock: a retryable failure waits its backoff
 * (fixed, or exponential up to max_seconds) and goes down the Ate path once its attempts are
 * spent; a reclaim waits the same backoff; checkout takes higher priority first and skips units
 * still in backoff; a unit waiting or held past its due time goes to TAU, the entry naming the
 * deadline, the earliest of several consuming roles counting and a reclaim not resetting it.
 */
import { describe, expect, it } from "vitest";
import { ConflictError, ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";
import { invariantViolations } from "../support/invariants.js";
import { useHttp } from "../http/support.js";

const BLUEPRINT = `
workflow: { name: Retry_Due }
roles:
  - { name: Start, type: ALPHA }
  - name: Fixed
    type: AUTO
    strategy: HOMOGENEOUS
    config: { max_attempts: 3, lease_seconds: 60, retry: { backoff: fixed, initial_seconds: 30 } }
  - name: Expo
    type: AI_AGENT
    strategy: HOMOGENEOUS
    config: { max_attempts: 4, retry: { backoff: exponential, initial_seconds: 10, max_seconds: 25 } }
  - { name: Desk, type: HUMAN, strategy: HOMOGENEOUS, config: { due_seconds: 3600 } }
  - { name: Early, type: BETA, strategy: HOMOGENEOUS, config: { due_seconds: 600 } }
  - { name: Late, type: BETA, strategy: HOMOGENEOUS, config: { due_seconds: 1200 } }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: Fixed_Q }
  - { name: Expo_Q }
  - { name: Desk_Q }
  - { name: Shared_Q }
  - { name: Done }
  - { name: Errors }
  - { name: Late_Work }
components:
  - { name: Start_Fixed, role: Start, interaction: Fixed_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: 'lane == "fixed"' } } }
  - { name: Start_Expo, role: Start, interaction: Expo_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: 'lane == "expo"' } } }
  - { name: Start_Shared, role: Start, interaction: Shared_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: 'lane == "shared"' } } }
  - { name: Start_Desk, role: Start, interaction: Desk_Q, direction: OUTBOUND }
  - { name: Fixed_In, role: Fixed, interaction: Fixed_Q, direction: INBOUND }
  - { name: Fixed_Out, role: Fixed, interaction: Done, direction: OUTBOUND }
  - { name: Expo_In, role: Expo, interaction: Expo_Q, direction: INBOUND }
  - { name: Expo_Out, role: Expo, interaction: Done, direction: OUTBOUND }
  - { name: Desk_In, role: Desk, interaction: Desk_Q, direction: INBOUND }
  - { name: Desk_Out, role: Desk, interaction: Done, direction: OUTBOUND }
  - { name: Early_In, role: Early, interaction: Shared_Q, direction: INBOUND }
  - { name: Early_Out, role: Early, interaction: Done, direction: OUTBOUND }
  - { name: Late_In, role: Late, interaction: Shared_Q, direction: INBOUND }
  - { name: Late_Out, role: Late, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Late_Work, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`retries, deadlines and priority on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now, leaseTimeoutSeconds: 300, maxAttempts: 3 });
    const api = useHttp(h);

    const newInstance = async () => {
      await h.ch.templates.importYaml(BLUEPRINT);
      const { instanceId } = await h.ch.instances.create({
        workflow: "Retry_Due",
        name: uniqueName("retry"),
        actors: [
          {
            name: "ops",
            type: "AI_AGENT",
            identityKey: "ops",
            roles: ["Start", "Fixed", "Expo", "Desk", "Early", "Late"],
          },
        ],
      });
      const I = instanceId;
      const start = async (lane: string, priority?: number) =>
        (
          await h.ch.work.start(I, {
            attributes: { lane },
            actorId: "ops",
            ...(priority === undefined ? {} : { priority }),
          })
        ).uowId;
      const checkout = (role: string, uowId?: string) =>
        h.ch.work.checkout(I, { role, actorId: "ops", ...(uowId === undefined ? {} : { uowId }) });
      const failRetryable = (unit: { uowId: string; leaseToken: string }) =>
        h.ch.work.fail(I, {
          uowId: unit.uowId,
          leaseToken: unit.leaseToken,
          actorId: "ops",
          error: "service unavailable",
          retryable: true,
        });
      return { I, start, checkout, failRetryable };
    };
    /** The test clock `seconds` from now, as the engine reads it (the database clock's offset is a few ms at most). */
    const at = (seconds: number) => ({
      asymmetricMatch: (d: unknown) =>
        (d instanceof Date || typeof d === "string") &&
        Math.abs(new Date(d).getTime() - (clock.ms + seconds * 1000)) < 1000,
      toString: () => `about ${new Date(clock.ms + seconds * 1000).toISOString()}`,
    });
    const lastEntry = async (I: string, uowId: string) => (await h.ch.work.history(I, uowId)).at(-1)!;

    it("a retryable failure waits its fixed backoff, keeps its place in the step and its attempts", async () => {
      const { I, start, checkout, failRetryable } = await newInstance();
      const id = await start("fixed");
      const behind = await start("fixed");
      const first = (await checkout("Fixed"))!;
      expect(first).toMatchObject({ uowId: id, attempt: 1 });
      const entered = (await h.ch.work.get(I, id)).enteredInteractionAt;

      const failed = await failRetryable(first);
      expect(failed).toMatchObject({ uowId: id, status: "PENDING", interaction: "Fixed_Q", availableAt: at(30) });
      expect(await h.ch.work.get(I, id)).toMatchObject({
        status: "PENDING",
        attempt: 1,
        heldBy: null,
        availableAt: at(30),
        enteredInteractionAt: entered,
      });
      expect(await lastEntry(I, id)).toMatchObject({
        event: "FAIL",
        role: "Fixed",
        details: {
          status: "PENDING",
          to: "Fixed_Q",
          error: "service unavailable",
          retryable: true,
          delaySeconds: 30,
          maxAttempts: 3,
          retry: { attempt: 1, availableAt: at(30) },
        },
      });
      // In backoff it is passed: the unit behind it is taken, and choosing it says why not.
      expect((await checkout("Fixed"))?.uowId).toBe(behind);
      expect(await checkout("Fixed")).toBeNull();
      await expect(checkout("Fixed", id)).rejects.toThrow(ConflictError);
      await expect(checkout("Fixed", id)).rejects.toThrow(/waits for its retry until/);

      clock.advance(29);
      expect(await checkout("Fixed")).toBeNull();
      clock.advance(2);
      const second = (await checkout("Fixed"))!;
      expect(second).toMatchObject({ uowId: id, attempt: 2 });
      // The same lease repeated answers the first result.
      expect(await failRetryable(first)).toMatchObject({ alreadyDone: true, status: "PENDING" });
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("an exponential backoff doubles up to max_seconds, and the last attempt goes down the Ate path", async () => {
      const { I, start, checkout, failRetryable } = await newInstance();
      const id = await start("expo");
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const unit = (await checkout("Expo"))!;
        expect(unit).toMatchObject({ uowId: id, attempt });
        const r = await failRetryable(unit);
        const wait = Math.round((Date.parse(r.availableAt!) - clock.ms) / 1000);
        waits.push(wait);
        clock.advance(wait - 1);
        expect(await checkout("Expo")).toBeNull();
        clock.advance(1);
      }
      expect(waits).toEqual([10, 20, 25]); // 40 capped at max_seconds
      const last = (await checkout("Expo"))!;
      expect(last.attempt).toBe(4);
      expect(await failRetryable(last)).toEqual({ uowId: id, status: "FAILED", interaction: "Errors" });
      expect(await lastEntry(I, id)).toMatchObject({
        event: "FAIL",
        details: { status: "FAILED", to: "Errors", retryable: true, attemptsSpent: { attempt: 4, maxAttempts: 4 } },
      });
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("a reclaimed lease waits the role's backoff before the next attempt", async () => {
      const { I, start, checkout } = await newInstance();
      const id = await start("fixed");
      await checkout("Fixed");
      clock.advance(61); // Fixed's lease is 60 s
      expect(await h.ch.sweep(I)).toEqual({ reclaimed: 1, timedOut: 0, failures: [] });
      expect(await h.ch.work.get(I, id)).toMatchObject({ status: "PENDING", attempt: 1, availableAt: at(30) });
      expect(await lastEntry(I, id)).toMatchObject({ event: "RECLAIM", details: { availableAt: at(30) } });
      expect(await checkout("Fixed")).toBeNull();
      clock.advance(31);
      expect(await checkout("Fixed")).toMatchObject({ uowId: id, attempt: 2 });
    });

    it("checkout takes higher priority first, then the unit available longest; children inherit", async () => {
      const { I, start, checkout, failRetryable } = await newInstance();
      const low = await start("fixed", 2);
      const plain = await start("fixed");
      const high = await start("fixed", 7);
      const highToo = await start("fixed", 7);
      const top = await start("fixed", 9);
      expect((await h.ch.work.get(I, plain)).priority).toBe(5);
      // The 9 goes into backoff: it blocks nothing below it.
      await failRetryable((await checkout("Fixed"))!);
      const order: string[] = [];
      for (let u = await checkout("Fixed"); u !== null; u = await checkout("Fixed")) order.push(u.uowId);
      expect(order).toEqual([high, highToo, plain, low]);
      clock.advance(31);
      const again = (await checkout("Fixed"))!;
      expect(again.uowId).toBe(top);

      // A submit may set the priority; its children inherit it.
      const split = await h.ch.work.submit(I, {
        uowId: top,
        leaseToken: again.leaseToken,
        actorId: "ops",
        priority: 3,
        children: [{ attributes: { n: 1 } }, { attributes: { n: 2 } }],
      });
      expect((await h.ch.work.get(I, top)).priority).toBe(3);
      for (const child of split.children!) expect((await h.ch.work.get(I, child)).priority).toBe(3);

      // Out of range: refused naming the field, nothing started.
      const before = (await h.ch.work.list(I)).length;
      for (const priority of [10, -1, 1.5]) {
        const refused = h.ch.work.start(I, { attributes: { lane: "fixed" }, actorId: "ops", priority });
        await expect(refused).rejects.toThrow(ValidationError);
        await expect(refused).rejects.toThrow(/work.start priority: must be .*from 0 to 9/);
      }
      expect((await h.ch.work.list(I)).length).toBe(before);
    });

    it("a waiting unit past its role's due time is overdue in lists and the overview, and the sweep sends it to TAU", async () => {
      const { I, start } = await newInstance();
      const id = await start("desk");
      expect(await h.ch.work.get(I, id)).toMatchObject({ dueAt: at(3600), overdue: false });
      expect(await h.ch.work.list(I, { overdue: true })).toEqual([]);
      clock.advance(3601);
      expect((await h.ch.work.list(I, { overdue: true })).map((u) => u.uowId)).toEqual([id]);
      expect((await h.ch.work.list(I, { overdue: false })).map((u) => u.uowId)).not.toContain(id);
      const overview = await h.ch.instances.overview(I, { maxAgeSeconds: 0 });
      expect(overview.totals.overdue).toBe(1);
      expect(overview.interactions.find((i) => i.name === "Desk_Q")!.overdue).toBe(1);
      expect(overview.roles.find((r) => r.name === "Desk")!.overdue).toBe(1);

      expect(await h.ch.sweep(I)).toEqual({ reclaimed: 0, timedOut: 1, failures: [] });
      expect(await h.ch.work.get(I, id)).toMatchObject({ status: "TIMEOUT", interaction: "Late_Work", dueAt: null });
      expect(await lastEntry(I, id)).toMatchObject({
        event: "TIMEOUT",
        actorName: "SYSTEM",
        details: {
          from: "Desk_Q",
          to: "Late_Work",
          status: "TIMEOUT",
          deadline: { role: "Desk", dueSeconds: 3600, dueAt: at(-1) },
        },
      });
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("a held unit past its due time goes to TAU too, and its lease is refused from then on", async () => {
      const { I, start, checkout } = await newInstance();
      const id = await start("desk");
      const unit = (await checkout("Desk"))!;
      clock.advance(1800);
      await h.ch.work.heartbeat(I, { uowId: id, leaseToken: unit.leaseToken, actorId: "ops" });
      clock.advance(1801);
      expect((await h.ch.work.get(I, id)).overdue).toBe(true);
      expect(await h.ch.sweep(I)).toEqual({ reclaimed: 0, timedOut: 1, failures: [] });
      expect(await lastEntry(I, id)).toMatchObject({
        event: "TIMEOUT",
        details: { status: "TIMEOUT", deadline: { role: "Desk", dueSeconds: 3600 }, attempt: 1 },
      });
      await expect(
        h.ch.work.submit(I, { uowId: id, leaseToken: unit.leaseToken, actorId: "ops", attributes: { late: true } }),
      ).rejects.toThrow(ConflictError);
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });

    it("the earliest deadline of the roles sharing an interaction counts, and a reclaim does not reset it", async () => {
      const { I, start, checkout } = await newInstance();
      const id = await start("shared");
      expect((await h.ch.work.get(I, id)).dueAt).toEqual(at(600)); // Early's 600 s, not Late's 1,200
      await checkout("Late");
      clock.advance(301); // the 300 s lease ran out
      expect(await h.ch.sweep(I)).toEqual({ reclaimed: 1, timedOut: 0, failures: [] });
      expect((await h.ch.work.get(I, id)).dueAt).toEqual(at(299));
      clock.advance(300);
      expect(await h.ch.sweep(I)).toEqual({ reclaimed: 0, timedOut: 1, failures: [] });
      expect(await lastEntry(I, id)).toMatchObject({
        event: "TIMEOUT",
        details: { deadline: { role: "Early", dueSeconds: 600 } },
      });
    });

    it("a pause stops the due clock: no deadline passes while the role is paused, and resume gives back the time left", async () => {
      const { I, start, checkout } = await newInstance();
      const waiting = await start("desk");
      clock.advance(1000);
      const held = await start("desk");
      await checkout("Desk", held);
      clock.advance(1000); // waiting has 1,600 s left, held 2,600 s
      await h.ch.instances.pause(I, { role: "Desk", by: "olga", reason: "the desk is closed" });
      clock.advance(10_000); // both would be long past due
      expect((await h.ch.sweep(I)).timedOut).toBe(0);
      expect((await h.ch.work.get(I, waiting)).status).toBe("PENDING");
      await h.ch.instances.resume(I, { role: "Desk", by: "olga" });
      expect((await h.ch.work.get(I, waiting)).dueAt).toEqual(at(1600));
      expect((await h.ch.work.get(I, held)).dueAt).toEqual(at(2600));
      expect(await invariantViolations(h.ch, I)).toEqual([]);
      clock.advance(1599);
      expect((await h.ch.work.get(I, waiting)).overdue).toBe(false);
      clock.advance(2);
      expect((await h.ch.work.get(I, waiting)).overdue).toBe(true);
      expect((await h.ch.work.list(I, { overdue: true })).map((u) => u.uowId)).toContain(waiting);
    });

    it("over HTTP: priority at start, a retryable failure with its availableAt, and the overdue filter", async () => {
      const { I } = await newInstance();
      const token = (await h.ch.actors.issueToken(I, "ops")).token;
      const started = await api.call<{ uowId: string }>("POST", `/instances/${I}/work`, {
        token,
        body: { attributes: { lane: "fixed" }, priority: 8 },
      });
      expect(started.status, started.text).toBe(201);
      const refused = await api.call<{ issues: { path: string }[] }>("POST", `/instances/${I}/work`, {
        token,
        body: { attributes: { lane: "fixed" }, priority: 12 },
      });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.text).toMatch(/priority/);
      const id = started.body.uowId;
      const unit = await api.call<{ leaseToken: string }>("POST", `/instances/${I}/checkout`, {
        token,
        body: { role: "Fixed" },
      });
      const failed = await api.call<{ status: string; availableAt: string }>(
        "POST",
        `/instances/${I}/work/${id}/fail`,
        {
          token,
          body: { leaseToken: unit.body.leaseToken, error: "timeout", retryable: true },
        },
      );
      expect(failed.status, failed.text).toBe(200);
      expect(failed.body).toMatchObject({ status: "PENDING", availableAt: at(30) });
      const shown = await api.call<{ priority: number; availableAt: string; overdue: boolean }>(
        "GET",
        `/instances/${I}/work/${id}`,
        { token },
      );
      expect(shown.body).toMatchObject({ priority: 8, availableAt: at(30), overdue: false });

      const desk = await h.ch.work.start(I, { attributes: { lane: "desk" }, actorId: "ops" });
      clock.advance(3601);
      const overdue = await api.call<{ uowId: string; overdue: boolean }[]>(
        "GET",
        // An actor token lists the units of one of its roles (docs/engine.md, "Who reads what").
        `/instances/${I}/work?role=Desk&overdue=true`,
        { token },
      );
      expect(overdue.status, overdue.text).toBe(200);
      expect(overdue.body.map((u) => [u.uowId, u.overdue])).toEqual([[desk.uowId, true]]);
    });
  });
}
