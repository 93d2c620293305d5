/**
 * A client generated from /openapi.json (openapi-typescript types in console/src/api/schema.d.ts, called
 * through openapi-fetch) runs the main flow on each engine: import, instance, actor and role,
 * token, genesis, checkout, submit, history. `npm run typecheck` checks this file against the
 * generated types, so a body or answer the description gets wrong is a compile error; and each
 * answer equals what the library returns, so the serializer drops nothing the schema forgot.
 */
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { example, uniqueName, useChameleon } from "../support/fixtures.js";
import type { components, paths } from "../../console/src/api/schema.js";
import { ADMIN, renamed, useHttp } from "./support.js";

type Schemas = components["schemas"];

/** What the library's result looks like as JSON: dates as ISO strings, undefined fields gone. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`a generated client on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const clientFor = (token: string) =>
      createClient<paths>({ baseUrl: api.base, headers: { authorization: `Bearer ${token}` } });

    it("imports, instantiates, adds an actor with a role, starts, checks out, submits and reads the history", async () => {
      const admin = clientFor(ADMIN);
      const yaml = renamed(example("minimal.yml"), "Minimal", "Client_Minimal");
      const imported = await admin.POST("/templates", { body: { yaml } });
      expect(imported.response.status).toBe(200);
      const workflows: Schemas["ImportReply"]["workflows"] = imported.data!.workflows;
      expect(workflows).toEqual([expect.objectContaining({ name: "Client_Minimal", version: 1, created: true })]);
      const templates = await admin.GET("/templates");
      expect(templates.data).toEqual(asJson(await h.ch.templates.list()));

      const name = uniqueName("client");
      const created = await admin.POST("/instances", {
        body: {
          workflow: "Client_Minimal",
          name,
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Finish"] }],
        },
      });
      expect(created.response.status).toBe(201);
      const instanceId: string = created.data!.instanceId;

      const added = await admin.POST("/instances/{id}/actors", {
        params: { path: { id: name } },
        body: { name: "bot", type: "AI_AGENT", identityKey: "bot-1" },
      });
      expect(added.response.status).toBe(201);
      const assigned = await admin.PUT("/instances/{id}/actors/{actor}/roles/{role}", {
        params: { path: { id: name, actor: "bot", role: "Work" } },
      });
      expect(assigned.response.status).toBe(204);
      const shown = await admin.GET("/instances/{id}", { params: { path: { id: instanceId } } });
      expect(shown.data).toEqual(asJson(await h.ch.instances.get(instanceId)));
      expect(shown.data!.actors.find((a) => a.actorId === added.data!.actorId)?.roles).toEqual(["Work"]);

      const issued = await admin.POST("/instances/{id}/actors/{actor}/tokens", {
        params: { path: { id: name, actor: "bot" } },
      });
      expect(issued.response.status).toBe(201);
      const bot = clientFor(issued.data!.token);

      const started = await admin.POST("/instances/{id}/work", {
        params: { path: { id: name } },
        body: { attributes: { title: "hello" }, actorId: "ann", reasoning: "from the client" },
      });
      expect(started.response.status).toBe(201);
      const uowId = started.data!.uowId;

      const checkedOut = await bot.POST("/instances/{id}/checkout", {
        params: { path: { id: name } },
        body: { role: "Work" },
      });
      expect(checkedOut.response.status).toBe(200);
      const unit: Schemas["CheckedOutUnit"] | null = checkedOut.data ?? null;
      expect(unit).toMatchObject({ uowId, role: "Work", attempt: 1, attributes: { title: "hello" }, memory: [] });
      const held = await bot.GET("/instances/{id}/held", { params: { path: { id: name } } });
      const botId = added.data!.actorId;
      expect(held.data).toEqual(asJson(await h.ch.work.held(instanceId, { actorId: botId })));

      // What the types refuse, the server refuses: a submit without its lease token.
      const refused = await bot.POST("/instances/{id}/work/{uow}/submit", {
        params: { path: { id: name, uow: uowId } },
        // @ts-expect-error leaseToken is required by SubmitBody
        body: { attributes: { done: true } },
      });
      expect(refused.response.status).toBe(400);
      const error: Schemas["ErrorReply"] | undefined = refused.error;
      expect(error).toMatchObject({ error: "ValidationError", issues: [{ path: "body.leaseToken" }] });

      const submitted = await bot.POST("/instances/{id}/work/{uow}/submit", {
        params: { path: { id: name, uow: uowId } },
        body: { leaseToken: unit!.leaseToken, attributes: { done: true }, reasoning: "looked fine" },
      });
      expect(submitted.response.status).toBe(200);
      expect(submitted.data).toEqual({ uowId, status: "COMPLETED", interaction: "Done" });

      const got = await bot.GET("/instances/{id}/work/{uow}", { params: { path: { id: name, uow: uowId } } });
      expect(got.data).toEqual(asJson(await h.ch.work.get(instanceId, uowId)));
      expect(got.data).toMatchObject({ status: "COMPLETED", attributes: { title: "hello", done: true } });

      const history = await bot.GET("/instances/{id}/work/{uow}/history", {
        params: { path: { id: name, uow: uowId } },
      });
      expect(history.response.status).toBe(200);
      const entries: Schemas["AuditEntry"][] = history.data!;
      expect(entries.map((e) => [e.event, e.actorName])).toEqual([
        ["GENESIS", "ann"],
        ["CHECKOUT", "bot"],
        ["SUBMIT", "bot"],
      ]);
      expect(entries).toEqual(asJson(await h.ch.work.history(instanceId, uowId)));

      // Every completed unit is an operator's list; the bot lists its role's units (none wait now).
      const listed = await admin.GET("/instances/{id}/work", {
        params: { path: { id: name }, query: { status: "COMPLETED", attributes: "title" } },
      });
      expect(listed.data).toEqual([expect.objectContaining({ uowId, attributes: { title: "hello" } })]);
      const waiting = await bot.GET("/instances/{id}/work", {
        params: { path: { id: name }, query: { role: "Work" } },
      });
      expect(waiting.data).toEqual([]);
    });
  });
}
