/**
 * PostgreSQL keeps a named prepared statement per distinct query text on each connection.
 * Texts that vary with their input (an insert of n attribute rows) must not make that number
 * grow without bound, while the engine's hot statements stay prepared.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { MAX_PREPARED_STATEMENTS } from "../../src/store/dialects/postgres.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";

const postgres = engines.find((e) => e.name === "postgres")!;
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
