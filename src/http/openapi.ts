/**
 * The OpenAPI description, built by @fastify/swagger from the JSON Schema every route
 * declares, and served at /openapi.json. Register before the routes: it records them as
 * they are added, and it adds the named schemas (components.schemas) the routes refer to.
 */
import { isDeepStrictEqual } from "node:util";
import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import { responses } from "./route.js";
import { componentSchemas, OpenApiDocument, schemaRef } from "./schemas.js";

const TAGS = [
  {
    name: "operations",
    description:
      "Health, this description, the sweep, operators' moves on units, pause and resume of instances and roles",
  },
  { name: "templates", description: "Blueprints: import and list" },
  { name: "instances", description: "Instances of a workflow" },
  { name: "actors", description: "The actors of an instance, their roles and tokens" },
  { name: "work", description: "Units of work: genesis, checkout, heartbeat, submit, fail, cancel, release, reading" },
  { name: "memory", description: "What the actors of a role remember" },
  { name: "schedules", description: "Cron schedules that start a unit at each tick" },
  { name: "mcp", description: "The Model Context Protocol endpoint (docs/mcp.md)" },
];

interface OpenApiLike {
  paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: Record<string, unknown> } }>>;
}

/** A body of no fields may be left out (it counts as `{}`): its requestBody is not required. */
function optionalEmptyBodies<T extends OpenApiLike>(document: T): T {
  const empty = { schema: { $ref: "#/components/schemas/NoFields" } };
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const content = operation.requestBody?.content;
      if (
        content !== undefined &&
        Object.keys(content).length === 1 &&
        isDeepStrictEqual(content["application/json"], empty)
      )
        operation.requestBody!.required = false;
    }
  }
  return document;
}

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  for (const schema of componentSchemas()) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Chameleon HTTP API",
        version,
        description:
          "A workflow engine in which people, AI agents and code share units of work. Every route but /health " +
          "needs `Authorization: Bearer <token>`: the admin token given at start, or an actor token (acts as that " +
          "actor, only in its instance).",
        license: { name: "MIT", identifier: "MIT" },
      },
      // Relative: the server that serves this document, wherever it listens.
      servers: [{ url: "/", description: "the server serving this document" }],
      tags: TAGS,
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transformObject: (documents) =>
      "openapiObject" in documents
        ? optionalEmptyBodies(documents.openapiObject as OpenApiLike)
        : documents.swaggerObject,
    // Named schemas keep their names: `$ref: "CheckoutReply#"` is `#/components/schemas/CheckoutReply`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get(
    "/openapi.json",
    {
      config: { access: "any" },
      schema: {
        operationId: "getOpenApi",
        tags: ["operations"],
        summary: "This API's OpenAPI description",
        response: responses("any", {
          200: { description: "The OpenAPI 3.1 document", ...schemaRef(OpenApiDocument, "GET /openapi.json") },
        }),
      },
    },
    async () => app.swagger(),
  );
}
