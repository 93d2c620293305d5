/**
 * GET /instances/:id/events: the instance's audit entries as Server-Sent Events. Each event's
 * id is its cursor, so a client that reconnects with Last-Event-ID (EventSource does) resumes
 * right after the last event it received, missing and repeating none. A comment line every
 * HEARTBEAT_MS keeps proxies from closing an idle stream; the stream ends when the client goes.
 */
import type { Chameleon } from "../../chameleon.js";
import type { InstanceEvent } from "../../engine/events.js";
import { ValidationError } from "../../errors.js";
import type { LogEvent } from "../../schema/enums.js";
import { asReader } from "../auth.js";
import { route, type Registrar } from "../route.js";
import { EventStream, EventsQuery, InstanceParams } from "../schemas.js";

export const HEARTBEAT_MS = 15_000;

/** One SSE frame: the cursor as id, the event as one line of JSON. */
export function sseFrame(e: InstanceEvent): string {
  return `id: ${e.cursor}\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * `open`: the streams open now (the metrics count them), ended when the server closes, which
 * would otherwise wait for them.
 */
export function eventRoutes(ch: Chameleon, open = new Set<AbortController>()): Registrar[] {
  return [
    (app) => {
      app.addHook("preClose", async () => {
        for (const abort of open) abort.abort();
      });
    },
    route({
      method: "GET",
      url: "/instances/:id/events",
      operationId: "streamEvents",
      access: "instance",
      tags: ["instances"],
      summary: "Follow the instance's audit entries as Server-Sent Events",
      description:
        "Every move and decision (GENESIS, CHECKOUT, SUBMIT, ...) of any process, as it is written. Each event's `id` is an opaque cursor and its `data` one JSON object (cursor, logId, event, uowId, actorId, actorName, actorType, role, interaction, details, timestamp). Reconnect with `Last-Event-ID` (or `?after=`) to resume right after the last event received: none is missed or repeated. `?from=now` starts at the end (a live view); a reconnect's `Last-Event-ID` wins over it. Lines starting with ':' are heartbeats. An actor token reads only its own instance, and of it only the entries it wrote, the entries of its roles and those of units arriving in or checked out from its roles' interactions.",
      params: InstanceParams,
      querystring: EventsQuery,
      stream: {
        mediaType: "text/event-stream",
        description: "Server-Sent Events: `id: <cursor>` and `data: <event JSON>` per audit entry",
        schema: EventStream,
      },
      handler: async ({ instance, query, request, reply, caller }) => {
        const header = request.headers["last-event-id"];
        const fromHeader = query.after === undefined && typeof header === "string" && header !== "";
        const after = query.after ?? (fromHeader ? header : undefined);
        const abort = new AbortController();
        const stream = ch.events(instance, {
          // A reconnect names its last event (Last-Event-ID) on the same URL: resuming wins over from=now.
          ...(after === undefined ? (query.from === undefined ? {} : { from: query.from }) : { after }),
          ...(query.unit === undefined ? {} : { uowId: query.unit }),
          ...(query.events === undefined ? {} : { events: query.events.split(",") as LogEvent[] }),
          signal: abort.signal,
          ...asReader(caller),
        });
        try {
          await stream.open();
        } catch (error) {
          if (fromHeader && error instanceof ValidationError && error.issues[0]?.path === "after") {
            throw ValidationError.single(
              "Last-Event-ID",
              `Last-Event-ID '${header.slice(0, 40)}' is not a cursor of this event stream (send the id of an event it sent)`,
            );
          }
          throw error;
        }
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        raw.write(": events of instance follow\n\n");
        // The client is gone when its connection closes, not when the feed's read in flight returns.
        const closed = () => {
          open.delete(abort);
          abort.abort();
        };
        raw.on("close", closed);
        open.add(abort);
        const heartbeat = setInterval(() => {
          if (!raw.destroyed) raw.write(": heartbeat\n\n");
        }, HEARTBEAT_MS);
        try {
          for await (const e of stream) {
            if (!raw.write(sseFrame(e))) {
              await new Promise<void>((resolve) => {
                const go = () => {
                  raw.off("drain", go);
                  raw.off("close", go);
                  resolve();
                };
                raw.on("drain", go);
                raw.on("close", go);
              });
            }
          }
        } catch (error) {
          if (!raw.destroyed) {
            raw.write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
          }
        } finally {
          clearInterval(heartbeat);
          open.delete(abort);
          raw.off("close", closed);
          raw.end();
        }
      },
    }),
  ];
}
