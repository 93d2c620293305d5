/**
 * The OpenAPI description, built by @fastify/swagger from the JSON Schema every route
 * declares, and served at /openapi.json. Register before the routes: it records them as
 * they are added.
 */
import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
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
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get(
    "/openapi.json",
    { config: { access: "any" }, schema: { tags: ["operations"], summary: "This API's OpenAPI description" } },
    async () => app.swagger(),
  );
}
