/**
 * Hostile and large input on every engine, over HTTP and through the library: each hostile
 * input gets a typed error naming what is wrong and writes nothing (rows counted before and
 * after); large but legal input is split into statements that fit the engine's limits. Also:
 * a name of an id's shape cannot take over another actor, concurrent creates of one name are a
 * 409, unknown token ids a 404, and the reasoning of a submit that changes nothing is kept.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError, PayloadTooLargeError, ValidationError } from "../../src/errors.js";
import { LIMITS } from "../../src/engine/limits.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { useHttp, type Reply } from "./support.js";

const TABLES = [
  "instance_context",
  "local_actors",
  "local_actor_role_assignments",
  "units_of_work",
  "uow_attributes",
  "interaction_logs",
  "local_role_attributes",
  "local_actor_tokens",
] as const;

interface ErrorBody {
  error: string;
  message: string;
}

function refused(reply: Reply, status: number, error: string, mentions: RegExp): void {
  const body = reply.body as ErrorBody;
  expect({ status: reply.status, error: body?.error }, reply.text).toEqual({ status, error });
  expect(body.message).toMatch(mentions);
}

const nested = (levels: number): unknown => {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = { down: value };
  return value;
};

const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`hostile and large input on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const A = uniqueName("limits");
    const s = {} as { ann: string; bob: string; bobId: string; annId: string };

    const counts = async () =>
      Object.fromEntries(
        await Promise.all(
          TABLES.map(async (t) => [
            t,
            Number(
              (
                await h.ch.stores.instances.db
                  .selectFrom(t)
                  .select((eb) => eb.fn.countAll().as("n"))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          ]),
        ),
      );
    async function unchanged(refusals: () => Promise<void>): Promise<void> {
      const before = await counts();
      await refusals();
      expect(await counts()).toEqual(before);
    }
    /** A fresh unit held by ann for Work: its path and lease token. */
    async function held(): Promise<{ path: string; uowId: string; leaseToken: string }> {
      const { uowId } = await h.ch.work.start(A, { attributes: { n: 1 } });
      let unit = await h.ch.work.checkout(A, { role: "Work", actorId: "ann" });
      // Units of earlier tests may wait too: release them until ours comes.
      while (unit && unit.uowId !== uowId) {
        await h.ch.work.release(A, { uowId: unit.uowId, leaseToken: unit.leaseToken, actorId: "ann" });
        await h.ch.work.cancel(A, { uowId: unit.uowId, reason: "not this test's" });
        unit = await h.ch.work.checkout(A, { role: "Work", actorId: "ann" });
      }
      return { path: `/instances/${A}/work/${uowId}`, uowId, leaseToken: unit!.leaseToken };
    }

    beforeAll(async () => {
      const created = await h.ch.instances.create({
        workflow: "Minimal",
        name: A,
        actors: [
          { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] },
          { name: "bob", type: "AI_AGENT", identityKey: "bob", roles: ["Work"] },
        ],
      });
      s.annId = created.actors[0]!.actorId;
      s.bobId = created.actors[1]!.actorId;
      s.ann = (await h.ch.actors.issueToken(A, "ann")).token;
      s.bob = (await h.ch.actors.issueToken(A, "bob")).token;
    });

    it("refuses hostile submits with a typed error naming the problem, and writes nothing", async () => {
      const unit = await held();
      const submit = (body: Record<string, unknown>) =>
        api.call("POST", `${unit.path}/submit`, { token: s.ann, body: { leaseToken: unit.leaseToken, ...body } });
      const raw = (text: string) =>
        api.call("POST", `${unit.path}/submit`, { token: s.ann, raw: { contentType: "application/json", text } });
      await unchanged(async () => {
        refused(await submit({ attributes: { deep: nested(200) } }), 400, "ValidationError", /nests deeper than 64/);
        refused(
          await submit({ attributes: manyKeys(LIMITS.keysPerObject + 1) }),
          413,
          "PayloadTooLargeError",
          /10001 keys; the limit is 10000/,
        );
        refused(
          await submit({ children: Array.from({ length: 20_000 }, (_, i) => ({ attributes: { i } })) }),
          413,
          "PayloadTooLargeError",
          /20000 children in one submit; the limit is 1000/,
        );
        refused(
          await submit({ attributes: { note: "a\u0000b" } }),
          400,
          "ValidationError",
          /attributes\.note contains a NUL character/,
        );
        refused(await submit({ attributes: { "a\u0000": 1 } }), 400, "ValidationError", /key that contains a NUL/);
        refused(
          await submit({ attributes: { note: "x\ud800y" } }),
          400,
          "ValidationError",
          /attributes\.note contains a lone UTF-16 surrogate/,
        );
        refused(await submit({ attributes: { "\udc00": 1 } }), 400, "ValidationError", /key that contains a lone/);
        refused(await submit({ reasoning: "why\u0000" }), 400, "ValidationError", /reasoning contains a NUL/);
        // The JSON parser of the server refuses the key before the library sees it.
        const proto = await raw(
          `{"leaseToken":"${unit.leaseToken}","attributes":{"ok":1,"__proto__":{"polluted":true}}}`,
        );
        refused(proto, 400, "ValidationError", /body has a key '__proto__'/);
        refused(
          await submit({ reasoning: "r".repeat(LIMITS.reasoningLength + 1) }),
          400,
          "ValidationError",
          /reasoning/,
        );
        // 60 KiB of reasoning on 100 changed keys is 6 MB as stored.
        refused(
          await submit({ attributes: manyKeys(100), reasoning: "r".repeat(60_000) }),
          413,
          "PayloadTooLargeError",
          /6\d{6} bytes as stored \(6000000 of them reasoning, stored once per attribute version\)/,
        );
        refused(
          await submit({ children: [{ attributes: manyKeys(40), reasoning: "r".repeat(30_000) }] }),
          413,
          "PayloadTooLargeError",
          /1200000 of them reasoning/,
        );
      });
      // The unit is still held: a legal submit goes through.
      expect((await submit({ attributes: { done: true } })).status).toBe(200);
    });

    it("refuses the same input through the library: __proto__ keys, NUL, lone surrogates, depth", async () => {
      const unit = await held();
      const base = { uowId: unit.uowId, leaseToken: unit.leaseToken, actorId: "ann" };
      await unchanged(async () => {
        const proto = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
        const refusal = await h.ch.work.submit(A, { ...base, attributes: proto }).catch((e: unknown) => e);
        expect(refusal).toBeInstanceOf(ValidationError);
        expect(refusal).toMatchObject({
          message:
            "work.submit attributes has the key '__proto__', which JavaScript objects do not keep as data: use another key",
          issues: [{ path: "attributes.__proto__" }],
        });
        await expect(h.ch.work.submit(A, { ...base, children: [{ attributes: proto }] })).rejects.toThrow(
          /work.submit children.0.attributes has the key '__proto__'/,
        );
        await expect(h.ch.work.submit(A, { ...base, attributes: { "k\ud800": 1 } })).rejects.toThrow(
          /work.submit attributes has a key that contains a lone UTF-16 surrogate/,
        );
        await expect(h.ch.work.start(A, { attributes: { deep: nested(100) } })).rejects.toBeInstanceOf(ValidationError);
        await expect(h.ch.memory.put(A, { role: "Work", key: "tone\u0000", value: 1 })).rejects.toThrow(
          /memory.put key contains a NUL character/,
        );
        await expect(h.ch.memory.put(A, { role: "Work", key: "tone", value: { "\udfff": 1 } })).rejects.toThrow(
          /memory.put value has a key that contains a lone UTF-16 surrogate/,
        );
        await expect(h.ch.work.submit(A, { ...base, learn: [{ key: "tip", value: "a\u0000" }] })).rejects.toThrow(
          /work.submit learn.0.value contains a NUL/,
        );
        await expect(h.ch.work.submit(A, { ...base, attributes: manyKeys(10_001) })).rejects.toBeInstanceOf(
          PayloadTooLargeError,
        );
        await expect(h.ch.instances.get("nope\u0000")).rejects.toThrow(/no instance/);
        await expect(h.ch.memory.get(A, { role: "Work", actorId: "ann\u0000" })).rejects.toThrow(/memory.get actorId/);
      });
    });

    it("splits large but legal submits into statements that fit the engine's parameter limit", async () => {
      // 8000 keys of 9 columns each are 72000 parameters: past PostgreSQL's 65535 in one statement.
      const unit = await held();
      const before = await counts();
      const reply = await api.call("POST", `${unit.path}/submit`, {
        token: s.ann,
        body: { leaseToken: unit.leaseToken, attributes: manyKeys(8_000), reasoning: "many keys" },
      });
      expect(reply.status, reply.text).toBe(200);
      const after = await counts();
      expect(after.uow_attributes - before.uow_attributes).toBe(8_000);
      const read = await h.ch.work.get(A, unit.uowId);
      expect(Object.keys(read.attributes)).toHaveLength(8_001);
      expect(read.attributes.k7999).toBe(7_999);

      // The most children one submit may have, each with a few keys.
      const parent = await held();
      const children = Array.from({ length: LIMITS.childrenPerSubmit }, (_, i) => ({ attributes: { i, j: -i } }));
      const split = await api.call<{ children: string[] }>("POST", `${parent.path}/submit`, {
        token: s.ann,
        body: { leaseToken: parent.leaseToken, children },
      });
      expect(split.status, split.text).toBe(200);
      expect(split.body.children).toHaveLength(LIMITS.childrenPerSubmit);
      expect(await h.ch.work.list(A, { parentId: parent.uowId, limit: 2_000 })).toHaveLength(LIMITS.childrenPerSubmit);
    }, 120_000);

    it("a parentId that is not a unit id is a 400 naming it", async () => {
      await unchanged(async () => {
        refused(
          await api.call("GET", `/instances/${A}/work?parentId=nope`),
          400,
          "ValidationError",
          /parentId: must be a unit id/,
        );
      });
    });

    it("8 concurrent creates of one instance or actor name: one is created, the others a 409 naming it", async () => {
      const name = uniqueName("race");
      const before = await counts();
      const instances = await Promise.all(
        Array.from({ length: 8 }, () => api.call("POST", "/instances", { body: { workflow: "Minimal", name } })),
      );
      expect(instances.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of instances.filter((r) => r.status === 409)) refused(r, 409, "ConflictError", new RegExp(name));
      const actors = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.call("POST", `/instances/${A}/actors`, {
            body: { name: "dup", type: "HUMAN", identityKey: `dup-${i}` },
          }),
        ),
      );
      expect(actors.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of actors.filter((r) => r.status === 409)) refused(r, 409, "ConflictError", /'dup'/);
      const after = await counts();
      expect(after.instance_context - before.instance_context).toBe(1);
      expect(after.local_actors - before.local_actors).toBe(2); // the SYSTEM actor of the instance, and dup
      await expect(h.ch.actors.add(A, { name: "dup", type: "HUMAN", identityKey: "dup-other" })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it("refuses instance and actor names of an id's shape", async () => {
      await unchanged(async () => {
        refused(
          await api.call("POST", "/instances", { body: { workflow: "Minimal", name: s.bobId } }),
          400,
          "ValidationError",
          /name: must not have the shape of an id/,
        );
        refused(
          await api.call("POST", `/instances/${A}/actors`, {
            body: { name: s.bobId, type: "HUMAN", identityKey: "impostor" },
          }),
          400,
          "ValidationError",
          /name: must not have the shape of an id/,
        );
        refused(
          await api.call("POST", "/instances", {
            body: {
              workflow: "Minimal",
              name: uniqueName("x"),
              actors: [{ name: s.annId.toUpperCase(), type: "HUMAN", identityKey: "x" }],
            },
          }),
          400,
          "ValidationError",
          /actors\.0\.name: must not have the shape of an id/,
        );
      });
    });

    it("a victim's token stays the victim after an actor named like its id is looked up", async () => {
      // An actor named like bob's id, as a store written before such names were refused holds it.
      const db = h.ch.stores.instances.db;
      const graph = await h.ch.engine.graphs.get(A);
      const impostorId = "01900000-0000-7000-8000-00000000bad1";
      await db
        .insertInto("local_actors")
        .values({
          actor_id: impostorId,
          instance_id: graph.instanceId,
          identity_key: "impostor",
          name: s.bobId,
          description: null,
          ai_context: null,
          type: "HUMAN",
          capabilities: null,
        })
        .execute();
      const work = (await h.ch.instances.get(A)).roles.find((r) => r.name === "Work")!;
      await db
        .insertInto("local_actor_role_assignments")
        .values({
          assignment_id: "01900000-0000-7000-8000-00000000bad2",
          actor_id: impostorId,
          role_id: work.roleId,
          status: "ACTIVE",
        })
        .execute();
      await h.ch.memory.put(A, { role: "Work", actorId: "bob", key: "secret", value: "bob's" });
      // Looking the impostor up by its id puts it in the cache.
      await h.ch.memory.put(A, { role: "Work", actorId: impostorId, key: "secret", value: "the impostor's" });

      const memory = await api.call<{ key: string; value: unknown }[]>("GET", `/instances/${A}/memory?role=Work`, {
        token: s.bob,
      });
      expect(memory.status, memory.text).toBe(200);
      expect(memory.body.find((m) => m.key === "secret")?.value).toBe("bob's");

      const { uowId } = await h.ch.work.start(A, { attributes: { n: 2 } });
      let unit = await api.call<{ uowId: string; leaseToken: string; memory: { key: string; value: unknown }[] }>(
        "POST",
        `/instances/${A}/checkout`,
        { token: s.bob, body: { role: "Work" } },
      );
      while (unit.body.uowId !== uowId) {
        await api.call("POST", `/instances/${A}/work/${unit.body.uowId}/release`, {
          token: s.bob,
          body: { leaseToken: unit.body.leaseToken },
        });
        await h.ch.work.cancel(A, { uowId: unit.body.uowId, reason: "not this test's" });
        unit = await api.call("POST", `/instances/${A}/checkout`, { token: s.bob, body: { role: "Work" } });
      }
      expect(unit.body.memory.find((m) => m.key === "secret")?.value).toBe("bob's");
      const history = await h.ch.work.history(A, uowId);
      expect(history.at(-1)!.actorId).toBe(s.bobId);
      expect((await h.ch.work.get(A, uowId)).lockedBy).toBe(s.bobId);
    });

    it("DELETE /tokens/:tokenId of an unknown token is a 404; of a revoked one a 204 again", async () => {
      await unchanged(async () => {
        refused(
          await api.call("DELETE", "/tokens/01900000-0000-7000-8000-000000000000"),
          404,
          "NotFoundError",
          /no token '01900000-0000-7000-8000-000000000000'/,
        );
      });
      const issued = await h.ch.actors.issueToken(A, "bob");
      expect((await api.call("DELETE", `/tokens/${issued.tokenId}`)).status).toBe(204);
      expect((await api.call("DELETE", `/tokens/${issued.tokenId}`)).status).toBe(204);
      expect(await h.ch.actors.resolveToken(issued.token)).toBeNull();
    });

    it("a submit that changes no key keeps its reasoning in the SUBMIT entry", async () => {
      const unit = await held();
      const reply = await api.call("POST", `${unit.path}/submit`, {
        token: s.ann,
        body: { leaseToken: unit.leaseToken, attributes: { n: 1 }, reasoning: "checked: nothing to change" },
      });
      expect(reply.status, reply.text).toBe(200);
      const submitted = (await h.ch.work.history(A, unit.uowId)).find((e) => e.event === "SUBMIT")!;
      expect(submitted.details).toMatchObject({ changedKeys: [], reasoning: "checked: nothing to change" });

      const other = await held();
      await api.call("POST", `${other.path}/submit`, {
        token: s.ann,
        body: { leaseToken: other.leaseToken, attributes: { n: 2 }, reasoning: "stored with the version" },
      });
      const changed = (await h.ch.work.history(A, other.uowId)).find((e) => e.event === "SUBMIT")!;
      expect(changed.details).toMatchObject({ changedKeys: ["n"] });
      expect(changed.details).not.toHaveProperty("reasoning");
    });
  });
}
