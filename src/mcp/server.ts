/**
 * The MCP server of one actor: the tools of API.md, scoped to that actor in its instance.
 * Transports are the caller's business: stdio (`chameleon mcp`) or Streamable HTTP (`/mcp`).
 */
import { packageVersion } from "../version.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Chameleon } from "../chameleon.js";
import { actorTools, type McpIdentity } from "./tools.js";

export type { McpIdentity } from "./tools.js";

const VERSION = packageVersion();

const INSTRUCTIONS = `You are one actor of a Chameleon workflow instance: every tool acts as you, in your instance.
The loop of a role: checkout_work { role } gives you a unit (or null: nothing waits), with its attributes and your
role's memory. Do the work, then submit_work { uowId, leaseToken, attributes } with the attributes you changed and
your reasoning; or report_failure { uowId, leaseToken, error } if you cannot. Send heartbeat { uowId, leaseToken }
while a long task runs. get_memory and get_unit read; start_work creates new work if you hold the start role.
For many small units, checkout_many { role, max } and submit_many { submits } do the same for several at once.`;

export function createMcpServer(ch: Chameleon, identity: McpIdentity): McpServer {
  const server = new McpServer(
    { name: "chameleon", title: "Chameleon workflow engine", version: VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  for (const register of actorTools(ch, identity)) register(server);
  return server;
}
