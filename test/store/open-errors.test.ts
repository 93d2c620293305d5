/** Opening stores with bad URLs: one clear error naming the store and the reason, and no schema written. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon } from "../../src/chameleon.js";
import { StoreError } from "../../src/errors.js";
import { connectStore } from "../../src/store/open.js";
import { engines, type FreshStores } from "../support/engines.js";

const sqliteMemory = "sqlite::memory:";

describe("opening stores with bad URLs", () => {
  it("names the store and the unknown scheme", async () => {
    const attempt = openChameleon({ templatesUrl: sqliteMemory, instancesUrl: "oracle://db/x" });
    await expect(attempt).rejects.toThrow(StoreError);
    await expect(attempt).rejects.toThrow(/^instance store \(oracle:\/\/db\/x\): unknown URL scheme 'oracle'/);
  });

  it("refuses an empty sqlite path", async () => {
    await expect(openChameleon({ templatesUrl: "sqlite:", instancesUrl: sqliteMemory })).rejects.toThrow(
      /^template store \(sqlite:\): sqlite: URL without a path/,
    );
  });

  it("reports a server that does not answer", async () => {
    await expect(
      openChameleon({
        templatesUrl: "postgres://postgres@127.0.0.1:1/test",
        instancesUrl: sqliteMemory,
        templateStore: "at-open",
      }),
    ).rejects.toThrow(
      /^template store \(postgres:\/\/postgres@127\.0\.0\.1:1\/test\): connection refused at 127\.0\.0\.1:1/,
    );
    await expect(
      openChameleon({ templatesUrl: sqliteMemory, instancesUrl: "mysql://root@127.0.0.1:1/test" }),
    ).rejects.toThrow(/^instance store \(mysql:\/\/root@127\.0\.0\.1:1\/test\): connection refused/);
  });

  it("opens without the template store by default, and names it at each use that needs it", async () => {
    const ch = await openChameleon({
      templatesUrl: "postgres://postgres@127.0.0.1:1/test",
      instancesUrl: sqliteMemory,
    });
    try {
      expect(await ch.instances.list()).toEqual([]);
      for (const attempt of [ch.templates.list(), ch.templates.importYaml("x"), ch.instances.create({})]) {
        await expect(attempt).rejects.toThrow(StoreError);
        await expect(attempt).rejects.toThrow(
          /^template store \(postgres:\/\/postgres@127\.0\.0\.1:1\/test\): connection refused at 127\.0\.0\.1:1/,
        );
      }
    } finally {
      await ch.close();
    }
  });

  it("never shows a password", async () => {
    const attempt = openChameleon({ templatesUrl: sqliteMemory, instancesUrl: "postgres://u:s3cret@127.0.0.1:1/x" });
    await expect(attempt).rejects.toThrow(/u:\*\*\*@/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});

for (const engine of engines.filter((e) => e.name !== "sqlite")) {
  describe.skipIf(engine.skipReason !== null)(`bad ${engine.name} URLs`, () => {
    let fresh: FreshStores;
    beforeAll(async () => {
      fresh = await engine.fresh();
    });
    afterAll(async () => {
      await fresh?.drop();
    });

    const withDb = (db: string) => {
      const u = new URL(fresh.adminUrl);
      u.pathname = `/${db}`;
      return u.toString();
    };
    const withUser = (user: string, password: string) => {
      const u = new URL(fresh.templatesUrl);
      u.username = user;
      u.password = password;
      return u.toString();
    };

    it("reports a missing database, and writes nothing into the other store", async () => {
      await expect(
        openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: withDb("chameleon_no_such_db") }),
      ).rejects.toThrow(
        /^instance store \(.*chameleon_no_such_db\): .*(does not exist|Unknown database).*create it first/,
      );
      // The template store answered, but no schema was created there: both must answer first.
      const templates = await connectStore("templates", fresh.templatesUrl);
      try {
        expect(await templates.db.introspection.getTables()).toEqual([]);
      } finally {
        await templates.close();
      }
    });

    it("reports a refused login", async () => {
      const user = engine.name === "postgres" ? withUser("chameleon_nobody", "x") : withUser("root", "wrong-password");
      await expect(
        openChameleon({ templatesUrl: user, instancesUrl: sqliteMemory, templateStore: "at-open" }),
      ).rejects.toThrow(/^template store \(.*\): login refused: /);
      const ch = await openChameleon({ templatesUrl: user, instancesUrl: sqliteMemory });
      await expect(ch.templates.list()).rejects.toThrow(/^template store \(.*\): login refused: /);
      await ch.close();
    });
  });
}

describe("engine settings", () => {
  it("refuses settings that make no sense before opening anything", async () => {
    await expect(
      openChameleon({ templatesUrl: sqliteMemory, instancesUrl: sqliteMemory, leaseTimeoutSeconds: 0 }),
    ).rejects.toThrow(/openChameleon leaseTimeoutSeconds: .*>=1/);
    await expect(
      openChameleon({ templatesUrl: sqliteMemory, instancesUrl: sqliteMemory, maxAttempts: 1.5 }),
    ).rejects.toThrow(/openChameleon maxAttempts/);
    // Past the ranges: a lease beyond any date, attempts without end, a submit no server takes.
    for (const [setting, value, message] of [
      ["leaseTimeoutSeconds", 1e300, /openChameleon leaseTimeoutSeconds: .*<=2592000/],
      ["leaseTimeoutSeconds", Infinity, /openChameleon leaseTimeoutSeconds/],
      ["leaseTimeoutSeconds", Number.NaN, /openChameleon leaseTimeoutSeconds/],
      ["maxAttempts", 1e9, /openChameleon maxAttempts: .*<=1000/],
      ["maxSubmitBytes", 2 ** 40, /openChameleon maxSubmitBytes: .*<=16777216/],
      ["maxSubmitBytes", 10, /openChameleon maxSubmitBytes: .*>=1024/],
    ] as const) {
      await expect(
        openChameleon({ templatesUrl: sqliteMemory, instancesUrl: sqliteMemory, [setting]: value }),
      ).rejects.toThrow(message);
    }
    const ch = await openChameleon({
      templatesUrl: sqliteMemory,
      instancesUrl: sqliteMemory,
      leaseTimeoutSeconds: 7,
      maxAttempts: 5,
    });
    expect(ch.engine.settings).toMatchObject({ leaseTimeoutSeconds: 7, maxAttempts: 5, maxSubmitBytes: 1_048_576 });
    await ch.close();
  });
});
