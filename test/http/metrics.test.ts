/**
 * GET /metrics after real steps, on a clock the test moves, parsed by a Prometheus text parser:
 * the counters and histograms are exact (steps = submits, waits and durations to the second),
 * the units gauge is what the store counts, and each server's registry is its own. Access: an
 * operator token (a viewer's is enough) unless the server serves them publicly; never an actor
 * token.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";
import { histogram, parsePrometheusText, sampleValue, type Family } from "../support/prometheus.js";
import { ADMIN, listen, useHttp, type Api } from "./support.js";

type Families = Map<string, Family>;
const value = sampleValue;

async function scrape(api: Api, token?: string | null): Promise<Families> {
  const reply = await api.call("GET", "/metrics", { token });
  expect(reply.status, reply.text).toBe(200);
  expect(reply.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(reply.text);
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`GET /metrics on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now, leaseTimeoutSeconds: 60 });
    const api = useHttp(h);
    let inst: string;
    let name: string;
    let families: Families;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      name = uniqueName("metrics");
      inst = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name,
          actors: [{ name: "Ada", type: "HUMAN", identityKey: "ada@example.com", roles: ["Start", "Work", "Finish"] }],
        })
      ).instanceId;
      const started = await h.ch.work.startMany(
        inst,
        ["a", "b", "c", "d"].map((n) => ({ attributes: { n } })),
      );
      started.forEach((u, i) => (ids["abcd"[i]!] = u.uowId));
      const take = async () => (await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" }))!;
      clock.advance(10);
      const a = await take(); // waited 10 s
      clock.advance(5);
      await h.ch.work.submit(inst, { uowId: a.uowId, leaseToken: a.leaseToken, actorId: "Ada" }); // held 5 s
      const b = await take(); // waited 15 s
      clock.advance(2);
      await h.ch.work.fail(inst, { uowId: b.uowId, leaseToken: b.leaseToken, actorId: "Ada", error: "no ink" }); // held 2 s
      const c = await take(); // waited 17 s
      expect([a.uowId, b.uowId, c.uowId]).toEqual([ids.a, ids.b, ids.c]);
      clock.advance(61);
      expect((await h.ch.sweep(inst)).reclaimed).toBe(1); // c's lease ran out: back in line
      clock.advance(20);
      const finish = (await h.ch.work.checkout(inst, { role: "Finish", actorId: "Ada" }))!; // a waited 83 s in Done (since t+15)
      await h.ch.work.submit(inst, { uowId: finish.uowId, leaseToken: finish.leaseToken, actorId: "Ada" });
      clock.advance(600);
      expect((await h.ch.sweep(inst)).timedOut).toBe(2); // c and d waited in Todo longer than its 600 s
      families = await scrape(api);
    });

    const of = (labels: Record<string, string> = {}) => ({ chameleon_instance: name, ...labels });

    it("counts steps (submits), failures, reclaims and timeouts by role", () => {
      expect(value(families, "chameleon_steps_total", of({ role: "Work" }))).toBe(1);
      expect(value(families, "chameleon_steps_total", of({ role: "Finish" }))).toBe(1);
      expect(value(families, "chameleon_failures_total", of({ role: "Work", reason: "error" }))).toBe(1);
      expect(value(families, "chameleon_failures_total", of({ reason: "no_route" }))).toBeUndefined();
      expect(value(families, "chameleon_reclaims_total", of({ role: "Work", outcome: "requeued" }))).toBe(1);
      expect(value(families, "chameleon_timeouts_total", of({ role: "Work", interaction: "Todo" }))).toBe(2);
    });

    it("measures the checkout wait and the step duration, by role, to the millisecond", () => {
      const work = histogram(families, "chameleon_checkout_wait_seconds", of({ role: "Work" }))!;
      expect(work.count).toBe(3);
      expect(work.sum).toBeCloseTo(10 + 15 + 17, 6);
      expect([work.buckets["5"], work.buckets["15"], work.buckets["60"], work.buckets["+Inf"]]).toEqual([0, 2, 3, 3]);
      const finish = histogram(families, "chameleon_checkout_wait_seconds", of({ role: "Finish" }))!;
      expect([finish.count, finish.sum]).toEqual([1, 83]);
      const submitted = histogram(
        families,
        "chameleon_step_duration_seconds",
        of({ role: "Work", outcome: "submitted" }),
      )!;
      expect([submitted.count, submitted.sum]).toEqual([1, 5]);
      const failed = histogram(families, "chameleon_step_duration_seconds", of({ role: "Work", outcome: "failed" }))!;
      expect([failed.count, failed.sum]).toEqual([1, 2]);
    });

    it("exports the units by interaction and status as the store counts them", async () => {
      const overview = await h.ch.instances.overview(inst, { maxAgeSeconds: 0, finalizedMaxAgeSeconds: 0 });
      for (const i of overview.interactions) {
        for (const [status, n] of Object.entries(i.byStatus)) {
          expect(value(families, "chameleon_units", of({ interaction: i.name, status })), `${i.name} ${status}`).toBe(
            n,
          );
        }
      }
      expect(value(families, "chameleon_units", of({ interaction: "Done", status: "FINALIZED" }))).toBe(1);
      expect(value(families, "chameleon_units", of({ interaction: "Errors", status: "FAILED" }))).toBe(1);
      expect(value(families, "chameleon_units", of({ interaction: "Stale", status: "TIMEOUT" }))).toBe(2);
      // b has waited in Errors since its failure: 61 + 20 + 600 s.
      expect(value(families, "chameleon_oldest_waiting_seconds", of({ interaction: "Errors" }))).toBe(681);
      expect(value(families, "chameleon_oldest_waiting_seconds", of({ interaction: "Todo" }))).toBeUndefined();
      expect(value(families, "chameleon_store_gauges_up")).toBe(1);
    });

    it("shows the pools of the server engines, and none on SQLite", () => {
      const max = value(families, "chameleon_db_pool_max_connections", { store: "instances" });
      if (engine.name === "sqlite") expect(max).toBeUndefined();
      else {
        expect(max).toBe(10);
        const used = value(families, "chameleon_db_pool_connections", { store: "instances", state: "used" })!;
        const idle = value(families, "chameleon_db_pool_connections", { store: "instances", state: "idle" })!;
        expect(used + idle).toBeGreaterThan(0);
        expect(used + idle).toBeLessThanOrEqual(10);
      }
    });

    it("counts the open event streams", async () => {
      const abort = new AbortController();
      const response = await fetch(`${api.base}/instances/${inst}/events?from=now`, {
        headers: { authorization: `Bearer ${ADMIN}` },
        signal: abort.signal,
      });
      const reader = response.body!.getReader();
      await reader.read(); // the opening comment: the stream is open
      await expect.poll(async () => value(await scrape(api), "chameleon_event_stream_clients")).toBe(1);
      abort.abort();
      await reader.cancel().catch(() => {});
      await expect
        .poll(async () => value(await scrape(api), "chameleon_event_stream_clients"), { timeout: 5_000 })
        .toBe(0);
    });

    it("needs an operator token (a viewer's will do), refuses actor tokens, and is public only when asked", async () => {
      expect((await api.call("GET", "/metrics", { token: null })).status).toBe(401);
      const actor = await h.ch.actors.issueToken(inst, "Ada");
      const refused = await api.call<{ message: string }>("GET", "/metrics", { token: actor.token });
      expect(refused.status).toBe(403);
      const viewer = await h.ch.operators.issueToken({ name: uniqueName("prometheus"), scope: "viewer" });
      expect(value(await scrape(api, viewer.token), "chameleon_steps_total", of({ role: "Work" }))).toBe(1);

      const open = await listen(h.ch, { metrics: "public" });
      const off = await listen(h.ch, { metrics: "off" });
      try {
        // Its own registry: it counts from its start, the first server goes on counting too.
        await h.ch.work.start(inst, { attributes: { n: "e" } });
        const e = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" }))!;
        await h.ch.work.submit(inst, { uowId: e.uowId, leaseToken: e.leaseToken, actorId: "Ada" });
        expect(value(await scrape(open, null), "chameleon_steps_total", of({ role: "Work" }))).toBe(1);
        expect(value(await scrape(api), "chameleon_steps_total", of({ role: "Work" }))).toBe(2);
        expect((await off.call("GET", "/metrics")).status).toBe(404);
      } finally {
        await open.app.close();
        await off.app.close();
      }
      // A closed server no longer listens to the engine.
      await h.ch.work.start(inst, { attributes: { n: "f" } });
      const f = (await h.ch.work.checkout(inst, { role: "Work", actorId: "Ada" }))!;
      await h.ch.work.submit(inst, { uowId: f.uowId, leaseToken: f.leaseToken, actorId: "Ada" });
      expect(value(await scrape(api), "chameleon_steps_total", of({ role: "Work" }))).toBe(3);
      expect(h.ch.engine.observers.size).toBe(1);
    });
  });
}
