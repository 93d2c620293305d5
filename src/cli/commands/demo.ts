/**
 * `chameleon demo`: the main job on the embedded default. Pushes a batch of invoices through
 * the invoice example with built-in handlers, shows a progress bar per role, and prints a
 * summary: units per status, per-role counts and median times, throughput, one invoice's
 * audit trail, and where the pictures of the blueprint are.
 */
import type { Command } from "commander";
import type { Chameleon } from "../../chameleon.js";
import cliProgress from "cli-progress";
import { randomBytes } from "node:crypto";
import { untilSignal } from "../signals.js";
import { listenOn } from "./serve.js";
import { runDemo, type DemoSummary } from "../../demo/run.js";
import { SETTING_RANGES } from "../../engine/limits.js";
import { globals, intOption, output, table, withChameleon } from "../io.js";
import { formatHistory } from "./work.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("Run the invoice example end to end with built-in demo actors, and show what happened")
    .option("--count <n>", "invoices to push through", "200")
    .option("--seed <n>", "seed of the generated invoices and the handlers' decisions", "42")
    .option("--concurrency <n>", "units the worker handles at once", "4")
    .option("--no-progress", "no progress bars")
    .option("--serve", "serve the API and the web console while the demo runs, and after it until Ctrl-C")
    .option("--port <port>", "with --serve: the TCP port", "3000")
    .addHelpText(
      "after",
      `
The demo imports the bundled example blueprints, deploys Invoice_Approval with demo actors (a
mail bot, a price checker, a person who approves, a repair agent), and runs a worker whose
handlers stand in for them; SYSTEM reconciles and handles timeouts. Its data stays in the stores
(by default ./chameleon-data), so the other commands can inspect it afterwards.

Examples:
  chameleon demo
  chameleon demo --count 1000 --concurrency 8
  chameleon demo --count 20 --json
  chameleon demo --serve --count 2000      # watch it in the console at http://127.0.0.1:3000/ui/`,
    )
    .action(async (opts: DemoFlags, cmd: Command) => {
      const count = intOption("--count", opts.count, 1, 1_000_000)!;
      const seed = intOption("--seed", opts.seed, 0, 2 ** 32 - 1)!;
      const concurrency = intOption("--concurrency", opts.concurrency, 1, SETTING_RANGES.concurrency.max)!;
      const showBars = opts.progress && !globals(cmd).json && process.stdout.isTTY === true;
      const bars = showBars
        ? new cliProgress.MultiBar(
            { format: " {role} |{bar}| {value}/{total}", hideCursor: true, clearOnComplete: false, barsize: 30 },
            cliProgress.Presets.shades_classic,
          )
        : null;
      const byRole = new Map<string, cliProgress.SingleBar>();
      const port = intOption("--port", opts.port, 0, 65_535)!;
      const json = globals(cmd).json;
      const summary = await withChameleon(cmd, async (ch) => {
        const server = opts.serve ? await startServer(ch, port) : null;
        if (server !== null && !json) process.stdout.write(consoleLines(server.url, server.token, true) + "\n\n");
        if (!json) process.stdout.write(`Pushing ${count} invoices through Invoice_Approval...\n`);
        const result = await runDemo(ch, {
          count,
          seed,
          concurrency,
          onPlan: (expected) => {
            for (const [role, total] of Object.entries(expected))
              byRole.set(role, bars?.create(total, 0, { role: role.padEnd(12) }) as cliProgress.SingleBar);
          },
          onProgress: (role, done) => byRole.get(role)?.update(done),
        });
        bars?.stop();
        if (server === null) return result;
        output(cmd, result, formatSummary);
        if (!json) process.stdout.write(`\n${consoleLines(server.url, server.token, false)}\nServing until Ctrl-C.\n`);
        const signals = untilSignal(() => {});
        try {
          await signals.stopping;
        } finally {
          signals.dispose();
          await server.app.close();
        }
        return null;
      });
      if (summary !== null) output(cmd, summary, formatSummary);
    });
}

interface DemoFlags {
  count: string;
  seed: string;
  concurrency: string;
  progress: boolean;
  serve?: boolean;
  port: string;
}

/** The API and the console over the demo's stores, with the admin token given or a new one. */
async function startServer(ch: Chameleon, port: number) {
  const token = process.env.CHAMELEON_ADMIN_TOKEN || randomBytes(24).toString("hex");
  const { createHttpServer } = await import("../../http/server.js");
  const app = createHttpServer(ch, { adminToken: token });
  const host = "127.0.0.1";
  await listenOn(app, host, port);
  const address = app.server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  return { app, token, url: `http://${host}:${bound}/ui/` };
}

/** How to open the console: the address and the admin token to sign in with. */
function consoleLines(url: string, token: string, live: boolean): string {
  return [
    `The console ${live ? "shows the demo live" : "is up"}: open ${url} and sign in with the admin token`,
    `  ${token}`,
  ].join("\n");
}

function formatSummary(s: DemoSummary): string {
  const statuses = Object.entries(s.units.byStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(", ");
  const trail = s.trail.units
    .map((u) => `  ${u.label} (${u.uowId})\n${indent(formatHistory(u.history), 4)}`)
    .join("\n");
  return [
    "",
    `Instance ${s.instance.name} (${s.instance.instanceId})`,
    `${s.invoices} invoices, ${s.units.total} units of work: ${statuses}`,
    "",
    table([
      ["ROLE", "DONE", "FAILED", "MEDIAN"],
      ...s.roles.map((r) => [r.role, String(r.processed), String(r.failed), `${r.medianMs.toFixed(1)} ms`]),
    ]),
    "",
    "Paths the units took (the roles that checked them out, and where they ended):",
    table(s.paths.map((p) => [`  ${p.kind}`, String(p.units), p.path])),
    "",
    `Throughput: ${s.throughput.invoicesPerSecond.toFixed(1)} invoices/s, ${s.throughput.stepsPerSecond.toFixed(1)} steps/s (${s.elapsedSeconds.toFixed(2)} s)`,
    "",
    `Audit trail of invoice ${s.trail.invoice}:`,
    trail,
    "",
    `The blueprint: ${s.blueprint.svg ?? "(no SVG renderer)"}${s.blueprint.svg ? "," : ""} Mermaid source ${s.blueprint.mermaid}`,
    // The package's bin is on the PATH only through npm: npx runs it where the user is.
    `Look around: npx chameleon instance show ${s.instance.name}; npx chameleon work list ${s.instance.name} --status FINALIZED`,
    `In the web console: npx chameleon serve --admin-token TOKEN (any secret of 16 characters or more),`,
    `  then open http://127.0.0.1:3000/ui/ and sign in with it; or run npx chameleon demo --serve`,
  ].join("\n");
}

const indent = (text: string, n: number) =>
  text
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");
