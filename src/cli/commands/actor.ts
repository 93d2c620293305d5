/** `chameleon actor add | assign | revoke | token`: who may act in an instance, and as which roles. */
import type { Command } from "commander";
import { collect, output, withChameleon } from "../io.js";

export function registerActor(program: Command): void {
  const actor = program
    .command("actor")
    .description("Add actors to an instance, assign and revoke roles, issue tokens");

  actor
    .command("add")
    .description("Add an actor (a person or an AI agent) to an instance")
    .argument("<instance>", "instance name or id")
    .requiredOption("--name <name>", "display name (unique in the instance)")
    .requiredOption("--type <type>", "HUMAN or AI_AGENT")
    .requiredOption("--identity <key>", "external identity, e.g. an e-mail address or agent id")
    .option("--role <role>", "a role the actor may take (repeatable)", collect)
    .addHelpText(
      "after",
      "\nExample:\n  chameleon actor add invoices-eu --name Ada --type HUMAN --identity ada@example.com --role Approver --role Fixer",
    )
    .action(
      async (
        instance: string,
        opts: { name: string; type: string; identity: string; role?: string[] },
        cmd: Command,
      ) => {
        const result = await withChameleon(cmd, (ch) =>
          ch.actors.add(instance, { name: opts.name, type: opts.type, identityKey: opts.identity, roles: opts.role }),
        );
        output(cmd, result, (r) => `Added actor ${opts.name} (${r.actorId}).`);
      },
    );

  for (const [verb, describe] of [
    ["assign", "Let an actor take a role"],
    ["revoke", "Stop an actor from taking a role"],
  ] as const) {
    actor
      .command(verb)
      .description(describe)
      .argument("<instance>", "instance name or id")
      .argument("<actor>", "actor name or id")
      .argument("<role>", "role name (Workflow/Role where the name is not unique)")
      .action(async (instance: string, who: string, role: string, _opts: unknown, cmd: Command) => {
        await withChameleon(cmd, (ch) => ch.actors[verb](instance, who, role));
        output(cmd, { instance, actor: who, role, status: verb === "assign" ? "ACTIVE" : "REVOKED" }, () =>
          verb === "assign" ? `${who} may now take ${role}.` : `${who} may no longer take ${role}.`,
        );
      });
  }

  actor
    .command("token")
    .description("Issue a bearer token for the HTTP API and MCP; it is shown once")
    .argument("<instance>", "instance name or id")
    .argument("<actor>", "actor name or id")
    .action(async (instance: string, who: string, _opts: unknown, cmd: Command) => {
      const result = await withChameleon(cmd, (ch) => ch.actors.issueToken(instance, who));
      output(cmd, result, (r) => r.token);
    });
}
