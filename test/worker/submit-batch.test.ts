/** The worker's SubmitBatch alone, over a fake sender: when it sends, what each unit is answered. */
import { describe, expect, it } from "vitest";
import type { SubmitManyItem, SubmitResult } from "../../src/engine/submit.js";
import { FLUSH_DELAY_MS, SubmitBatch, type SubmitInput } from "../../src/worker/submit-batch.js";

function fakeSender(answer: (input: SubmitInput) => SubmitManyItem = (i) => ok(i.uowId)) {
  const sent: string[][] = [];
  return {
    sent,
    sender: {
      one: async (input: SubmitInput): Promise<SubmitResult> => {
        sent.push([input.uowId]);
        const item = answer(input);
        if (!item.ok) throw Object.assign(new Error(item.error.message), { name: item.error.name });
        return item.result;
      },
      many: async (inputs: SubmitInput[]) => {
        sent.push(inputs.map((i) => i.uowId));
        return inputs.map(answer);
      },
    },
  };
}
const ok = (uowId: string): SubmitManyItem => ({
  uowId,
  ok: true,
  result: { uowId, status: "COMPLETED", interaction: "Done" },
});
const input = (uowId: string): SubmitInput => ({ uowId, leaseToken: `L-${uowId}`, actorId: "bot" });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SubmitBatch", () => {
  it("sends once every handler of the batch is done, in one submitMany", async () => {
    const { sent, sender } = fakeSender();
    const batch = new SubmitBatch(3, sender);
    const a = batch.submit(input("a"));
    batch.skip(); // b failed: it will not submit
    const c = batch.submit(input("c"));
    expect(await Promise.all([a, c])).toEqual([ok("a"), ok("c")].map((item) => (item.ok ? item.result : null)));
    expect(sent).toEqual([["a", "c"]]);
  });

  it("sends what waits after the delay when a handler is still running; a lone submit goes as a plain submit", async () => {
    const { sent, sender } = fakeSender();
    const batch = new SubmitBatch(3, sender);
    const a = batch.submit(input("a"));
    const b = batch.submit(input("b"));
    await tick(FLUSH_DELAY_MS + 20);
    expect(sent).toEqual([["a", "b"]]);
    await Promise.all([a, b]);
    const c = batch.submit(input("c"));
    await c;
    expect(sent).toEqual([["a", "b"], ["c"]]);
  });

  it("answers a refused unit with its error's name and message, the others with their results", async () => {
    const { sender } = fakeSender((i) =>
      i.uowId === "b"
        ? { uowId: "b", ok: false, error: { name: "ConflictError", message: "lease lost" } }
        : ok(i.uowId),
    );
    const batch = new SubmitBatch(2, sender);
    const a = batch.submit(input("a"));
    const b = batch.submit(input("b"));
    await expect(a).resolves.toMatchObject({ uowId: "a" });
    await expect(b).rejects.toMatchObject({ name: "ConflictError", message: "lease lost" });
  });

  it("rejects every waiting unit when the call itself fails", async () => {
    const batch = new SubmitBatch(2, {
      one: () => Promise.reject(new Error("unused")),
      many: () => Promise.reject(new Error("store gone")),
    });
    const a = batch.submit(input("a"));
    const b = batch.submit(input("b"));
    await expect(a).rejects.toThrow("store gone");
    await expect(b).rejects.toThrow("store gone");
  });
});
