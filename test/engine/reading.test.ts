/**
 * Reading work as a person reads it, through the library: work.list's filters, `where` checked
 * as guardians check it over keyset batches with a scan budget, sorting both ways, `after`
 * pages, chosen attributes, holder and lease on every row; work.get's holder and links;
 * history rows with actor names and reasoning; attribute history with actor names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors.js";
import { LIST_SCAN_BUDGET, type UnitListRow, type UnitPage } from "../../src/engine/queries.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";

type Chameleon = ReturnType<typeof useChameleon>["ch"];

/** Every page of a listing, following nextAfter. */
async function allPages(ch: Chameleon, inst: string, filter: Record<string, unknown>): Promise<UnitListRow[][]> {
  const pages: UnitListRow[][] = [];
  let after: string | null | undefined = undefined;
  for (let i = 0; i < 1000; i++) {
    const page: UnitPage = await ch.work.list(inst, { ...filter, ...(after ? { after } : {}) });
    pages.push([...page]);
    after = page.nextAfter;
    if (after === null) return pages;
  }
  throw new Error("no last page");
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`reading work on ${engine.name}`, () => {
    const h = useChameleon(engine);
    let inst: string;
    /** uowId → n of the 250 units, n = 0..249: amount n*100, vendor ACME for even n. */
    const numbers = new Map<string, number>();

    beforeAll(async () => {
      inst = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: uniqueName("reading"),
          actors: [
            { name: "Ada", type: "HUMAN", identityKey: "ada@example.com", roles: ["Work"] },
            { name: "Bot", type: "AI_AGENT", identityKey: "bot", roles: ["Work"] },
          ],
        })
      ).instanceId;
      for (let i = 0; i < 250; i += 50) {
        // Batches at different times, so that created_at both differs and ties.
        const made = await h.ch.work.startMany(
          inst,
          Array.from({ length: 50 }, (_, j) => {
            const n = i + j;
            return { attributes: { n, amount: n * 100, vendor: n % 2 === 0 ? "ACME" : "Other" } };
          }),
        );
        made.forEach((u, j) => numbers.set(u.uowId, i + j));
      }
    });

    it("pages through 250 units with a where filter, exactly the units the condition passes, in order", async () => {
      const where = "amount > 5000 and vendor == 'ACME'";
      const pages = await allPages(h.ch, inst, { where, limit: 20 });
      const seen = pages.flat();
      const everything = await h.ch.work.list(inst, {});
      expect(everything).toHaveLength(250);
      const expected = everything.filter((u) => {
        const n = numbers.get(u.uowId)!;
        return n * 100 > 5000 && n % 2 === 0;
      });
      expect(expected).toHaveLength(99);
      expect(seen.map((u) => u.uowId)).toEqual(expected.map((u) => u.uowId));
      expect(pages.slice(0, -1).every((p) => p.length === 20)).toBe(true);
      expect(pages).toHaveLength(5);
      // Creation order, then unit id.
      const keys = seen.map((u) => [u.createdAt.getTime(), u.uowId] as const);
      const sorted = [...keys].sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
      expect(keys).toEqual(sorted);
    });

    it("sorts by a unit column both ways, and pages in either order through every unit once", async () => {
      // Two units checked out (attempt 1), so that attempt both differs and ties.
      const one = await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" });
      const two = await h.ch.work.checkout(inst, { role: "Work", actorId: "Bot" });
      for (const sort of ["createdAt", "attempt", "updatedAt", "enteredInteractionAt"] as const) {
        const asc = (await allPages(h.ch, inst, { sort, limit: 33 })).flat();
        const desc = (await allPages(h.ch, inst, { sort, order: "desc", limit: 33 })).flat();
        expect(asc).toHaveLength(250);
        expect(new Set(asc.map((u) => u.uowId)).size).toBe(250);
        const key = (u: UnitListRow) => (sort === "attempt" ? u.attempt : u[sort].getTime());
        const ordered = [...asc].sort((a, b) => cmp(key(a), key(b)) || cmp(a.uowId, b.uowId));
        expect(asc.map((u) => u.uowId)).toEqual(ordered.map((u) => u.uowId));
        expect(desc.map((u) => u.uowId)).toEqual([...ordered].reverse().map((u) => u.uowId));
      }
      const byAttempt = await h.ch.work.list(inst, { sort: "attempt", order: "desc", limit: 2 });
      expect(new Set(byAttempt.map((u) => u.uowId))).toEqual(new Set([one!.uowId, two!.uowId]));
      expect(byAttempt.nextAfter).toBe(byAttempt[1]!.uowId);
    });

    it("names the holder and the lease expiry on every row, filters by holder, and shows them in work.get", async () => {
      const held = await h.ch.work.held(inst, { actorId: "Ada" });
      expect(held).toHaveLength(1);
      const rows = await h.ch.work.list(inst, { heldBy: "Ada" });
      expect(rows.map((u) => u.uowId)).toEqual([held[0]!.uowId]);
      expect(rows[0]).toMatchObject({ heldBy: "Ada", status: "ACTIVE", attempt: 1 });
      expect(rows[0]!.leaseExpiresAt?.getTime()).toBe(held[0]!.leaseExpiresAt.getTime());
      const unit = await h.ch.work.get(inst, held[0]!.uowId);
      expect(unit).toMatchObject({ heldBy: "Ada", attempt: 1, children: [], nestedCopy: null, nestedOriginal: null });
      expect(unit.leaseExpiresAt?.getTime()).toBe(held[0]!.leaseExpiresAt.getTime());
      const waiting = await h.ch.work.list(inst, { status: "PENDING", limit: 1 });
      expect(waiting[0]).toMatchObject({ heldBy: null, leaseExpiresAt: null });
    });

    it("adds the chosen attribute values to each row, only the keys a unit has", async () => {
      const rows = await h.ch.work.list(inst, { attributes: ["amount", "missing", "_sigma_copy"], limit: 3 });
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.attributes).toEqual({ amount: numbers.get(row.uowId)! * 100 });
      const plain = await h.ch.work.list(inst, { limit: 1 });
      expect(plain[0]!.attributes).toBeUndefined();
      // "*": every attribute the unit has, engine keys left out.
      const all = await h.ch.work.list(inst, { attributes: ["*"], limit: 2 });
      for (const row of all) {
        const n = numbers.get(row.uowId)!;
        expect(row.attributes).toEqual({ n, amount: n * 100, vendor: n % 2 === 0 ? "ACME" : "Other" });
      }
    });

    it("lists a role's waiting units, and with includeHeld those of its interactions someone holds", async () => {
      const waiting = await h.ch.work.list(inst, { role: "Work" });
      expect(waiting.every((u) => u.status === "PENDING")).toBe(true);
      const inbox = await h.ch.work.list(inst, { role: "Work", includeHeld: true });
      const held = inbox.filter((u) => u.status === "ACTIVE");
      expect(held.length).toBeGreaterThan(0);
      expect(held.every((u) => u.heldBy !== null && u.interaction === "Todo")).toBe(true);
      expect(inbox.length).toBe(waiting.length + held.length);
      await expect(h.ch.work.list(inst, { includeHeld: true })).rejects.toThrow(/includeHeld .*give role/);
    });

    it("filters by created and entered ranges", async () => {
      const all = await h.ch.work.list(inst, {});
      const times = [...new Set(all.map((u) => u.createdAt.getTime()))].sort((a, b) => a - b);
      expect(times.length).toBeGreaterThan(1);
      const cut = new Date(times[1]!);
      const from = await h.ch.work.list(inst, { createdFrom: cut.toISOString() });
      const before = await h.ch.work.list(inst, { createdBefore: cut });
      expect(from.length + before.length).toBe(250);
      expect(from.every((u) => u.createdAt.getTime() >= cut.getTime())).toBe(true);
      expect(before.every((u) => u.createdAt.getTime() < cut.getTime())).toBe(true);
      const entered = await h.ch.work.list(inst, { enteredFrom: cut, enteredBefore: new Date(times[1]! + 1) });
      expect(entered.length).toBeGreaterThan(0);
      expect(entered.every((u) => u.enteredInteractionAt.getTime() === cut.getTime())).toBe(true);
    });

    it("refuses a where that is not a condition, an unknown sort and a cursor of no unit, naming them", async () => {
      await expect(h.ch.work.list(inst, { where: "amount >" })).rejects.toThrow(ValidationError);
      await expect(h.ch.work.list(inst, { where: "amount >" })).rejects.toThrow(/where/);
      await expect(h.ch.work.list(inst, { sort: "vendor" })).rejects.toThrow(/sort/);
      await expect(h.ch.work.list(inst, { after: "00000000-0000-7000-8000-000000000000" })).rejects.toThrow(
        /to page after/,
      );
    });

    it("gives history rows actor names, types and the reasoning of each move; attribute history names actors", async () => {
      const [u] = await h.ch.work.startMany(inst, [{ attributes: { amount: 1 }, reasoning: "mail from ACME" }]);
      const lease = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Bot" }))!;
      // The oldest waiting unit is another; submit that one with reasoning.
      await h.ch.work.submit(inst, {
        uowId: lease.uowId,
        leaseToken: lease.leaseToken,
        actorId: "Bot",
        attributes: { checked: true },
        reasoning: "looks right",
      });
      const history = await h.ch.work.history(inst, lease.uowId);
      const submit = history.find((e) => e.event === "SUBMIT")!;
      expect(submit).toMatchObject({ actorName: "Bot", actorType: "AI_AGENT", reasoning: "looks right" });
      const checkout = history.find((e) => e.event === "CHECKOUT")!;
      expect(checkout).toMatchObject({ actorName: "Bot", reasoning: null });
      const genesis = (await h.ch.work.history(inst, u!.uowId))[0]!;
      expect(genesis).toMatchObject({ actorName: "SYSTEM", actorType: "SYSTEM", reasoning: "mail from ACME" });
      const versions = await h.ch.work.attributeHistory(inst, lease.uowId, { key: "checked" });
      expect(versions).toMatchObject([{ key: "checked", actorName: "Bot", reasoning: "looks right" }]);
    });

    it(`reads at most ${LIST_SCAN_BUDGET} units per call for a where, and the next call goes on from there`, async () => {
      const other = (await h.ch.instances.create({ workflow: "Minimal", name: uniqueName("budget") })).instanceId;
      for (let i = 0; i < LIST_SCAN_BUDGET; i += 500) {
        await h.ch.work.startMany(
          other,
          Array.from({ length: 500 }, () => ({ attributes: { hit: false } })),
        );
      }
      const [target] = await h.ch.work.startMany(other, [{ attributes: { hit: true } }]);
      const first = await h.ch.work.list(other, { where: "hit == true" });
      expect([...first]).toEqual([]);
      expect(first.nextAfter).not.toBeNull();
      const second = await h.ch.work.list(other, { where: "hit == true", after: first.nextAfter! });
      expect(second.map((u) => u.uowId)).toEqual([target!.uowId]);
      expect(second.nextAfter).toBeNull();
    }, 120_000);
  });
}
