/**
 * `chameleon mcp --instance I --actor A`: an MCP server over stdio acting as that actor (for
 * an MCP client that spawns it). Nothing but MCP is written on stdout; errors go to stderr.
 */
import type { Command } from "commander";
import { ForbiddenError, NotFoundError } from "../../errors.js";
import { withChameleon } from "../io.js";

export function registerMcp(program: Command): void {
  program
    .command("mcp")
    .description("Serve MCP over stdio as one actor of one instance")
    .requiredOption("--instance <instance>", "instance name or id")
    .requiredOption("--actor <actor>", "actor name or id: the tools act as this actor")
    .addHelpText(
      "after",
      `
Tools: checkout_work, submit_work, report_failure, heartbeat, get_memory, start_work, get_unit
(see docs/mcp.md). The server runs until its standard input closes, or SIGINT/SIGTERM.

An MCP client configuration (e.g. Claude Desktop's mcpServers):
  { "command": "npx", "args": ["chameleon", "--instances", "postgres://app@db/chameleon",
      "mcp", "--instance", "invoices-eu", "--actor", "claude"] }`,
    )
    .action(async (opts: { instance: string; actor: string }, cmd: Command) => {
      await withChameleon(cmd, async (ch) => {
        const instance = await ch.instances.get(opts.instance);
        const actor = instance.actors.find((a) => a.actorId === opts.actor || a.name === opts.actor);
        if (actor === undefined) throw new NotFoundError(`no actor '${opts.actor}' in instance '${instance.name}'`);
        if (actor.type === "SYSTEM") {
          throw new ForbiddenError("the SYSTEM actor acts only inside the engine: choose a HUMAN or AI_AGENT actor");
        }
        // Loaded here, not at the top: every other command starts without the MCP SDK.
        const { createMcpServer } = await import("../../mcp/server.js");
        const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
        const server = createMcpServer(ch, { instanceId: instance.instanceId, actorId: actor.actorId });
        const transport = new StdioServerTransport();
        const ended = new Promise<void>((resolve) => {
          process.stdin.once("end", resolve);
          process.stdin.once("close", resolve);
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await server.connect(transport);
        await ended;
        await server.close();
      });
    });
}
