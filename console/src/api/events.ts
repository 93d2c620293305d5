/**
 * Live updates: the instance's event stream (GET /instances/:id/events?from=now), read with
 * fetch so that the bearer header goes along (EventSource cannot send one). Each event marks
 * the pages' data of that instance stale, so what a worker anywhere moved shows within a
 * moment; a dropped stream reconnects with Last-Event-ID and misses nothing.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { currentToken } from "./token.js";

export interface StreamEvent {
  cursor: string;
  event: string;
  uowId: string;
}

/** Splits a text/event-stream into events; gives back what is left of an unfinished one. */
export function parseEvents(buffer: string): { events: { id: string | null; data: string }[]; rest: string } {
  const events: { id: string | null; data: string }[] = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(":")) continue; // a heartbeat
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (data.length > 0) events.push({ id, data: data.join("\n") });
  }
  return { events, rest };
}

/** Follows an instance while mounted; `live` says whether the stream is connected. */
export function useInstanceEvents(instance: string, onEvent?: (e: StreamEvent) => void): { live: boolean } {
  const queries = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    let last: string | null = null;
    let pending: ReturnType<typeof setTimeout> | null = null;
    // A burst of events (a worker finishing a batch) refreshes once.
    const refresh = () => {
      pending ??= setTimeout(() => {
        pending = null;
        for (const key of ["overview", "graph", "work", "unit", "history", "held", "versions"]) {
          void queries.invalidateQueries({ queryKey: [key, instance] });
        }
      }, 150);
    };
    async function follow() {
      while (!abort.signal.aborted) {
        try {
          const headers: Record<string, string> = { accept: "text/event-stream" };
          const token = currentToken();
          if (token !== null) headers.authorization = `Bearer ${token}`;
          if (last !== null) headers["last-event-id"] = last;
          const response = await fetch(`/instances/${encodeURIComponent(instance)}/events?from=now`, {
            headers,
            signal: abort.signal,
          });
          if (!response.ok || response.body === null) throw new Error(`events: ${response.status}`);
          setLive(true);
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseEvents(buffer + value);
            buffer = parsed.rest;
            for (const e of parsed.events) {
              if (e.id !== null) last = e.id;
              refresh();
              if (onEvent) onEvent(JSON.parse(e.data) as StreamEvent);
            }
          }
        } catch {
          // Dropped or refused: the pages keep polling; try again shortly.
        }
        setLive(false);
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 2_000));
      }
    }
    void follow();
    return () => {
      abort.abort();
      if (pending !== null) clearTimeout(pending);
    };
  }, [instance, queries, onEvent]);
  return { live };
}
