/**
 * PostgreSQL keeps a named prepared statement per distinct query text on each connection.
 * Texts that vary with their input (an insert of n attribute rows) must not make that number
 * grow without bound, while the engine's hot statements stay prepared. On MySQL/MariaDB the hot
 * path's statements are sent as prepared statements (mysql2 execute), the rest as plain queries.
 */
import { sql } from "kysely";
import mysql2 from "mysql2";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prepared, preparingConnection } from "../../src/store/dialects/mysql/prepared.js";
import { MAX_PREPARED_STATEMENTS } from "../../src/store/dialects/postgres.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";

const postgres = engines.find((e) => e.name === "postgres")!;
const mysql = engines.find((e) => e.name === "mysql")!;
const POOL_SIZE = 10;

describe.skipIf(postgres.skipReason !== null)("prepared statements on postgres", () => {
  const h = useChameleon(postgres);

  /** The prepared statements of every pooled connection, each connection held until all are counted. */
  async function statementsPerConnection(): Promise<{ pid: number; statements: string[] }[]> {
    const db = h.ch.stores.instances.db;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let counted = 0;
    const results = Array.from({ length: POOL_SIZE }, () =>
      db.connection().execute(async (conn) => {
        const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        const rows = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(conn);
        if (++counted === POOL_SIZE) release();
        await held;
        return { pid: pid.rows[0]!.pid, statements: rows.rows.map((r) => r.statement) };
      }),
    );
    return Promise.all(results);
  }

  it("2,000 starts with 1..60 attributes keep each connection under the bound, hot statements named", async () => {
    const { ch } = h;
    const inst = await ch.instances.create({
      workflow: "Minimal",
      name: uniqueName("prepared"),
      actors: [{ name: "Ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] }],
    });
    const attributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, i]));
    for (let round = 0; round < 2000 / 4; round++) {
      await Promise.all(
        [0, 1, 2, 3].map((k) =>
          ch.work.start(inst.instanceId, { attributes: attributes(((round * 4 + k) % 60) + 1), actorId: "Ann" }),
        ),
      );
    }
    // The step path after the starts: its statements are the most recently used, so kept.
    const unit = await ch.work.checkout(inst.instanceId, { role: "Work", actorId: "Ann" });
    await ch.work.submit(inst.instanceId, { uowId: unit!.uowId, leaseToken: unit!.leaseToken, actorId: "Ann" });

    const connections = await statementsPerConnection();
    expect(new Set(connections.map((c) => c.pid)).size).toBe(POOL_SIZE);
    const counts = connections.map((c) => c.statements.length);
    for (const count of counts) expect(count).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    // Several connections served the starts, and they did fill up to the bound.
    expect(Math.max(...counts)).toBeGreaterThan(MAX_PREPARED_STATEMENTS / 2);
    // Hot statements are still named: the claim of a checkout and the start's unit insert.
    const all = connections.flatMap((c) => c.statements);
    expect(all.some((s) => /^update "units_of_work" set/i.test(s))).toBe(true);
    expect(all.some((s) => /^insert into "units_of_work"/i.test(s))).toBe(true);
  }, 300_000);
});

describe.skipIf(mysql.skipReason !== null)("prepared statements on mysql", () => {
  const h = useChameleon(mysql);
  afterEach(() => vi.restoreAllMocks());

  /** The texts sent while `fn` runs, by how mysql2 sent them: executed (prepared) or as plain queries. */
  async function sentBy(fn: () => Promise<unknown>): Promise<{ executed: string[]; queried: string[] }> {
    const proto = mysql2.Connection.prototype as unknown as Record<"execute" | "query", (sql: string) => unknown>;
    const execute = vi.spyOn(proto, "execute");
    const query = vi.spyOn(proto, "query");
    await fn();
    const texts = (spy: typeof execute) => spy.mock.calls.map((c) => String(c[0]));
    const sent = { executed: texts(execute), queried: texts(query) };
    vi.restoreAllMocks();
    return sent;
  }

  it("a step's statements are executed prepared; only BEGIN and COMMIT are plain queries", async () => {
    const { ch } = h;
    const { instanceId: I } = await ch.instances.create({
      workflow: "Minimal",
      name: uniqueName("prepared"),
      actors: [{ name: "Ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] }],
    });
    await ch.work.startMany(I, [{ attributes: { n: 1 } }, { attributes: { n: 2 } }]);
    const stepped: string[] = [];
    const step = async (n: number) => {
      const unit = (await ch.work.checkout(I, { role: "Work", actorId: "Ann" }))!;
      await ch.work.submit(I, {
        uowId: unit.uowId,
        leaseToken: unit.leaseToken,
        actorId: "Ann",
        attributes: { checked: n },
      });
      stepped.push(unit.uowId);
    };
    await step(1); // reads the instance's graph and actor into its caches
    const sent = await sentBy(() => step(2));
    expect(sent.queried.filter((t) => !/^(begin|commit)$/i.test(t))).toEqual([]);
    expect(sent.executed.some((t) => /for update skip locked$/i.test(t))).toBe(true);
    expect(sent.executed.some((t) => /^update units_of_work\s+set status = 'ACTIVE'/i.test(t))).toBe(true);
    expect(sent.executed.some((t) => /^insert into uow_attributes/i.test(t))).toBe(true);
    expect(sent.executed.some((t) => /^insert into interaction_logs/i.test(t))).toBe(true);
    // Both units went on with their versions, read back through plain queries.
    const units = await Promise.all(stepped.map((id) => ch.work.get(I, id)));
    expect(units.map((u) => [u.interaction, u.attributes.checked])).toEqual([
      ["Done", 1],
      ["Done", 2],
    ]);
  });
});

describe("a mysql connection that prepares the registered texts", () => {
  /** A raw connection that records how each text was sent; execute answers with `executeError`. */
  function fakeRaw(executeError: { errno: number } | null) {
    const sent: string[] = [];
    const raw = {
      query: (sql: string, _values: unknown, cb: (e: unknown, r: unknown) => void) => {
        sent.push(`query ${sql}`);
        cb(null, [{ via: "query" }]);
      },
      execute: (sql: string, _values: unknown, cb: (e: unknown, r: unknown) => void) => {
        sent.push(`execute ${sql}`);
        cb(executeError, executeError ? undefined : [{ via: "execute" }]);
      },
      release: () => {},
    };
    return { sent, connection: preparingConnection(raw as never) };
  }
  const run = (connection: ReturnType<typeof fakeRaw>["connection"], sql: string) =>
    new Promise((resolve, reject) => connection.query(sql, [], (e, r) => (e ? reject(e) : resolve(r))));

  it("executes a registered text and queries any other", async () => {
    const text = prepared("select ? as registered_text");
    const { sent, connection } = fakeRaw(null);
    expect(await run(connection, text)).toEqual([{ via: "execute" }]);
    expect(await run(connection, "select 1 as other_text")).toEqual([{ via: "query" }]);
    expect(sent).toEqual([`execute ${text}`, "query select 1 as other_text"]);
  });

  it("sends the statement as a plain query when the server holds too many prepared statements", async () => {
    const text = prepared("select ? as registered_when_full");
    const full = fakeRaw({ errno: 1461 });
    expect(await run(full.connection, text)).toEqual([{ via: "query" }]);
    expect(full.sent).toEqual([`execute ${text}`, `query ${text}`]);
    // Any other refusal is the statement's own error.
    const refused = fakeRaw({ errno: 1064 });
    await expect(run(refused.connection, text)).rejects.toMatchObject({ errno: 1064 });
    expect(refused.sent).toEqual([`execute ${text}`]);
  });
});
