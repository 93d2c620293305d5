/**
 * One route: its zod schemas (turned into the JSON Schema Fastify validates and serializes
 * with, and OpenAPI describes), who may call it, and a handler typed from those schemas. The
 * handler's result must fit the response schema's input type, so a library result that no
 * longer fits its schema is a compile error rather than a silently dropped field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Access, Caller } from "./auth.js";
import { HttpError } from "./errors.js";
import { ErrorReply, jsonSchema, NoFields, schemaRef } from "./schemas.js";

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The caller; null only on public routes. */
  caller: Caller | null;
  request: FastifyRequest;
  /** For headers of the answer (a Link to the next page); the route sends the body. */
  reply: FastifyReply;
  /** The instance to hand the library: the token's own instance for an actor token, else `:id`. */
  instance: string;
  /** The actor to act as: the token's own actor, or the one the admin named (possibly none). */
  actor(named: string | undefined): string | undefined;
}

export interface RouteDef<P, Q, B, R> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  /** The operation's name in the OpenAPI document (a generated client's method): a camelCase verb, unique. */
  operationId: string;
  access: Access;
  tags: string[];
  summary: string;
  description?: string;
  params?: z.ZodType<P>;
  querystring?: z.ZodType<Q>;
  /** Bodies and responses are named schemas (`requestSchema`, `replySchema` in schemas.ts). */
  body?: z.ZodType<B>;
  /** Body schemas by media type, for a route that takes more than JSON (they replace `body` there). */
  bodyByType?: Record<string, z.ZodType>;
  /** Success status (default 200); 204 sends no body. */
  status?: 200 | 201 | 204;
  response?: z.ZodType<unknown, R>;
  /**
   * For a route that answers text other than JSON (YAML, SVG, DOT): its media types, which the
   * description lists for the success response (the handler sets the one it sends).
   */
  responseTypes?: readonly string[];
  /**
   * A route that answers with a stream of this media type instead of JSON (Server-Sent Events):
   * its handler writes to `reply.raw` after `reply.hijack()`; `description` says what the stream carries.
   */
  stream?: { mediaType: "text/event-stream"; description: string; schema: z.ZodType };
  handler(ctx: RouteContext<P, Q, B>): Promise<NoInfer<R>>;
}

export type Registrar = (app: FastifyInstance) => void;

const NOTHING = z.object({}).strict();

/** The error statuses every route may answer (a public route: only 400 and 5xx), each with an ErrorReply. */
const ERROR_RESPONSES: Record<number, string> = {
  400: "Invalid input: the request's schema or the library's ValidationError; `issues` names each problem",
  401: "No bearer token, or an unknown or revoked one",
  403: "The token may not do this",
  404: "An unknown instance, workflow, unit, actor, role or route",
  409: "A lost lease, a move the transition table refuses, or a name taken",
  413: "A body over the body limit, or input over one of the library's limits",
  415: "A Content-Type the route does not take",
  500: "Anything else (the message, never a stack)",
  503: "The store cannot be reached, or the connection was lost after the change was sent for commit (read back first)",
};

const SUCCESS: Record<number, string> = { 200: "Done", 201: "Created", 204: "Done: no content" };

/** The response schemas of a route: the given ones, and each other error status with ErrorReply. */
export function responses(
  access: Access,
  given: Record<number, Record<string, unknown>>,
): Record<number, Record<string, unknown>> {
  const errorSchema = schemaRef(ErrorReply, "the error reply");
  const out: Record<number, Record<string, unknown>> = { ...given };
  for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
    if (access !== "public" || status === "400" || Number(status) >= 500)
      out[Number(status)] ??= { description, ...errorSchema };
  }
  return out;
}

/** A 415 for a body of a media type the route does not take (Fastify would parse text/plain as a string). */
function checkMediaType(request: FastifyRequest, accepted: readonly string[]): void {
  const header = request.headers["content-type"];
  if (header === undefined) return;
  const type = header.split(";")[0]!.trim().toLowerCase();
  if (!accepted.includes(type)) {
    throw new HttpError(
      415,
      "FST_ERR_CTP_INVALID_MEDIA_TYPE",
      `${request.method} ${request.routeOptions.url} does not take Content-Type '${type}': send ${accepted.join(" or ")}`,
    );
  }
}

export function route<P = undefined, Q = undefined, B = undefined, R = void>(def: RouteDef<P, Q, B, R>): Registrar {
  const status = def.status ?? 200;
  const what = `${def.method} ${def.url}`;
  const description = def.stream?.description ?? def.response?.description ?? SUCCESS[status]!;
  const response = responses(def.access, {
    [status]: def.stream
      ? {
          description,
          content: { [def.stream.mediaType]: { schema: schemaRef(def.stream.schema, `${what}: its stream`) } },
        }
      : def.response === undefined || status === 204
        ? { type: "null", description }
        : def.responseTypes !== undefined
          ? {
              description,
              content: Object.fromEntries(
                def.responseTypes.map((t) => [t, { schema: schemaRef(def.response!, `${what}: its response`) }]),
              ),
            }
          : { description, ...schemaRef(def.response, `${what}: its response`) },
  });
  const schema: Record<string, unknown> = {
    operationId: def.operationId,
    tags: def.tags,
    summary: def.summary,
    ...(def.description === undefined ? {} : { description: def.description }),
    ...(def.access === "public" ? { security: [] } : {}),
    ...(def.params === undefined ? {} : { params: jsonSchema(def.params) }),
    // No query string is taken where none is declared: an unknown parameter is a 400 like an unknown field.
    querystring: jsonSchema(def.querystring ?? NOTHING),
    response,
  };
  if (def.bodyByType !== undefined) {
    schema.body = {
      content: Object.fromEntries(
        Object.entries(def.bodyByType).map(([type, s]) => [
          type,
          { schema: schemaRef(s, `${what}: its ${type} body`) },
        ]),
      ),
    };
  } else if (def.body !== undefined) {
    schema.body = schemaRef(def.body, `${what}: its body`);
  } else if (def.method === "POST" || def.method === "PUT") {
    schema.body = schemaRef(NoFields, `${what}: its body`);
  }
  const accepted = def.bodyByType !== undefined ? Object.keys(def.bodyByType) : ["application/json"];
  const takesBody = def.method === "POST" || def.method === "PUT";
  return (app) => {
    app.route({
      method: def.method,
      url: def.url,
      config: { access: def.access },
      schema,
      // After authentication (onRequest), before the body is read.
      ...(takesBody ? { preParsing: async (request: FastifyRequest) => checkMediaType(request, accepted) } : {}),
      handler: async (request, reply) => {
        const caller = request.caller;
        const params = request.params as P;
        const ctx: RouteContext<P, Q, B> = {
          params,
          query: request.query as Q,
          body: request.body as B,
          caller,
          request,
          reply,
          instance: caller?.kind === "actor" ? caller.instanceId : ((params as { id?: string } | undefined)?.id ?? ""),
          actor: (named) => (caller?.kind === "actor" ? caller.actorId : named),
        };
        const result = await def.handler(ctx);
        // A stream wrote its own answer.
        if (reply.sent) return reply;
        reply.code(status);
        return status === 204 ? reply.send() : reply.send(result);
      },
    });
  };
}
