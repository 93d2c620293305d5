/** Operators' moves: release or reassign a held unit, cancel or release a list of units (admin tokens only). */
import type { Chameleon } from "../../chameleon.js";
import { z } from "zod";
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
