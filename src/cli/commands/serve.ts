/**
 * `chameleon serve`: the HTTP API (and MCP at /mcp) until SIGINT or SIGTERM, with a background
 * sweep; structured JSON log lines on stdout. Shutdown is graceful: stop accepting, finish the
 * requests in flight, stop the sweep, close the stores.
 */
import type { Command } from "commander";
import type { FastifyInstance } from "fastify";
import { SETTING_RANGES } from "../../engine/limits.js";
import {
  BODY_LIMIT_RANGE,
  DEFAULT_BODY_LIMIT,
  DEFAULT_SWEEP_INTERVAL_MS,
  MIN_ADMIN_TOKEN_LENGTH,
} from "../../http/settings.js";
import { ChameleonError } from "../../errors.js";
import { WAIT_FOR_STORE_MAX_SECONDS } from "../../chameleon.js";
import { intOption, UsageError, WAIT_FOR_STORE_OPTION, withChameleon } from "../io.js";
import { untilSignal } from "../signals.js";

interface ServeOptions {
  port: string;
  host: string;
  adminToken?: string;
  bodyLimit?: string;
  sweepInterval?: string;
  logLevel: string;
  waitForStore: string;
  /** --metrics-public (true), --no-metrics (false), or neither (undefined: an operator token is needed). */
  metrics?: boolean;
  metricsPublic?: boolean;
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("Serve the HTTP API (and MCP at /mcp) until SIGINT or SIGTERM")
    .option("--port <port>", "TCP port; 0 picks a free one", "3000")
    .option("--host <host>", "address to listen on (0.0.0.0: every interface)", "127.0.0.1")
    .option("--admin-token <token>", "the admin bearer token (env CHAMELEON_ADMIN_TOKEN); required")
    .option("--body-limit <bytes>", `largest request body accepted (default ${DEFAULT_BODY_LIMIT})`)
    .option("--sweep-interval <ms>", `how often expired leases are reclaimed (default ${DEFAULT_SWEEP_INTERVAL_MS})`)
    .option("--log-level <level>", `log level: ${LEVELS.join(", ")}`, "info")
    .option(...WAIT_FOR_STORE_OPTION)
    .option("--metrics-public", "serve GET /metrics without a token (default: the admin or an operator token)")
    .option("--no-metrics", "serve no GET /metrics")
    .addHelpText(
      "after",
      `
Every request but GET /health needs 'Authorization: Bearer <token>': the admin token, or an
actor token (chameleon actor token INSTANCE ACTOR, or POST /instances/:id/actors/:actor/tokens)
that acts as that actor in its instance only. The web console is at /ui/ (sign in there with
either token). The OpenAPI description is at /openapi.json; see docs/http.md, docs/console.md
and docs/mcp.md. Prometheus metrics are at /metrics (the admin token or an operator token, a
viewer's is enough; none with --metrics-public): see docs/observe.md. Logs are JSON lines on stdout.

Examples:
  CHAMELEON_ADMIN_TOKEN=$(openssl rand -hex 24) chameleon serve
  chameleon serve --port 8080 --host 0.0.0.0 --admin-token "$TOKEN"
  chameleon --instances postgres://app@db/chameleon serve --admin-token "$TOKEN"`,
    )
    .action(async (opts: ServeOptions, cmd: Command) => {
      const adminToken = opts.adminToken ?? process.env.CHAMELEON_ADMIN_TOKEN;
      if (adminToken === undefined || adminToken === "") {
        throw new UsageError("serve needs an admin token: --admin-token TOKEN or CHAMELEON_ADMIN_TOKEN");
      }
      if (adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
        throw new UsageError(`the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
      }
      const port = intOption("--port", opts.port, 0, 65_535)!;
      const bodyLimitBytes = intOption("--body-limit", opts.bodyLimit, BODY_LIMIT_RANGE.min, BODY_LIMIT_RANGE.max);
      // setInterval takes at most 2^31-1 ms: a larger interval would fire every millisecond.
      const { min, max } = SETTING_RANGES.intervalMs;
      const sweepIntervalMs = intOption("--sweep-interval", opts.sweepInterval, min, max);
      if (!LEVELS.includes(opts.logLevel)) {
        throw new UsageError(`--log-level must be one of ${LEVELS.join(", ")}, not '${opts.logLevel}'`);
      }
      const waitForStoreSeconds = intOption("--wait-for-store", opts.waitForStore, 0, WAIT_FOR_STORE_MAX_SECONDS)!;

      if (opts.metricsPublic && opts.metrics === false) {
        throw new UsageError("give --metrics-public or --no-metrics, not both");
      }
      const metrics = opts.metrics === false ? "off" : opts.metricsPublic ? "public" : "operator";

      await withChameleon(
        cmd,
        async (ch) => {
          // Loaded here, not at the top: every other command starts without Fastify.
          const { createHttpServer } = await import("../../http/server.js");
          const app = createHttpServer(ch, {
            adminToken,
            bodyLimitBytes,
            sweepIntervalMs,
            logger: { level: opts.logLevel },
            metrics,
          });
          const signals = untilSignal((signal) => app.log.warn({ signal }, "second signal: exiting at once"));
          try {
            await listenOn(app, opts.host, port);
            const signal = await signals.stopping;
            app.log.info({ signal }, "shutting down: finishing the requests in flight");
            await app.close();
            app.log.info("stopped");
          } finally {
            signals.dispose();
          }
        },
        { waitForStoreSeconds },
      );
    });
}

/** The port is taken or not ours to use: one line, exit 1. */
class ListenError extends ChameleonError {}

/** Listens, or closes the server and throws one line saying why it cannot (the port is taken, ...). */
export async function listenOn(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    // listen() has made the server ready: close it so that its sweep stops before the stores close.
    await app.close().catch(() => {});
    throw listenError(error, host, port);
  }
}

/** One line saying why `host:port` cannot be listened on (also for the worker's metrics port). */
export function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === "EADDRINUSE") return new ListenError(`cannot listen on ${where}: the address is already in use`);
  if (code === "EACCES") return new ListenError(`cannot listen on ${where}: permission denied`);
  if (code === "EADDRNOTAVAIL") return new ListenError(`cannot listen on ${where}: no such local address`);
  return new ListenError(`cannot listen on ${where}: ${(error as Error).message}`);
}
