/**
 * The instance overview through the library, on a clock the test moves: units by status per
 * interaction and role, waiting units and the oldest one's age, holders by name, failures of
 * the last hour with their reasons, finalized units per minute, totals; the short cache; the
 * instance graph drawn from the instance store with those counts and one unit marked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../src/errors.js";
import type { InstanceOverview } from "../../src/engine/overview.js";
import { engines } from "../support/engines.js";
import { example, uniqueName, useChameleon } from "../support/fixtures.js";
import { step, TestClock } from "../support/lab.js";

const zeros = () => new Array<number>(60).fill(0);
const statuses = (s: Partial<Record<string, number>>) => ({
  PENDING: 0,
  ACTIVE: 0,
  COMPLETED: 0,
  FAILED: 0,
  TIMEOUT: 0,
  FINALIZED: 0,
  ...s,
});

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the instance overview on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now });
    let inst: string;
    const t0 = clock.ms;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      inst = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: uniqueName("overview"),
          actors: [
            { name: "Ada", type: "HUMAN", identityKey: "ada@example.com", roles: ["Start", "Work", "Finish"] },
            { name: "Bob", type: "AI_AGENT", identityKey: "bob", roles: ["Work"] },
          ],
        })
      ).instanceId;
      // t0: a..e; t0+30 s: f, g.
      const first = await h.ch.work.startMany(
        inst,
        ["a", "b", "c", "d", "e"].map((n) => ({ attributes: { n } })),
      );
      clock.advance(30);
      const second = await h.ch.work.startMany(
        inst,
        ["f", "g"].map((n) => ({ attributes: { n } })),
      );
      [...first, ...second].forEach((u, i) => (ids["abcdefg"[i]!] = u.uowId));
      const a = await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" });
      const b = await h.ch.work.checkout(inst, { role: "Work", actorId: "Bob" });
      const c = await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" });
      expect([a!.uowId, b!.uowId, c!.uowId]).toEqual([ids.a, ids.b, ids.c]);
      clock.advance(10); // t0+40 s
      await h.ch.work.fail(inst, {
        uowId: a!.uowId,
        leaseToken: a!.leaseToken,
        actorId: "Ada",
        error: "printer on fire",
      });
      await h.ch.work.submit(inst, { uowId: b!.uowId, leaseToken: b!.leaseToken, actorId: "Bob" });
      await step(h.ch, inst, "Finish", "Ada", {}, ids.b); // b finalized at t0+40 s
      clock.advance(300); // t0+340 s
      await h.ch.work.submit(inst, { uowId: c!.uowId, leaseToken: c!.leaseToken, actorId: "Ada" });
      await step(h.ch, inst, "Finish", "Ada", {}, ids.c); // c finalized at t0+340 s
      const d = await h.ch.work.checkout(inst, { role: "Work", actorId: "Bob" });
      expect(d!.uowId).toBe(ids.d);
      clock.advance(60); // t0+400 s
    });

    const fresh = () => h.ch.instances.overview(inst, { maxAgeSeconds: 0, finalizedMaxAgeSeconds: 0 });
    const interaction = (o: InstanceOverview, name: string) => o.interactions.find((i) => i.name === name)!;
    const role = (o: InstanceOverview, name: string) => o.roles.find((r) => r.name === name)!;

    it("counts units by status, waiting, the oldest age and holders per interaction", async () => {
      const o = await fresh();
      // The engine's clock is the test's moved by the database's offset (a millisecond or so).
      expect(Math.abs(o.generatedAt.getTime() - (t0 + 400_000))).toBeLessThan(1000);
      expect(o.instance.instanceId).toBe(inst);
      const bob = { actorName: "Bob", count: 1 };
      expect(interaction(o, "Todo")).toMatchObject({
        kind: "queue",
        workflow: "Minimal",
        staleLimitSeconds: 600,
        byStatus: statuses({ PENDING: 3, ACTIVE: 1 }),
        waiting: 3,
        oldestWaitingSeconds: 400, // e, waiting since t0
        held: [bob],
        failuresLastHour: 1,
        finalizedLastHour: 0,
      });
      expect(interaction(o, "Errors")).toMatchObject({
        kind: "errors",
        byStatus: statuses({ FAILED: 1 }),
        waiting: 1,
        oldestWaitingSeconds: 360,
        held: [],
      });
      expect(interaction(o, "Done")).toMatchObject({
        kind: "cerberus",
        byStatus: statuses({ FINALIZED: 2 }),
        waiting: 0,
        oldestWaitingSeconds: null,
        finalizedLastHour: 2,
      });
      expect(interaction(o, "Stale")).toMatchObject({ byStatus: statuses({}), waiting: 0, oldestWaitingSeconds: null });
    });

    it("counts per role: its INBOUND interactions' units, its holders, its failures and finalizations", async () => {
      const o = await fresh();
      expect(role(o, "Work")).toMatchObject({
        type: "BETA",
        interactions: ["Todo"],
        byStatus: statuses({ PENDING: 3, ACTIVE: 1 }),
        waiting: 3,
        oldestWaitingSeconds: 400,
        held: [{ actorName: "Bob", count: 1 }],
        failuresLastHour: 1,
        finalizedLastHour: 0,
      });
      expect(role(o, "Repair")).toMatchObject({ waiting: 1, oldestWaitingSeconds: 360, failuresLastHour: 0 });
      expect(role(o, "Finish")).toMatchObject({ finalizedLastHour: 2, held: [] });
      expect(role(o, "Start")).toMatchObject({ interactions: [], waiting: 0, byStatus: statuses({}) });
    });

    it("gives totals, finalized per minute over the last hour and the latest failures with reasons", async () => {
      const o = await fresh();
      // t0 starts a minute; at t0+400 s (minute 6) the window is minutes -53 to 6: b (t0+40 s,
      // minute 0) is counted at 53, c (t0+340 s, minute 5) at 58.
      expect(o.windowStart.getTime()).toBe(t0 - 53 * 60_000);
      const perMinute = zeros();
      perMinute[53] = 1;
      perMinute[58] = 1;
      expect(o.totals).toMatchObject({
        units: 7,
        byStatus: statuses({ PENDING: 3, ACTIVE: 1, FAILED: 1, FINALIZED: 2 }),
        waiting: 4,
        oldestWaitingSeconds: 400,
        failuresLastHour: 1,
        finalizedLastHour: 2,
        finalizedPerMinute: perMinute,
      });
      expect(o.totals.held).toEqual([{ actorId: expect.any(String), actorName: "Bob", count: 1 }]);
      expect(interaction(o, "Done").finalizedPerMinute).toEqual(perMinute);
      expect(role(o, "Finish").finalizedPerMinute).toEqual(perMinute);
      expect(interaction(o, "Todo").finalizedPerMinute).toEqual(zeros());
      expect(o.recentFailures).toEqual([
        {
          uowId: ids.a,
          event: "FAIL",
          role: "Work",
          interaction: "Todo",
          actorName: "Ada",
          reason: "printer on fire",
          at: expect.any(Date),
        },
      ]);
      expect(o.generatedAt.getTime() - o.recentFailures[0]!.at.getTime()).toBe(360_000);
    });

    it("keeps an overview for maxAgeSeconds (default 2 s) and reads anew with 0", async () => {
      const kept = await h.ch.instances.overview(inst);
      await h.ch.work.start(inst, { actorId: "Ada", attributes: { n: "h" } });
      const again = await h.ch.instances.overview(inst);
      expect(again).toBe(kept);
      expect(again.totals.units).toBe(kept.totals.units);
      const now = await fresh();
      expect(now.totals.units).toBe(kept.totals.units + 1);
    });

    it("counts FINALIZED units apart, kept for finalizedMaxAgeSeconds (default 60 s)", async () => {
      const before = await fresh();
      expect(before.totals.byStatus.FINALIZED).toBe(2);
      expect(before.finalizedCountedAt).toEqual(before.generatedAt);
      const e = await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" });
      await h.ch.work.submit(inst, { uowId: e!.uowId, leaseToken: e!.leaseToken, actorId: "Ada" });
      await step(h.ch, inst, "Finish", "Ada", {}, e!.uowId);
      // The other statuses are counted at every read; the FINALIZED ones are the kept count.
      const kept = await h.ch.instances.overview(inst, { maxAgeSeconds: 0 });
      expect(kept.totals.byStatus.FINALIZED).toBe(2);
      expect(kept.totals.byStatus.PENDING).toBe(before.totals.byStatus.PENDING - 1);
      expect(kept.totals.finalizedLastHour).toBe(3);
      expect(kept.finalizedCountedAt).toEqual(before.finalizedCountedAt);
      // Kept counts older than finalizedMaxAgeSeconds still answer, while a recount runs for the next call.
      await new Promise((r) => setTimeout(r, 5));
      const stale = await h.ch.instances.overview(inst, { maxAgeSeconds: 0, finalizedMaxAgeSeconds: 0.001 });
      expect(stale.totals.byStatus.FINALIZED).toBe(2);
      let recounted = stale;
      for (let i = 0; i < 200 && recounted.totals.byStatus.FINALIZED === 2; i++) {
        await new Promise((r) => setTimeout(r, 10));
        recounted = await h.ch.instances.overview(inst, { maxAgeSeconds: 0, finalizedMaxAgeSeconds: 3600 });
      }
      expect(recounted.totals.byStatus.FINALIZED).toBe(3);
      expect(recounted.finalizedCountedAt.getTime()).toBeGreaterThanOrEqual(stale.generatedAt.getTime());
      const now = await fresh();
      expect(now.totals.byStatus.FINALIZED).toBe(3);
      expect(interaction(now, "Done").byStatus.FINALIZED).toBe(3);
      ids.e = e!.uowId;
    });

    it("drops what left the hour as the clock moves on", async () => {
      clock.advance(3300); // t0+3,700 s, minute 61: the window starts at minute 2 (t0+120 s)
      try {
        const o = await fresh();
        const perMinute = zeros();
        perMinute[3] = 1; // c, at t0+340 s (minute 5)
        perMinute[4] = 1; // e, at t0+400 s (minute 6)
        expect(o.totals.finalizedPerMinute).toEqual(perMinute);
        expect(o.totals.finalizedLastHour).toBe(2);
        expect(o.totals.failuresLastHour).toBe(0);
        expect(o.recentFailures).toEqual([]);
        expect(interaction(o, "Todo").oldestWaitingSeconds).toBe(3670); // f, since t0+30 s
        expect(interaction(o, "Errors").oldestWaitingSeconds).toBe(3660);
      } finally {
        clock.advance(-3300);
      }
    });

    it("refuses bad options and unknown instances, naming what is wrong", async () => {
      await expect(h.ch.instances.overview(inst, { maxAgeSeconds: -1 })).rejects.toThrow(ValidationError);
      await expect(h.ch.instances.overview(inst, { maxAge: 1 })).rejects.toThrow(/maxAge/);
      await expect(h.ch.instances.overview("no-such-instance")).rejects.toThrow(NotFoundError);
      await expect(h.ch.instances.graph(inst, { format: "png" })).rejects.toThrow(/format/);
      await expect(h.ch.instances.graph(inst, { uow: "not-an-id" })).rejects.toThrow(/uow/);
      await expect(h.ch.instances.graph(inst, { workflow: "Nope" })).rejects.toThrow(/no workflow 'Nope'.*Minimal/);
      await expect(h.ch.instances.graph(inst, { uow: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(
        NotFoundError,
      );
    });

    it("draws the instance's graph with the counts on each interaction, and a unit marked", async () => {
      const dot = await h.ch.instances.graph(inst, { format: "dot", maxAgeSeconds: 0 });
      expect(dot).toContain("instance overview_");
      expect(dot).toMatch(/Todo\\nstale after 600 s\\n3 waiting \(oldest 6m 10s\), 1 held\\n1 failed in the last hour/);
      expect(dot).toMatch(/Done\\n0 waiting, 0 held\\n3 finalized in the last hour/);
      expect(dot).not.toContain("fillcolor");
      const marked = await h.ch.instances.graph(inst, { format: "dot", uow: ids.d });
      // d is held by Bob for Work: its interaction and its role are marked.
      const markedLines = marked.split("\n").filter((l) => l.includes("fillcolor"));
      expect(markedLines).toHaveLength(2);
      expect(markedLines.some((l) => l.includes('"Todo'))).toBe(true);
      expect(markedLines.some((l) => l.includes('"Work'))).toBe(true);
      expect(marked).toContain(`unit ${ids.d} (ACTIVE)`);
      const mermaid = await h.ch.instances.graph(inst, { format: "mermaid", uow: ids.e });
      expect(mermaid).toMatch(/^flowchart LR/);
      expect(mermaid).toMatch(/class i\d+ marked/);
      const svg = await h.ch.instances.graph(inst, { format: "svg", uow: ids.e });
      expect(svg).toMatch(/<svg[\s\S]*3 waiting/);
    });

    it("draws from the instance store: a newer blueprint version does not change the instance's graph", async () => {
      const v2 = example("minimal.yml").replace(
        "{ name: Todo, stale_token_limit_seconds: 600 }",
        "{ name: Todo, stale_token_limit_seconds: 900 }",
      );
      const imported = await h.ch.templates.importYaml(v2);
      expect(imported.workflows[0]!.created).toBe(true);
      expect(await h.ch.templates.graph("Minimal", { format: "dot" })).toContain("stale after 900 s");
      const dot = await h.ch.instances.graph(inst, { format: "dot" });
      expect(dot).toContain("stale after 600 s");
      expect(dot).not.toContain("stale after 900 s");
      const versions = await h.ch.templates.versions("Minimal");
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      await expect(h.ch.templates.versions("Nope")).rejects.toThrow(NotFoundError);
    });
  });
}

const SHARED = `workflow: { name: Shared_Queue }
roles:
  - { name: Start, type: ALPHA }
  - { name: Work, type: BETA, strategy: HOMOGENEOUS }
  - { name: Check, type: BETA, strategy: HOMOGENEOUS }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: Todo }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Out, role: Start, interaction: Todo, direction: OUTBOUND }
  - { name: Work_In, role: Work, interaction: Todo, direction: INBOUND }
  - { name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }
  - { name: Check_In, role: Check, interaction: Todo, direction: INBOUND }
  - { name: Check_Out, role: Check, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the overview of gateways and shared queues on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const read = (inst: string) => h.ch.instances.overview(inst, { maxAgeSeconds: 0, finalizedMaxAgeSeconds: 0 });

    it("counts a unit in a SIGMA gateway as waiting, held by SYSTEM for the SIGMA role; nested workflows follow the master", async () => {
      const inst = (
        await h.ch.instances.create({
          workflow: "Order_Fulfilment",
          name: uniqueName("gateway"),
          actors: [{ name: "Pat", type: "AI_AGENT", identityKey: "pat", roles: ["Order_Desk", "Picker"] }],
        })
      ).instanceId;
      const { uowId } = await h.ch.work.start(inst, { actorId: "Pat", attributes: { order: 1 } });
      await step(h.ch, inst, "Picker", "Pat", {}, uowId);
      const o = await read(inst);
      const gateway = o.interactions.find((i) => i.name === "To_Ship")!;
      expect(gateway).toMatchObject({ kind: "gateway", waiting: 1, byStatus: statuses({ ACTIVE: 1 }) });
      expect(gateway.held).toEqual([{ actorId: expect.any(String), actorName: "SYSTEM", count: 1 }]);
      expect(o.roles.find((r) => r.name === "Ship")!.held).toMatchObject([{ actorName: "SYSTEM", count: 1 }]);
      expect(o.interactions.find((i) => i.name === "To_Pack")).toMatchObject({ workflow: "Shipping", waiting: 1 });
      const workflows = o.interactions.map((i) => i.workflow);
      expect(workflows.indexOf("Shipping")).toBe(workflows.lastIndexOf("Order_Fulfilment") + 1);
      expect(o.totals).toMatchObject({ units: 2, waiting: 2 });

      const nested = await h.ch.instances.graph(inst, { format: "dot", workflow: "Shipping" });
      expect(nested).toMatch(/To_Pack\\n1 waiting/);
      const copy = (await h.ch.work.get(inst, uowId)).nestedCopy!;
      const marked = await h.ch.instances.graph(inst, { format: "dot", uow: copy });
      expect(marked).toContain("workflow Shipping");
      expect(marked.split("\n").filter((l) => l.includes("fillcolor"))).toEqual([expect.stringContaining('"To_Pack')]);
      await expect(h.ch.instances.graph(inst, { uow: uowId, workflow: "Shipping" })).rejects.toThrow(
        /is in workflow 'Order_Fulfilment'/,
      );
    });

    it("counts a unit of an interaction several roles consume for the role it was checked out for", async () => {
      await h.ch.templates.importYaml(SHARED);
      const inst = (
        await h.ch.instances.create({
          workflow: "Shared_Queue",
          name: uniqueName("shared"),
          actors: [
            { name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Start", "Work", "Check"] },
            { name: "Bob", type: "HUMAN", identityKey: "bob", roles: ["Check"] },
          ],
        })
      ).instanceId;
      await h.ch.work.startMany(
        inst,
        [1, 2, 3].map((n) => ({ actorId: "Ada", attributes: { n } })),
      );
      await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" });
      await h.ch.work.checkout(inst, { role: "Check", actorId: "Ada" });
      await h.ch.work.checkout(inst, { role: "Check", actorId: "Bob" });
      const o = await read(inst);
      const held = (name: string) =>
        o.roles.find((r) => r.name === name)!.held.map((x) => [x.actorName, x.count] as const);
      expect(held("Work")).toEqual([["Ada", 1]]);
      expect(held("Check")).toEqual([
        ["Ada", 1],
        ["Bob", 1],
      ]);
      expect(o.interactions.find((i) => i.name === "Todo")!.held.map((x) => [x.actorName, x.count])).toEqual([
        ["Ada", 2],
        ["Bob", 1],
      ]);
      expect(o.roles.find((r) => r.name === "Work")!.byStatus).toEqual(statuses({ ACTIVE: 3 }));
    });

    it("lists units an INBOUND guardian refused beside failed ones, newest first, with the guardian's reason", async () => {
      await h.ch.templates.importYaml(
        SHARED.replace("Shared_Queue", "Gated_Queue").replace(
          "{ name: Work_In, role: Work, interaction: Todo, direction: INBOUND }",
          '{ name: Work_In, role: Work, interaction: Todo, direction: INBOUND, guardian: { type: CRITERIA_GATE, config: { condition: "n > 0" } } }',
        ),
      );
      const inst = (
        await h.ch.instances.create({
          workflow: "Gated_Queue",
          name: uniqueName("gated"),
          actors: [{ name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Start", "Work", "Check"] }],
        })
      ).instanceId;
      const [zero, one] = await h.ch.work.startMany(
        inst,
        [0, 1].map((n) => ({ actorId: "Ada", attributes: { n } })),
      );
      const c = await h.ch.work.checkout(inst, { role: "Check", actorId: "Ada", uowId: one!.uowId });
      await h.ch.work.fail(inst, { uowId: c!.uowId, leaseToken: c!.leaseToken, actorId: "Ada", error: "smudged" });
      // Work's guardian refuses the unit with n = 0: it goes down the Ate path, and nothing is left.
      expect(await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" })).toBeNull();
      const o = await read(inst);
      expect(o.recentFailures.map((f) => [f.uowId, f.event, f.role, f.interaction])).toEqual([
        [zero!.uowId, "REJECT", "Work", "Todo"],
        [one!.uowId, "FAIL", "Check", "Todo"],
      ]);
      expect(o.recentFailures[0]!.reason).toMatch(/'n > 0' is false/);
      expect(o.recentFailures[1]!.reason).toBe("smudged");
      expect(o.interactions.find((i) => i.name === "Todo")!.failuresLastHour).toBe(2);
      expect(o.roles.find((r) => r.name === "Work")!.failuresLastHour).toBe(1);
      expect(o.roles.find((r) => r.name === "Check")!.failuresLastHour).toBe(1);
      expect(o.interactions.find((i) => i.name === "Errors")).toMatchObject({ waiting: 2, failuresLastHour: 0 });
    });
  });
}
