/**
 * Errors to HTTP: the library's typed errors keep their class name and message; Fastify's own
 * (schema validation, body too large, bad JSON) are said the same way. Every error body is
 * `{ error, message, issues? }`; a 500 carries the message, never a stack.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ChameleonError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OutcomeUnknownError,
  PayloadTooLargeError,
  StoreError,
  ValidationError,
  type ValidationIssue,
} from "../errors.js";

export interface ErrorBody {
  error: string;
  message: string;
  issues?: ValidationIssue[];
}

/** A refusal of the HTTP layer itself: no or bad token (401), a token out of its scope (403). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const unauthorized = (message: string) => new HttpError(401, "Unauthorized", message);
export const forbidden = (message: string) => new HttpError(403, "ForbiddenError", message);

interface AjvError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** One issue per schema error, naming where: `body.attributes`, `querystring.limit`, `params.uow`. */
function schemaIssues(errors: AjvError[], context: string): ValidationIssue[] {
  return errors.map((e) => {
    const inner = (e.instancePath ?? "")
      .split("/")
      .filter(Boolean)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const at = [context, ...inner].join(".");
    const field = e.params?.additionalProperty ?? e.params?.missingProperty;
    const path = typeof field === "string" ? `${at}.${field}` : at;
    let message: string;
    if (e.keyword === "additionalProperties") message = `${at}: unknown field '${String(field)}'`;
    else if (e.keyword === "required") message = `${at}: missing field '${String(field)}'`;
    else if (e.keyword === "enum")
      message = `${at}: ${e.message ?? "invalid"} (${(e.params?.allowedValues as unknown[] | undefined)?.join(", ")})`;
    else message = `${at}: ${e.message ?? "invalid"}`;
    return { rule: 0, path, message };
  });
}

/** The status and body an error earns. */
export function errorReply(error: unknown, bodyLimit?: number): { status: number; body: ErrorBody } {
  if (error instanceof HttpError)
    return { status: error.statusCode, body: { error: error.code, message: error.message } };
  if (error instanceof ChameleonError) {
    const body: ErrorBody = { error: error.name, message: error.message };
    if (error instanceof ValidationError) return { status: 400, body: { ...body, issues: error.issues } };
    if (error instanceof NotFoundError) return { status: 404, body };
    if (error instanceof ConflictError) return { status: 409, body };
    if (error instanceof ForbiddenError) return { status: 403, body };
    if (error instanceof PayloadTooLargeError) return { status: 413, body };
    // The database may have applied the change: the client reads back or retries with its key.
    if (error instanceof OutcomeUnknownError) return { status: 503, body };
    // A store that cannot be reached now (a lost connection, retries spent): try again later.
    if (error instanceof StoreError) return { status: 503, body };
    return { status: 500, body };
  }
  const fe = error as Partial<FastifyError> | undefined;
  if (fe && Array.isArray(fe.validation)) {
    const issues = schemaIssues(fe.validation as AjvError[], fe.validationContext ?? "request");
    return {
      status: 400,
      body: { error: "ValidationError", message: issues[0]?.message ?? String(fe.message), issues },
    };
  }
  if (fe?.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    const limit = bodyLimit === undefined ? "allowed" : `${bodyLimit} bytes`;
    return {
      status: 413,
      body: { error: "PayloadTooLargeError", message: `the request body is larger than ${limit}` },
    };
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  const message = error instanceof Error ? error.message : String(error);
  if (status >= 400 && status < 500) return { status, body: { error: fe?.code ?? "BadRequest", message } };
  return { status: 500, body: { error: fe?.code ?? (error instanceof Error ? error.name : "Error"), message } };
}

export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorReply(error, bodyLimit);
    if (status >= 500) request.log.error({ err: error }, body.message);
    else request.log.info({ status, error: body.error }, body.message);
    if (status === 401) void reply.header("www-authenticate", "Bearer");
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(404)
      .send({ error: "NotFoundError", message: `no route ${request.method} ${request.url.split("?")[0]}` }),
  );
}
