/** `chameleon instance create | list | show | overview | graph | pause | resume | history`: deployments of blueprints. */
import { extname } from "node:path";
import type { Command } from "commander";
import type { DrawingFormat } from "../../blueprint/graph.js";
import type { InstanceOverview, OverviewCounts } from "../../engine/overview.js";
import { UOWStatus } from "../../schema/enums.js";
import { UsageError, intOption, output, parseJsonOption, table, withChameleon } from "../io.js";
import { writeOut } from "./template.js";
import { defaultOperator } from "./operator.js";
import type { PauseInfo, PauseState } from "../../engine/pause-state.js";

export function registerInstance(program: Command): void {
  const instance = program.command("instance").description("Create and inspect instances (deployments of a blueprint)");

  instance
    .command("create")
    .description("Deploy a blueprint: clone it and every blueprint it nests into the instance store")
    .argument("<workflow>", "name of the blueprint (its newest version unless --version)")
    .requiredOption("--name <name>", "name of the new instance (unique)")
    .option("--version <n>", "the blueprint version to deploy")
    .option("--description <text>", "operational notes")
    .option("--actors <json>", 'actors to create with it: [{"name","type","identityKey","roles":[...]}]')
    .addHelpText(
      "after",
      `
Examples:
  chameleon instance create Invoice_Approval --name invoices-eu
  chameleon instance create Minimal --name try --actors '[{"name":"ann","type":"HUMAN","identityKey":"ann@example.com","roles":["Start","Work","Finish"]}]'`,
    )
    .action(
      async (
        workflow: string,
        opts: { name: string; version?: string; description?: string; actors?: string },
        cmd: Command,
      ) => {
        const actors = parseJsonOption("--actors", opts.actors, "array");
        const created = await withChameleon(cmd, (ch) =>
          ch.instances.create({
            workflow,
            name: opts.name,
            version: intOption("--version", opts.version, 1, 2 ** 31 - 1),
            description: opts.description,
            actors,
          }),
        );
        output(cmd, created, (c) =>
          [
            `Created instance ${c.name} (${c.instanceId}) of ${workflow}.`,
            ...c.actors.map((a) => `  actor ${a.name}: ${a.actorId}`),
          ].join("\n"),
        );
      },
    );

  instance
    .command("list")
    .description("List the instances of the instance store")
    .action(async (_opts: unknown, cmd: Command) => {
      const rows = await withChameleon(cmd, (ch) => ch.instances.list());
      output(cmd, rows, (list) =>
        list.length === 0
          ? "No instance yet; create one with: chameleon instance create WORKFLOW --name NAME"
          : table([
              ["NAME", "STATUS", "DEPLOYED", "INSTANCE ID"],
              ...list.map((i) => [i.name, i.status, i.deploymentDate.toISOString(), i.instanceId]),
            ]),
      );
    });

  instance
    .command("show")
    .description("Show an instance: its workflows, roles and actors")
    .argument("<instance>", "instance name or id")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const details = await withChameleon(cmd, (ch) => ch.instances.get(name));
      output(cmd, details, (d) =>
        [
          `${d.name} (${d.instanceId}), ${d.status}, deployed ${d.deploymentDate.toISOString()}`,
          `Workflows: ${d.workflows.map((w) => `${w.name} v${w.version}${w.isMaster ? " (master)" : ""}`).join(", ")}`,
          "Roles:",
          table(d.roles.map((r) => [`  ${r.name}`, r.type, r.workflow])),
          "Actors:",
          table(d.actors.map((a) => [`  ${a.name}`, a.type, a.identityKey, a.roles.join(", ")])),
          ...pausedLines(d.paused),
        ].join("\n"),
      );
    });

  for (const verb of ["pause", "resume"] as const) {
    instance
      .command(verb)
      .description(
        verb === "pause"
          ? "Pause an instance, or one role: nothing is checked out or started there, its stale clocks stand still"
          : "Resume a paused instance or role: the stale clocks go on from where they stopped",
      )
      .argument("<instance>", "instance name or id")
      .option("--role <name>", `${verb} only this role`)
      .option("--reason <text>", "why (recorded in the instance's history)")
      .option("--by <name>", "the operator's name for the history; default: the login name")
      .addHelpText(
        "after",
        `
Examples:
  chameleon instance ${verb} invoices-eu --reason "month-end freeze"
  chameleon instance ${verb} invoices-eu --role Approve --json`,
      )
      .action(async (name: string, opts: { role?: string; reason?: string; by?: string }, cmd: Command) => {
        const result = await withChameleon(cmd, (ch) =>
          ch.instances[verb](name, { role: opts.role, reason: opts.reason, by: opts.by ?? defaultOperator() }),
        );
        output(
          cmd,
          result,
          (r) => `${r.paused ? "Paused" : "Resumed"} ${r.role === null ? "instance" : `role ${r.role} of`} ${name}.`,
        );
      });
  }

  instance
    .command("history")
    .description("The instance's own events, newest first: pauses, resumes, schedule changes, runs and missed ticks")
    .argument("<instance>", "instance name or id")
    .option("--limit <n>", "at most this many (1 to 1000)", "100")
    .addHelpText(
      "after",
      `
Examples:
  chameleon instance history invoices-eu
  chameleon instance history invoices-eu --limit 20 --json`,
    )
    .action(async (name: string, opts: { limit: string }, cmd: Command) => {
      const limit = intOption("--limit", opts.limit, 1, 1000);
      const rows = await withChameleon(cmd, (ch) => ch.instances.history(name, { limit }));
      output(cmd, rows, (list) =>
        list.length === 0
          ? "No events yet."
          : table([
              ["AT", "EVENT", "ROLE", "BY", "REASON / DETAILS"],
              ...list.map((e) => [
                e.at.toISOString(),
                e.event,
                e.role ?? "-",
                e.by,
                e.reason ?? (e.details === null ? "" : JSON.stringify(e.details)),
              ]),
            ]),
      );
    });

  instance
    .command("overview")
    .description("Units by status, waiting, held, failures and throughput per interaction and role")
    .argument("<instance>", "instance name or id")
    .option("--max-age <seconds>", "reuse an overview this process read at most this long ago (0 to 60)", "0")
    .addHelpText(
      "after",
      `
Per interaction and per role: units by status, how many wait and the oldest one's age, who holds
units, failures (FAIL, REJECT) and finalized units of the last hour; the instance's totals, its
finalized units per minute over the last hour, and the latest failures with their reasons.

Examples:
  chameleon instance overview invoices-eu
  chameleon instance overview invoices-eu --json`,
    )
    .action(async (name: string, opts: { maxAge: string }, cmd: Command) => {
      const maxAgeSeconds = intOption("--max-age", opts.maxAge, 0, 60);
      const overview = await withChameleon(cmd, (ch) => ch.instances.overview(name, { maxAgeSeconds }));
      output(cmd, overview, overviewText);
    });

  instance
    .command("graph")
    .description("Draw the instance's graph (from the instance store) with live counts, optionally one unit marked")
    .argument("<instance>", "instance name or id")
    .option("--format <format>", "svg, dot or mermaid (default: mermaid, or what --out's extension implies)")
    .option("--uow <id>", "mark this unit's place: its interaction, and the role holding it")
    .option("--workflow <name>", "a nested workflow of the instance (default: the master, or the unit's)")
    .option("--out <file>", "write to this file; .svg, .dot or .mmd")
    .addHelpText(
      "after",
      `
Examples:
  chameleon instance graph invoices-eu
  chameleon instance graph invoices-eu --uow UOW --out unit.svg
  chameleon instance graph invoices-eu --format dot | dot -Tpng > invoices.png`,
    )
    .action(
      async (name: string, opts: { format?: string; uow?: string; workflow?: string; out?: string }, cmd: Command) => {
        const format = drawingFormat(opts.format, opts.out);
        const graph = await withChameleon(cmd, (ch) =>
          ch.instances.graph(name, {
            format,
            maxAgeSeconds: 0,
            ...(opts.uow === undefined ? {} : { uow: opts.uow }),
            ...(opts.workflow === undefined ? {} : { workflow: opts.workflow }),
          }),
        );
        if (opts.out === undefined) {
          output(cmd, { graph, format }, (v) => v.graph);
          return;
        }
        writeOut(opts.out, graph);
        output(cmd, { graph, format, file: opts.out }, () => `Wrote ${opts.out}`);
      },
    );
}

const FORMAT_OF_EXTENSION: Record<string, DrawingFormat> = { ".svg": "svg", ".dot": "dot", ".mmd": "mermaid" };

/** --format, or the format --out's extension implies; unknown values and contradictions are usage errors. */
function drawingFormat(format: string | undefined, out: string | undefined): DrawingFormat {
  if (format !== undefined && format !== "svg" && format !== "dot" && format !== "mermaid") {
    throw new UsageError(`--format must be svg, dot or mermaid, not '${format}'`);
  }
  if (out === undefined) return format ?? "mermaid";
  const implied = FORMAT_OF_EXTENSION[extname(out).toLowerCase()];
  if (implied === undefined) throw new UsageError(`--out '${out}': the file name must end in .svg, .dot or .mmd`);
  if (format !== undefined && format !== implied) {
    throw new UsageError(`--format ${format} does not fit --out '${out}', which holds ${implied}`);
  }
  return implied;
}

function age(seconds: number | null): string {
  if (seconds === null) return "-";
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

const heldText = (o: OverviewCounts) =>
  o.held.length === 0 ? "-" : o.held.map((h) => `${h.actorName} ${h.count}`).join(", ");

const SPARKS = "▁▂▃▄▅▆▇█";
function sparkline(values: readonly number[]): string {
  const top = Math.max(...values);
  return values.map((v) => (top === 0 ? SPARKS[0] : SPARKS[Math.round((v / top) * (SPARKS.length - 1))])).join("");
}

const pauseText = (p: PauseInfo) =>
  `since ${p.since.toISOString()} by ${p.by}${p.reason === null ? "" : `: ${p.reason}`}`;

function pausedLines(p: PauseState): string[] {
  return [
    ...(p.instance ? [`Paused ${pauseText(p.instance)}`] : []),
    ...p.roles.map((r) => `Role ${r.role} paused ${pauseText(r)}`),
  ];
}

function overviewText(o: InstanceOverview): string {
  const t = o.totals;
  const statusCells = (c: OverviewCounts) => UOWStatus.map((s) => String(c.byStatus[s]));
  const lines = [
    `${o.instance.name} (${o.instance.instanceId}), ${o.instance.status}, at ${o.generatedAt.toISOString()}`,
    ...(o.instance.paused ? [`Paused ${pauseText(o.instance.paused)}`] : []),
    ...o.roles.filter((r) => r.paused).map((r) => `Role ${r.name} paused ${pauseText(r.paused!)}`),
    `${t.units} units; ${t.waiting} waiting (oldest ${age(t.oldestWaitingSeconds)}); held: ${heldText(t)}`,
    `Last hour: ${t.failuresLastHour} failed, ${t.finalizedLastHour} finalized; per minute ${sparkline(t.finalizedPerMinute)}`,
    "",
    table([
      ["INTERACTION", "KIND", ...UOWStatus, "WAITING", "OLDEST", "HELD", "FAILED/H", "FINALIZED/H"],
      ...o.interactions.map((i) => [
        i.name,
        i.kind,
        ...statusCells(i),
        String(i.waiting),
        age(i.oldestWaitingSeconds),
        heldText(i),
        String(i.failuresLastHour),
        String(i.finalizedLastHour),
      ]),
    ]),
    "",
    table([
      ["ROLE", "TYPE", "WAITING", "OLDEST", "HELD", "FAILED/H", "FINALIZED/H"],
      ...o.roles.map((r) => [
        r.name,
        r.type,
        String(r.waiting),
        age(r.oldestWaitingSeconds),
        heldText(r),
        String(r.failuresLastHour),
        String(r.finalizedLastHour),
      ]),
    ]),
  ];
  if (o.recentFailures.length > 0) {
    lines.push("", "Recent failures:");
    lines.push(
      table(
        o.recentFailures.map((f) => [
          `  ${f.at.toISOString()}`,
          f.uowId,
          f.event,
          f.role ?? "-",
          f.interaction ?? "-",
          f.reason,
        ]),
      ),
    );
  }
  return lines.join("\n");
}
