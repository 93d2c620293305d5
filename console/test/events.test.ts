/** Reading text/event-stream by hand (fetch, so that the bearer header goes along). */
import { describe, expect, it } from "vitest";
import { parseEvents } from "../src/api/events.js";

describe("parseEvents", () => {
  it("splits events, skips heartbeats and keeps an unfinished event for the next chunk", () => {
    const first = parseEvents(': events of instance follow\n\nid: c1\ndata: {"n":1}\n\n: heartbeat\n\nid: c2\nda');
    expect(first.events).toEqual([{ id: "c1", data: '{"n":1}' }]);
    expect(first.rest).toBe("id: c2\nda");
    const second = parseEvents(first.rest + 'ta: {"n":2}\n\nevent: error\ndata: {"message":"x"}\r\n\r\n');
    expect(second.events).toEqual([
      { id: "c2", data: '{"n":2}' },
      { id: null, data: '{"message":"x"}' },
    ]);
    expect(second.rest).toBe("");
  });

  it("joins multi-line data with newlines, as the format says", () => {
    expect(parseEvents("data: a\ndata: b\n\n").events).toEqual([{ id: null, data: "a\nb" }]);
  });
});
