/**
 * A connection lost after COMMIT was sent leaves the outcome unknown: the engine must not run
 * the transaction again (it may have committed) and says so with OutcomeUnknownError; one lost
 * while the transaction body runs is rolled back by the server and retried transparently.
 * A TCP proxy between the engine and the server cuts the connection at the exact point.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { ConflictError, OutcomeUnknownError } from "../../src/errors.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { listen, type Api } from "../http/support.js";
import { callTool } from "../mcp/scenario.js";
import { runCli } from "../support/cli.js";
import { engines } from "../support/engines.js";
import type { FreshStores } from "../support/engines.js";
import { example, exampleFiles, uniqueName } from "../support/fixtures.js";
import { serverOf, startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const DEFAULT_PORT = { postgres: 5432, mysql: 3306 } as const;

for (const engine of engines.filter((e) => e.name !== "sqlite")) {
  describe.skipIf(engine.skipReason !== null)(`an ambiguous commit on ${engine.name}`, () => {
    let fresh: FreshStores;
    let proxy: TcpProxy;
    let ch: Chameleon;
    let api: Api;

    beforeAll(async () => {
      fresh = await engine.fresh();
      const protocol = engine.name === "postgres" ? "postgres" : "mysql";
      proxy = await startTcpProxy(protocol, serverOf(fresh.adminUrl, DEFAULT_PORT[protocol]));
      // Only the instance store goes through the proxy: the template store is read at instantiation.
      ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: proxy.urlFor(fresh.instancesUrl) });
      for (const file of exampleFiles()) await ch.templates.importYaml(example(file));
      api = await listen(ch);
    });
    afterAll(async () => {
      await api?.app.close();
      await ch?.close();
      await proxy?.close();
      await fresh?.drop();
    });

    const minimal = () =>
      ch.instances.create({
        workflow: "Minimal",
        name: uniqueName("ambiguous"),
        actors: [{ name: "Ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] }],
      });

    it("work.start: OutcomeUnknownError, and exactly one unit exists afterwards", async () => {
      const inst = await minimal();
      const cut = proxy.cutAfterCommit();
      const started = ch.work.start(inst.instanceId, { attributes: { title: "once" }, actorId: "Ann" });
      await expect(started).rejects.toBeInstanceOf(OutcomeUnknownError);
      await cut;
      await expect(started).rejects.toThrow(/may or may not have been applied/);
      const units = await landed(
        () => ch.work.list(inst.instanceId),
        (u) => u.length > 0,
      );
      expect(units).toHaveLength(1);
      expect((await ch.work.get(inst.instanceId, units[0]!.uowId)).attributes).toEqual({ title: "once" });
    });

    it("work.checkout: OutcomeUnknownError, and at most one unit is ACTIVE", async () => {
      const inst = await minimal();
      for (let i = 0; i < 3; i++) await ch.work.start(inst.instanceId, { attributes: { n: i }, actorId: "Ann" });
      const cut = proxy.cutAfterCommit();
      await expect(ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" })).rejects.toBeInstanceOf(
        OutcomeUnknownError,
      );
      await cut;
      const active = await landed(
        async () => (await ch.work.list(inst.instanceId)).filter((u) => u.status === "ACTIVE"),
        (a) => a.length > 0,
      );
      expect(active).toHaveLength(1);
    });

    it("work.submit: OutcomeUnknownError rather than a ConflictError, and the submit is applied once", async () => {
      const inst = await minimal();
      const { uowId } = await ch.work.start(inst.instanceId, { attributes: {}, actorId: "Ann" });
      const unit = await ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" });
      const cut = proxy.cutAfterCommit();
      const submitted = ch.work.submit(inst.instanceId, {
        uowId,
        leaseToken: unit!.leaseToken,
        actorId: "Ann",
        attributes: { done: true },
      });
      await expect(submitted).rejects.toBeInstanceOf(OutcomeUnknownError);
      await expect(submitted).rejects.not.toBeInstanceOf(ConflictError);
      await cut;
      const history = await landed(
        async () => (await ch.work.history(inst.instanceId, uowId)).map((e) => e.event),
        (h) => h.includes("SUBMIT"),
      );
      expect(history.filter((e) => e === "SUBMIT")).toHaveLength(1);
    });

    it("the caller recovers every ambiguous outcome: a keyed start, a checkout through work.held, a submit by its lease", async () => {
      const inst = await minimal();
      // Genesis: the retry with the same key answers the unit the lost try made.
      const cutStart = proxy.cutAfterCommit();
      const start = { attributes: { title: "keyed" }, actorId: "Ann", idempotencyKey: "mail-42" };
      await expect(ch.work.start(inst.instanceId, start)).rejects.toBeInstanceOf(OutcomeUnknownError);
      await cutStart;
      const retried = await ch.work.start(inst.instanceId, start);
      expect(retried.created).toBe(false);
      expect((await ch.work.list(inst.instanceId)).map((u) => u.uowId)).toEqual([retried.uowId]);

      // Checkout: the claim the lost answer carried is found with work.held and submitted.
      const cutCheckout = proxy.cutAfterCommit();
      await expect(ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" })).rejects.toBeInstanceOf(
        OutcomeUnknownError,
      );
      await cutCheckout;
      // The server finishes the COMMIT it was sent after the client is gone: wait until it shows.
      const claim = await eventually(async () => (await ch.work.held(inst.instanceId, { actorId: "Ann" }))[0]);
      expect(claim?.uowId).toBe(retried.uowId);

      // Submit: the repeat with the same lease answers the first result and writes nothing more.
      const submit = { uowId: claim!.uowId, leaseToken: claim!.leaseToken, actorId: "Ann", attributes: { done: true } };
      const cutSubmit = proxy.cutAfterCommit();
      await expect(ch.work.submit(inst.instanceId, submit)).rejects.toBeInstanceOf(OutcomeUnknownError);
      await cutSubmit;
      const repeated = await ch.work.submit(inst.instanceId, submit);
      expect(repeated).toMatchObject({ uowId: claim!.uowId, status: "COMPLETED", alreadyDone: true });
      const events = (await ch.work.history(inst.instanceId, claim!.uowId)).map((e) => e.event);
      expect(events).toEqual(["GENESIS", "CHECKOUT", "SUBMIT"]);
      expect(await ch.work.held(inst.instanceId, { actorId: "Ann" })).toEqual([]);
    });

    it("a connection cut during the transaction body is retried and succeeds once", async () => {
      const inst = await minimal();
      // The attributes are written after the unit row, in the same transaction.
      const cut = proxy.cutBefore(/insert into .?uow_attributes/i);
      const { uowId } = await ch.work.start(inst.instanceId, { attributes: { title: "retried" }, actorId: "Ann" });
      await cut;
      const units = await ch.work.list(inst.instanceId);
      expect(units.map((u) => u.uowId)).toEqual([uowId]);
      expect((await ch.work.get(inst.instanceId, uowId)).attributes).toEqual({ title: "retried" });
    });

    if (engine.name === "mysql") {
      it("a checkout whose claim statement loses its connection is retried and claims one unit", async () => {
        const inst = await minimal();
        for (let i = 0; i < 3; i++) await ch.work.start(inst.instanceId, { attributes: { n: i }, actorId: "Ann" });
        // The claim's mark is sent and never answered: the server rolls the transaction back.
        const cut = proxy.cutBefore(/^update .?units_of_work.?\s+set status = 'ACTIVE'/i);
        const unit = await ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" });
        await cut;
        const active = (await ch.work.list(inst.instanceId)).filter((u) => u.status === "ACTIVE");
        expect(active.map((u) => u.uowId)).toEqual([unit!.uowId]);
      });
    } else {
      it("a claim is one statement outside any transaction: its lost answer is an OutcomeUnknownError that work.held resolves", async () => {
        const inst = await minimal();
        for (let i = 0; i < 3; i++) await ch.work.start(inst.instanceId, { attributes: { n: i }, actorId: "Ann" });
        // Cut before the server sees it: nothing was claimed, but the client cannot know that.
        // The checkout's one statement (gate-and-claim: gate, memory and claim).
        const cut = proxy.cutBefore(/^with gate as/i);
        await expect(ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" })).rejects.toBeInstanceOf(
          OutcomeUnknownError,
        );
        await cut;
        expect(await ch.work.held(inst.instanceId, { actorId: "Ann" })).toEqual([]);
        const unit = await ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" });
        const active = (await ch.work.list(inst.instanceId)).filter((u) => u.status === "ACTIVE");
        expect(active.map((u) => u.uowId)).toEqual([unit!.uowId]);
      });
    }

    it("HTTP answers an ambiguous commit with 503 and the error's message", async () => {
      const inst = await minimal();
      const cut = proxy.cutAfterCommit();
      const reply = await api.call<{ error: string; message: string }>("POST", `/instances/${inst.name}/work`, {
        body: { attributes: { title: "http" }, actorId: "Ann" },
      });
      await cut;
      expect(reply.status).toBe(503);
      expect(reply.body.error).toBe("OutcomeUnknownError");
      expect(reply.body.message).toMatch(/may or may not have been applied/);
      expect(await ch.work.list(inst.instanceId)).toHaveLength(1);
    });

    it("the CLI exits 1 with the error's one line", { timeout: 60_000 }, async () => {
      const inst = await minimal();
      // The CLI opens the stores first (on PostgreSQL a migration check that commits too).
      const cut = proxy.cutAfterCommit(/insert into .?units_of_work/i);
      const r = await runCli([
        "work",
        "start",
        inst.name,
        "--attrs",
        '{"title":"cli"}',
        "--actor",
        "Ann",
        "--templates",
        fresh.templatesUrl,
        "--instances",
        proxy.urlFor(fresh.instancesUrl),
      ]);
      await cut;
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/may or may not have been applied/);
      expect(await ch.work.list(inst.instanceId)).toHaveLength(1);
    });

    it("MCP returns it as a tool error", async () => {
      const inst = await minimal();
      const { token } = await ch.actors.issueToken(inst.instanceId, "Ann");
      const transport = new StreamableHTTPClientTransport(new URL("/mcp", api.base), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      });
      const client = new Client({ name: "ambiguous-commit-test", version: "1.0.0" });
      await client.connect(transport);
      try {
        const cut = proxy.cutAfterCommit(/insert into .?units_of_work/i);
        const reply = await callTool(client, "start_work", { attributes: { title: "mcp" } });
        await cut;
        expect(reply.isError).toBe(true);
        expect(reply.text).toMatch(/may or may not have been applied/);
        expect(
          await landed(
            () => ch.work.list(inst.instanceId),
            (u) => u.length > 0,
          ),
        ).toHaveLength(1);
      } finally {
        await client.close();
      }
    });
  });
}

/**
 * What `read` returns once `done` holds of it (or after ten seconds): the cut client never hears
 * the answer, and the server finishes the COMMIT on its own time (later under load, or behind
 * another transaction's NOTIFY), so a read right after the cut may come before it.
 */
async function landed<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The first defined value fn yields within two seconds. */
async function eventually<T>(fn: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const value = await fn();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
