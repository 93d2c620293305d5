/**
 * `waitForStoreSeconds`: a process started while its database server is not there yet (a
 * supervisor restarting a worker during a server restart) waits for it and then works, instead
 * of dying at start; without it, or past the time given, the refusal is thrown as before; a
 * failure that waiting cannot mend (a database that does not exist) is thrown at once.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon } from "../../src/chameleon.js";
import { StoreError, ValidationError } from "../../src/errors.js";
import { engines, type FreshStores } from "../support/engines.js";
import { serverOf } from "../support/tcp-proxy.js";

const DEFAULT_PORT = { postgres: 5432, mysql: 3306 } as const;

/** A port nothing listens on now (taken and given back). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A plain TCP forwarder on `port` to the real server: the database "coming up" there. */
async function forward(port: number, target: { host: string; port: number }): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  server.on("close", () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

function onPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(port);
  return u.toString();
}

for (const engine of engines.filter((e) => e.name !== "sqlite")) {
  describe.skipIf(engine.skipReason !== null)(`waiting for the store at open on ${engine.name}`, () => {
    let fresh: FreshStores;
    let target: { host: string; port: number };
    beforeAll(async () => {
      fresh = await engine.fresh();
      target = serverOf(fresh.adminUrl, DEFAULT_PORT[engine.name === "postgres" ? "postgres" : "mysql"]);
    });
    afterAll(async () => {
      await fresh?.drop();
    });

    it("without waiting, a server that is not there is a StoreError at once", async () => {
      const port = await freePort();
      const refused = await openChameleon({
        templatesUrl: fresh.templatesUrl,
        instancesUrl: onPort(fresh.instancesUrl, port),
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as Error).message).toMatch(/connection refused/);
    });

    it("waits for a server that comes up, then opens and works", async () => {
      const port = await freePort();
      let server: Server | null = null;
      const started = performance.now();
      const coming = new Promise<void>((resolve) =>
        setTimeout(() => {
          void forward(port, target).then((s) => {
            server = s;
            resolve();
          });
        }, 1500),
      );
      try {
        const ch = await openChameleon({
          templatesUrl: fresh.templatesUrl,
          instancesUrl: onPort(fresh.instancesUrl, port),
          waitForStoreSeconds: 30,
        });
        try {
          expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
          expect(await ch.instances.list()).toEqual([]);
        } finally {
          await ch.close();
        }
      } finally {
        await coming;
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      }
    });

    it("gives up when the time is spent, with the store's refusal", async () => {
      const port = await freePort();
      const started = performance.now();
      const refused = await openChameleon({
        templatesUrl: fresh.templatesUrl,
        instancesUrl: onPort(fresh.instancesUrl, port),
        waitForStoreSeconds: 1,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as Error).message).toMatch(/connection refused/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    });

    it("does not wait for what waiting cannot mend: a database that does not exist", async () => {
      const url = new URL(fresh.instancesUrl);
      url.pathname = "/no_such_database_here";
      const started = performance.now();
      const refused = await openChameleon({
        templatesUrl: fresh.templatesUrl,
        instancesUrl: url.toString(),
        waitForStoreSeconds: 60,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(StoreError);
      expect(performance.now() - started).toBeLessThan(20_000);
    });

    it("refuses a wait out of range before touching a store", async () => {
      await expect(openChameleon({ instancesUrl: fresh.instancesUrl, waitForStoreSeconds: -1 })).rejects.toThrow(
        ValidationError,
      );
    });
  });
}
