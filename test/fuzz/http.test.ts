/**
 * Random input to every route of the HTTP API (the routes are read from /openapi.json): wrong
 * types, unknown fields, odd ids, missing or foreign tokens. The server must answer every
 * request with a JSON error or a success, never a 5xx, and a refused request changes nothing.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { useChameleon } from "../support/fixtures.js";
import { ADMIN, useHttp } from "../http/support.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;
const TABLES = [
  "instance_context",
  "local_actors",
  "local_actor_role_assignments",
  "units_of_work",
  "uow_attributes",
  "interaction_logs",
  "local_role_attributes",
  "local_actor_tokens",
] as const;

describe("the HTTP API under random input", () => {
  const h = useChameleon(sqlite);
  const api = useHttp(h);
  const known = { instance: "", uow: "", actorToken: "", otherToken: "" };
  let routes: { method: string; path: string; fields: string[]; stream: boolean }[] = [];

  beforeAll(async () => {
    const { ch } = h;
    const inst = await ch.instances.create({
      workflow: "Minimal",
      name: "fuzzed",
      actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] }],
    });
    const other = await ch.instances.create({
      workflow: "Minimal",
      name: "other",
      actors: [{ name: "bob", type: "HUMAN", identityKey: "bob", roles: ["Work"] }],
    });
    known.instance = inst.instanceId;
    known.uow = (await ch.work.start(inst.instanceId, { attributes: { n: 1 }, actorId: "ann" })).uowId;
    known.actorToken = (await ch.actors.issueToken(inst.instanceId, "ann")).token;
    known.otherToken = (await ch.actors.issueToken(other.instanceId, "bob")).token;
    interface Schema {
      $ref?: string;
      properties?: Record<string, unknown>;
    }
    const spec = (
      await api.call<{
        paths: Record<
          string,
          Record<
            string,
            {
              requestBody?: { content?: Record<string, { schema?: Schema }> };
              responses?: Record<string, { content?: Record<string, unknown> }>;
            }
          >
        >;
        components: { schemas: Record<string, Schema> };
      }>("GET", "/openapi.json")
    ).body;
    // Bodies are named schemas: `$ref: "#/components/schemas/SubmitBody"`.
    const resolve = (schema: Schema | undefined) =>
      schema?.$ref === undefined ? schema : spec.components.schemas[schema.$ref.split("/").pop()!];
    routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        fields: Object.keys(resolve(op.requestBody?.content?.["application/json"]?.schema)?.properties ?? {}),
        stream: op.responses?.["200"]?.content?.["text/event-stream"] !== undefined,
      })),
    );
    expect(routes.find((r) => r.path.endsWith("/submit"))?.fields).toContain("leaseToken");
    expect(routes.length).toBeGreaterThan(15);
  });

  const counts = async () =>
    Promise.all(
      TABLES.map(async (t) =>
        Number(
          (
            await h.ch.stores.instances.db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );

  it(
    "answers every route with JSON and never a server error; refusals write nothing",
    { timeout: 240_000 },
    async () => {
      const param = fc.constantFrom(
        () => known.instance,
        () => "fuzzed",
        () => known.uow,
        () => "00000000-0000-4000-8000-000000000000",
        () => "not-an-id",
        () => "%2e%2e",
        () => "x".repeat(300),
        () => "ann",
      );
      const value = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constant(known.uow),
        fc.constant("Work"),
        fc.string({ maxLength: 20 }),
      );
      const token = fc.constantFrom<() => string | null>(
        () => ADMIN,
        () => known.actorToken,
        () => known.otherToken,
        () => null,
        () => "chm_forged",
      );
      let served = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat(),
          fc.array(param, { minLength: 3, maxLength: 3 }),
          fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.dictionary(
              fc.constantFrom(
                "role",
                "actorId",
                "uowId",
                "leaseToken",
                "attributes",
                "reasoning",
                "error",
                "reason",
                "name",
                "workflow",
                "yaml",
                "x",
              ),
              value,
            ),
          ),
          token,
          async (pick, params, body, who) => {
            const route = routes[pick % routes.length]!;
            let i = 0;
            const path = route.path.replace(/\{[^}]+\}|:[A-Za-z]+/g, () =>
              encodeURIComponent(params[i++ % params.length]!()),
            );
            const before = await counts();
            if (route.stream) {
              // An event stream that starts never ends: its status and media type are the answer.
              const abort = new AbortController();
              const t = who();
              const response = await fetch(api.base + path, {
                headers: t === null ? {} : { authorization: `Bearer ${t}` },
                signal: abort.signal,
              });
              expect(response.status, `${route.method} ${path}`).toBeLessThan(500);
              if (response.ok) {
                expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
                served++;
              } else expect(await response.json()).toMatchObject({ error: expect.any(String) });
              abort.abort();
              expect(await counts(), `${route.method} ${path} wrote`).toEqual(before);
              return;
            }
            const reply = await api.call(route.method, path, {
              token: who(),
              ...(route.method === "GET" || route.method === "DELETE" ? {} : { body }),
            });
            expect(reply.status, `${route.method} ${path} -> ${reply.text.slice(0, 200)}`).toBeLessThan(500);
            if (reply.status >= 400) {
              // /mcp speaks JSON-RPC: past authentication, its refusals are JSON-RPC errors.
              if ((reply.body as { jsonrpc?: string }).jsonrpc !== undefined) {
                expect(route.path).toBe("/mcp");
                expect(reply.body).toMatchObject({ jsonrpc: "2.0", error: { message: expect.any(String) } });
              } else expect(reply.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
              expect(await counts(), `${route.method} ${path} refused but wrote`).toEqual(before);
            } else served++;
          },
        ),
        { numRuns: 2000 },
      );
      expect(served).toBeGreaterThan(0);
    },
  );
});
