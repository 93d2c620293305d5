/** Pause and resume of an instance or one role, and the instance's own events (admin tokens change; viewers read). */
import type { Chameleon } from "../../chameleon.js";
import { z } from "zod";
import { route, type Registrar } from "../route.js";
import { InstanceParams, replySchema, requestSchema } from "../schemas.js";
import { operatorOf } from "./operators.js";

const PauseBody = requestSchema(
  "PauseBody",
  z
    .object({
      role: z.string().min(1).max(255).optional().describe("one role to pause or resume; without it, the instance"),
      reason: z.string().min(1).max(65_535).optional().describe("why (recorded in the instance's events)"),
    })
    .strict(),
);
const PauseReply = replySchema(
  "PauseReply",
  z.object({
    instanceId: z.string(),
    role: z.string().nullable().describe("the role paused or resumed; null for the instance"),
    paused: z.boolean(),
    at: z.date(),
  }),
);
const InstanceHistoryQuery = z
  .object({
    limit: z
      .string()
      .regex(/^[0-9]{1,4}$/)
      .optional()
      .describe("at most this many entries, 1 to 1000 (default 100)"),
    before: z
      .string()
      .regex(/^[0-9]{1,18}$/)
      .optional()
      .describe("the eventId of the last entry of the previous page"),
  })
  .strict();
export const InstanceEventList = replySchema(
  "InstanceEventList",
  z.array(
    z.object({
      eventId: z.number().int(),
      event: z.string().describe("PAUSE, RESUME, SCHEDULE_CREATE, _PAUSE, _RESUME, _DELETE, _RUN, _MISSED, _FAILED"),
      role: z.string().nullable(),
      scheduleId: z.string().nullable(),
      by: z.string(),
      reason: z.string().nullable(),
      details: z.unknown(),
      at: z.date(),
    }),
  ),
);

const NOTE =
  "While paused, checkout of the paused roles (every role, for the instance) returns nothing and genesis is " +
  "refused (409); the sweep still reclaims expired leases, and the stale clocks of the paused roles stand still. " +
  "Recorded in the instance's events with the operator of the token (`by`) and the reason.";

export function pauseRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "POST",
      url: "/instances/:id/pause",
      operationId: "pauseInstance",
      access: "admin",
      tags: ["operations"],
      summary: "Pause an instance, or one role of it",
      description: NOTE,
      params: InstanceParams,
      body: PauseBody,
      response: PauseReply,
      handler: ({ instance, body, caller }) => ch.instances.pause(instance, { ...body, by: operatorOf(caller) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/resume",
      operationId: "resumeInstance",
      access: "admin",
      tags: ["operations"],
      summary: "Resume a paused instance, or one paused role: the stale clocks go on from where they stopped",
      params: InstanceParams,
      body: PauseBody,
      response: PauseReply,
      handler: ({ instance, body, caller }) => ch.instances.resume(instance, { ...body, by: operatorOf(caller) }),
    }),
    route({
      method: "GET",
      url: "/instances/:id/history",
      operationId: "getInstanceHistory",
      access: "admin",
      tags: ["operations"],
      summary: "The instance's own events, newest first: pauses, resumes, schedule changes, runs and missed ticks",
      params: InstanceParams,
      querystring: InstanceHistoryQuery,
      response: InstanceEventList,
      handler: ({ instance, query }) =>
        ch.instances.history(instance, {
          ...(query.limit === undefined ? {} : { limit: Number(query.limit) }),
          ...(query.before === undefined ? {} : { before: Number(query.before) }),
        }),
    }),
  ];
}
