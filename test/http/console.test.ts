/**
 * The console's files over HTTP: no token needed, / sends a browser to /ui/, every page path
 * under /ui/ is the app (a reload never hits an API route), built assets are cached for good,
 * the pages may load nothing from elsewhere, and nothing outside the console's folder is served.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONSOLE_DIR } from "../../src/http/console.js";
import { engines } from "../support/engines.js";
import { useChameleon } from "../support/fixtures.js";
import { listen, useHttp } from "./support.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

describe("the console's files", () => {
  const h = useChameleon(sqlite);
  const api = useHttp(h);

  it("redirects / and /ui to /ui/, without a token", async () => {
    for (const path of ["/", "/ui"]) {
      const r = await fetch(api.base + path, { redirect: "manual" });
      expect(r.status).toBe(302);
      expect(r.headers.get("location")).toBe("/ui/");
      await r.body?.cancel();
    }
  });

  it("serves the app for /ui/ and for every page path under it, with a policy that allows only this server", async () => {
    for (const path of ["/ui/", "/ui/inbox", "/ui/work/01a2b3c4", "/ui/instances/tour/work/U"]) {
      const r = await fetch(api.base + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("content-type")).toMatch(/^text\/html/);
      expect(r.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
      expect(r.headers.get("cache-control")).toBe("no-cache");
      const html = await r.text();
      expect(html).toMatch(/<div id="root"><\/div>/);
      // Every script and style it names is one of the built files, under /ui/.
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
        .map((m) => m[1]!)
        .filter((u) => !u.startsWith("data:"));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toMatch(/^\/ui\/assets\//);
    }
  });

  it("serves the built assets for good, and API routes stay API routes", async () => {
    const [script] = readdirSync(join(CONSOLE_DIR, "assets")).filter((f) => f.endsWith(".js"));
    const r = await fetch(`${api.base}/ui/assets/${script}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/javascript/);
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    await r.body?.cancel();
    expect((await api.call("GET", "/instances", { token: null })).status).toBe(401);
  });

  it("serves nothing outside the console's folder", async () => {
    for (const path of [
      "/ui/../package.json",
      "/ui/%2e%2e/package.json",
      "/ui/..%2f..%2fpackage.json",
      "/ui//etc/passwd",
    ]) {
      const r = await fetch(api.base + path);
      const text = await r.text();
      expect(text, path).not.toMatch(/"name": "chameleon-workflow"|root:x:0/);
    }
  });

  it("says how to build the console when the package has none", async () => {
    const empty = mkdtempSync(join(tmpdir(), "no-console-"));
    const bare = await listen(h.ch, { consoleDir: empty });
    try {
      const r = await bare.call<{ message: string }>("GET", "/ui/", { token: null });
      expect(r.status).toBe(404);
      expect(r.body.message).toMatch(/console is not built.*npm run build/);
    } finally {
      await bare.app.close();
    }
  });
});
