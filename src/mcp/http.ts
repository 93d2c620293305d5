/**
 * MCP over Streamable HTTP at `/mcp` on the HTTP server, in stateless mode: every POST gets a
 * fresh server and transport for the actor of its bearer token (an actor token; the admin
 * token is refused, it is no actor), answered with plain JSON rather than an event stream.
 * There are no sessions, so GET (a server-to-client stream) and DELETE (ending a session) are
 * 405.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Chameleon } from "../chameleon.js";
import { responses } from "../http/route.js";
import { JsonRpcMessage, JsonRpcReply, McpError, schemaRef } from "../http/schemas.js";
import { createMcpServer } from "./server.js";

const DESCRIPTION =
  "MCP (Model Context Protocol) over Streamable HTTP, stateless: POST JSON-RPC messages. The tools act as the " +
  "actor of the bearer token (an actor token; the admin token is refused with 403). See docs/mcp.md.";

const MCP_ERRORS: Record<number, string> = {
  400: "Not JSON, or not a valid JSON-RPC message",
  401: "No bearer token, or an unknown or revoked one",
  403: "Not an actor token: the tools act as an actor",
  406: "The Accept header takes neither application/json nor text/event-stream",
  413: "A body over the body limit",
  415: "Not Content-Type: application/json",
  500: "The MCP request failed",
};

function jsonRpcError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .header("content-type", "application/json")
    .send({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

export function registerMcpHttp(app: FastifyInstance, ch: Chameleon): void {
  app.route({
    method: "POST",
    url: "/mcp",
    config: { access: "actor" },
    schema: {
      operationId: "postMcp",
      tags: ["mcp"],
      summary: "MCP endpoint (Streamable HTTP, stateless)",
      description: DESCRIPTION,
      body: schemaRef(JsonRpcMessage, "POST /mcp: its body"),
      response: responses("actor", {
        200: { description: "The JSON-RPC response", ...schemaRef(JsonRpcReply, "POST /mcp") },
        202: { type: "null", description: "Accepted: a notification or response, which gets no answer" },
        // Refusals of the MCP layer and of its SDK are JSON-RPC errors; the HTTP server's own are ErrorReply.
        ...Object.fromEntries(
          Object.entries(MCP_ERRORS).map(([status, description]) => [
            status,
            { description, ...schemaRef(McpError, "POST /mcp: its errors") },
          ]),
        ),
      }),
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const caller = request.caller;
      if (caller?.kind !== "actor") return jsonRpcError(reply, 403, "an actor token is needed");
      const server = createMcpServer(ch, { instanceId: caller.instanceId, actorId: caller.actorId });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.hijack();
      reply.raw.on("close", () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(request.raw, reply.raw, request.body);
      } catch (error) {
        request.log.error({ err: error }, "MCP request failed");
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { "content-type": "application/json" });
          reply.raw.end(
            JSON.stringify({ jsonrpc: "2.0", error: { code: -32603, message: "internal error" }, id: null }),
          );
        }
      }
    },
  });
  for (const method of ["GET", "DELETE"] as const) {
    app.route({
      method,
      url: "/mcp",
      config: { access: "any" },
      // Not an operation a client calls: left out of the OpenAPI document.
      schema: { hide: true, summary: `Not supported (stateless MCP server): 405`, description: DESCRIPTION },
      handler: (_request, reply) =>
        jsonRpcError(
          reply.header("allow", "POST"),
          405,
          "method not allowed: this MCP server is stateless; POST to /mcp",
        ),
    });
  }
}
