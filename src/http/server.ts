/**
 * The HTTP API (API.md): a thin Fastify layer over the library. It parses and validates the
 * request against the route's schema, checks the bearer token's scope, calls the library and
 * formats the result or the error. It never touches the database itself.
 */
import { packageVersion } from "../version.js";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import type { Chameleon } from "../chameleon.js";
import { SETTING_RANGES } from "../engine/limits.js";
import { ValidationError } from "../errors.js";
import { registerMcpHttp } from "../mcp/http.js";
import { createMetrics } from "../metrics/registry.js";
import { installAuth } from "./auth.js";
import { registerConsole } from "./console.js";
import { errorReply, installErrorHandlers } from "./errors.js";
import { registerOpenApi, registerOpenApiRoute } from "./openapi.js";
import type { Registrar } from "./route.js";
import { adminRoutes } from "./routes/admin.js";
import { eventRoutes } from "./routes/events.js";
import { metricsRoutes } from "./routes/metrics.js";
import { instanceRoutes } from "./routes/instances.js";
import { memoryRoutes } from "./routes/memory.js";
import { operatorRoutes } from "./routes/operators.js";
import { pauseRoutes } from "./routes/pause.js";
import { scheduleRoutes } from "./routes/schedules.js";
import { sessionRoutes } from "./routes/session.js";
import { templateRoutes, YAML_TYPES } from "./routes/templates.js";
import { workRoutes } from "./routes/work.js";
import { startSweeper, type Sweeper } from "./sweeper.js";
import {
  BODY_LIMIT_RANGE,
  DEFAULT_BODY_LIMIT,
  DEFAULT_SWEEP_INTERVAL_MS,
  METRICS_ACCESS,
  MIN_ADMIN_TOKEN_LENGTH,
  type MetricsAccess,
} from "./settings.js";

export interface HttpServerOptions {
  /** The token that may do everything; actor tokens come from `ch.actors.issueToken`. */
  adminToken: string;
  /** Largest request body accepted (default 2 MiB: a 1 MiB blueprint wrapped in JSON); larger is a 413. */
  bodyLimitBytes?: number;
  /** Fastify's logger option: false (default), true for JSON lines on stdout, or pino options. */
  logger?: FastifyServerOptions["logger"];
  /** How often the background sweep runs while the server is up (default 5000 ms; 0: never). */
  sweepIntervalMs?: number;
  /** The built console's folder (default: the package's `dist/console`). */
  consoleDir?: string;
  /**
   * GET /metrics (docs/observe.md): "operator" (default) needs the admin token or an operator
   * token, "public" needs none, "off" serves no metrics and attaches nothing to the engine.
   */
  metrics?: MetricsAccess;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function checkRange(option: string, value: unknown, range: { min: number; max: number }): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw ValidationError.single(
      option,
      `createHttpServer ${option} must be a whole number from ${range.min} to ${range.max}, not ${String(value)}`,
    );
  }
}

/** The server with every route, not listening yet: call `listen()` (or `ready()`), and `close()` to stop. */
export function createHttpServer(ch: Chameleon, options: HttpServerOptions): FastifyInstance {
  if (typeof options.adminToken !== "string" || options.adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  checkRange("bodyLimitBytes", bodyLimit, BODY_LIMIT_RANGE);
  checkRange("sweepIntervalMs", options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, SETTING_RANGES.intervalMs);
  const metricsAccess = options.metrics ?? "operator";
  if (!METRICS_ACCESS.includes(metricsAccess)) {
    throw ValidationError.single(
      "metrics",
      `createHttpServer metrics must be one of ${METRICS_ACCESS.join(", ")}, not ${String(metricsAccess)}`,
    );
  }
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    exposeHeadRoutes: false,
    // Names may be 255 characters long (a role name with its workflow, URL-encoded, longer).
    routerOptions: { maxParamLength: 1024 },
    // Errors Fastify raises before a route runs (bad URL, too long a parameter) get the same body.
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = errorReply(error, bodyLimit);
      void (reply as unknown as FastifyReply).code(status).send(body);
    },
    // Unknown fields are refused, not stripped, and values are not coerced: "3" is not a number.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });

  installErrorHandlers(app, bodyLimit);
  installAuth(app, ch, options.adminToken);
  // Fastify's JSON parser, but a key JavaScript objects do not keep as data is named, not "not valid JSON".
  const strictJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) =>
    strictJson(request, body as string, (error, value) => {
      if (error !== null && isJson(body as string)) {
        done(
          ValidationError.single(
            "body",
            "body has a key '__proto__' (or 'constructor' with 'prototype'), which JavaScript objects do not keep as data: use another key",
          ),
          undefined,
        );
      } else done(error, value);
    }),
  );
  app.addContentTypeParser(YAML_TYPES, { parseAs: "string" }, (_request, body, done) => done(null, body));
  // A POST or PUT without a body is validated as an empty object: its missing fields are named.
  app.addHook("preValidation", async (request) => {
    if (request.body === undefined && (request.method === "POST" || request.method === "PUT")) request.body = {};
  });

  const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  let sweeper: Sweeper | null = null;
  if (interval > 0) {
    app.addHook("onReady", async () => {
      sweeper = startSweeper(ch, interval, app.log);
    });
    app.addHook("onClose", async () => {
      await sweeper?.stop();
    });
  }

  // The server's own registry: the gauges read from the store are exported here (one server, not every worker).
  const streams = new Set<AbortController>();
  const metrics =
    metricsAccess === "off" ? null : createMetrics(ch, { storeGauges: true, eventStreamClients: () => streams.size });
  if (metrics) app.addHook("onClose", async () => metrics.close());

  void app.register(async (api) => {
    await registerOpenApi(api, packageVersion());
    const routes: Registrar[] = [
      ...adminRoutes(ch),
      ...(metrics ? metricsRoutes(metrics, metricsAccess === "public" ? "public" : "operator") : []),
      ...templateRoutes(ch),
      ...instanceRoutes(ch),
      ...eventRoutes(ch, streams),
      ...workRoutes(ch),
      ...memoryRoutes(ch),
      ...operatorRoutes(ch),
      ...pauseRoutes(ch),
      ...scheduleRoutes(ch),
      ...sessionRoutes(ch),
    ];
    for (const register of routes) register(api);
    registerMcpHttp(api, ch);
    registerOpenApiRoute(api);
    await registerConsole(api, options.consoleDir);
  });
  return app;
}
