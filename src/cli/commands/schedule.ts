/** `chameleon schedule create | list | pause | resume | delete | tick`: cron schedules that start units. */
import type { Command } from "commander";
import type { Schedule } from "../../engine/schedules.js";
import { output, parseJsonOption, table, withChameleon } from "../io.js";
import { defaultOperator } from "./operator.js";

const scheduleText = (s: Schedule) =>
  `Schedule ${s.name} (${s.scheduleId}): '${s.cron}' in ${s.timezone}, ${
    s.pausedAt ? `paused since ${s.pausedAt.toISOString()}` : `next tick ${s.nextTickAt.toISOString()}`
  }.`;

export function registerSchedule(program: Command): void {
  const schedule = program
    .command("schedule")
    .description("Cron schedules that start a unit at each tick (run by `chameleon serve` and by workers)");

  schedule
    .command("create")
    .description("Create a schedule: a unit at each tick of its cron pattern, the first after now")
    .argument("<instance>", "instance name or id")
    .requiredOption("--name <name>", "name of the schedule (unique in the instance)")
    .requiredOption("--cron <pattern>", "cron pattern, five fields (or six, seconds first)")
    .option("--timezone <zone>", "IANA time zone of the pattern", "UTC")
    .option("--attributes <json>", "attributes of each unit it starts (a JSON object)")
    .option("--by <name>", "the operator's name for the history; default: the login name")
    .addHelpText(
      "after",
      `
Examples:
  chameleon schedule create invoices-eu --name nightly --cron "0 2 * * *" --timezone Europe/Paris
  chameleon schedule create invoices-eu --name poll --cron "*/5 * * * *" --attributes '{"source":"inbox"}' --json`,
    )
    .action(
      async (
        instance: string,
        opts: { name: string; cron: string; timezone: string; attributes?: string; by?: string },
        cmd: Command,
      ) => {
        const attributes = parseJsonOption("--attributes", opts.attributes, "object");
        const created = await withChameleon(cmd, (ch) =>
          ch.schedules.create(instance, {
            name: opts.name,
            cron: opts.cron,
            timezone: opts.timezone,
            attributes,
            by: opts.by ?? defaultOperator(),
          }),
        );
        output(cmd, created, (s) => `Created. ${scheduleText(s)}`);
      },
    );

  schedule
    .command("list")
    .description("List the schedules of an instance")
    .argument("<instance>", "instance name or id")
    .addHelpText(
      "after",
      `
Examples:
  chameleon schedule list invoices-eu
  chameleon schedule list invoices-eu --json`,
    )
    .action(async (instance: string, _opts: unknown, cmd: Command) => {
      const rows = await withChameleon(cmd, (ch) => ch.schedules.list(instance));
      output(cmd, rows, (list) =>
        list.length === 0
          ? "No schedule yet; create one with: chameleon schedule create INSTANCE --name NAME --cron PATTERN"
          : table([
              ["NAME", "CRON", "TIMEZONE", "NEXT TICK", "LAST TICK", "PAUSED", "SCHEDULE ID"],
              ...list.map((s) => [
                s.name,
                s.cron,
                s.timezone,
                s.nextTickAt.toISOString(),
                s.lastTickAt?.toISOString() ?? "-",
                s.pausedAt?.toISOString() ?? "-",
                s.scheduleId,
              ]),
            ]),
      );
    });

  for (const verb of ["pause", "resume"] as const) {
    schedule
      .command(verb)
      .description(
        verb === "pause" ? "Pause a schedule: its ticks are skipped" : "Resume a schedule from its next tick",
      )
      .argument("<instance>", "instance name or id")
      .argument("<schedule>", "schedule name or id")
      .option("--reason <text>", "why (recorded in the instance's history)")
      .option("--by <name>", "the operator's name for the history; default: the login name")
      .addHelpText(
        "after",
        `
Examples:
  chameleon schedule ${verb} invoices-eu nightly --reason "maintenance"`,
      )
      .action(async (instance: string, ref: string, opts: { reason?: string; by?: string }, cmd: Command) => {
        const s = await withChameleon(cmd, (ch) =>
          ch.schedules[verb](instance, ref, { reason: opts.reason, by: opts.by ?? defaultOperator() }),
        );
        output(cmd, s, scheduleText);
      });
  }

  schedule
    .command("delete")
    .description("Delete a schedule (the units it started and its history stay)")
    .argument("<instance>", "instance name or id")
    .argument("<schedule>", "schedule name or id")
    .option("--reason <text>", "why (recorded in the instance's history)")
    .option("--by <name>", "the operator's name for the history; default: the login name")
    .addHelpText(
      "after",
      `
Examples:
  chameleon schedule delete invoices-eu nightly --reason "replaced"`,
    )
    .action(async (instance: string, ref: string, opts: { reason?: string; by?: string }, cmd: Command) => {
      const result = await withChameleon(cmd, (ch) =>
        ch.schedules.delete(instance, ref, { reason: opts.reason, by: opts.by ?? defaultOperator() }),
      );
      output(cmd, result, (r) => `Deleted schedule ${r.scheduleId}.`);
    });

  schedule
    .command("tick")
    .description(
      "Start the units of the due schedules now, in one instance or all (serve and workers do it on their own)",
    )
    .argument("[instance]", "instance name or id (default: every instance)")
    .addHelpText(
      "after",
      `
Examples:
  chameleon schedule tick
  chameleon schedule tick invoices-eu --json`,
    )
    .action(async (instance: string | undefined, _opts: unknown, cmd: Command) => {
      const result = await withChameleon(cmd, (ch) => ch.schedules.tick(instance));
      output(cmd, result, (r) =>
        [
          `Started ${r.started} unit(s); ${r.missed} tick(s) missed.`,
          ...r.failures.map((f) => `  schedule ${f.scheduleId}: ${f.error}`),
        ].join("\n"),
      );
      if (result.failures.length > 0) process.exitCode = 1;
    });
}
