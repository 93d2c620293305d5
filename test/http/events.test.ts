/**
 * GET /instances/:id/events over a real socket: SSE framing (cursor as id, JSON data, comment
 * heartbeats), resuming with Last-Event-ID or ?after, bad cursors refused naming where they came
 * from, filters, and token scope: an actor token reads only its own instance.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { openSse, type SseFrame } from "../support/sse.js";
import { ADMIN, listen, useHttp } from "./support.js";

interface EventData {
  cursor: string;
  logId: number;
  event: string;
  uowId: string;
  actorName: string;
  role: string | null;
  interaction: string | null;
  timestamp: string;
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`GET /instances/:id/events on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    let inst: string;
    let other: string;
    let adaToken: string;
    let units: string[];

    beforeAll(async () => {
      const created = await h.ch.instances.create({
        workflow: "Minimal",
        name: uniqueName("sse"),
        actors: [{ name: "Ada", type: "HUMAN", identityKey: "ada@example.com", roles: ["Work"] }],
      });
      inst = created.instanceId;
      other = (await h.ch.instances.create({ workflow: "Minimal", name: uniqueName("other"), actors: [] })).instanceId;
      const ada = created.actors.find((a) => a.name === "Ada")!.actorId;
      adaToken = (await h.ch.actors.issueToken(inst, ada)).token;
      units = (await h.ch.work.startMany(inst, [{ attributes: { n: 1 } }, { attributes: { n: 2 } }])).map(
        (u) => u.uowId,
      );
      const u = await h.ch.work.checkout(inst, { role: "Work", actorId: ada });
      await h.ch.work.submit(inst, { uowId: u!.uowId, leaseToken: u!.leaseToken, actorId: ada, attributes: {} });
    });

    /** Opens the stream and takes `count` frames, then disconnects. */
    async function take(path: string, count: number, headers: Record<string, string> = {}, token = ADMIN) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 20_000);
      const response = await openSse(
        `${api.base}${path}`,
        { authorization: `Bearer ${token}`, ...headers },
        abort.signal,
      );
      const frames: SseFrame[] = [];
      if (response.status === 200) {
        for await (const frame of response.frames) {
          frames.push(frame);
          if (frames.length >= count) break;
        }
      }
      abort.abort();
      clearTimeout(timer);
      return { ...response, frames, data: frames.map((f) => JSON.parse(f.data) as EventData) };
    }

    it("sends each entry as an event whose id is its cursor, after a comment line", async () => {
      const r = await take(`/instances/${inst}/events`, 4);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(r.headers.get("cache-control")).toMatch(/no-cache/);
      expect(r.comments[0]).toMatch(/^: /);
      expect(r.data.map((d) => d.event)).toEqual(["GENESIS", "GENESIS", "CHECKOUT", "SUBMIT"]);
      expect(r.frames.map((f) => f.id)).toEqual(r.data.map((d) => d.cursor));
      expect(r.data[3]).toMatchObject({ actorName: "Ada", role: "Work" });
      expect(Number.isNaN(Date.parse(r.data[0]!.timestamp))).toBe(false);
    });

    it("resumes right after Last-Event-ID (or ?after), and sends new entries as they are written", async () => {
      const first = await take(`/instances/${inst}/events`, 4);
      const resumed = await take(`/instances/${inst}/events`, 2, { "last-event-id": first.frames[1]!.id! });
      expect(resumed.data.map((d) => d.logId)).toEqual(first.data.slice(2).map((d) => d.logId));
      const byQuery = await take(`/instances/${inst}/events?after=${first.frames[2]!.id}`, 1);
      expect(byQuery.data.map((d) => d.logId)).toEqual([first.data[3]!.logId]);
      // Following: an entry written after the stream opened.
      const waiting = take(`/instances/${inst}/events`, 1, { "last-event-id": first.frames[3]!.id! });
      await new Promise((r) => setTimeout(r, 200));
      const started = await h.ch.work.start(inst, { attributes: { n: 3 } });
      const late = await waiting;
      expect(late.data.map((d) => [d.event, d.uowId])).toEqual([["GENESIS", started.uowId]]);
    });

    it("filters by unit and by events", async () => {
      const ofUnit = await take(`/instances/${inst}/events?unit=${units[1]}`, 1);
      expect(ofUnit.data.map((d) => [d.event, d.uowId])).toEqual([["GENESIS", units[1]]]);
      const submits = await take(`/instances/${inst}/events?events=SUBMIT,FAIL`, 1);
      expect(submits.data.map((d) => d.event)).toEqual(["SUBMIT"]);
    });

    it("refuses a bad Last-Event-ID or after with a 400 naming it", async () => {
      const header = await api.call("GET", `/instances/${inst}/events`, { headers: { "last-event-id": "garbage!" } });
      expect(header.status).toBe(400);
      expect(header.text).toMatch(/Last-Event-ID 'garbage!' is not a cursor/);
      const query = await api.call("GET", `/instances/${inst}/events?after=WyJ6Il0`);
      expect(query.status).toBe(400);
      expect(query.text).toMatch(/after 'WyJ6Il0' is not a cursor/);
      const events = await api.call("GET", `/instances/${inst}/events?events=NOPE`);
      expect(events.status).toBe(400);
      const unknown = await api.call("GET", `/instances/no-such/events`);
      expect(unknown.status).toBe(404);
    });

    it("an actor token reads its own instance only; no token is a 401", async () => {
      const own = await take(`/instances/${inst}/events`, 1, {}, adaToken);
      expect(own.status).toBe(200);
      expect(own.data[0]!.event).toBe("GENESIS");
      const foreign = await api.call("GET", `/instances/${other}/events`, { token: adaToken });
      expect(foreign.status).toBe(403);
      expect(foreign.text).toMatch(/cannot act in instance/);
      const none = await api.call("GET", `/instances/${inst}/events`, { token: null });
      expect(none.status).toBe(401);
    });

    it("closing the server ends the streams it has open", async () => {
      const server = await listen(h.ch);
      const abort = new AbortController();
      const r = await openSse(
        `${server.base}/instances/${inst}/events`,
        { authorization: `Bearer ${ADMIN}` },
        abort.signal,
      );
      const frames: SseFrame[] = [];
      const reading = (async () => {
        for await (const f of r.frames) frames.push(f);
      })();
      while (frames.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
      await server.app.close();
      await reading;
      expect(frames.length).toBeGreaterThanOrEqual(4);
      abort.abort();
    });

    it("is described in the OpenAPI document as text/event-stream", async () => {
      const doc = await api.call<{ paths: Record<string, { get: { responses: Record<string, unknown> } }> }>(
        "GET",
        "/openapi.json",
      );
      const ok = doc.body.paths["/instances/{id}/events"]!.get.responses["200"] as { content: Record<string, unknown> };
      expect(Object.keys(ok.content)).toEqual(["text/event-stream"]);
    });
  });
}
