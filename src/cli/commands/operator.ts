/**
 * `chameleon operator token | release | reassign | retry | cancel`: named operators of the HTTP API,
 * and an operator's moves on units: release or cancel one or more units (a result per unit),
 * reassign a held unit to another actor of its role. Each move is audited as the SYSTEM actor
 * with the operator's name (`--by`) and the reason.
 */
import type { Command } from "commander";
import type { BulkResult } from "../../engine/admin.js";
import { output, table, withChameleon } from "../io.js";

/** The operator a move is recorded under when `--by` is left out: the login name, else `cli`. */
export const defaultOperator = () => process.env.USER ?? process.env.USERNAME ?? "cli";

function bulkOutput(cmd: Command, results: BulkResult[]): void {
  output(cmd, results, (list) =>
    table([
      ["UNIT", "RESULT"],
      ...list.map((r) => [r.uowId, r.ok ? r.status : `refused: ${r.error.name}: ${r.error.message}`]),
    ]),
  );
  // A unit refused is not an error of the command, but a script should see it.
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

export function registerOperator(program: Command): void {
  const operator = program
    .command("operator")
    .description("Operator tokens for the HTTP API, and operators' moves on units (release, reassign, retry, cancel)");

  operator
    .command("token")
    .description("Issue an operator token for the HTTP API (admin: every call; viewer: every GET); shown once")
    .requiredOption("--name <name>", "the operator's name, recorded as details.by in the audit of its moves")
    .requiredOption("--scope <scope>", "admin or viewer")
    .addHelpText(
      "after",
      "\nExamples:\n  chameleon operator token --name olga --scope admin\n  chameleon operator token --name vic --scope viewer --json",
    )
    .action(async (opts: { name: string; scope: string }, cmd: Command) => {
      const result = await withChameleon(cmd, (ch) => ch.operators.issueToken({ name: opts.name, scope: opts.scope }));
      output(cmd, result, (r) => r.token);
    });

  const bulkMoves = [
    {
      name: "release",
      description: "Give held units back for their holders: back where each was checked out from",
      example: "chameleon operator release invoices-eu 0190c1f2-... 0190c1f3-... --reason 'Ada is away' --json",
      move: "releaseMany",
    },
    {
      name: "cancel",
      description: "Cancel units, each on its own, with a result per unit",
      example: "chameleon operator cancel invoices-eu 0190c1f2-... 0190c1f3-... --reason 'duplicate batch'",
      move: "cancelMany",
    },
  ] as const;
  for (const bulk of bulkMoves) {
    operator
      .command(bulk.name)
      .description(bulk.description)
      .argument("<instance>", "instance name or id")
      .argument("<uow...>", "unit ids (at most 1,000)")
      .requiredOption("--reason <text>", "why, recorded in the audit log")
      .option("--by <name>", "the operator's name for the audit log; default: the login name")
      .addHelpText("after", `\nExample:\n  ${bulk.example}`)
      .action(async (instance: string, uowIds: string[], opts: { reason: string; by?: string }, cmd: Command) => {
        const results = await withChameleon(cmd, (ch) =>
          ch.work[bulk.move](instance, { uowIds, by: opts.by ?? defaultOperator(), reason: opts.reason }),
        );
        bulkOutput(cmd, results);
      });
  }

  operator
    .command("retry")
    .description("Send a FAILED unit into an interaction its EPSILON role routes to: PENDING, attempt 0")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .requiredOption("--to <interaction>", "the interaction (one EPSILON has an OUTBOUND component to)")
    .requiredOption("--reason <text>", "why, recorded in the audit log")
    .option("--by <name>", "the operator's name for the audit log; default: the login name")
    .addHelpText(
      "after",
      "\nExample:\n  chameleon operator retry invoices-eu 0190c1f2-... --to Lines --reason 'price list is back'",
    )
    .action(
      async (instance: string, uowId: string, opts: { to: string; reason: string; by?: string }, cmd: Command) => {
        const r = await withChameleon(cmd, (ch) =>
          ch.work.adminRetry(instance, { uowId, to: opts.to, by: opts.by ?? defaultOperator(), reason: opts.reason }),
        );
        output(cmd, r, (x) => `${x.uowId} is ${x.status} in ${x.interaction}`);
      },
    );

  operator
    .command("reassign")
    .description("Hand a held unit to another actor of its role: a new lease, the old one refused from then on")
    .argument("<instance>", "instance name or id")
    .argument("<uow>", "unit id")
    .requiredOption("--to <actor>", "the actor (name or id) to hand it to")
    .requiredOption("--reason <text>", "why, recorded in the audit log")
    .option("--by <name>", "the operator's name for the audit log; default: the login name")
    .addHelpText(
      "after",
      "\nExample:\n  chameleon operator reassign invoices-eu 0190c1f2-... --to Bob --reason 'Ada is away' --json",
    )
    .action(
      async (instance: string, uowId: string, opts: { to: string; reason: string; by?: string }, cmd: Command) => {
        const r = await withChameleon(cmd, (ch) =>
          ch.work.reassign(instance, {
            uowId,
            actorId: opts.to,
            by: opts.by ?? defaultOperator(),
            reason: opts.reason,
          }),
        );
        output(cmd, r, (x) => `${x.uowId} is held by ${opts.to} under lease ${x.leaseToken}`);
      },
    );
}
