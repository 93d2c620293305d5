/**
 * The statements of one step on PostgreSQL (docs/engine.md, "The hot path"): a checkout of a
 * role that takes its queue's head without looking is one statement (gate, memory and claim
 * together), and the submit of the unit it holds is one more. Counted at the driver, so a
 * read slipped back in before the claim fails here.
 */
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";

const postgres = engines.find((e) => e.name === "postgres")!;

describe.skipIf(postgres.skipReason !== null)("round trips of a step on postgres", () => {
  const h = useChameleon(postgres);
  afterEach(() => vi.restoreAllMocks());

  /**
   * The statements sent while `fn` runs, at the protocol: a bound statement (prepared, as every
   * parameterised query is) or a simple query. The engine wraps each client's query method, so
   * the count is taken below it.
   */
  async function statementsOf(fn: () => Promise<unknown>): Promise<number> {
    const bind = vi.spyOn(pg.Connection.prototype, "bind");
    const simple = vi.spyOn(pg.Connection.prototype, "query");
    await fn();
    const sent = bind.mock.calls.length + simple.mock.calls.length;
    vi.restoreAllMocks();
    return sent;
  }

  it("checks out in one statement and submits a held unit in one more; an empty queue is one statement too", async () => {
    const { instanceId: I } = await h.ch.instances.create({
      workflow: "Minimal",
      name: uniqueName("trips"),
      actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] }],
    });
    await h.ch.memory.put(I, { role: "Work", key: "tone", value: "formal" });
    const ids = await h.ch.work.startMany(I, [{ attributes: { n: 1 } }, { attributes: { n: 2 } }]);
    // The first step reads what a process keeps afterwards (the graph, the actor).
    const first = (await h.ch.work.checkout(I, { role: "Work", actorId: "ann" }))!;
    await h.ch.work.submit(I, { uowId: first.uowId, leaseToken: first.leaseToken, actorId: "ann", attributes: {} });

    let unit: Awaited<ReturnType<typeof h.ch.work.checkout>> = null;
    const checkout = await statementsOf(async () => {
      unit = await h.ch.work.checkout(I, { role: "Work", actorId: "ann" });
    });
    expect(unit!.uowId).toBe(ids[1]!.uowId);
    expect(unit!.memory).toMatchObject([{ key: "tone", value: "formal", shared: true }]);
    expect(checkout).toBe(1);

    const submit = await statementsOf(() =>
      h.ch.work.submit(I, {
        uowId: unit!.uowId,
        leaseToken: unit!.leaseToken,
        actorId: "ann",
        attributes: { ok: true },
      }),
    );
    expect(submit).toBe(1);
    expect((await h.ch.work.get(I, unit!.uowId)).attributes).toMatchObject({ n: 2, ok: true });

    const empty = await statementsOf(async () => {
      expect(await h.ch.work.checkout(I, { role: "Work", actorId: "ann" })).toBeNull();
    });
    expect(empty).toBe(1);
    expect(await invariantViolations(h.ch, I)).toEqual([]);
  });
});
