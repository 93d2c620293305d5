/** `chameleon sweep`, `chameleon worker` and `chameleon memory ...`: running and tending instances. */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import { invoiceHandlers, orderHandlers } from "../../demo/handlers.js";
import { SETTING_RANGES } from "../../engine/limits.js";
import { listenForMetrics, type MetricsServer } from "../../metrics/listen.js";
import type { Handler } from "../../worker/worker.js";
import { WAIT_FOR_STORE_MAX_SECONDS } from "../../chameleon.js";
import {
  globals,
  intOption,
  output,
  parseJsonOption,
  table,
  UsageError,
  WAIT_FOR_STORE_OPTION,
  withChameleon,
} from "../io.js";
import { listenError } from "./serve.js";

export function registerOperations(program: Command): void {
  program
    .command("sweep")
    .description("Reclaim expired leases and move stale units to TAU, in one instance or in all")
    .argument("[instance]", "instance name or id (default: every active instance)")
    .action(async (instance: string | undefined, _opts: unknown, cmd: Command) => {
      const r = await withChameleon(cmd, (ch) => ch.sweep(instance));
      output(cmd, r, (x) => `reclaimed ${x.reclaimed} expired lease(s), timed out ${x.timedOut} stale unit(s)`);
      // What could not be moved goes to stderr, one line each, and makes the exit code 1.
      for (const f of r.failures) {
        const what =
          f.move === "instance" ? "sweep" : `${f.move === "reclaim" ? "reclaim" : "time out"} unit ${f.uowId} in`;
        process.stderr.write(`chameleon: sweep could not ${what} instance ${f.instanceId}: ${f.error}\n`);
      }
      if (r.failures.length > 0) process.exitCode = 1;
    });

  program
    .command("worker")
    .description("Run handlers for the roles of an instance until stopped (Ctrl-C finishes what it holds)")
    .argument("<instance>", "instance name or id")
    .option(
      "--handlers <module>",
      "an ES module exporting `handlers` (or a default export): { RoleName: async (unit) => ({ attributes }) }",
    )
    .option("--demo", "use the built-in demo handlers of the example blueprints")
    .option("--concurrency <n>", "units handled at the same time", "4")
    .option(
      "--batch <n>",
      `units claimed per checkout and submitted together (1 to ${SETTING_RANGES.batchSize.max}; at most --concurrency at once)`,
      "1",
    )
    .option("--actor <actor>", "the actor the handlers act as (default: per role, an actor assigned to it)")
    .option(...WAIT_FOR_STORE_OPTION)
    .option(
      "--metrics-port <port>",
      "serve this worker's Prometheus metrics at http://HOST:PORT/metrics (0 picks a port)",
    )
    .option("--metrics-host <host>", "the address of the metrics endpoint", "127.0.0.1")
    .addHelpText(
      "after",
      `
The worker also does OMEGA's and TAU's job with the SYSTEM actor where no actor is assigned to
them, and sweeps expired leases every few seconds. SIGINT or SIGTERM stops it gracefully.

With --metrics-port it serves its own counters and histograms (steps, failures, reclaims,
timeouts, checkout wait, step duration) and its database pools at /metrics, without a token;
the units by status are exported by 'chameleon serve' only (see docs/observe.md).

Examples:
  chameleon worker invoices-eu --demo
  chameleon worker invoices-eu --handlers ./handlers.mjs --concurrency 8
  chameleon worker invoices-eu --handlers ./handlers.mjs --concurrency 20 --batch 10
  chameleon worker invoices-eu --demo --metrics-port 9464`,
    )
    .action(
      async (
        instance: string,
        opts: {
          handlers?: string;
          demo?: boolean;
          concurrency: string;
          batch: string;
          actor?: string;
          metricsPort?: string;
          metricsHost: string;
          waitForStore: string;
        },
        cmd: Command,
      ) => {
        if (opts.handlers && opts.demo) throw new UsageError("give --handlers MODULE or --demo, not both");
        // Without handlers the worker still does OMEGA's and TAU's job with SYSTEM, and sweeps.
        const handlers = opts.handlers
          ? await loadHandlers(opts.handlers)
          : opts.demo
            ? { ...invoiceHandlers(), ...orderHandlers() }
            : {};
        const concurrency = intOption("--concurrency", opts.concurrency, 1, SETTING_RANGES.concurrency.max)!;
        const batchSize = intOption("--batch", opts.batch, 1, SETTING_RANGES.batchSize.max)!;
        const metricsPort = intOption("--metrics-port", opts.metricsPort, 0, 65_535);
        const waitForStoreSeconds = intOption("--wait-for-store", opts.waitForStore, 0, WAIT_FOR_STORE_MAX_SECONDS)!;
        const stats = await withChameleon(
          cmd,
          async (ch) => {
            const roles = new Set((await ch.instances.get(instance)).roles.map((r) => r.name));
            const mine = Object.fromEntries(Object.entries(handlers).filter(([role]) => !opts.demo || roles.has(role)));
            const worker = ch.worker({
              instanceId: instance,
              handlers: mine,
              concurrency,
              batchSize,
              actorId: opts.actor,
            });
            const quiet = globals(cmd).json;
            // The worker's own counters and histograms, counted from before its first checkout.
            // prom-client is loaded only when metrics are asked for.
            const metrics =
              metricsPort === undefined
                ? null
                : (await import("../../metrics/registry.js")).createMetrics(ch, { storeGauges: false });
            let endpoint: MetricsServer | null = null;
            if (metrics) {
              try {
                endpoint = await listenForMetrics(metrics, opts.metricsHost, metricsPort!);
              } catch (error) {
                metrics.close();
                throw listenError(error, opts.metricsHost, metricsPort!);
              }
              if (!quiet) process.stdout.write(`Metrics at http://${opts.metricsHost}:${endpoint.port}/metrics\n`);
            }
            worker.on(
              "processed",
              (p) => quiet || process.stdout.write(`${p.role} ${p.uowId} -> ${p.status} (${p.ms} ms)\n`),
            );
            worker.on(
              "failed",
              (p) =>
                quiet ||
                process.stdout.write(`${p.role} ${p.uowId} failed${p.retryable ? " (retryable)" : ""}: ${p.error}\n`),
            );
            worker.on("error", (e) => process.stderr.write(`chameleon worker: ${e.message}\n`));
            try {
              await worker.start();
            } catch (error) {
              await endpoint?.close();
              metrics?.close();
              throw error;
            }
            const lanes =
              Object.keys(mine).length > 0 ? Object.keys(mine).join(", ") : "the roles SYSTEM takes (OMEGA, TAU)";
            if (!quiet) process.stdout.write(`Working on ${instance} for ${lanes}; Ctrl-C stops.\n`);
            await new Promise<void>((done) => {
              const stop = () => {
                process.off("SIGINT", stop);
                process.off("SIGTERM", stop);
                void worker.stop().then(done);
              };
              process.on("SIGINT", stop);
              process.on("SIGTERM", stop);
            });
            await endpoint?.close();
            metrics?.close();
            return Object.fromEntries(worker.stats);
          },
          { waitForStoreSeconds },
        );
        output(cmd, stats, (s) =>
          table([
            ["ROLE", "PROCESSED", "FAILED"],
            ...Object.entries(s).map(([role, x]) => [role, String(x.processed), String(x.failed)]),
          ]),
        );
      },
    );

  const memory = program.command("memory").description("Read and tend the long-term memory of roles");
  memory
    .command("get")
    .description("The memory an actor of a role would be served")
    .argument("<instance>", "instance name or id")
    .requiredOption("--role <role>", "role name")
    .requiredOption("--actor <actor>", "actor name or id")
    .option("--query <text>", "only keys containing this text")
    .action(async (instance: string, opts: { role: string; actor: string; query?: string }, cmd: Command) => {
      const rows = await withChameleon(cmd, (ch) =>
        ch.memory.get(instance, { role: opts.role, actorId: opts.actor, query: opts.query }),
      );
      output(cmd, rows, (list) =>
        table(list.map((m) => [m.key, JSON.stringify(m.value), m.shared ? "shared" : "own", m.memoryId])),
      );
    });
  memory
    .command("put")
    .description("Write a memory entry: shared by the role, or an actor's own with --actor")
    .argument("<instance>", "instance name or id")
    .requiredOption("--role <role>", "role name")
    .requiredOption("--key <key>", "retrieval key")
    .requiredOption("--value <json>", "the value, JSON")
    .option("--actor <actor>", "owner of a private entry")
    .action(
      async (instance: string, opts: { role: string; key: string; value: string; actor?: string }, cmd: Command) => {
        const value = parseJsonOption("--value", opts.value);
        const r = await withChameleon(cmd, (ch) =>
          ch.memory.put(instance, { role: opts.role, actorId: opts.actor, key: opts.key, value }),
        );
        output(cmd, r, (x) => x.memoryId);
      },
    );
  memory
    .command("toxic")
    .description("Flag an entry as leading to failure: it is never served again")
    .argument("<instance>", "instance name or id")
    .argument("<memory>", "memory entry id")
    .requiredOption("--reason <text>", "why")
    .action(async (instance: string, memoryId: string, opts: { reason: string }, cmd: Command) => {
      await withChameleon(cmd, (ch) => ch.memory.markToxic(instance, memoryId, opts.reason));
      output(cmd, { memoryId, toxic: true }, () => `${memoryId} is flagged toxic`);
    });
  memory
    .command("decay")
    .description("Remove entries nobody was served for longer than the given days")
    .argument("<instance>", "instance name or id")
    .requiredOption("--days <n>", "age in days")
    .action(async (instance: string, opts: { days: string }, cmd: Command) => {
      const days = intOption("--days", opts.days, 0, SETTING_RANGES.decayDays.max)!;
      const r = await withChameleon(cmd, (ch) => ch.memory.decay(instance, days));
      output(cmd, r, (x) => `removed ${x.removed} entr${x.removed === 1 ? "y" : "ies"}`);
    });
}

async function loadHandlers(file: string): Promise<Record<string, Handler>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`cannot load --handlers ${file}: ${(error as Error).message}`);
  }
  const handlers = (mod.handlers ?? mod.default) as Record<string, unknown> | undefined;
  if (!handlers || typeof handlers !== "object" || !Object.values(handlers).every((h) => typeof h === "function")) {
    throw new UsageError(
      `--handlers ${file} must export \`handlers\` (or a default export): an object of role name -> function`,
    );
  }
  return handlers as Record<string, Handler>;
}
