/**
 * Operators' moves: release, reassign or retry one unit, cancel or release a list of units, and
 * a move on the units a selection chooses (admin tokens only).
 */
import type { Chameleon } from "../../chameleon.js";
import { z } from "zod";
import { UOWStatus } from "../../schema/enums.js";
import type { Caller } from "../auth.js";
import { route, type Registrar } from "../route.js";
import { InstanceParams, MovedReply, replySchema, requestSchema, UnitParams } from "../schemas.js";

const reason = z.string().min(1).max(65_535).describe("why the operator moves the unit (recorded as details.reason)");
const AdminReleaseBody = requestSchema("AdminReleaseBody", z.object({ reason }).strict());
const ReassignBody = requestSchema(
  "ReassignBody",
  z
    .object({ actorId: z.string().min(1).max(255).describe("the actor (id or name) to hand the unit to"), reason })
    .strict(),
);
const ReassignReply = replySchema(
  "ReassignReply",
  z.object({ uowId: z.string(), actorId: z.string(), leaseToken: z.string(), leaseExpiresAt: z.date() }),
);
const BulkBody = requestSchema(
  "BulkBody",
  z
    .object({ uowIds: z.array(z.string()).min(1).max(1_000).describe("the units to move, at most 1,000"), reason })
    .strict(),
);
const BulkReply = replySchema(
  "BulkReply",
  z.array(
    z.object({
      uowId: z.string(),
      ok: z.boolean(),
      status: z.string().optional().describe("the unit's status after the move (ok)"),
      error: z.object({ name: z.string(), message: z.string() }).optional().describe("why this unit was not moved"),
    }),
  ),
);

const AdminRetryBody = requestSchema(
  "AdminRetryBody",
  z
    .object({
      to: z
        .string()
        .min(1)
        .max(255)
        .describe("the interaction to send the unit to: one EPSILON has an OUTBOUND component to (retryTargets)"),
      reason,
    })
    .strict(),
);
const time = z.string().describe("an ISO 8601 time with offset");
const BulkSelectionBody = requestSchema(
  "BulkSelectionBody",
  z
    .object({
      move: z.enum(["cancel", "release", "retry"]).describe("what to do with each unit chosen"),
      filter: z
        .object({
          status: z.enum(UOWStatus).optional(),
          interaction: z.string().min(1).max(255).optional().describe("units in this interaction"),
          role: z.string().min(1).max(255).optional().describe("units waiting for this role"),
          includeHeld: z.boolean().optional().describe("with role: also the units of its interactions someone holds"),
          parentId: z.string().optional().describe("children of this unit"),
          heldBy: z.string().min(1).max(255).optional().describe("units held by this actor (id or name)"),
          createdFrom: time.optional(),
          createdBefore: time.optional(),
          enteredFrom: time.optional(),
          enteredBefore: time.optional(),
          where: z.string().max(4096).optional().describe("a condition over the attributes, as guardians evaluate it"),
          uowIds: z.array(z.string()).min(1).max(1_000).optional().describe("only these units (at most 1,000)"),
        })
        .strict()
        .describe("the filters of GET /instances/:id/work (at least one), and/or a list of ids"),
      to: z.string().min(1).max(255).optional().describe("retry: the interaction to send the units to"),
      dryRun: z.boolean().optional().describe("answer the units the move would take, and write nothing"),
      max: z.number().int().min(1).max(1_000).optional().describe("at most this many units this call (default 100)"),
      after: z.string().optional().describe("the nextAfter of the previous call: go on after that unit"),
      reason: reason.optional().describe("why (recorded as details.reason); required unless dryRun"),
    })
    .strict(),
);
const BulkSelectionReply = replySchema(
  "BulkSelectionReply",
  z.object({
    move: z.enum(["cancel", "release", "retry"]),
    dryRun: z.boolean(),
    count: z.number().int().describe("units chosen by this call (at most max)"),
    uowIds: z.array(z.string()).describe("the units chosen, oldest first"),
    more: z.boolean().describe("more units may match: call again with after = nextAfter"),
    nextAfter: z.string().nullable(),
    results: z
      .array(
        z.object({
          uowId: z.string(),
          outcome: z.enum(["moved", "skipped", "refused"]),
          status: z.string().optional().describe("moved: the unit's status now"),
          reason: z.string().optional().describe("skipped: how it changed since it was chosen"),
          error: z.object({ name: z.string(), message: z.string() }).optional().describe("refused: why"),
        }),
      )
      .describe("one per unit chosen, in order; empty on a dry run"),
    moved: z.number().int(),
    skipped: z.number().int(),
    refused: z.number().int(),
  }),
);

const AUDIT_NOTE =
  "Audited as the SYSTEM actor, with `details.by` naming the operator of the token and `details.reason`.";

/** The operator name a move is recorded under: the operator token's name, or `admin` for the start-up token. */
export function operatorOf(caller: Caller | null): string {
  return caller !== null && caller.kind !== "actor" ? caller.operator : "admin";
}

export function operatorRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/admin-release",
      operationId: "adminReleaseWork",
      access: "admin",
      tags: ["operations"],
      summary: "Give a held unit back for its holder: back where it was checked out from",
      description: AUDIT_NOTE,
      params: UnitParams,
      body: AdminReleaseBody,
      response: MovedReply,
      handler: ({ instance, params, body, caller }) =>
        ch.work.adminRelease(instance, { uowId: params.uow, by: operatorOf(caller), reason: body.reason }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/reassign",
      operationId: "reassignWork",
      access: "admin",
      tags: ["operations"],
      summary: "Hand a held unit to another actor of its role: a new lease, the old one refused from then on",
      description: AUDIT_NOTE,
      params: UnitParams,
      body: ReassignBody,
      response: ReassignReply,
      handler: ({ instance, params, body, caller }) =>
        ch.work.reassign(instance, {
          uowId: params.uow,
          actorId: body.actorId,
          by: operatorOf(caller),
          reason: body.reason,
        }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/admin-retry",
      operationId: "adminRetryWork",
      access: "admin",
      tags: ["operations"],
      summary: "Send a FAILED unit back into an interaction EPSILON has an OUTBOUND component to",
      description: `FAILED to PENDING, attempt 0, at the back of the target's line. Another target is a 400 naming the allowed ones (the instance's \`workflows[].retryTargets\`). ${AUDIT_NOTE}`,
      params: UnitParams,
      body: AdminRetryBody,
      response: MovedReply,
      handler: ({ instance, params, body, caller }) =>
        ch.work.adminRetry(instance, { uowId: params.uow, to: body.to, by: operatorOf(caller), reason: body.reason }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/bulk",
      operationId: "bulkMoveWork",
      access: "admin",
      tags: ["operations"],
      summary: "Cancel, release or retry the units a selection chooses (filters and/or ids), with a dry run",
      description: `Chooses the units oldest first, at most \`max\` (default 100, at most 1,000); \`dryRun\` answers them and writes nothing. Each unit is moved in its own step, and skipped (reported, not an error) when it changed since it was chosen. \`more\`: call again with \`after: nextAfter\`. A viewer token may not call it, not even for a dry run (GET /instances/:id/work lists the same units). ${AUDIT_NOTE}`,
      params: InstanceParams,
      body: BulkSelectionBody,
      response: BulkSelectionReply,
      handler: ({ instance, body, caller }) => ch.work.bulk(instance, { ...body, by: operatorOf(caller) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/bulk/cancel",
      operationId: "bulkCancelWork",
      access: "admin",
      tags: ["operations"],
      summary: "Cancel a list of units, each in its own step, with a result per unit",
      description: AUDIT_NOTE,
      params: InstanceParams,
      body: BulkBody,
      response: BulkReply,
      handler: ({ instance, body, caller }) => ch.work.cancelMany(instance, { ...body, by: operatorOf(caller) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/bulk/release",
      operationId: "bulkReleaseWork",
      access: "admin",
      tags: ["operations"],
      summary: "Release a list of held units, each in its own step, with a result per unit",
      description: AUDIT_NOTE,
      params: InstanceParams,
      body: BulkBody,
      response: BulkReply,
      handler: ({ instance, body, caller }) => ch.work.releaseMany(instance, { ...body, by: operatorOf(caller) }),
    }),
  ];
}
