/**
 * MCP over Streamable HTTP at /mcp of a real server, with the SDK's Client and an actor
 * token: the same agent as over stdio, on each engine; the admin token and no token refused.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { useChameleon } from "../support/fixtures.js";
import { ADMIN, useHttp } from "../http/support.js";
import {
  choosesFromTheList,
  doesABatch,
  doesTheWholeJob,
  listsTheTools,
  refuses,
  reportsAFailure,
  setupInstances,
} from "./scenario.js";

function connect(base: string, token: string | null): Promise<Client> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", base), { requestInit: { headers } });
  const client = new Client({ name: "chameleon-test", version: "1.0.0" });
  return client.connect(transport).then(() => client);
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`MCP over HTTP on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const s = {} as { name: string; otherUnit: string; client: Client };

    beforeAll(async () => {
      Object.assign(s, await setupInstances(h.ch));
      const { token } = await h.ch.actors.issueToken(s.name, "agent");
      s.client = await connect(api.base, token);
    });
    afterAll(async () => {
      await s.client?.close();
    });

    it("lists the thirteen tools with their schemas", async () => {
      await listsTheTools(s.client);
    });

    it("does one role's whole job as the token's actor", async () => {
      await doesTheWholeJob(s.client, h.ch, s.name);
    });

    it("reports a failure, and a lost lease is refused", async () => {
      await reportsAFailure(s.client);
    });

    it("refuses bad arguments, roles not assigned and units of another instance with tool errors", async () => {
      await refuses(s.client, s.otherUnit);
    });

    it("lists units with a condition and chosen attributes, takes the chosen one and reads its history", async () => {
      await choosesFromTheList(s.client, s.otherUnit);
    });

    it("checks out several units with checkout_many and submits them with submit_many, answered per unit", async () => {
      await doesABatch(s.client, h.ch, s.name);
    });

    it("refuses the admin token (403) and no token (401); GET and DELETE are 405", async () => {
      await expect(connect(api.base, ADMIN)).rejects.toThrow(/403|actor token/);
      await expect(connect(api.base, null)).rejects.toThrow(/401|bearer/i);
      const get = await api.call("GET", "/mcp");
      expect(get.status).toBe(405);
      expect(get.headers.get("allow")).toBe("POST");
      expect((await api.call("DELETE", "/mcp")).status).toBe(405);
    });
  });
}
