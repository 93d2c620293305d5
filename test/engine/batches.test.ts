/**
 * work.checkoutMany and work.submitMany on each engine (docs/engine.md, "Batches"): a batch
 * claims in queue order, each unit with its own lease, attempt and CHECKOUT entry; concurrent
 * batches never share a unit; a submit batch answers per unit in input order, and a unit
 * refused (lost lease, form, duplicate, stored size) leaves the others going through.
 */
import { describe, expect, it, vi } from "vitest";
import { openChameleon } from "../../src/chameleon.js";
import { ConflictError, ForbiddenError, ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { TestClock } from "../support/lab.js";

const BLUEPRINT = `
workflow: { name: Batches }
roles:
  - { name: Start, type: ALPHA }
  - { name: Work, type: BETA, strategy: HOMOGENEOUS }
  - name: Desk
    type: HUMAN
    strategy: HOMOGENEOUS
    config:
      form:
        - { key: approved, type: boolean, required: true }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: Work_Q }
  - { name: Desk_Q }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Work, role: Start, interaction: Work_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: 'lane == "work"' } } }
  - { name: Start_Desk, role: Start, interaction: Desk_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: 'lane == "desk"' } } }
  - { name: Work_In, role: Work, interaction: Work_Q, direction: INBOUND }
  - { name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }
  - { name: Desk_In, role: Desk, interaction: Desk_Q, direction: INBOUND }
  - { name: Desk_Out, role: Desk, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`checkoutMany and submitMany on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now });

    const newInstance = async () => {
      await h.ch.templates.importYaml(BLUEPRINT);
      const { instanceId } = await h.ch.instances.create({
        workflow: "Batches",
        name: uniqueName("batches"),
        actors: [
          { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Desk", "Finish"] },
          { name: "bob", type: "HUMAN", identityKey: "bob", roles: ["Start"] },
        ],
      });
      /** A unit for Work (or Desk), a second after the one before it, so that age orders them. */
      const start = async (attributes: Record<string, unknown> = {}, priority?: number) => {
        clock.advance(1);
        const started = await h.ch.work.start(instanceId, {
          attributes: { lane: "work", ...attributes },
          actorId: "ann",
          ...(priority === undefined ? {} : { priority }),
        });
        return started.uowId;
      };
      return { I: instanceId, start };
    };
    const checkoutsOf = async (I: string) =>
      (await h.ch.stores.instances.db
        .selectFrom("interaction_logs")
        .select(["uow_id"])
        .where("instance_id", "=", I)
        .where("event", "=", "CHECKOUT")
        .execute()) as { uow_id: string }[];
    const noViolations = async (I: string) => expect(await invariantViolations(h.ch, I)).toEqual([]);

    it("claims up to max in queue order (priority, then age), each with its own lease, attempt and CHECKOUT", async () => {
      const { I, start } = await newInstance();
      const old = await start();
      const urgent = await start({}, 9);
      const middle = await start();
      const young = await start();
      const late = await start({}, 7);
      clock.advance(1);
      const units = await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 4 });
      expect(units.map((u) => u.uowId)).toEqual([urgent, late, old, middle]);
      expect(new Set(units.map((u) => u.leaseToken)).size).toBe(4);
      for (const u of units) {
        expect(u).toMatchObject({ role: "Work", interaction: "Work_Q", attempt: 1 });
        expect((await h.ch.work.get(I, u.uowId)).status).toBe("ACTIVE");
        const history = await h.ch.work.history(I, u.uowId);
        expect(history.filter((e) => e.event === "CHECKOUT")).toHaveLength(1);
      }
      expect((await h.ch.work.get(I, young)).status).toBe("PENDING");
      // Fewer when fewer wait; none when none wait.
      const rest = await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 10 });
      expect(rest.map((u) => u.uowId)).toEqual([young]);
      expect(await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 10 })).toEqual([]);
      await noViolations(I);
    });

    it("hands out what it claimed when the store fails after a claim committed, and nothing is left held", async () => {
      const { I, start } = await newInstance();
      const high = [await start({}, 9), await start({}, 9)];
      const low = await start({}, 2);
      const hot = h.ch.stores.instances.dialect.hotPath;
      const feed = h.ch.stores.instances.dialect.eventFeed;
      // The claim of the first priority commits (on PostgreSQL in the gate's own statement,
      // gateAndClaim); the store then fails the second claim and the notice.
      const claimAndLog = hot.claimAndLog.bind(hot);
      const claim = vi.spyOn(hot, "claimAndLog");
      if (!hot.gateAndClaim) claim.mockImplementationOnce(claimAndLog);
      claim.mockRejectedValueOnce(new Error("the store went away"));
      const announce = feed.announce
        ? vi
            .spyOn(feed as { announce: NonNullable<typeof feed.announce> }, "announce")
            .mockRejectedValue(new Error("no notice"))
        : null;
      try {
        const units = await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 3 });
        expect(units.map((u) => u.uowId)).toEqual(high);
      } finally {
        claim.mockRestore();
        announce?.mockRestore();
      }
      const active = await h.ch.work.list(I, { status: "ACTIVE" });
      expect(active.map((u) => u.uowId).sort()).toEqual([...high].sort());
      expect((await h.ch.work.get(I, low)).status).toBe("PENDING");
      await noViolations(I);
    });

    it("a paused role gives nothing, an actor without the role is refused, a bad max writes nothing", async () => {
      const { I, start } = await newInstance();
      const id = await start();
      await h.ch.instances.pause(I, { role: "Work", by: "ops" });
      expect(await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 5 })).toEqual([]);
      await h.ch.instances.resume(I, { role: "Work", by: "ops" });
      await h.ch.instances.pause(I, { by: "ops" });
      expect(await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 5 })).toEqual([]);
      await h.ch.instances.resume(I, { by: "ops" });
      await expect(h.ch.work.checkoutMany(I, { role: "Work", actorId: "bob", max: 5 })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      for (const max of [0, 101, 2.5, "3", undefined]) {
        const refused = h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max });
        await expect(refused).rejects.toBeInstanceOf(ValidationError);
        await expect(refused).rejects.toThrow(/max/);
      }
      expect((await h.ch.work.get(I, id)).status).toBe("PENDING");
      expect(await checkoutsOf(I)).toEqual([]);
      await noViolations(I);
    });

    it("two concurrent batches never take the same unit", async () => {
      const { I, start } = await newInstance();
      const ids = [];
      for (let i = 0; i < 30; i++) ids.push(await start());
      const batch = () => h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 20 });
      const [a, b] = await Promise.all([batch(), batch()]);
      const taken = [...a, ...b].map((u) => u.uowId);
      expect(taken).toHaveLength(30);
      expect(new Set(taken).size).toBe(30);
      expect((await checkoutsOf(I)).length).toBe(30);
      await noViolations(I);
    });

    it.skipIf(engine.name === "sqlite")("two processes' batches never take the same unit", async () => {
      const { I, start } = await newInstance();
      for (let i = 0; i < 40; i++) await start();
      const other = await openChameleon({
        templatesUrl: h.fresh.templatesUrl,
        instancesUrl: h.fresh.instancesUrl,
        clock: clock.now,
      });
      try {
        const taken: string[] = [];
        const drain = async (ch: typeof other) => {
          for (;;) {
            const units = await ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 7 });
            if (units.length === 0) return;
            taken.push(...units.map((u) => u.uowId));
          }
        };
        await Promise.all([drain(h.ch), drain(other), drain(h.ch), drain(other)]);
        expect(taken).toHaveLength(40);
        expect(new Set(taken).size).toBe(40);
      } finally {
        await other.close();
      }
      await noViolations(I);
    });

    it("answers in input order; a lost lease is a ConflictError while the others are submitted", async () => {
      const { I, start } = await newInstance();
      for (let i = 0; i < 4; i++) await start({ n: i });
      const units = await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 4 });
      const lost = units[1]!;
      await h.ch.work.release(I, { uowId: lost.uowId, leaseToken: lost.leaseToken, actorId: "ann" });
      const submits = [...units]
        .reverse()
        .map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "ann", attributes: { done: u.uowId } }));
      const results = await h.ch.work.submitMany(I, submits);
      expect(results.map((r) => r.uowId)).toEqual(submits.map((s) => s.uowId));
      for (const [i, r] of results.entries()) {
        if (r.uowId === lost.uowId) {
          expect(r).toMatchObject({ ok: false, error: { name: ConflictError.name } });
          continue;
        }
        expect(r).toMatchObject({ ok: true, result: { uowId: submits[i]!.uowId, interaction: "Done" } });
        const history = await h.ch.work.history(I, r.uowId);
        expect(history.filter((e) => e.event === "SUBMIT")).toHaveLength(1);
        const versions = await h.ch.work.attributeHistory(I, r.uowId, { key: "done" });
        expect(versions.map((v) => [v.version, v.value])).toEqual([[1, r.uowId]]);
      }
      const kept = await h.ch.work.get(I, lost.uowId);
      expect(kept).toMatchObject({ status: "PENDING", interaction: "Work_Q" });
      expect(kept.attributes).not.toHaveProperty("done");
      // The three that went through passed Cerberus: each base unit is its own released set.
      const sets = await h.ch.work.checkoutMany(I, { role: "Finish", actorId: "ann", max: 10 });
      expect(sets.map((u) => u.uowId).sort()).toEqual(
        results
          .filter((r) => r.ok)
          .map((r) => r.uowId)
          .sort(),
      );
      for (const u of sets) expect(u.set?.map((m) => m.uowId)).toEqual([u.uowId]);
      await noViolations(I);
    });

    it("a form violation and a duplicate are refused per unit; a repeat answers alreadyDone", async () => {
      const { I, start } = await newInstance();
      for (let i = 0; i < 3; i++) await start({ lane: "desk" });
      const units = await h.ch.work.checkoutMany(I, { role: "Desk", actorId: "ann", max: 3 });
      expect(units).toHaveLength(3);
      const [a, b, c] = units.map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "ann" }));
      const submits = [
        { ...a!, attributes: { approved: true } },
        { ...b!, attributes: {} },
        { ...c!, attributes: { approved: false } },
        { ...a!, attributes: { approved: false } },
      ];
      const results = await h.ch.work.submitMany(I, submits);
      expect(results.map((r) => [r.uowId, r.ok])).toEqual([
        [a!.uowId, true],
        [b!.uowId, false],
        [c!.uowId, true],
        [a!.uowId, false],
      ]);
      expect(results[1]).toMatchObject({ error: { name: ValidationError.name, message: /approved is required/ } });
      expect(results[3]).toMatchObject({ error: { name: ValidationError.name, message: /already submitted/ } });
      expect((await h.ch.work.get(I, a!.uowId)).attributes).toMatchObject({ approved: true });
      expect((await h.ch.work.get(I, b!.uowId)).status).toBe("ACTIVE");

      // The same leases again: the ones done answer alreadyDone, the one refused is refused again.
      const again = await h.ch.work.submitMany(I, submits.slice(0, 3));
      expect(again[0]).toMatchObject({ ok: true, result: { uowId: a!.uowId, alreadyDone: true } });
      expect(again[1]).toMatchObject({ ok: false });
      expect(again[2]).toMatchObject({ ok: true, result: { uowId: c!.uowId, alreadyDone: true } });
      for (const id of [a!.uowId, c!.uowId]) {
        expect((await h.ch.work.history(I, id)).filter((e) => e.event === "SUBMIT")).toHaveLength(1);
      }
      await noViolations(I);
    });

    it("children of one parent submitted in one batch each count for Cerberus, which releases the set once", async () => {
      const { instanceId: I } = await h.ch.instances.create({
        workflow: "Invoice_Approval",
        name: uniqueName("batch_cerberus"),
        actors: [
          {
            name: "bot",
            type: "AI_AGENT",
            identityKey: "bot",
            roles: ["Intake", "Splitter", "Line_Checker", "Reconciler"],
          },
        ],
      });
      const { uowId: invoice } = await h.ch.work.start(I, {
        attributes: { total: 30, lines: [1, 2, 3] },
        actorId: "bot",
      });
      const split = (await h.ch.work.checkout(I, { role: "Splitter", actorId: "bot" }))!;
      const { children } = await h.ch.work.submit(I, {
        uowId: invoice,
        leaseToken: split.leaseToken,
        actorId: "bot",
        children: [1, 2, 3].map((line) => ({ attributes: { line, price: 10, qty: 1 } })),
      });
      const lines = await h.ch.work.checkoutMany(I, { role: "Line_Checker", actorId: "bot", max: 10 });
      expect(lines.map((u) => u.uowId).sort()).toEqual([...children!].sort());
      // Two lines in one batch: the set waits for the third.
      const two = await h.ch.work.submitMany(
        I,
        lines.slice(0, 2).map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "bot" })),
      );
      expect(two.every((r) => r.ok)).toBe(true);
      expect(await h.ch.work.checkoutMany(I, { role: "Reconciler", actorId: "bot", max: 5 })).toEqual([]);
      expect((await h.ch.work.get(I, invoice)).finishedChildCount).toBe(2);
      const last = lines[2]!;
      await h.ch.work.submitMany(I, [{ uowId: last.uowId, leaseToken: last.leaseToken, actorId: "bot" }]);
      const sets = await h.ch.work.checkoutMany(I, { role: "Reconciler", actorId: "bot", max: 5 });
      expect(sets).toHaveLength(1);
      expect(sets[0]!.set?.map((m) => m.uowId).sort()).toEqual([invoice, ...children!].sort());
      await noViolations(I);
    });

    it("submits a batch of large submits larger together than one statement may be (MariaDB's packet)", async () => {
      await h.ch.templates.importYaml(BLUEPRINT);
      const { instanceId: I } = await h.ch.instances.create({
        workflow: "Batches",
        name: uniqueName("batch_bytes"),
        actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
      });
      // 24 submits of 0.9 MB each: 21.6 MB of values, over MariaDB's default 16 MiB packet.
      const count = 24;
      for (let i = 0; i < count; i++) await h.ch.work.start(I, { attributes: { lane: "work" }, actorId: "ann" });
      const units = await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: count });
      expect(units).toHaveLength(count);
      const blob = "b".repeat(900_000);
      const results = await h.ch.work.submitMany(
        I,
        units.map((u) => ({ uowId: u.uowId, leaseToken: u.leaseToken, actorId: "ann", attributes: { blob } })),
      );
      expect(results.filter((r) => !r.ok)).toEqual([]);
      for (const u of units.slice(0, 3)) {
        const unit = await h.ch.work.get(I, u.uowId);
        expect(unit.interaction).toBe("Done");
        expect((unit.attributes.blob as string).length).toBe(blob.length);
      }
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    }, 60_000);

    it("refuses a batch of none or of over 100 submits, naming submits", async () => {
      const { I } = await newInstance();
      for (const submits of [[], Array.from({ length: 101 }, () => ({}))]) {
        await expect(h.ch.work.submitMany(I, submits)).rejects.toThrow(/submits/);
      }
    });
  });

  describe.skipIf(engine.skipReason !== null)(`submitMany over the stored size on ${engine.name}`, () => {
    const h = useChameleon(engine, { maxSubmitBytes: 2_048 });

    it("refuses the submit over the limit and lets the others go through", async () => {
      await h.ch.templates.importYaml(BLUEPRINT);
      const { instanceId: I } = await h.ch.instances.create({
        workflow: "Batches",
        name: uniqueName("batch_size"),
        actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
      });
      for (let i = 0; i < 3; i++) await h.ch.work.start(I, { attributes: { lane: "work" }, actorId: "ann" });
      const units = await h.ch.work.checkoutMany(I, { role: "Work", actorId: "ann", max: 3 });
      const lease = (i: number) => ({ uowId: units[i]!.uowId, leaseToken: units[i]!.leaseToken, actorId: "ann" });
      // Over the limit in its data alone (refused before any read) ...
      const big = "x".repeat(3_000);
      // ... and over it only once the reasoning is stored on each of its versions (found while writing).
      const wide = Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`k${k}`, k]));
      const results = await h.ch.work.submitMany(I, [
        { ...lease(0), attributes: { note: "small" } },
        { ...lease(1), attributes: { blob: big } },
        { ...lease(2), attributes: wide, reasoning: "r".repeat(400) },
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false, false]);
      for (const r of results.slice(1)) expect(r).toMatchObject({ error: { name: "PayloadTooLargeError" } });
      expect((await h.ch.work.get(I, units[0]!.uowId)).interaction).toBe("Done");
      for (const i of [1, 2]) expect((await h.ch.work.get(I, units[i]!.uowId)).status).toBe("ACTIVE");
      expect(await invariantViolations(h.ch, I)).toEqual([]);
    });
  });
}
