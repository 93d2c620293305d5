/**
 * `chameleon work bulk cancel | release | retry`: an operator's move on every unit a selection
 * chooses (the filters of `work list`, and/or unit ids), at most --max per run, with a dry run.
 * Each unit is moved on its own and skipped when it changed since it was chosen.
 */
import type { Command } from "commander";
import type { BulkReport } from "../../engine/bulk.js";
import { BULK_DEFAULT_MAX, LIMITS } from "../../engine/limits.js";
import { collect, intOption, output, table, withChameleon } from "../io.js";
import { addUnitFilterOptions, unitFilterOf, type UnitFilterOptions } from "../unit-filter.js";
import { defaultOperator } from "./operator.js";

interface BulkOptions extends UnitFilterOptions {
  unit?: string[];
  to?: string;
  dryRun?: boolean;
  max?: string;
  after?: string;
  reason?: string;
  by?: string;
}

const MOVES = [
  {
    name: "cancel",
    description: "Cancel every unit the selection chooses (not FINALIZED ones)",
    example: "chameleon work bulk cancel invoices-eu --status PENDING --where \"vendor == 'ACME'\" --dry-run",
  },
  {
    name: "release",
    description: "Give every held unit the selection chooses back for its holder",
    example: "chameleon work bulk release invoices-eu --held-by ada --reason 'Ada is away' --json",
  },
  {
    name: "retry",
    description: "Send every FAILED unit the selection chooses into an interaction EPSILON routes to (--to)",
    example:
      "chameleon work bulk retry invoices-eu --status FAILED --where \"error_kind == 'network'\" --to Lines --reason 'price list is back' --max 500",
  },
] as const;

function humanReport(r: BulkReport): string {
  const lines: string[] = [];
  if (r.dryRun) {
    lines.push(`dry run: ${r.move} would take ${r.count} unit(s)`, ...r.uowIds);
  } else {
    lines.push(
      table([
        ["UNIT", "RESULT"],
        ...r.results.map((x) => [
          x.uowId,
          x.outcome === "moved"
            ? x.status
            : x.outcome === "skipped"
              ? `skipped: ${x.reason}`
              : `refused: ${x.error.name}: ${x.error.message}`,
        ]),
      ]),
      `${r.move}: ${r.moved} moved, ${r.skipped} skipped, ${r.refused} refused`,
    );
  }
  if (r.more) lines.push(`more may match: go on with --after ${r.nextAfter}`);
  return lines.join("\n");
}

export function registerBulk(work: Command): void {
  const bulk = work
    .command("bulk")
    .description("Cancel, release or retry every unit a selection chooses (the filters of work list), with a dry run");
  for (const move of MOVES) {
    const cmd = addUnitFilterOptions(
      bulk.command(move.name).description(move.description).argument("<instance>", "instance name or id"),
    ).option("--unit <uow>", "only this unit (repeat for several, at most 1,000)", collect);
    if (move.name === "retry") cmd.requiredOption("--to <interaction>", "the interaction to send the units to");
    cmd
      .option("--dry-run", "print the units the move would take, and change nothing")
      .option("--max <n>", `at most this many units this run (default ${BULK_DEFAULT_MAX}, at most 1000)`)
      .option("--after <uow>", "go on after this unit (the --after a previous run printed)")
      .option("--reason <text>", "why, recorded in the audit log (required unless --dry-run)")
      .option("--by <name>", "the operator's name for the audit log; default: the login name")
      .addHelpText("after", `\nExample:\n  ${move.example}`)
      .action(async (instance: string, opts: BulkOptions, command: Command) => {
        const max = intOption("--max", opts.max, 1, LIMITS.unitsPerBulkSelection);
        const filter = { ...unitFilterOf(opts), ...(opts.unit === undefined ? {} : { uowIds: opts.unit }) };
        const report = await withChameleon(command, (ch) =>
          ch.work.bulk(instance, {
            move: move.name,
            filter,
            ...(opts.to === undefined ? {} : { to: opts.to }),
            ...(opts.dryRun ? { dryRun: true } : { by: opts.by ?? defaultOperator() }),
            ...(max === undefined ? {} : { max }),
            ...(opts.after === undefined ? {} : { after: opts.after }),
            ...(opts.reason === undefined ? {} : { reason: opts.reason }),
          }),
        );
        output(command, report, humanReport);
        // A unit skipped (it changed meanwhile) is not an error; one the move refused is, for a script.
        if (report.refused > 0) process.exitCode = 1;
      });
  }
}
