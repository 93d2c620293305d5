/**
 * The MCP tools of an actor (API.md): each takes zod-validated arguments, calls the library
 * as the server's actor in its instance, and answers with JSON text. A refusal of the library
 * is a tool error (`isError: true`) carrying the library's message.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Chameleon } from "../chameleon.js";
import { UOWStatus } from "../schema/enums.js";
import { ChameleonError, ValidationError } from "../errors.js";

/** Who the tools act as: an actor of one instance (ids, or names as the library accepts them). */
export interface McpIdentity {
  instanceId: string;
  actorId: string;
}

const name = z.string().min(1).max(255);
const jsonObject = z.record(z.string(), z.unknown());
const uowId = z.string().min(1).describe("the unit's id (uowId), as checkout_work or start_work returned it");
const leaseToken = z.string().min(1).describe("the leaseToken checkout_work returned with the unit");

/** What one submit carries: submit_work's arguments, and each entry of submit_many. */
const submitArgs = z
  .object({
    uowId,
    leaseToken,
    attributes: jsonObject.optional().describe("attributes to set: a JSON object of the keys that changed"),
    reasoning: z.string().max(1_000_000).optional().describe("why: kept with the new attribute versions"),
    children: z
      .array(
        z
          .object({
            attributes: jsonObject.describe("the child's attributes"),
            reasoning: z.string().max(1_000_000).optional(),
          })
          .strict(),
      )
      .optional()
      .describe("child units to split this unit into"),
    learn: z
      .array(
        z
          .object({
            key: name.describe("what the entry is about"),
            value: z.unknown().describe("any JSON value"),
            shared: z.boolean().optional().describe("true: for every actor of the role; default: yours only"),
          })
          .strict(),
      )
      .optional()
      .describe("memory to keep for your role"),
    priority: z
      .number()
      .int()
      .min(0)
      .max(9)
      .optional()
      .describe("the unit's new priority, 0 to 9 (higher is taken first); its children inherit it"),
  })
  .strict();

/** JSON text content, the same document whatever the client. */
export function jsonResult(value: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value ?? null, null, 2) }] };
}

/** A tool error with the library's message (and each validation issue on its own line). */
export function errorResult(error: unknown): CallToolResult {
  let text = error instanceof Error ? error.message : String(error);
  if (error instanceof ValidationError && error.issues.length > 1) {
    text += "\n" + error.issues.map((i) => `- ${i.message}`).join("\n");
  }
  return { isError: true, content: [{ type: "text", text }] };
}

interface ToolDef<S extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  readOnly?: boolean;
  run(args: z.infer<S>): Promise<unknown>;
}

type Registration = (server: McpServer) => void;

function tool<S extends z.ZodObject>(def: ToolDef<S>): Registration {
  // The SDK has validated the arguments against `input` before the callback runs.
  const input: z.ZodObject = def.input;
  return (server) => {
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: input,
        annotations: { readOnlyHint: def.readOnly ?? false, openWorldHint: false },
      },
      async (args) => {
        try {
          return jsonResult(await def.run(args as z.infer<S>));
        } catch (error) {
          if (error instanceof ChameleonError) return errorResult(error);
          throw error;
        }
      },
    );
  };
}

export function actorTools(ch: Chameleon, who: McpIdentity): Registration[] {
  const { instanceId, actorId } = who;
  return [
    tool({
      name: "checkout_work",
      title: "Check out work",
      description:
        "Take the oldest unit of work waiting for one of your roles. Returns the unit: uowId, leaseToken, " +
        "attributes (the data to work on), memory (what your role has learned: shared entries overlaid by your own) " +
        "and, for an OMEGA role, the whole set of units. Returns null when no unit is waiting: try again later. " +
        "With uowId, takes that unit or fails saying why (taken, wrong status, not waiting for the role, refused by its guardian). " +
        "You then hold the unit: finish it with submit_work, or give up with report_failure. " +
        "leaseExpiresAt says how long the lease lasts (the role's lease_seconds): without a heartbeat before then the " +
        "unit is given to someone else. form, when the role declares one, lists the fields submit_work must fill " +
        "(key, type, required, choices).",
      input: z
        .object({
          role: name.describe("the role to work as; it must be assigned to you"),
          uowId: z
            .string()
            .min(1)
            .optional()
            .describe("a unit to take instead of the oldest: you get it, or an error saying why not"),
        })
        .strict(),
      run: ({ role, uowId }) =>
        ch.work.checkout(instanceId, { role, actorId, ...(uowId === undefined ? {} : { uowId }) }),
    }),
    tool({
      name: "checkout_many",
      title: "Check out several units",
      description:
        "Take up to max (1 to 100) units waiting for one of your roles at once, in queue order (higher priority " +
        "first, then the longest waiting). Returns { units }: each as checkout_work returns it, with its own " +
        "leaseToken and leaseExpiresAt; fewer, or none, when fewer wait. Finish them with submit_many (or one by " +
        "one with submit_work), or give each up with report_failure.",
      input: z
        .object({
          role: name.describe("the role to work as; it must be assigned to you"),
          max: z.number().int().min(1).max(100).describe("the most units to take, 1 to 100"),
        })
        .strict(),
      run: async ({ role, max }) => ({ units: await ch.work.checkoutMany(instanceId, { role, actorId, max }) }),
    }),
    tool({
      name: "submit_work",
      title: "Submit work",
      description:
        "Finish a unit you checked out. Give only the attributes you changed or added (keys starting with '_' " +
        "are reserved), your reasoning, optionally children (new units to split the work into, each with its own " +
        "attributes) and learn (entries to remember for next time: key, value, shared for the whole role; kept once " +
        "the work is finalized). The unit is routed on; returns its new status and interaction. Refused when your " +
        "lease was lost (expired or reclaimed): check out again; refused, naming the field, when the role's form " +
        "requires a field you left out or gave the wrong type.",
      input: submitArgs,
      run: (args) => ch.work.submit(instanceId, { ...args, actorId }),
    }),
    tool({
      name: "submit_many",
      title: "Submit several units",
      description:
        "Finish several units you hold at once: submits is a list of 1 to 100 submits, each as submit_work takes " +
        "it (uowId, leaseToken, attributes, reasoning, children, learn, priority), each of a different unit. " +
        "Returns { results } in the same order: { uowId, ok: true, result } for a unit submitted, or { uowId, " +
        "ok: false, error: { name, message } } for one refused (a lost lease is a ConflictError: check it out " +
        "again; a form field missing is a ValidationError naming it), which is left as it was while the others go through.",
      input: z
        .object({
          submits: z.array(submitArgs).min(1).max(100).describe("1 to 100 submits, each of a different unit"),
        })
        .strict(),
      run: async ({ submits }) => ({
        results: await ch.work.submitMany(
          instanceId,
          submits.map((args) => ({ ...args, actorId })),
        ),
      }),
    }),
    tool({
      name: "report_failure",
      title: "Report failure",
      description:
        "Say that you could not do a unit you hold: error tells why, details may carry any JSON. The unit leaves " +
        "you and goes to the workflow's error-handling role. With retryable: true (a passing problem: a timeout, a " +
        "service down), while attempts remain it waits in its interaction again, not before its role's retry " +
        "backoff (availableAt). Returns its new status and interaction.",
      input: z
        .object({
          uowId,
          leaseToken,
          error: z.string().min(1).max(65_535).describe("what went wrong, for the people and agents who handle it"),
          details: z.unknown().optional().describe("any JSON value with more about the failure"),
          retryable: z.boolean().optional().describe("true: the failure may pass on another attempt"),
        })
        .strict(),
      run: (args) => ch.work.fail(instanceId, { ...args, actorId }),
    }),
    tool({
      name: "heartbeat",
      title: "Heartbeat",
      description:
        "Keep your lease on a unit you hold while you are still working on it (send one every minute or so on long " +
        "tasks). Returns leaseExpiresAt. Refused when the lease was already lost.",
      input: z.object({ uowId, leaseToken }).strict(),
      run: (args) => ch.work.heartbeat(instanceId, { ...args, actorId }),
    }),
    tool({
      name: "get_memory",
      title: "Get memory",
      description:
        "Read what your role has learned, as checkout_work serves it: the role's shared entries overlaid by your own. " +
        "query keeps only the keys containing that text. Returns [{ memoryId, key, value, shared }].",
      input: z
        .object({
          role: name.describe("one of your roles"),
          query: z.string().max(255).optional().describe("only keys containing this text (case-insensitive)"),
        })
        .strict(),
      readOnly: true,
      run: (args) => ch.memory.get(instanceId, { ...args, actorId }),
    }),
    tool({
      name: "start_work",
      title: "Start work",
      description:
        "Start a new unit of work (genesis) with the given attributes; it enters the workflow at its start. " +
        "You need the workflow's ALPHA (start) role. Returns the new uowId. Give an idempotencyKey to make a " +
        "retry safe: the same key returns the unit the first call made (created: false) instead of a second one.",
      input: z
        .object({
          attributes: jsonObject.describe("the new unit's attributes: a JSON object"),
          reasoning: z.string().max(1_000_000).optional().describe("why this work is started"),
          idempotencyKey: z.string().min(1).max(255).optional().describe("a key of yours for this start"),
          priority: z.number().int().min(0).max(9).optional().describe("0 to 9, higher is taken first (default 5)"),
        })
        .strict(),
      run: (args) => ch.work.start(instanceId, { ...args, actorId }),
    }),
    tool({
      name: "held_work",
      title: "Held work",
      description:
        "The units you hold now, with their lease tokens, roles, lease expiry and attributes: take up a claim " +
        "after a lost answer or a restart instead of waiting for its lease to expire. role keeps one role's units.",
      input: z.object({ role: name.optional().describe("one of your roles") }).strict(),
      readOnly: true,
      run: (args) => ch.work.held(instanceId, { ...args, actorId }),
    }),
    tool({
      name: "get_unit",
      title: "Get unit",
      description:
        "Show a unit of one of your roles, or one you acted on: status, interaction (where it waits), attempt, who holds it, its latest " +
        "attributes, and its children's progress.",
      input: z.object({ uowId }).strict(),
      readOnly: true,
      run: ({ uowId }) => ch.work.get(instanceId, uowId, { reader: actorId }),
    }),
    tool({
      name: "list_work",
      title: "List work",
      description:
        "List the units waiting for one of your roles (role), oldest first, to choose one to check out " +
        "(checkout_work with its uowId); without role, the units you hold. where is a condition over the attributes in the guardians' " +
        "language (amount > 5000 and vendor == 'ACME'); attributes names the keys to show on each row; limit " +
        "(default 50, at most 500) and after (the last uowId of the previous page) page through. Each row has " +
        "uowId, status, interaction, attempt, heldBy, leaseExpiresAt, priority, dueAt and overdue; overdue: true " +
        "keeps the units past their due time; nextAfter is the after of the next page, or null on the last.",
      input: z
        .object({
          role: name.optional().describe("one of your roles: the units waiting for it (else: the units you hold)"),
          status: z.enum(UOWStatus).optional().describe("units in this status"),
          where: z.string().min(1).max(4096).optional().describe("a condition over the attributes"),
          overdue: z.boolean().optional().describe("true: only units waiting or held past their due time"),
          attributes: z.array(name).max(100).optional().describe("attribute keys to show per row"),
          limit: z.number().int().min(1).max(500).optional().describe("at most this many units (default 50)"),
          after: z.string().min(1).optional().describe("uowId of the last unit of the previous page"),
        })
        .strict(),
      readOnly: true,
      run: async (args) => {
        const mine = args.role === undefined ? { heldBy: actorId } : {};
        const units = await ch.work.list(instanceId, { limit: 50, ...args, ...mine, reader: actorId });
        return { units: [...units], nextAfter: units.nextAfter };
      },
    }),
    tool({
      name: "unit_history",
      title: "Unit history",
      description:
        "The audit trail of a unit of one of your roles, or one you acted on, oldest first: each move with the actor's name and type, the " +
        "role, the interaction, the reasoning given with it, and its details. Read it to learn what was done " +
        "before you and why.",
      input: z.object({ uowId }).strict(),
      readOnly: true,
      run: ({ uowId }) => ch.work.history(instanceId, uowId, { reader: actorId }),
    }),
    tool({
      name: "instance_overview",
      title: "Instance overview",
      description:
        "How your roles stand now. Per interaction and per role (yours, and the interactions they take units from): units by status, waiting (with the oldest " +
        "one's age in seconds), held (by whom), failures and finalized units of the last hour, and finalized per " +
        "minute (60 numbers, oldest first); instance totals; recentFailures with their reasons. Use it to pick " +
        "where work piles up, or to see why units failed. `instance.paused` and each role's `paused` say what an " +
        "operator paused (nothing is checked out from a paused role, and a paused instance starts no work). The " +
        "counts may be up to 2 seconds old.",
      input: z.object({}).strict(),
      readOnly: true,
      run: () => ch.instances.overview(instanceId, { reader: actorId }),
    }),
  ];
}
