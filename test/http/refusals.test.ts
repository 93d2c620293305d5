/**
 * Every refusal of the HTTP API, route by route, on SQLite: 400 (wrong types, unknown fields),
 * 401 (no, unknown or revoked token), 403 (another instance, a role not assigned, an admin
 * route with an actor token, someone else's actorId), 404, 409 (lost lease), 413 (too large),
 * each with a body naming what is wrong, and nothing written by any of them (read back
 * through the library).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { example, uniqueName, useChameleon } from "../support/fixtures.js";
import { listen, snapshot, useHttp, type Reply } from "./support.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

interface Case {
  method: string;
  path: string;
  access: "admin" | "instance" | "any" | "actor";
  /** A body the route accepts the shape of (values may still be refused later). */
  body?: unknown;
}

interface ErrorBody {
  error: string;
  message: string;
  issues?: { path: string; message: string }[];
}

describe("HTTP refusals", () => {
  const h = useChameleon(sqlite);
  const api = useHttp(h);
  const A = uniqueName("refuse_a");
  const B = uniqueName("refuse_b");
  const s = {} as {
    ann: string;
    bob: string;
    cat: string;
    revoked: string;
    held: { uowId: string; leaseToken: string };
    pending: string;
    other: string;
  };
  const memoryOf = () => [
    { instance: A, role: "Work", actorId: "ann" },
    { instance: A, role: "Work", actorId: "bob" },
  ];
  /** Runs the refusals and checks that the library reads the same before and after. */
  async function unchanged(refusals: () => Promise<void>): Promise<void> {
    const before = await snapshot(h.ch, memoryOf());
    await refusals();
    expect(await snapshot(h.ch, memoryOf())).toEqual(before);
  }
  function refused(reply: Reply, status: number, error: string, mentions?: string | RegExp): void {
    const body = reply.body as ErrorBody;
    expect({ status: reply.status, error: body?.error }, reply.text).toEqual({ status, error });
    expect(typeof body.message).toBe("string");
    if (mentions !== undefined) expect(body.message).toMatch(mentions);
  }

  beforeAll(async () => {
    const ch = h.ch;
    await ch.instances.create({
      workflow: "Minimal",
      name: A,
      actors: [
        { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work", "Finish"] },
        { name: "bob", type: "AI_AGENT", identityKey: "bob", roles: ["Work"] },
      ],
    });
    await ch.instances.create({
      workflow: "Minimal",
      name: B,
      actors: [{ name: "cat", type: "HUMAN", identityKey: "cat", roles: ["Start", "Work"] }],
    });
    s.ann = (await ch.actors.issueToken(A, "ann")).token;
    s.bob = (await ch.actors.issueToken(A, "bob")).token;
    s.cat = (await ch.actors.issueToken(B, "cat")).token;
    const revoked = await ch.actors.issueToken(A, "bob");
    s.revoked = revoked.token;
    expect((await api.call("DELETE", `/tokens/${revoked.tokenId}`)).status).toBe(204);
    await ch.memory.put(A, { role: "Work", key: "tone", value: "formal" });
    await ch.work.startMany(A, [{ attributes: { n: 1 } }, { attributes: { n: 2 } }]);
    const held = (await ch.work.checkout(A, { role: "Work", actorId: "ann" }))!;
    s.held = { uowId: held.uowId, leaseToken: held.leaseToken };
    s.pending = (await ch.work.list(A, { status: "PENDING" }))[0]!.uowId;
    s.other = (await ch.work.start(B, { attributes: { n: 3 } })).uowId;
  });

  /** Every route but /health, with a body of the right shape. */
  const routes = (): Case[] => {
    const u = `/instances/${A}/work/${s.held.uowId}`;
    return [
      { method: "POST", path: "/templates", access: "admin", body: { yaml: example("minimal.yml") } },
      { method: "GET", path: "/templates", access: "admin" },
      { method: "POST", path: "/instances", access: "admin", body: { workflow: "Minimal", name: uniqueName("x") } },
      { method: "GET", path: "/instances", access: "admin" },
      { method: "GET", path: `/instances/${A}`, access: "instance" },
      {
        method: "POST",
        path: `/instances/${A}/actors`,
        access: "admin",
        body: { name: "dan", type: "HUMAN", identityKey: "dan" },
      },
      { method: "PUT", path: `/instances/${A}/actors/bob/roles/Finish`, access: "admin", body: {} },
      { method: "DELETE", path: `/instances/${A}/actors/bob/roles/Work`, access: "admin" },
      { method: "POST", path: `/instances/${A}/actors/bob/tokens`, access: "admin", body: {} },
      { method: "DELETE", path: `/tokens/00000000-0000-4000-8000-000000000000`, access: "admin" },
      { method: "POST", path: `/instances/${A}/work`, access: "instance", body: { attributes: { n: 9 } } },
      { method: "GET", path: `/instances/${A}/work`, access: "instance" },
      { method: "POST", path: `/instances/${A}/checkout`, access: "instance", body: { role: "Work" } },
      { method: "GET", path: u, access: "instance" },
      { method: "GET", path: `${u}/history`, access: "instance" },
      { method: "POST", path: `${u}/heartbeat`, access: "instance", body: { leaseToken: s.held.leaseToken } },
      { method: "POST", path: `${u}/submit`, access: "instance", body: { leaseToken: s.held.leaseToken } },
      { method: "POST", path: `${u}/fail`, access: "instance", body: { leaseToken: s.held.leaseToken, error: "x" } },
      { method: "POST", path: `${u}/cancel`, access: "instance", body: { reason: "x" } },
      { method: "POST", path: `${u}/release`, access: "instance", body: { leaseToken: s.held.leaseToken } },
      { method: "GET", path: `/instances/${A}/memory?role=Work`, access: "instance" },
      {
        method: "PUT",
        path: `/instances/${A}/memory`,
        access: "admin",
        body: { role: "Work", key: "k", value: 1 },
      },
      { method: "POST", path: "/admin/sweep", access: "admin", body: {} },
      { method: "POST", path: `${u}/admin-release`, access: "admin", body: { reason: "x" } },
      { method: "POST", path: `${u}/reassign`, access: "admin", body: { actorId: "bob", reason: "x" } },
      {
        method: "POST",
        path: `/instances/${A}/bulk/cancel`,
        access: "admin",
        body: { uowIds: [s.pending], reason: "x" },
      },
      {
        method: "POST",
        path: `/instances/${A}/bulk/release`,
        access: "admin",
        body: { uowIds: [s.held.uowId], reason: "x" },
      },
      { method: "GET", path: "/openapi.json", access: "any" },
      { method: "POST", path: "/mcp", access: "actor", body: { jsonrpc: "2.0", id: 1, method: "tools/list" } },
    ];
  };

  it("401: no token, a malformed header, an unknown token or a revoked one, on every route but /health", async () => {
    await unchanged(async () => {
      for (const r of routes()) {
        for (const [token, why] of [
          [null, /missing bearer token/],
          ["chm_unknown", /unknown or revoked/],
          [s.revoked, /unknown or revoked/],
          ["", /missing bearer token/],
        ] as const) {
          const reply = await api.call(r.method, r.path, { token, body: r.body });
          refused(reply, 401, "Unauthorized", why);
          expect(reply.headers.get("www-authenticate")).toBe("Bearer");
        }
        const basic = await api.call(r.method, r.path, {
          token: null,
          body: r.body,
          headers: { authorization: "Basic eDp5" },
        });
        refused(basic, 401, "Unauthorized");
      }
    });
  });

  it("403: admin routes with an actor token, the MCP endpoint with the admin token", async () => {
    await unchanged(async () => {
      for (const r of routes().filter((r) => r.access === "admin")) {
        // A read names the operator tokens that may make it; a change, the admin token.
        const needs = r.method === "GET" ? /needs an operator token \(admin or viewer\)/ : /needs the admin token/;
        refused(await api.call(r.method, r.path, { token: s.ann, body: r.body }), 403, "ForbiddenError", needs);
      }
      const mcp = routes().find((r) => r.path === "/mcp")!;
      refused(await api.call("POST", "/mcp", { body: mcp.body }), 403, "ForbiddenError", /actor token/);
    });
  });

  it("403: an actor token in another instance (by name or by id)", async () => {
    const idOfA = (await h.ch.instances.get(A)).instanceId;
    await unchanged(async () => {
      for (const r of routes().filter((r) => r.access === "instance")) {
        const reply = await api.call(r.method, r.path, { token: s.cat, body: r.body });
        refused(reply, 403, "ForbiddenError", new RegExp(`belongs to instance '${B}'`));
        const byId = await api.call(r.method, r.path.replace(A, idOfA), { token: s.cat, body: r.body });
        refused(byId, 403, "ForbiddenError");
      }
    });
  });

  it("403: an actor token naming another actor", async () => {
    const bobId = (await h.ch.instances.get(A)).actors.find((a) => a.name === "bob")!.actorId;
    await unchanged(async () => {
      for (const r of routes().filter((r) => r.access === "instance" && r.body !== undefined)) {
        for (const other of ["bob", bobId, "SYSTEM"]) {
          const body = { ...(r.body as object), actorId: other };
          refused(
            await api.call(r.method, r.path, { token: s.ann, body }),
            403,
            "ForbiddenError",
            /acts as actor 'ann'/,
          );
        }
      }
      refused(
        await api.call("GET", `/instances/${A}/memory?role=Work&actorId=bob`, { token: s.ann }),
        403,
        "ForbiddenError",
      );
    });
  });

  it("403: a role the actor is not assigned to (the library's ForbiddenError)", async () => {
    await unchanged(async () => {
      refused(
        await api.call("POST", `/instances/${A}/checkout`, { token: s.bob, body: { role: "Finish" } }),
        403,
        "ForbiddenError",
        /'bob' has no active assignment to role 'Finish'/,
      );
      refused(
        await api.call("POST", `/instances/${A}/checkout`, { body: { role: "Finish", actorId: "bob" } }),
        403,
        "ForbiddenError",
      );
      refused(
        await api.call("POST", `/instances/${A}/work`, { token: s.bob, body: { attributes: {} } }),
        403,
        "ForbiddenError",
        /cannot start work/,
      );
      refused(
        await api.call("GET", `/instances/${A}/memory?role=Finish`, { token: s.bob }),
        403,
        "ForbiddenError",
        /no active assignment to role 'Finish'/,
      );
      // bob does not hold the unit as EPSILON or TAU: he may not cancel it.
      refused(
        await api.call("POST", `/instances/${A}/work/${s.pending}/cancel`, { token: s.bob, body: { reason: "no" } }),
        403,
        "ForbiddenError",
      );
    });
  });

  it("400: unknown fields and wrong types in bodies, query strings and parameters, named in the reply", async () => {
    const u = `/instances/${A}/work/${s.held.uowId}`;
    const wrongTypes: [string, string, unknown, string][] = [
      ["POST", "/templates", { yaml: 5 }, "body.yaml"],
      ["POST", "/instances", { workflow: 5, name: "x" }, "body.workflow"],
      ["POST", "/instances", { workflow: "Minimal", name: "x", version: "1" }, "body.version"],
      ["POST", "/instances", { workflow: "Minimal" }, "body.name"],
      ["POST", `/instances/${A}/actors`, { name: "d", type: "ROBOT", identityKey: "d" }, "body.type"],
      ["POST", `/instances/${A}/work`, { attributes: "x" }, "body.attributes"],
      ["POST", `/instances/${A}/work`, { attributes: [1] }, "body.attributes"],
      ["POST", `/instances/${A}/checkout`, { role: 5 }, "body.role"],
      ["POST", `/instances/${A}/checkout`, {}, "body.role"],
      ["POST", `/instances/${A}/checkout`, [], "body"],
      ["POST", `${u}/heartbeat`, { leaseToken: 1 }, "body.leaseToken"],
      [
        "POST",
        `${u}/submit`,
        { leaseToken: s.held.leaseToken, children: [{ attributes: {}, x: 1 }] },
        "body.children.0.x",
      ],
      [
        "POST",
        `${u}/submit`,
        { leaseToken: s.held.leaseToken, learn: [{ key: "k", value: 1, shared: "yes" }] },
        "body.learn.0.shared",
      ],
      [
        "POST",
        `${u}/submit`,
        { leaseToken: s.held.leaseToken, attributes: { _secret: 1 }, actorId: "ann" },
        "attributes._secret",
      ],
      ["POST", `${u}/fail`, { leaseToken: s.held.leaseToken, error: "" }, "body.error"],
      ["POST", `${u}/cancel`, { reason: 3 }, "body.reason"],
      ["POST", `${u}/release`, { leaseToken: s.held.leaseToken, reason: false }, "body.reason"],
      ["PUT", `/instances/${A}/memory`, { role: "Work", key: 5, value: 1 }, "body.key"],
      ["POST", "/admin/sweep", { instanceId: 5 }, "body.instanceId"],
    ];
    await unchanged(async () => {
      for (const r of routes().filter((r) => r.body !== undefined && r.path !== "/mcp")) {
        const reply = await api.call(r.method, r.path, { body: { ...(r.body as object), bogus: 1 } });
        refused(reply, 400, "ValidationError", /unknown field 'bogus'/);
        expect((reply.body as ErrorBody).issues?.[0]?.path).toBe("body.bogus");
      }
      for (const r of routes().filter((r) => r.path !== "/mcp" && r.path !== "/openapi.json")) {
        const path = r.path + (r.path.includes("?") ? "&" : "?") + "bogus=1";
        refused(
          await api.call(r.method, path, { body: r.body }),
          400,
          "ValidationError",
          /querystring: unknown field 'bogus'/,
        );
      }
      for (const [method, path, body, where] of wrongTypes) {
        const reply = await api.call(method, path, { body });
        refused(reply, 400, "ValidationError");
        expect(
          (reply.body as ErrorBody).issues?.map((i) => i.path),
          reply.text,
        ).toContain(where);
      }
      refused(await api.call("GET", `/instances/${A}/work?limit=0`), 400, "ValidationError", /querystring.limit/);
      refused(await api.call("GET", `/instances/${A}/work?status=DONE`), 400, "ValidationError", /querystring.status/);
      refused(await api.call("GET", `/instances/${A}/memory`), 400, "ValidationError", /missing field 'role'/);
      refused(await api.call("GET", `/instances/${"x".repeat(300)}`), 400, "ValidationError", /params.id/);
      refused(await api.call("DELETE", "/tokens/not-a-uuid"), 400, "ValidationError", /params.tokenId/);
      // Not JSON, or not an object.
      refused(
        await api.call("POST", `/instances/${A}/checkout`, { raw: { contentType: "application/json", text: "{" } }),
        400,
        "FST_ERR_CTP_INVALID_JSON_BODY",
      );
      // A media type the route does not take is a 415, even one another route reads (YAML).
      refused(
        await api.call("POST", `/instances/${A}/checkout`, {
          raw: { contentType: "application/yaml", text: "role: Work" },
        }),
        415,
        "FST_ERR_CTP_INVALID_MEDIA_TYPE",
        /application\/yaml.*send application\/json/,
      );
      refused(
        await api.call("POST", `/instances/${A}/checkout`, { raw: { contentType: "text/plain", text: "{}" } }),
        415,
        "FST_ERR_CTP_INVALID_MEDIA_TYPE",
        /text\/plain/,
      );
      const xml = await api.call("POST", `/instances/${A}/checkout`, {
        raw: { contentType: "application/xml", text: "<role>Work</role>" },
      });
      refused(xml, 415, "FST_ERR_CTP_INVALID_MEDIA_TYPE");
      // The admin must name the actor an actor-scoped call acts as.
      refused(
        await api.call("POST", `/instances/${A}/checkout`, { body: { role: "Work" } }),
        400,
        "ValidationError",
        /actorId/,
      );
      // A blueprint that does not validate: the library's issues, with lines.
      const bad = await api.call("POST", "/templates", {
        raw: { contentType: "application/yaml", text: "workflow:\n  name: [\n" },
      });
      refused(bad, 400, "ValidationError");
      expect((bad.body as ErrorBody).issues?.length).toBeGreaterThan(0);
      refused(
        await api.call("POST", "/templates", { raw: { contentType: "text/plain", text: "" } }),
        415,
        "FST_ERR_CTP_INVALID_MEDIA_TYPE",
      );
      refused(await api.call("POST", "/templates", { body: "workflow: x" }), 400, "ValidationError");
    });
  });

  it("404: unknown instances, units, actors, workflows and routes; another instance's unit is not found", async () => {
    await unchanged(async () => {
      for (const r of routes().filter((r) => r.path.startsWith(`/instances/${A}`))) {
        const reply = await api.call(r.method, r.path.replace(A, "no_such_instance"), { body: r.body });
        refused(reply, 404, "NotFoundError", /no_such_instance/);
      }
      const unknownUnit = "00000000-0000-7000-8000-000000000000";
      for (const r of routes().filter((r) => r.path.includes(s.held.uowId) && r.access === "instance")) {
        for (const uow of [unknownUnit, s.other, "not-a-uuid"]) {
          const body = r.body === undefined ? undefined : { ...(r.body as object), actorId: "ann" };
          refused(
            await api.call(r.method, r.path.replace(s.held.uowId, uow), { body }),
            404,
            "NotFoundError",
            new RegExp(uow),
          );
          refused(
            await api.call(r.method, r.path.replace(s.held.uowId, uow), { token: s.ann, body: r.body }),
            404,
            "NotFoundError",
          );
        }
      }
      refused(await api.call("POST", `/instances/${A}/actors/nobody/tokens`), 404, "NotFoundError", /nobody/);
      refused(await api.call("PUT", `/instances/${A}/actors/bob/roles/Nope`), 404, "NotFoundError", /Nope/);
      refused(
        await api.call("POST", "/instances", { body: { workflow: "Nope", name: "n" } }),
        404,
        "NotFoundError",
        /Nope/,
      );
      refused(
        await api.call("POST", `/instances/${A}/checkout`, { token: s.ann, body: { role: "Nope" } }),
        404,
        "NotFoundError",
        /Nope/,
      );
      refused(await api.call("GET", "/no/such/route"), 404, "NotFoundError", /no route GET \/no\/such\/route/);
    });
  });

  it("409: a lost lease and a refused transition change nothing; a repeated submit answers the first", async () => {
    const unit = (await h.ch.work.checkout(A, { role: "Work", actorId: "bob" }))!;
    const path = `/instances/${A}/work/${unit.uowId}`;
    const first = await api.call("POST", `${path}/submit`, { token: s.bob, body: { leaseToken: unit.leaseToken } });
    expect(first.status).toBe(200);
    await unchanged(async () => {
      const lease = { leaseToken: unit.leaseToken };
      // The same submit again: the first result, marked, and nothing written.
      const repeated = await api.call("POST", `${path}/submit`, { token: s.bob, body: lease });
      expect(repeated.status).toBe(200);
      expect(repeated.body).toEqual({ ...(first.body as object), alreadyDone: true });
      // A lease never handed out is a lost lease.
      refused(
        await api.call("POST", `${path}/submit`, { token: s.bob, body: { leaseToken: crypto.randomUUID() } }),
        409,
        "ConflictError",
        new RegExp(unit.uowId),
      );
      refused(await api.call("POST", `${path}/heartbeat`, { token: s.bob, body: lease }), 409, "ConflictError");
      refused(
        await api.call("POST", `${path}/fail`, { token: s.ann, body: { ...lease, error: "x" } }),
        409,
        "ConflictError",
      );
      refused(await api.call("POST", `${path}/release`, { token: s.bob, body: lease }), 409, "ConflictError");
      // The held unit with a wrong lease token, by its holder.
      const held = `/instances/${A}/work/${s.held.uowId}`;
      refused(
        await api.call("POST", `${held}/submit`, { token: s.ann, body: { leaseToken: "wrong" } }),
        409,
        "ConflictError",
      );
    });
    // A finalized unit cannot be cancelled again.
    await api.call("POST", `${path}/cancel`, { body: { reason: "done with it" } });
    await unchanged(async () => {
      refused(await api.call("POST", `${path}/cancel`, { body: { reason: "again" } }), 409, "ConflictError");
    });
  });

  it("413: a body over the server's limit, or a submit over the library's limit", async () => {
    const small = await listen(h.ch, { bodyLimitBytes: 16_384 });
    try {
      await unchanged(async () => {
        const big = { leaseToken: s.held.leaseToken, attributes: { blob: "x".repeat(20_000) } };
        const reply = await small.call("POST", `/instances/${A}/work/${s.held.uowId}/submit`, {
          token: s.ann,
          body: big,
        });
        refused(reply, 413, "PayloadTooLargeError", /16384 bytes/);
        const yaml = await small.call("POST", "/templates", {
          raw: { contentType: "application/yaml", text: `# ${"x".repeat(20_000)}\n${example("minimal.yml")}` },
        });
        refused(yaml, 413, "PayloadTooLargeError");
        // Under the server's 2 MiB, over the library's 1 MiB of attributes.
        const huge = { leaseToken: s.held.leaseToken, attributes: { blob: "x".repeat(1_100_000) } };
        const library = await api.call("POST", `/instances/${A}/work/${s.held.uowId}/submit`, {
          token: s.ann,
          body: huge,
        });
        refused(library, 413, "PayloadTooLargeError");
      });
    } finally {
      await small.app.close();
    }
  });

  it("500: an unexpected error is a message without a stack", async () => {
    const { errorReply } = await import("../../src/http/errors.js");
    const failure = new TypeError("boom");
    expect(errorReply(failure)).toEqual({ status: 500, body: { error: "TypeError", message: "boom" } });
  });
});
