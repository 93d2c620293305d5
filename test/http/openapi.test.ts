/**
 * /openapi.json describes every route the server has, with its schemas and status codes, so
 * that a client can be generated from it: operationIds, named schemas, described responses;
 * `redocly lint` (recommended rules) finds nothing; the committed client types are current.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { route } from "../../src/http/route.js";
import { replySchema } from "../../src/http/schemas.js";
import { createHttpServer } from "../../src/http/server.js";
import { engines } from "../support/engines.js";
import { useChameleon } from "../support/fixtures.js";
import { clientTypes, lintDocument, TYPES_FILE } from "./client/document.js";
import { ADMIN, call } from "./support.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  security?: unknown[];
}

interface Document {
  openapi: string;
  info: { license?: { name: string; identifier?: string } };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

/**
 * Routes registered but left out of the document: the 405s of the stateless MCP endpoint, and
 * the console's pages and files (a browser's, not an API client's).
 */
const HIDDEN = ["GET /mcp", "DELETE /mcp", "GET /", "GET /ui", "GET /ui/*"];

/** Every `$ref` anywhere in a value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );

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
    const reply = await call<Document>(base, "GET", "/openapi.json");
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe("3.1.0");
    const described = Object.entries(reply.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual([...new Set(registered)].filter((r) => !HIDDEN.includes(r)).sort());
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
    expect(submit.requestBody!.content["application/json"]!.schema).toEqual({
      $ref: "#/components/schemas/SubmitBody",
    });
    expect(reply.body.components.schemas.SubmitBody).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["leaseToken"],
    });
    expect(Object.keys(reply.body.paths["/templates"]!.post!.requestBody!.content)).toEqual(
      expect.arrayContaining(["application/json", "application/yaml"]),
    );
    expect(reply.body.paths["/health"]!.get!.security).toEqual([]);
  });

  it("names every operation, every body and every error, so a client can be generated from it", async () => {
    const doc = (await call<Document>(base, "GET", "/openapi.json")).body;
    expect(doc.info.license).toEqual({ name: "MIT", identifier: "MIT" });
    expect(doc.servers?.map((s) => s.url)).toEqual(["/"]);
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(30);
    const ids = ops.map(({ name, op }) => {
      expect(op.operationId, `${name} has no operationId`).toMatch(/^[a-z][a-zA-Z]+$/);
      return op.operationId;
    });
    expect(new Set(ids).size, "operationIds are unique").toBe(ids.length);

    const schemas = doc.components.schemas;
    const named = (schema: Record<string, unknown> | undefined) =>
      typeof schema?.$ref === "string" ? schema.$ref.replace("#/components/schemas/", "") : undefined;
    /** The error schemas a component stands for: itself, or the members of its union. */
    const errorSchemasOf = (name: string | undefined): string[] => {
      const anyOf = name === undefined ? undefined : (schemas[name]?.anyOf as Record<string, unknown>[] | undefined);
      return anyOf === undefined ? [name ?? "(inline)"] : anyOf.map((m) => named(m) ?? "(inline)");
    };
    for (const { name, op } of ops) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        expect(named(media.schema), `${name}: its ${type} body is a named schema`).toBeDefined();
      }
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${name} ${status}`).toBeTruthy();
        expect(response.description, `${name} ${status}`).not.toBe("Default Response");
        for (const media of Object.values(response.content ?? {})) {
          expect(named(media.schema), `${name} ${status}: a named schema`).toBeDefined();
        }
        if (Number(status) >= 400) {
          expect(errorSchemasOf(named(response.content?.["application/json"]?.schema)), `${name} ${status}`).toContain(
            "ErrorReply",
          );
        }
      }
      if (name !== "GET /health") expect(Object.keys(op.responses), name).toContain("401");
    }

    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(["ErrorReply", "CheckoutReply", "SubmitBody"]));
    const refs = refsIn(doc);
    for (const ref of refs) {
      expect(ref, "every $ref points into components.schemas").toMatch(/^#\/components\/schemas\/[A-Za-z]+$/);
      expect(schemas[ref.slice("#/components/schemas/".length)], `${ref} resolves`).toBeDefined();
    }
    for (const schema of Object.keys(schemas))
      expect(refs, `${schema} is used`).toContain(`#/components/schemas/${schema}`);
  });

  it("passes redocly lint (recommended rules) with no error and no warning", async () => {
    const doc = (await call<Document>(base, "GET", "/openapi.json")).body;
    expect(await lintDocument(doc as unknown as Record<string, unknown>)).toEqual([]);
    // The lint does find what it is there for: an operation without an operationId, no license.
    const broken = structuredClone(doc);
    delete broken.paths["/health"]!.get!.operationId;
    delete broken.info.license;
    const found = await lintDocument(broken as unknown as Record<string, unknown>);
    expect(found.map((p) => p.ruleId).sort()).toEqual(["info-license", "operation-operationId"]);
  });

  it("is what the committed client types (console/src/api/schema.d.ts) were generated from: npm run openapi:types", async () => {
    const doc = (await call<Document>(base, "GET", "/openapi.json")).body;
    expect(readFileSync(TYPES_FILE, "utf8")).toBe(await clientTypes(doc as unknown as Record<string, unknown>));
  });

  it("refuses, when the route is made, a body or reply schema without a name", () => {
    const def = {
      method: "POST" as const,
      url: "/x",
      operationId: "postX",
      access: "admin" as const,
      tags: ["operations"],
      summary: "x",
      handler: async () => ({ ok: true }),
    };
    const Named = replySchema("TestOnlyReply", z.object({ ok: z.boolean() }));
    expect(() => route({ ...def, body: z.object({ a: z.string() }).strict(), response: Named })).toThrow(
      "POST /x: its body: name its schema with requestSchema or replySchema (src/http/schemas.ts)",
    );
    expect(() => route({ ...def, response: z.object({ ok: z.boolean() }) })).toThrow(/POST \/x: its response: name/);
    expect(() => route({ ...def, response: Named })).not.toThrow();
  });

  it("needs a token like every route but /health", async () => {
    expect((await call(base, "GET", "/openapi.json", { token: null })).status).toBe(401);
  });
});
