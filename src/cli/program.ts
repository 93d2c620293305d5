/** The `chameleon` command line: a thin shell over the library. */
import { Command, CommanderError } from "commander";
import { EXAMPLES } from "./examples.js";
import { reportError } from "./io.js";
import { registerSchema } from "./commands/schema.js";
import { registerTemplate } from "./commands/template.js";
import { registerInstance } from "./commands/instance.js";
import { registerActor } from "./commands/actor.js";
import { registerWork } from "./commands/work.js";
import { registerEvents } from "./commands/events.js";
import { registerOperations } from "./commands/operations.js";
import { registerOperator } from "./commands/operator.js";
import { registerSchedule } from "./commands/schedule.js";
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
    .option(
      "--data-dir <dir>",
      "directory of the SQLite stores where no URL is given (env CHAMELEON_DATA_DIR; default ./chameleon-data)",
    )
    .option("--json", "print one JSON document")
    .exitOverride();
  registerDemo(program);
  registerTemplate(program);
  registerInstance(program);
  registerActor(program);
  registerWork(program);
  registerEvents(program);
  registerOperations(program);
  registerOperator(program);
  registerSchedule(program);
  registerServe(program);
  registerMcp(program);
  registerSchema(program);
  // Every command reports usage errors through exitOverride, in one line of the CLI's own
  // wording that says where the usage is described, and shows its examples in --help.
  const inherit = (cmd: Command, path: string[]) => {
    cmd.exitOverride().configureOutput({ outputError: (text, write) => write(usageLine(text, path)) });
    const examples = EXAMPLES[path.slice(1).join(" ")];
    if (examples) cmd.addHelpText("after", `\nExamples:\n${examples.map((e) => `  ${e}`).join("\n")}`);
    for (const sub of cmd.commands) inherit(sub, [...path, sub.name()]);
  };
  inherit(program, ["chameleon"]);
  return program;
}

/** Commander's "error: unknown option '--x'\n(Did you mean --y?)" as "chameleon: unknown option '--x' (Did you mean --y?); see chameleon … --help". */
function usageLine(text: string, path: string[]): string {
  const message = text
    .replace(/^error: /, "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
  return `chameleon: ${message}; see ${path.join(" ")} --help\n`;
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
