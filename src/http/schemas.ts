/**
 * The request and response schemas of the HTTP API, written once in zod and turned into JSON
 * Schema for Fastify (validation with its Ajv, responses with fast-json-stringify) and for
 * the OpenAPI description. Request objects are strict: an unknown field is a 400. JSON values
 * (attributes, memory values, details) are free-form here; the library checks them again.
 *
 * Every request and response body is named (`requestSchema`, `replySchema`): Fastify knows each
 * named schema once (`addSchema`, `$id` = the name), routes and other named schemas refer to it
 * by `$ref`, and the OpenAPI document lists it in `components.schemas` under that name, so a
 * generated client has a type per name.
 */
import { z } from "zod";
import { LogEvent, UNIT_PRIORITY, UOWStatus } from "../schema/enums.js";

const DATES_AS_STRINGS = (ctx: {
  zodSchema: z.core.$ZodTypes | z.core.$ZodType;
  jsonSchema: Record<string, unknown>;
}) => {
  if (ctx.zodSchema._zod.def.type === "date") {
    ctx.jsonSchema.type = "string";
    ctx.jsonSchema.format = "date-time";
  }
};

/** JSON Schema (draft-07, what Fastify's Ajv speaks) of a zod schema; dates become date-time strings. */
export function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> {
  const out = z.toJSONSchema(schema, {
    target: "draft-7",
    io,
    unrepresentable: "any",
    override: DATES_AS_STRINGS,
  }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

/** Which side a named schema is on: a request is read as its input type, a reply written as its output. */
type Side = "input" | "output";

const components = z.registry<{ id: string }>();
const sides = new Map<string, Side>();

function named<T extends z.ZodType>(id: string, side: Side, schema: T): T {
  if (sides.has(id)) throw new Error(`two HTTP schemas are named '${id}'`);
  components.add(schema, { id });
  sides.set(id, side);
  return schema;
}

/** Names a request body (or a part of one) for `components.schemas`. */
export function requestSchema<T extends z.ZodType>(id: string, schema: T): T {
  return named(id, "input", schema);
}

/** Names a response body (or a part of one) for `components.schemas`. */
export function replySchema<T extends z.ZodType>(id: string, schema: T): T {
  return named(id, "output", schema);
}

/** The name of a named schema, or undefined. */
export function schemaName(schema: z.ZodType): string | undefined {
  return components.get(schema)?.id;
}

/** `{ $ref }` to a named schema, as Fastify resolves it among the schemas of `componentSchemas()`. */
export function schemaRef(schema: z.ZodType, what: string): { $ref: string } {
  const id = schemaName(schema);
  if (id === undefined)
    throw new Error(`${what}: name its schema with requestSchema or replySchema (src/http/schemas.ts)`);
  return { $ref: `${id}#` };
}

/**
 * Every named schema as JSON Schema with `$id` its name, referring to the other named schemas
 * by `$ref: "Name#"`: for `app.addSchema`, before the routes that refer to them.
 */
export function componentSchemas(): Record<string, unknown>[] {
  const convert = (io: Side) =>
    z.toJSONSchema(components, {
      target: "draft-7",
      io,
      unrepresentable: "any",
      override: DATES_AS_STRINGS,
      uri: (id) => `${id}#`,
    }).schemas as Record<string, Record<string, unknown>>;
  const bySide = { input: convert("input"), output: convert("output") };
  return [...sides].map(([id, side]) => {
    const { $schema: _drop, ...schema } = bySide[side][id]!;
    return { ...schema, $id: id };
  });
}

const name = z.string().min(1).max(255);
const text = z.string().max(1_000_000);
const jsonObject = z.record(z.string(), z.unknown()).describe("a JSON object");
const anyJson = z.unknown().describe("any JSON value");
const actorRef = name.describe(
  "actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor)",
);

// ---------------------------------------------------------------------------------------------
// path parameters and query strings

export const InstanceParams = z.object({ id: name.describe("instance id or name") }).strict();
export const UnitParams = z
  .object({ id: name.describe("instance id or name"), uow: name.describe("unit id") })
  .strict();
export const ActorParams = z
  .object({ id: name.describe("instance id or name"), actor: name.describe("actor id or name") })
  .strict();
export const RoleParams = ActorParams.extend({ role: name.describe("role name") }).strict();
export const TokenParams = z
  .object({
    tokenId: z
      .string()
      .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
      .describe("token id (a UUID), as returned when the token was issued"),
  })
  .strict();

export const WorkListQuery = z
  .object({
    status: z.enum(UOWStatus).optional(),
    interaction: name.optional().describe("units in this interaction"),
    role: name.optional().describe("units waiting for this role"),
    includeHeld: z
      .enum(["true", "false"])
      .optional()
      .describe("with role: also the units of its interactions that someone holds now"),
    parentId: z.string().optional().describe("children of this unit"),
    heldBy: name.optional().describe("units held by this actor (id or name)"),
    createdFrom: z.string().optional().describe("created at or after this time (ISO 8601 with offset)"),
    createdBefore: z.string().optional().describe("created before this time"),
    enteredFrom: z.string().optional().describe("entered their interaction at or after this time"),
    enteredBefore: z.string().optional().describe("entered their interaction before this time"),
    where: z
      .string()
      .max(4096)
      .optional()
      .describe("a condition over the attributes, as guardians evaluate it: amount > 5000 and vendor == 'ACME'"),
    overdue: z
      .enum(["true", "false"])
      .optional()
      .describe("true: the units waiting or held past their due time; false: the others"),
    sort: z.enum(["createdAt", "enteredInteractionAt", "updatedAt", "attempt", "priority"]).optional(),
    order: z.enum(["asc", "desc"]).optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,4}$|^100000$/)
      .optional()
      .describe("at most this many units (1 to 100000)"),
    after: z.string().optional().describe("uowId of the last unit of the previous page (the Link header gives it)"),
    attributes: z
      .string()
      .max(26_000)
      .optional()
      .describe("attribute keys to show per row, comma-separated; * for every attribute"),
  })
  .strict();

export const MemoryQuery = z
  .object({
    role: name.describe("role name"),
    actorId: actorRef.optional(),
    query: z.string().max(255).optional().describe("only keys containing this text"),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// request bodies

/** The body of a POST or PUT that takes no fields. */
export const NoFields = requestSchema("NoFields", z.object({}).strict().describe("no fields: send {} or no body"));

export const BlueprintYaml = requestSchema("BlueprintYaml", z.string().describe("the blueprint YAML text"));

export const ImportTemplateBody = requestSchema(
  "ImportTemplateBody",
  z
    .object({ yaml: z.string().describe("the blueprint YAML text") })
    .strict()
    .describe("a blueprint; or send the YAML itself with Content-Type: application/yaml"),
);

export const ActorBody = requestSchema(
  "ActorBody",
  z
    .object({
      name,
      type: z.enum(["HUMAN", "AI_AGENT"]),
      identityKey: name.describe("who the actor is outside Chameleon (e-mail, agent key, ...)"),
      roles: z.array(name).optional().describe("role names to assign"),
      description: z.string().max(65_535).optional(),
      aiContext: anyJson.optional(),
      capabilities: jsonObject.optional(),
    })
    .strict(),
);

export const CreateInstanceBody = requestSchema(
  "CreateInstanceBody",
  z
    .object({
      workflow: name.describe("name of the master workflow in the template store"),
      version: z.number().int().positive().optional().describe("its version (default: the newest)"),
      name: name.describe("instance name, unique"),
      description: z.string().max(65_535).optional(),
      actors: z.array(ActorBody).optional(),
    })
    .strict(),
);

const Priority = z
  .number()
  .int()
  .min(UNIT_PRIORITY.min)
  .max(UNIT_PRIORITY.max)
  .describe(`0 to 9, higher is checked out first (default ${UNIT_PRIORITY.default}); children inherit their parent's`);

export const StartBody = requestSchema(
  "StartBody",
  z
    .object({
      attributes: jsonObject.optional(),
      actorId: actorRef.optional().describe("the actor holding the ALPHA role; the admin may leave it out (SYSTEM)"),
      reasoning: text.optional(),
      idempotencyKey: z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("the same key returns the unit the first call made (or send the Idempotency-Key header)"),
      priority: Priority.optional(),
    })
    .strict(),
);

export const CheckoutBody = requestSchema(
  "CheckoutBody",
  z
    .object({
      role: name.describe("role to take work for"),
      actorId: actorRef.optional(),
      uowId: z
        .string()
        .optional()
        .describe("the unit to take: that unit or a 409 saying why not (default: the oldest)"),
    })
    .strict(),
);

export const HeartbeatBody = requestSchema(
  "HeartbeatBody",
  z.object({ leaseToken: z.string(), actorId: actorRef.optional() }).strict(),
);

export const SubmitBody = requestSchema(
  "SubmitBody",
  z
    .object({
      leaseToken: z.string(),
      actorId: actorRef.optional(),
      attributes: jsonObject.optional().describe("attributes that changed"),
      reasoning: text.optional(),
      children: z
        .array(z.object({ attributes: jsonObject, reasoning: text.optional() }).strict())
        .optional()
        .describe("child units to split the work into"),
      learn: z
        .array(z.object({ key: name, value: anyJson, shared: z.boolean().optional() }).strict())
        .optional()
        .describe("memory to keep once the base unit is finalized"),
      priority: Priority.optional().describe("the unit's new priority, 0 to 9; the children of this submit inherit it"),
    })
    .strict(),
);

export const CheckoutManyBody = requestSchema(
  "CheckoutManyBody",
  z
    .object({
      role: name.describe("role to take work for"),
      actorId: actorRef.optional(),
      max: z.number().int().min(1).max(100).describe("the most units to claim, 1 to 100"),
    })
    .strict(),
);

const SubmitManyEntry = requestSchema(
  "SubmitManyEntry",
  SubmitBody.extend({ uowId: name.describe("the unit this submit is for") }).strict(),
);

export const SubmitManyBody = requestSchema(
  "SubmitManyBody",
  z
    .object({
      submits: z
        .array(SubmitManyEntry)
        .min(1)
        .max(100)
        .describe("1 to 100 submits, each of a different unit; answered per unit in this order"),
    })
    .strict(),
);

export const FailBody = requestSchema(
  "FailBody",
  z
    .object({
      leaseToken: z.string(),
      actorId: actorRef.optional(),
      error: z.string().min(1).max(65_535),
      details: anyJson.optional(),
      retryable: z
        .boolean()
        .optional()
        .describe(
          "the failure may pass on another attempt: while attempts remain, the unit waits in its interaction again, not before its role's retry backoff",
        ),
    })
    .strict(),
);

export const CancelBody = requestSchema(
  "CancelBody",
  z
    .object({
      actorId: name.optional().describe("the actor giving up (holding the unit as EPSILON or TAU); admin: optional"),
      reason: z.string().min(1).max(65_535),
    })
    .strict(),
);

export const ReleaseBody = requestSchema(
  "ReleaseBody",
  z
    .object({ leaseToken: z.string(), actorId: actorRef.optional(), reason: z.string().max(65_535).optional() })
    .strict(),
);

export const MemoryPutBody = requestSchema(
  "MemoryPutBody",
  z
    .object({
      role: name,
      actorId: name.optional().describe("owner of a private entry; left out: an entry shared by the role"),
      key: name,
      value: anyJson,
    })
    .strict(),
);

export const SweepBody = requestSchema(
  "SweepBody",
  z.object({ instanceId: name.optional().describe("one instance (id or name); left out: every instance") }).strict(),
);

// ---------------------------------------------------------------------------------------------
// responses

export const ErrorReply = replySchema(
  "ErrorReply",
  z.object({
    error: z.string().describe("the error class (ValidationError, NotFoundError, ...) or code"),
    message: z.string(),
    issues: z
      .array(
        z.object({ rule: z.number().int(), path: z.string(), line: z.number().int().optional(), message: z.string() }),
      )
      .optional(),
  }),
);

export const HealthReply = replySchema("HealthReply", z.object({ status: z.literal("ok") }));

export const ImportReply = replySchema(
  "ImportReply",
  z.object({
    workflows: z.array(
      z.object({
        workflowId: z.string(),
        name: z.string(),
        version: z.number().int(),
        created: z.boolean().describe("false: the same structure was stored already"),
      }),
    ),
  }),
);

const Template = replySchema(
  "Template",
  z.object({ workflowId: z.string(), name: z.string(), version: z.number().int(), createdAt: z.date() }),
);
export const TemplateList = replySchema("TemplateList", z.array(Template));

export const CreatedInstanceReply = replySchema(
  "CreatedInstanceReply",
  z.object({
    instanceId: z.string(),
    name: z.string(),
    masterWorkflowId: z.string(),
    systemActorId: z.string(),
    actors: z.array(z.object({ actorId: z.string(), name: z.string() })),
  }),
);

export const PauseInfo = replySchema(
  "PauseInfo",
  z
    .object({
      since: z.date(),
      by: z.string().describe("the operator who paused it"),
      reason: z.string().nullable(),
    })
    .describe("who paused it, when and why"),
);

const InstanceSummary = replySchema(
  "InstanceSummary",
  z.object({
    instanceId: z.string(),
    name: z.string(),
    status: z.string(),
    deploymentDate: z.date(),
  }),
);
export const InstanceList = replySchema("InstanceList", z.array(InstanceSummary));

export const InstanceReply = replySchema(
  "InstanceReply",
  InstanceSummary.extend({
    description: z.string().nullable(),
    masterWorkflowId: z.string(),
    workflows: z.array(
      z.object({
        localWorkflowId: z.string(),
        name: z.string(),
        version: z.number().int(),
        isMaster: z.boolean(),
        retryTargets: z
          .array(z.string())
          .describe("the interactions an admin retry may send this workflow's FAILED units to"),
      }),
    ),
    roles: z.array(z.object({ roleId: z.string(), name: z.string(), type: z.string(), workflow: z.string() })),
    actors: z.array(
      z.object({
        actorId: z.string(),
        name: z.string(),
        type: z.string(),
        identityKey: z.string(),
        roles: z.array(z.string()),
      }),
    ),
    paused: z
      .object({
        instance: PauseInfo.nullable().describe("the instance's pause; null while it runs"),
        roles: z.array(PauseInfo.extend({ role: z.string() })).describe("the paused roles"),
      })
      .describe("what is paused (POST /instances/:id/pause)"),
  }),
);

export const ActorReply = replySchema("ActorReply", z.object({ actorId: z.string() }));

export const TokenReply = replySchema(
  "TokenReply",
  z.object({
    token: z.string().describe("the bearer token; shown once, only its hash is stored"),
    tokenId: z.string(),
    actorId: z.string(),
  }),
);

export const StartReply = replySchema(
  "StartReply",
  z.object({
    uowId: z.string(),
    created: z.boolean().describe("false: a start with the same idempotency key made this unit before"),
  }),
);

const FormField = replySchema(
  "FormField",
  z.object({
    key: z.string(),
    type: z.enum(["number", "text", "boolean", "choice", "json"]),
    label: z.string().optional(),
    required: z.boolean().optional(),
    choices: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    default: anyJson.optional(),
  }),
);
const Form = z
  .array(FormField)
  .nullable()
  .describe("the fields the role's submit takes (its blueprint's form), or null when it declares none");

export const HeldQuery = z.object({ role: name.optional(), actorId: actorRef.optional() }).strict();

export const HeldReply = replySchema(
  "HeldReply",
  z.array(
    z.object({
      uowId: z.string(),
      leaseToken: z.string(),
      role: z.string(),
      interaction: z.string(),
      workflow: z.string(),
      parentId: z.string().nullable(),
      attempt: z.number().int(),
      leaseExpiresAt: z.date(),
      form: Form,
      attributes: jsonObject,
    }),
  ),
);

export const AttributeHistoryQuery = z
  .object({
    key: z.string().min(1).max(255).optional(),
    limit: z
      .string()
      .regex(/^[0-9]+$/)
      .optional()
      .describe("entries per page, 1 to 1000 (default 100)"),
    after: z.string().optional().describe("attributeId of the last entry of the previous page"),
  })
  .strict();

export const AttributeHistoryReply = replySchema(
  "AttributeHistoryReply",
  z.array(
    z.object({
      attributeId: z.string(),
      key: z.string(),
      value: anyJson,
      version: z.number().int(),
      actorId: z.string(),
      actorName: z.string(),
      reasoning: z.string().nullable(),
      createdAt: z.date(),
    }),
  ),
);

const MemoryEntry = replySchema(
  "MemoryEntry",
  z.object({ memoryId: z.string(), key: z.string(), value: anyJson, shared: z.boolean() }),
);
export const MemoryReply = replySchema("MemoryReply", z.array(MemoryEntry));
export const MemoryPutReply = replySchema("MemoryPutReply", z.object({ memoryId: z.string() }));

const CheckedOutUnit = replySchema(
  "CheckedOutUnit",
  z.object({
    uowId: z.string(),
    leaseToken: z.string().describe("send it with heartbeat, submit, fail and release"),
    role: z.string(),
    interaction: z.string(),
    workflow: z.string(),
    parentId: z.string().nullable(),
    attempt: z.number().int(),
    leaseExpiresAt: z.date().describe("when the lease runs out without a heartbeat: the role's lease from now"),
    form: Form,
    attributes: jsonObject,
    memory: z.array(MemoryEntry),
    set: z
      .array(
        z.object({ uowId: z.string(), parentId: z.string().nullable(), status: z.string(), attributes: jsonObject }),
      )
      .optional()
      .describe("OMEGA only: every unit of the set, base first"),
  }),
);
export const CheckoutReply = replySchema(
  "CheckoutReply",
  CheckedOutUnit.nullable().describe("the unit checked out, or null when no unit is waiting for the role"),
);

export const HeartbeatReply = replySchema("HeartbeatReply", z.object({ leaseExpiresAt: z.date() }));

/** A submit's result: a new schema each call, so that a batch's entry holds it inline (a `$ref` made optional becomes an `allOf` of one). */
const submitResult = () =>
  z.object({
    uowId: z.string(),
    status: z.string(),
    interaction: z.string(),
    children: z.array(z.string()).optional(),
    alreadyDone: z.literal(true).optional().describe("this lease was submitted before: the first submit's result"),
  });

export const SubmitReply = replySchema("SubmitReply", submitResult());

export const CheckoutManyReply = replySchema(
  "CheckoutManyReply",
  z.object({
    units: z
      .array(CheckedOutUnit)
      .describe("the units checked out, in queue order, each with its own lease; empty when none is waiting"),
  }),
);

const SubmitManyResult = replySchema(
  "SubmitManyResult",
  z.object({
    uowId: z.string(),
    ok: z.boolean().describe("true: submitted (`result`); false: refused and left as it was (`error`)"),
    result: submitResult()
      .optional()
      .describe("the submit's result, as POST /instances/{id}/work/{uow}/submit answers it"),
    error: z
      .object({
        name: z.string().describe("the error's name: ConflictError for a lost lease, ValidationError, ..."),
        message: z.string(),
      })
      .optional(),
  }),
);

export const SubmitManyReply = replySchema(
  "SubmitManyReply",
  z.object({ results: z.array(SubmitManyResult).describe("one per submit, in the order given") }),
);

export const MovedReply = replySchema(
  "MovedReply",
  z.object({
    uowId: z.string(),
    status: z.string(),
    interaction: z.string(),
    availableAt: z
      .string()
      .optional()
      .describe("a retryable failure sent back for another attempt: when the unit may be checked out again"),
    alreadyDone: z.literal(true).optional().describe("this lease was consumed before: the first call's result"),
  }),
);
export const CancelReply = replySchema("CancelReply", z.object({ uowId: z.string(), status: z.string() }));

const UnitSummary = z.object({
  uowId: z.string(),
  parentId: z.string().nullable(),
  workflow: z.string(),
  status: z.string(),
  interaction: z.string(),
  childCount: z.number().int(),
  finishedChildCount: z.number().int(),
  attempt: z.number().int(),
  heldBy: z.string().nullable().describe("name of the actor holding the unit"),
  leaseExpiresAt: z.date().nullable().describe("when the current lease runs out unless renewed"),
  priority: z.number().int().describe("0 to 9: checkout takes higher first"),
  availableAt: z
    .date()
    .describe("when the unit may be checked out: its arrival, or later while a retry's backoff runs"),
  dueAt: z
    .date()
    .nullable()
    .describe("when its deadline in this interaction passes (the earliest due_seconds of the roles taking from it)"),
  overdue: z.boolean().describe("waiting or held past dueAt: the next sweep sends it to TAU"),
  enteredInteractionAt: z.date(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const UnitList = replySchema(
  "UnitList",
  z
    .array(UnitSummary.extend({ attributes: jsonObject.optional().describe("the keys asked for in `attributes`") }))
    .describe('a page of units; a `Link: <...>; rel="next"` header gives the next page'),
);

export const UnitReply = replySchema(
  "UnitReply",
  UnitSummary.extend({
    lockedBy: z.string().nullable().describe("actor id of the holder"),
    attributes: jsonObject,
    children: z.array(z.string()).describe("ids of the children, oldest first (at most 1,000)"),
    nestedCopy: z.string().nullable().describe("the unit's nested copy in a SIGMA gateway's workflow"),
    nestedOriginal: z.string().nullable().describe("for a nested copy: the unit waiting in the gateway"),
    form: Form,
  }),
);

const AuditEntry = replySchema(
  "AuditEntry",
  z.object({
    logId: z.number().int(),
    event: z.string(),
    actorId: z.string(),
    actorName: z.string(),
    actorType: z.string(),
    role: z.string().nullable(),
    interaction: z.string().nullable(),
    reasoning: z.string().nullable(),
    details: anyJson,
    timestamp: z.date(),
  }),
);
export const HistoryReply = replySchema("HistoryReply", z.array(AuditEntry));

export const SweepReply = replySchema(
  "SweepReply",
  z.object({
    reclaimed: z.number().int(),
    timedOut: z.number().int(),
    failures: z
      .array(
        z.object({
          instanceId: z.string(),
          uowId: z.string().optional().describe("absent when the instance as a whole could not be swept"),
          move: z.enum(["reclaim", "timeout", "instance"]),
          error: z.string().describe("the error's class and message"),
        }),
      )
      .describe("what this sweep could not move; everything else was moved"),
  }),
);

export const OpenApiDocument = replySchema("OpenApiDocument", jsonObject.describe("an OpenAPI 3.1 document: this one"));

// ---------------------------------------------------------------------------------------------
// MCP over HTTP: JSON-RPC 2.0, read and answered by the MCP SDK (docs/mcp.md)

export const JsonRpcMessage = requestSchema(
  "JsonRpcMessage",
  anyJson.describe("a JSON-RPC 2.0 request or notification, or a batch of them; the MCP SDK checks it"),
);
export const JsonRpcReply = replySchema(
  "JsonRpcReply",
  anyJson.describe("the JSON-RPC 2.0 response (or batch of responses)"),
);
export const JsonRpcError = replySchema(
  "JsonRpcError",
  z.object({
    jsonrpc: z.literal("2.0"),
    error: z.object({ code: z.number().int(), message: z.string() }),
    id: z.null(),
  }),
);
export const McpError = replySchema(
  "McpError",
  z
    .union([ErrorReply, JsonRpcError])
    .describe("a JSON-RPC error from the MCP layer, or an ErrorReply from the HTTP server (token, body, media type)"),
);

export const SessionReply = replySchema(
  "SessionReply",
  z.object({
    kind: z
      .enum(["admin", "viewer", "actor"])
      .describe("admin: every call; viewer: every GET; actor: one actor's work"),
    operator: z
      .string()
      .nullable()
      .describe("the operator's name for an admin or viewer token (the start-up token: admin)"),
    actor: z
      .object({
        instanceId: z.string(),
        instanceName: z.string(),
        actorId: z.string(),
        actorName: z.string(),
        roles: z.array(z.object({ name: z.string(), type: z.string(), workflow: z.string() })),
      })
      .nullable()
      .describe("for an actor token: its instance, and the roles assigned to it"),
  }),
);

// ---------------------------------------------------------------------------------------------
// the instance overview, graphs and template versions

const seconds = z
  .string()
  .regex(/^[0-9]{1,2}$/)
  .describe("how old an overview kept by the server may be, 0 to 60 seconds (default 2); 0 reads the store now");

const finalizedSeconds = z
  .string()
  .regex(/^[0-9]{1,4}$/)
  .describe("how old the kept counts of FINALIZED units may be, 0 to 3600 seconds (default 60); 0 counts them now");

export const OverviewQuery = z
  .object({ maxAgeSeconds: seconds.optional(), finalizedMaxAgeSeconds: finalizedSeconds.optional() })
  .strict();

export const GRAPH_MEDIA_TYPES = {
  svg: "image/svg+xml; charset=utf-8",
  dot: "text/vnd.graphviz; charset=utf-8",
  mermaid: "text/plain; charset=utf-8",
} as const;

const graphFormat = z
  .enum(["svg", "dot", "mermaid"])
  .describe("svg (rendered by Graphviz, image/svg+xml), dot (text/vnd.graphviz) or mermaid (text/plain)");

export const InstanceGraphQuery = z
  .object({
    format: graphFormat.optional().describe("svg (default), dot or mermaid"),
    uow: z.string().optional().describe("a unit whose place (interaction, and the role holding it) is marked"),
    workflow: name.optional().describe("a nested workflow of the instance (default: the master, or the unit's)"),
    maxAgeSeconds: seconds.optional(),
  })
  .strict();

export const TemplateParams = z.object({ name: name.describe("workflow name") }).strict();

const version = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/)
  .describe("version number (default: the newest)");

export const TemplateExportQuery = z.object({ version: version.optional() }).strict();
export const TemplateGraphQuery = z
  .object({ version: version.optional(), format: graphFormat.optional().describe("svg (default), dot or mermaid") })
  .strict();

export const TemplateVersions = replySchema("TemplateVersions", z.array(Template));

export const TextReply = replySchema("TextReply", z.string().describe("the text, in the media type of the answer"));

// Every status named (not a record keyed by an enum: OpenAPI tools want the properties listed).
const count = z.number().int();
const StatusCounts = z
  .object({ PENDING: count, ACTIVE: count, COMPLETED: count, FAILED: count, TIMEOUT: count, FINALIZED: count })
  .describe("units by status (every status)");
const OverviewCounts = {
  byStatus: StatusCounts,
  waiting: z.number().int().describe("units waiting to be taken (not held)"),
  oldestWaitingSeconds: z.number().int().nullable().describe("age of the unit waiting longest; null when none waits"),
  held: z
    .array(z.object({ actorId: z.string(), actorName: z.string(), count: z.number().int() }))
    .describe("units held, by holder, most first"),
  overdue: z.number().int().describe("units waiting or held past their due time (a role's due_seconds)"),
  failuresLastHour: z.number().int().describe("FAIL and REJECT entries since windowStart"),
  finalizedLastHour: z.number().int().describe("FINALIZE entries since windowStart"),
  finalizedPerMinute: z
    .array(z.number().int())
    .describe(
      "FINALIZE entries per minute (UTC) since windowStart, 60 numbers, oldest first; the last is the current minute",
    ),
};

export const OverviewReply = replySchema(
  "OverviewReply",
  z.object({
    instance: z.object({
      instanceId: z.string(),
      name: z.string(),
      status: z.string(),
      paused: PauseInfo.nullable().describe("the instance's pause; null while it runs"),
    }),
    generatedAt: z.date().describe("the engine's time the counts were read at"),
    windowStart: z
      .date()
      .describe("where the last hour starts: the start of the minute (UTC) 59 minutes before the current one"),
    finalizedCountedAt: z.date().describe("when the FINALIZED units were counted (they are counted apart, less often)"),
    totals: z.object({ units: z.number().int(), ...OverviewCounts }),
    interactions: z.array(
      z.object({
        name: z.string(),
        workflow: z.string(),
        kind: z.enum(["queue", "errors", "timeouts", "cerberus", "gateway"]),
        staleLimitSeconds: z.number().int().nullable(),
        ...OverviewCounts,
      }),
    ),
    roles: z.array(
      z.object({
        name: z.string(),
        type: z.string(),
        workflow: z.string(),
        interactions: z.array(z.string()).describe("its INBOUND interactions"),
        paused: PauseInfo.nullable().describe("the role's own pause; null while it runs"),
        ...OverviewCounts,
      }),
    ),
    recentFailures: z
      .array(
        z.object({
          uowId: z.string(),
          event: z.enum(["FAIL", "REJECT"]),
          role: z.string().nullable(),
          interaction: z.string().nullable().describe("the interaction the unit left"),
          actorName: z.string(),
          reason: z.string(),
          at: z.date(),
        }),
      )
      .describe("the latest failures of the last hour, newest first (at most 20)"),
  }),
);

export const EventsQuery = z
  .object({
    after: z
      .string()
      .optional()
      .describe("resume after the event with this cursor (its SSE id); the Last-Event-ID header does the same"),
    from: z
      .literal("now")
      .optional()
      .describe("now: only the events written from now on (and perhaps the last moments'), for a live view"),
    unit: z.string().optional().describe("only the events of this unit (id)"),
    events: z
      .string()
      .regex(new RegExp(`^(${LogEvent.join("|")})(,(${LogEvent.join("|")}))*$`), "a comma-separated list of log events")
      .optional()
      .describe(`only these events, comma-separated (${LogEvent.join(", ")})`),
  })
  .strict();

export const EventStream = replySchema(
  "EventStream",
  z
    .string()
    .describe(
      "text/event-stream: per audit entry `id: <cursor>` and `data: <EventData as JSON>`; `: heartbeat` comments; `event: error` if the stream fails",
    ),
);

/** The data of one Server-Sent Event of GET /instances/:id/events (its SSE id is `cursor`). */
export const EventData = z.object({
  cursor: z.string(),
  logId: z.number().int(),
  event: z.enum(LogEvent),
  uowId: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  actorType: z.string(),
  role: z.string().nullable(),
  interaction: z.string().nullable(),
  details: z.unknown(),
  timestamp: z.string(),
});
