/**
 * `chameleon serve` as a real process: it refuses to start without an admin token (exit 2),
 * logs JSON lines, answers, and on SIGTERM finishes the request in flight and exits 0.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../support/cli.js";
import { engines, type FreshStores } from "../support/engines.js";
import { ADMIN, call } from "./support.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

interface Served {
  child: ChildProcess;
  base: string;
  lines: () => Record<string, unknown>[];
  exited: Promise<number | null>;
}

function serve(fresh: FreshStores, args: string[]): Promise<Served> {
  const child = spawn(
    process.execPath,
    [CLI, "--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl, "serve", "--port", "0", ...args],
    { env: { ...process.env, CHAMELEON_ADMIN_TOKEN: ADMIN }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const lines = () =>
    out
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const listening = out.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      if (listening) {
        clearInterval(timer);
        resolve({ child, base: listening[1]!, lines, exited });
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`serve exited with ${code}: ${err}${out}`));
    });
  });
}

describe("chameleon serve", () => {
  let fresh: FreshStores;
  beforeAll(async () => {
    fresh = await sqlite.fresh();
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it("refuses to start without an admin token, or with a short one (exit 2)", async () => {
    const stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
    const none = await runCli([...stores, "serve", "--port", "0"], { env: { CHAMELEON_ADMIN_TOKEN: "" } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/admin token/);
    const short = await runCli([...stores, "serve", "--port", "0", "--admin-token", "short"]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 16 characters/);
    const port = await runCli([...stores, "serve", "--port", "70000", "--admin-token", ADMIN]);
    expect(port.code).toBe(2);
  });

  it("refuses numeric flags out of range as usage (exit 2), naming the flag and its range", async () => {
    const stores = ["--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl];
    for (const [flag, value, range] of [
      // Past setInterval's 2^31-1 ms the sweep would run every millisecond.
      ["--sweep-interval", "3000000000", "from 0 to 2147483647"],
      ["--sweep-interval", "-5", "from 0 to 2147483647"],
      ["--sweep-interval", "1e3", "from 0 to 2147483647"],
      ["--body-limit", "99999999999999", "from 1 to 1073741824"],
      ["--port", "65536", "from 0 to 65535"],
    ]) {
      const r = await runCli([...stores, "serve", "--port", "0", "--admin-token", ADMIN, flag!, value!]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({
        code: 2,
        stderr: `chameleon: ${flag} must be a whole number ${range}, not '${value}'\n`,
      });
    }
  });

  it("serves with JSON log lines and, on SIGTERM, finishes the request in flight and exits 0", async () => {
    const s = await serve(fresh, ["--sweep-interval", "100"]);
    expect((await call(s.base, "GET", "/health", { token: null })).body).toEqual({ status: "ok" });
    expect((await call(s.base, "GET", "/templates")).status).toBe(200);

    // A request whose body is still arriving when the signal comes.
    const url = new URL("/admin/sweep", s.base);
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", "content-length": "2" },
        },
        (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.write("{");
      setTimeout(() => {
        s.child.kill("SIGTERM");
        setTimeout(() => req.end("}"), 300);
      }, 200);
    });
    const done = await inFlight;
    expect(done).toEqual({ status: 200, body: JSON.stringify({ reclaimed: 0, timedOut: 0, failures: [] }) });
    expect(await s.exited).toBe(0);
    const messages = s.lines().map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(["shutting down: finishing the requests in flight", "stopped"]));
    // The sweep request was answered after the shutdown began.
    expect(messages.lastIndexOf("request completed")).toBeGreaterThan(
      messages.indexOf("shutting down: finishing the requests in flight"),
    );
    expect(s.lines().every((l) => typeof l.level === "number" && typeof l.time === "number")).toBe(true);
  });

  it("on a busy port exits 1 within a second of saying so, in one line, its sweep stopped", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = String((busy.address() as AddressInfo).port);
    try {
      const child = spawn(
        process.execPath,
        [
          ...[CLI, "--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl],
          ...["serve", "--port", port, "--sweep-interval", "50", "--admin-token", ADMIN],
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let out = "";
      let err = "";
      let saidAt = 0;
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        saidAt ||= Date.now();
      });
      // Before the fix the process never exited: it is killed after 10 s.
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      clearTimeout(killer);
      expect(code).toBe(1);
      expect(Date.now() - saidAt).toBeLessThan(1000);
      expect(err).toBe(`chameleon: cannot listen on 127.0.0.1:${port}: the address is already in use\n`);
      expect(out).not.toMatch(/sweep failed|destroyed/);
    } finally {
      busy.close();
    }
  });

  it("stops on SIGINT too", async () => {
    const s = await serve(fresh, []);
    s.child.kill("SIGINT");
    expect(await s.exited).toBe(0);
  });
});
