/** Schedules of an instance: list (viewers too), create, pause, resume, delete (admin tokens). */
import type { Chameleon } from "../../chameleon.js";
import { z } from "zod";
import { route, type Registrar } from "../route.js";
import { InstanceParams, replySchema, requestSchema } from "../schemas.js";
import { operatorOf } from "./operators.js";

const ScheduleParams = z
  .object({
    id: z.string().min(1).max(255).describe("instance id or name"),
    schedule: z.string().min(1).max(255).describe("schedule id or name"),
  })
  .strict();
const CreateScheduleBody = requestSchema(
  "CreateScheduleBody",
  z
    .object({
      name: z.string().min(1).max(255).describe("unique in the instance"),
      cron: z
        .string()
        .min(1)
        .max(255)
        .describe("a cron pattern of five or six fields (seconds first), as croner reads it"),
      timezone: z.string().min(1).max(64).optional().describe("IANA time zone of the pattern (default UTC)"),
      attributes: z.record(z.string(), z.unknown()).optional().describe("attributes of each unit it starts"),
    })
    .strict(),
);
const ScheduleChangeBody = requestSchema(
  "ScheduleChangeBody",
  z
    .object({ reason: z.string().min(1).max(65_535).optional().describe("why (recorded in the instance's events)") })
    .strict(),
);
const ScheduleReply = replySchema(
  "ScheduleReply",
  z.object({
    scheduleId: z.string(),
    name: z.string(),
    cron: z.string(),
    timezone: z.string(),
    attributes: z.unknown(),
    nextTickAt: z.date().describe("the next tick not yet run"),
    lastTickAt: z.date().nullable(),
    lastUowId: z.string().nullable().describe("the unit of the last tick"),
    pausedAt: z.date().nullable(),
    createdBy: z.string(),
    createdAt: z.date(),
  }),
);
const ScheduleList = replySchema("ScheduleList", z.array(ScheduleReply));
const DeletedScheduleReply = replySchema(
  "DeletedScheduleReply",
  z.object({ scheduleId: z.string(), deleted: z.literal(true) }),
);

export function scheduleRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "GET",
      url: "/instances/:id/schedules",
      operationId: "listSchedules",
      access: "admin",
      tags: ["schedules"],
      summary: "The instance's schedules, by name",
      params: InstanceParams,
      response: ScheduleList,
      handler: ({ instance }) => ch.schedules.list(instance),
    }),
    route({
      method: "POST",
      url: "/instances/:id/schedules",
      operationId: "createSchedule",
      access: "admin",
      tags: ["schedules"],
      summary: "Create a schedule: it starts a unit at each tick of its cron pattern, the first after now",
      description:
        "The server (and every worker of the instance) runs due schedules every few seconds; exactly one unit is " +
        "started per tick, with the idempotency key `schedule:<id>:<tick ISO>`. After downtime, one catch-up start " +
        "and the other ticks counted as missed in the instance's events.",
      params: InstanceParams,
      body: CreateScheduleBody,
      status: 201,
      response: ScheduleReply,
      handler: ({ instance, body, caller }) => ch.schedules.create(instance, { ...body, by: operatorOf(caller) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/schedules/:schedule/pause",
      operationId: "pauseSchedule",
      access: "admin",
      tags: ["schedules"],
      summary: "Pause a schedule: its ticks are skipped until it is resumed",
      params: ScheduleParams,
      body: ScheduleChangeBody,
      response: ScheduleReply,
      handler: ({ instance, params, body, caller }) =>
        ch.schedules.pause(instance, params.schedule, { ...body, by: operatorOf(caller) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/schedules/:schedule/resume",
      operationId: "resumeSchedule",
      access: "admin",
      tags: ["schedules"],
      summary: "Resume a schedule from its next tick after now",
      params: ScheduleParams,
      body: ScheduleChangeBody,
      response: ScheduleReply,
      handler: ({ instance, params, body, caller }) =>
        ch.schedules.resume(instance, params.schedule, { ...body, by: operatorOf(caller) }),
    }),
    route({
      method: "DELETE",
      url: "/instances/:id/schedules/:schedule",
      operationId: "deleteSchedule",
      access: "admin",
      tags: ["schedules"],
      summary: "Delete a schedule (the units it started and its events stay)",
      params: ScheduleParams,
      response: DeletedScheduleReply,
      handler: ({ instance, params, caller }) =>
        ch.schedules.delete(instance, params.schedule, { by: operatorOf(caller) }),
    }),
  ];
}
