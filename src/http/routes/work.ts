/** Units of work: genesis, checkout, heartbeat, submit, fail, cancel, release, and reading them. */
import type { Chameleon } from "../../chameleon.js";
import { ForbiddenError, ValidationError } from "../../errors.js";
import { asReader } from "../auth.js";
import { route, type Registrar } from "../route.js";
import { operatorOf } from "./operators.js";
import {
  AttributeHistoryQuery,
  AttributeHistoryReply,
  CancelBody,
  CancelReply,
  CheckoutBody,
  CheckoutManyBody,
  CheckoutManyReply,
  CheckoutReply,
  FailBody,
  HeartbeatBody,
  HeartbeatReply,
  HeldQuery,
  HeldReply,
  HistoryReply,
  InstanceParams,
  MovedReply,
  ReleaseBody,
  StartBody,
  StartReply,
  SubmitBody,
  SubmitManyBody,
  SubmitManyReply,
  SubmitReply,
  UnitList,
  UnitParams,
  UnitReply,
  WorkListQuery,
} from "../schemas.js";

const ACTOR_NOTE =
  "With the admin token, name the actor in `actorId`; with an actor token, the call acts as that actor.";

export function workRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "POST",
      url: "/instances/:id/work",
      operationId: "startWork",
      access: "instance",
      tags: ["work"],
      summary: "Start work (genesis): a new base unit",
      description: `The actor needs the ALPHA role; the admin may leave \`actorId\` out (SYSTEM starts it). ${ACTOR_NOTE}`,
      params: InstanceParams,
      body: StartBody,
      status: 201,
      response: StartReply,
      handler: ({ instance, body, actor, request }) =>
        ch.work.start(instance, {
          ...body,
          ...idempotencyKeyOf(request.headers["idempotency-key"], body.idempotencyKey),
          actorId: actor(body.actorId),
        }),
    }),
    route({
      method: "GET",
      url: "/instances/:id/held",
      operationId: "listHeldWork",
      access: "instance",
      tags: ["work"],
      summary: "The units the calling actor holds, with their lease tokens",
      description:
        "Takes up a claim whose answer was lost (an ambiguous checkout, a restarted agent, a reloaded page). An actor token sees its own units; the admin names the actor in `actorId`.",
      params: InstanceParams,
      querystring: HeldQuery,
      response: HeldReply,
      handler: ({ instance, query, actor, caller }) => {
        // Lease tokens let their bearer act: a viewer, who may only read, is not shown them.
        if (caller?.kind === "viewer") {
          throw new ForbiddenError(`the viewer token of operator '${caller.operator}' is not shown lease tokens`);
        }
        const actorId = actor(query.actorId);
        if (actorId === undefined) throw ValidationError.single("actorId", "name the actor whose units to list");
        return ch.work.held(instance, { actorId, ...(query.role === undefined ? {} : { role: query.role }) });
      },
    }),
    route({
      method: "GET",
      url: "/instances/:id/work",
      operationId: "listWork",
      access: "instance",
      tags: ["work"],
      summary: "List units by filters and a `where` condition, sorted, a page at a time",
      description:
        'Filters: status, interaction, waiting role (`includeHeld=true`: and the units of its interactions someone holds), parent, holder, created and entered ranges, `overdue=true` (waiting or held past their due time), and `where`, a condition over the attributes evaluated as guardians evaluate it (at most 10,000 units are read per request; the next page goes on from there). `attributes=a,b` adds those values to each row (`attributes=*` every attribute). The `Link: <...>; rel="next"` header names the next page; none on the last.',
      params: InstanceParams,
      querystring: WorkListQuery,
      response: UnitList,
      handler: async ({ instance, query, request, reply, caller }) => {
        const { limit, attributes, includeHeld, overdue, ...filters } = query;
        const rows = await ch.work.list(instance, {
          ...filters,
          ...asReader(caller),
          ...(includeHeld === undefined ? {} : { includeHeld: includeHeld === "true" }),
          ...(overdue === undefined ? {} : { overdue: overdue === "true" }),
          ...(limit === undefined ? {} : { limit: Number(limit) }),
          ...(attributes === undefined ? {} : { attributes: attributes.split(",").filter((k) => k !== "") }),
        });
        if (rows.nextAfter !== null) reply.header("link", `<${nextPageUrl(request.url, rows.nextAfter)}>; rel="next"`);
        return rows;
      },
    }),
    route({
      method: "POST",
      url: "/instances/:id/checkout",
      operationId: "checkoutWork",
      access: "instance",
      tags: ["work"],
      summary: "Check out the oldest unit waiting for a role",
      description: `Returns the unit with a lease token, or null when none is waiting. ${ACTOR_NOTE}`,
      params: InstanceParams,
      body: CheckoutBody,
      response: CheckoutReply,
      handler: ({ instance, body, actor }) => ch.work.checkout(instance, { ...body, actorId: actor(body.actorId) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/checkout-many",
      operationId: "checkoutManyWork",
      access: "instance",
      tags: ["work"],
      summary: "Check out up to `max` units waiting for a role, each with its own lease, in one transaction",
      description: `The units come in queue order (priority, then the longest waiting), each with its own lease token, attempt and audit entry; fewer, or none, when fewer wait. ${ACTOR_NOTE}`,
      params: InstanceParams,
      body: CheckoutManyBody,
      response: CheckoutManyReply,
      handler: async ({ instance, body, actor }) => ({
        units: await ch.work.checkoutMany(instance, { ...body, actorId: actor(body.actorId) }),
      }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/submit-many",
      operationId: "submitManyWork",
      access: "instance",
      tags: ["work"],
      summary: "Submit several held units in one transaction, answered per unit",
      description: `Each submit is answered in the order given: \`ok: true\` with its result, or \`ok: false\` with the error that left its unit as it was (a lost lease is a ConflictError); the others go through. The call itself is a 200 unless the whole body is refused. ${ACTOR_NOTE}`,
      params: InstanceParams,
      body: SubmitManyBody,
      response: SubmitManyReply,
      handler: async ({ instance, body, actor }) => ({
        results: await ch.work.submitMany(
          instance,
          body.submits.map((s) => ({ ...s, actorId: actor(s.actorId) })),
        ),
      }),
    }),
    route({
      method: "GET",
      url: "/instances/:id/work/:uow",
      operationId: "getWork",
      access: "instance",
      tags: ["work"],
      summary: "Show a unit with its latest attributes",
      params: UnitParams,
      response: UnitReply,
      handler: ({ instance, params, caller }) => ch.work.get(instance, params.uow, asReader(caller)),
    }),
    route({
      method: "GET",
      url: "/instances/:id/work/:uow/history",
      operationId: "getWorkHistory",
      access: "instance",
      tags: ["work"],
      summary: "The audit trail of a unit, oldest first",
      params: UnitParams,
      response: HistoryReply,
      handler: ({ instance, params, caller }) => ch.work.history(instance, params.uow, asReader(caller)),
    }),
    route({
      method: "GET",
      url: "/instances/:id/work/:uow/attributes/history",
      operationId: "getAttributeHistory",
      access: "instance",
      tags: ["work"],
      summary: "Every version of a unit's attributes, by key and version, a page at a time",
      params: UnitParams,
      querystring: AttributeHistoryQuery,
      response: AttributeHistoryReply,
      handler: ({ instance, params, query, caller }) =>
        ch.work.attributeHistory(instance, params.uow, {
          ...query,
          ...asReader(caller),
          limit: query.limit === undefined ? undefined : Number(query.limit),
        }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/heartbeat",
      operationId: "heartbeatWork",
      access: "instance",
      tags: ["work"],
      summary: "Extend the lease of a held unit",
      description: ACTOR_NOTE,
      params: UnitParams,
      body: HeartbeatBody,
      response: HeartbeatReply,
      handler: ({ instance, params, body, actor }) =>
        ch.work.heartbeat(instance, { ...body, uowId: params.uow, actorId: actor(body.actorId) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/submit",
      operationId: "submitWork",
      access: "instance",
      tags: ["work"],
      summary: "Submit a held unit: changed attributes, children, learning; it is routed on",
      description: `A lost lease is a 409. ${ACTOR_NOTE}`,
      params: UnitParams,
      body: SubmitBody,
      response: SubmitReply,
      handler: ({ instance, params, body, actor }) =>
        ch.work.submit(instance, { ...body, uowId: params.uow, actorId: actor(body.actorId) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/fail",
      operationId: "failWork",
      access: "instance",
      tags: ["work"],
      summary: "Report that a held unit could not be done; it goes down the error path, or waits for another attempt",
      description: `With \`retryable: true\` and attempts left (the role's max_attempts), the unit waits in its interaction again, not before its role's retry backoff (\`availableAt\` in the reply). ${ACTOR_NOTE}`,
      params: UnitParams,
      body: FailBody,
      response: MovedReply,
      handler: ({ instance, params, body, actor }) =>
        ch.work.fail(instance, { ...body, uowId: params.uow, actorId: actor(body.actorId) }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/cancel",
      operationId: "cancelWork",
      access: "instance",
      tags: ["work"],
      summary: "Give up on a unit (admin: any unit; an actor: one it holds as EPSILON or TAU)",
      params: UnitParams,
      body: CancelBody,
      response: CancelReply,
      handler: ({ instance, params, body, actor, caller }) =>
        ch.work.cancel(instance, {
          ...body,
          uowId: params.uow,
          actorId: actor(body.actorId),
          ...(caller?.kind === "admin" ? { by: operatorOf(caller) } : {}),
        }),
    }),
    route({
      method: "POST",
      url: "/instances/:id/work/:uow/release",
      operationId: "releaseWork",
      access: "instance",
      tags: ["work"],
      summary: "Give a held unit back before its lease runs out",
      description: ACTOR_NOTE,
      params: UnitParams,
      body: ReleaseBody,
      response: MovedReply,
      handler: ({ instance, params, body, actor }) =>
        ch.work.release(instance, { ...body, uowId: params.uow, actorId: actor(body.actorId) }),
    }),
  ];
}

/** The URL of the request with `after` set to the cursor, relative to the server (as the request named it). */
function nextPageUrl(requestUrl: string, after: string): string {
  const url = new URL(requestUrl, "http://server");
  url.searchParams.set("after", after);
  return `${url.pathname}${url.search}`;
}

/** The key of the Idempotency-Key header or of the body; both may be given only if they agree. */
function idempotencyKeyOf(
  header: string | string[] | undefined,
  body: string | undefined,
): { idempotencyKey?: string } {
  if (Array.isArray(header)) throw ValidationError.single("Idempotency-Key", "send one Idempotency-Key header");
  if (header !== undefined && body !== undefined && header !== body) {
    throw ValidationError.single("idempotencyKey", "the Idempotency-Key header and the body's idempotencyKey differ");
  }
  const key = header ?? body;
  return key === undefined ? {} : { idempotencyKey: key };
}
