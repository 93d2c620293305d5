/** The `chameleon` command line: a thin shell over the library. */
import { Command, CommanderError } from "commander";
import { reportError } from "./io.js";
import { registerSchema } from "./commands/schema.js";
import { registerTemplate } from "./commands/template.js";
import { registerInstance } from "./commands/instance.js";
import { registerActor } from "./commands/actor.js";
import { registerWork } from "./commands/work.js";
import { registerOperations } from "./commands/operations.js";
import { registerOperator } from "./commands/operator.js";
import { registerDemo } from "./commands/demo.js";
import { registerServe } from "./commands/serve.js";
import { registerMcp } from "./commands/mcp.js";

export function createProgram(): Command {
  const program = new Command("chameleon")
    .description("A workflow engine in which people, AI agents and code share units of work.")
    .option(
      "--templates <url>",
      "template store URL (env CHAMELEON_TEMPLATES_URL; default sqlite:./chameleon-data/templates.db)",
    )
    .option(
      "--instances <url>",
      "instance store URL (env CHAMELEON_INSTANCES_URL; default sqlite:./chameleon-data/instances.db)",
    )
    .option("--json", "print one JSON document")
    .showHelpAfterError()
    .exitOverride();
  registerDemo(program);
  registerTemplate(program);
  registerInstance(program);
  registerActor(program);
  registerWork(program);
  registerOperations(program);
  registerOperator(program);
  registerServe(program);
  registerMcp(program);
  registerSchema(program);
  // Every subcommand reports usage errors through exitOverride too.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().showHelpAfterError(false);
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; commander has already printed its message.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error);
  }
}
