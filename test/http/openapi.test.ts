/** /openapi.json describes every route the server has, with its schemas and status codes. */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer } from "../../src/http/server.js";
import { engines } from "../support/engines.js";
import { useChameleon } from "../support/fixtures.js";
import { ADMIN, call } from "./support.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

interface Operation {
  summary?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}

describe("the OpenAPI description", () => {
  const h = useChameleon(sqlite);
  const registered: string[] = [];
  let base = "";
  let close = async () => {};

  beforeAll(async () => {
    const app = createHttpServer(h.ch, { adminToken: ADMIN, sweepIntervalMs: 0 });
    app.addHook("onRoute", (r) => {
      for (const m of [r.method].flat()) registered.push(`${m} ${r.url.replace(/:(\w+)/g, "{$1}")}`);
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = () => app.close();
  });
  afterAll(() => close());

  it("lists every route, API.md's among them, each with a summary and its status codes", async () => {
    const reply = await call<{ openapi: string; paths: Record<string, Record<string, Operation>> }>(
      base,
      "GET",
      "/openapi.json",
    );
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe("3.1.0");
    const described = Object.entries(reply.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual([...new Set(registered)].sort());
    for (const route of [
      "GET /health",
      "POST /templates",
      "GET /templates",
      "POST /instances",
      "GET /instances/{id}",
      "POST /instances/{id}/actors",
      "POST /instances/{id}/actors/{actor}/tokens",
      "POST /instances/{id}/work",
      "GET /instances/{id}/work",
      "POST /instances/{id}/checkout",
      "POST /instances/{id}/work/{uow}/heartbeat",
      "POST /instances/{id}/work/{uow}/submit",
      "POST /instances/{id}/work/{uow}/fail",
      "POST /instances/{id}/work/{uow}/cancel",
      "POST /instances/{id}/work/{uow}/release",
      "GET /instances/{id}/work/{uow}",
      "GET /instances/{id}/work/{uow}/history",
      "GET /instances/{id}/memory",
      "PUT /instances/{id}/memory",
      "POST /admin/sweep",
      "POST /mcp",
      "GET /openapi.json",
    ]) {
      expect(described).toContain(route);
    }
    for (const [path, ops] of Object.entries(reply.body.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        if (path === "/mcp" || path === "/openapi.json") continue;
        const codes = Object.keys(op.responses);
        expect(
          codes.some((c) => ["200", "201", "204"].includes(c)),
          `${method} ${path}`,
        ).toBe(true);
        if (path !== "/health")
          expect(codes).toEqual(expect.arrayContaining(["400", "401", "403", "404", "409", "413"]));
      }
    }
    const submit = reply.body.paths["/instances/{id}/work/{uow}/submit"]!.post!;
    expect(submit.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(["path:id", "path:uow"]);
    const body = submit.requestBody!.content["application/json"]!.schema;
    expect(body).toMatchObject({ type: "object", additionalProperties: false, required: ["leaseToken"] });
    expect(Object.keys(reply.body.paths["/templates"]!.post!.requestBody!.content)).toEqual(
      expect.arrayContaining(["application/json", "application/yaml"]),
    );
    expect(reply.body.paths["/health"]!.get!.security).toEqual([]);
  });

  it("needs a token like every route but /health", async () => {
    expect((await call(base, "GET", "/openapi.json", { token: null })).status).toBe(401);
  });
});
