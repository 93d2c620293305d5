/**
 * What makes a retry safe for a caller who lost an answer: idempotency keys on genesis, the
 * lease each submit or failure consumed (a repeat gets the first result), work.held to take up
 * a claim again; and the attribute history a page at a time.
 */
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { listen } from "../http/support.js";

const ACTORS = [
  { name: "Ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] },
  { name: "Bob", type: "HUMAN", identityKey: "bob@example.com", roles: ["Start", "Work"] },
];

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`safe retries on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const deploy = async () =>
      (await h.ch.instances.create({ workflow: "Minimal", name: uniqueName("retry"), actors: ACTORS })).instanceId;
    const unitCount = async (instanceId: string) => (await h.ch.work.list(instanceId)).length;

    it("returns the same unit for the same idempotency key, and refuses the key with another payload", async () => {
      const { ch } = h;
      const inst = await deploy();
      const first = await ch.work.start(inst, { attributes: { n: 1 }, actorId: "Ann", idempotencyKey: "mail-1" });
      expect(first.created).toBe(true);
      const again = await ch.work.start(inst, { attributes: { n: 1 }, actorId: "Ann", idempotencyKey: "mail-1" });
      expect(again).toEqual({ uowId: first.uowId, created: false });
      expect(await unitCount(inst)).toBe(1);

      await expect(
        ch.work.start(inst, { attributes: { n: 2 }, actorId: "Ann", idempotencyKey: "mail-1" }),
      ).rejects.toThrow(ConflictError);
      await expect(
        ch.work.start(inst, { attributes: { n: 1 }, actorId: "Bob", idempotencyKey: "mail-1" }),
      ).rejects.toThrow(/idempotency key 'mail-1' was used for unit/);
      expect(await unitCount(inst)).toBe(1);

      // Keys are per instance, and units without a key never collide.
      const other = await deploy();
      expect((await ch.work.start(other, { attributes: { n: 1 }, idempotencyKey: "mail-1" })).created).toBe(true);
      await ch.work.start(inst, { attributes: { n: 3 } });
      await ch.work.start(inst, { attributes: { n: 3 } });
      expect(await unitCount(inst)).toBe(3);

      // In one multi-genesis call, a repeated key is the same unit.
      const many = await ch.work.startMany(inst, [
        { attributes: { m: 1 }, idempotencyKey: "batch-1" },
        { attributes: { m: 1 }, idempotencyKey: "batch-1" },
        { attributes: { m: 2 }, idempotencyKey: "batch-2" },
      ]);
      expect(many[1]).toEqual({ uowId: many[0]!.uowId, created: false });
      expect(many[2]!.created).toBe(true);
      expect(await unitCount(inst)).toBe(5);
    });

    it("makes one unit when eight callers race with the same key", async () => {
      const inst = await deploy();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          h.ch.work.start(inst, { attributes: { raced: true }, actorId: "Ann", idempotencyKey: "race" }),
        ),
      );
      expect(new Set(results.map((r) => r.uowId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await unitCount(inst)).toBe(1);
    });

    it("answers a repeated submit or failure with the first result, and only to the holder", async () => {
      const { ch } = h;
      const inst = await deploy();
      const { uowId } = await ch.work.start(inst, { attributes: { title: "t" }, actorId: "Ann" });
      const unit = (await ch.work.checkout(inst, { role: "Work", actorId: "Ann" }))!;
      const submit = { uowId, leaseToken: unit.leaseToken, actorId: "Ann", attributes: { done: true } };
      const first = await ch.work.submit(inst, submit);
      expect(first.alreadyDone).toBeUndefined();
      const historyLength = (await ch.work.history(inst, uowId)).length;

      expect(await ch.work.submit(inst, submit)).toEqual({ ...first, alreadyDone: true });
      // Even with other attributes: the lease is spent, nothing more is written.
      expect(await ch.work.submit(inst, { ...submit, attributes: { done: false } })).toEqual({
        ...first,
        alreadyDone: true,
      });
      expect((await ch.work.get(inst, uowId)).attributes).toEqual({ title: "t", done: true });
      expect(await ch.work.history(inst, uowId)).toHaveLength(historyLength);
      // Another actor presenting the spent lease learns nothing of it.
      await expect(ch.work.submit(inst, { ...submit, actorId: "Bob" })).rejects.toThrow(ConflictError);

      const failing = await ch.work.start(inst, { attributes: { title: "f" }, actorId: "Ann" });
      const held = (await ch.work.checkout(inst, { role: "Work", actorId: "Bob" }))!;
      expect(held.uowId).toBe(failing.uowId);
      const failure = { uowId: held.uowId, leaseToken: held.leaseToken, actorId: "Bob", error: "no stamp" };
      const failed = await ch.work.fail(inst, failure);
      expect(await ch.work.fail(inst, failure)).toEqual({ ...failed, alreadyDone: true });
      // A submit with the lease a failure spent gets the failure's result.
      expect(await ch.work.submit(inst, { uowId: held.uowId, leaseToken: held.leaseToken, actorId: "Bob" })).toEqual({
        ...failed,
        alreadyDone: true,
      });
      // A lease that was never handed out is still a conflict.
      await expect(ch.work.submit(inst, { ...submit, leaseToken: crypto.randomUUID() })).rejects.toThrow(
        /is not the current lease/,
      );
    });

    it("lists the units an actor holds, with their leases, to that actor", async () => {
      const { ch } = h;
      const inst = await deploy();
      await ch.work.start(inst, { attributes: { i: 1 }, actorId: "Ann" });
      await ch.work.start(inst, { attributes: { i: 2 }, actorId: "Ann" });
      const a = (await ch.work.checkout(inst, { role: "Work", actorId: "Ann" }))!;
      const b = (await ch.work.checkout(inst, { role: "Work", actorId: "Bob" }))!;
      const annHolds = await ch.work.held(inst, { actorId: "Ann" });
      expect(annHolds.map((u) => [u.uowId, u.leaseToken, u.role])).toEqual([[a.uowId, a.leaseToken, "Work"]]);
      expect(annHolds[0]!.attributes).toEqual({ i: 1 });
      expect(annHolds[0]!.leaseExpiresAt.getTime()).toBeGreaterThan(Date.now());
      expect((await ch.work.held(inst, { actorId: "Bob" })).map((u) => u.uowId)).toEqual([b.uowId]);
      expect(await ch.work.held(inst, { actorId: "Ann", role: "Finish" })).toEqual([]);
      // The recovered lease works.
      await ch.work.submit(inst, { uowId: a.uowId, leaseToken: annHolds[0]!.leaseToken, actorId: "Ann" });
      expect(await ch.work.held(inst, { actorId: "Ann" })).toEqual([]);
    });

    it("pages through the attribute history by key and version", async () => {
      const { ch } = h;
      const inst = await deploy();
      const attributes = Object.fromEntries(
        Array.from({ length: 230 }, (_, i) => [`k${String(i).padStart(3, "0")}`, i]),
      );
      const { uowId } = await ch.work.start(inst, { attributes, actorId: "Ann", reasoning: "first" });
      const unit = (await ch.work.checkout(inst, { role: "Work", actorId: "Ann" }))!;
      await ch.work.submit(inst, {
        uowId,
        leaseToken: unit.leaseToken,
        actorId: "Ann",
        attributes: { k000: "changed", k229: "changed" },
        reasoning: "second",
      });
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await ch.work.attributeHistory(inst, uowId, { limit: 100, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        seen.push(...page.map((e) => `${e.key}@${e.version}`));
        after = page[page.length - 1]!.attributeId;
      }
      expect(seen).toHaveLength(232);
      expect(new Set(seen).size).toBe(232);
      expect(seen.slice(0, 3)).toEqual(["k000@1", "k000@2", "k001@1"]);
      const k229 = await ch.work.attributeHistory(inst, uowId, { key: "k229" });
      expect(k229.map((e) => [e.version, e.value, e.reasoning, e.actorId !== ""])).toEqual([
        [1, 229, "first", true],
        [2, "changed", "second", true],
      ]);
      await expect(ch.work.attributeHistory(inst, uowId, { after: crypto.randomUUID() })).rejects.toThrow(
        NotFoundError,
      );
    });

    it("takes the Idempotency-Key header over HTTP and lists held units for an actor token", async () => {
      const { ch } = h;
      const inst = await deploy();
      const api = await listen(ch);
      try {
        const start = (key: string, n: number) =>
          api.call<{ uowId: string; created: boolean }>("POST", `/instances/${inst}/work`, {
            body: { attributes: { n }, actorId: "Ann" },
            headers: { "idempotency-key": key },
          });
        const first = await start("http-1", 1);
        expect(first.status).toBe(201);
        const again = await start("http-1", 1);
        expect(again.status).toBe(201);
        expect(again.body).toEqual({ uowId: first.body.uowId, created: false });
        const clash = await start("http-1", 2);
        expect(clash.status).toBe(409);
        expect(await unitCount(inst)).toBe(1);

        const { token } = await ch.actors.issueToken(inst, "Ann");
        const unit = (await ch.work.checkout(inst, { role: "Work", actorId: "Ann" }))!;
        const held = await api.call<{ uowId: string; leaseToken: string }[]>("GET", `/instances/${inst}/held`, {
          token,
        });
        expect(held.status).toBe(200);
        expect(held.body.map((u) => [u.uowId, u.leaseToken])).toEqual([[unit.uowId, unit.leaseToken]]);
        const { token: bobToken } = await ch.actors.issueToken(inst, "Bob");
        const bobs = await api.call<unknown[]>("GET", `/instances/${inst}/held`, { token: bobToken });
        expect(bobs.body).toEqual([]);
      } finally {
        await api.app.close();
      }
    });
  });
}
