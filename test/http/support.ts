/** A real HTTP server on a loopback port over a test Chameleon, and a fetch helper for it. */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll } from "vitest";
import type { Chameleon } from "../../src/chameleon.js";
import { createHttpServer, type HttpServerOptions } from "../../src/http/server.js";
import type { Harness } from "../support/fixtures.js";

export const ADMIN = "test-admin-token-0123456789abcdef";

export interface Reply<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  /** Bearer token; default the admin token; null sends none. */
  token?: string | null;
  /** A JSON body (any value, sent as JSON), unless `raw` is given. */
  body?: unknown;
  /** A raw body with its content type. */
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
}

export interface Api {
  app: FastifyInstance;
  base: string;
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
}

export async function call<T>(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? ADMIN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.raw) {
    headers["content-type"] = options.raw.contentType;
    body = options.raw.text;
  } else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(base + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

export async function listen(ch: Chameleon, options: Partial<HttpServerOptions> = {}): Promise<Api> {
  const app = createHttpServer(ch, { adminToken: ADMIN, sweepIntervalMs: 0, ...options });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return { app, base, call: (method, path, opts) => call(base, method, path, opts) };
}

/** Registers hooks that start a server over the harness's Chameleon (after it is open) and close it. */
export function useHttp(h: Harness, options: Partial<HttpServerOptions> = {}): Api {
  const api = {} as Api;
  beforeAll(async () => {
    Object.assign(api, await listen(h.ch, options));
  });
  afterAll(async () => {
    await api.app?.close();
  });
  return api;
}

/**
 * Everything a refused request could have changed, read back through the library: templates,
 * instances with their actors and roles, every unit with its attributes and history, and the
 * memory of the given actor/role pairs.
 */
export async function snapshot(ch: Chameleon, memory: { instance: string; role: string; actorId: string }[] = []) {
  const instances = await ch.instances.list();
  const details = [];
  for (const i of instances) {
    const units = [];
    for (const u of await ch.work.list(i.instanceId)) {
      units.push({
        unit: await ch.work.get(i.instanceId, u.uowId),
        history: await ch.work.history(i.instanceId, u.uowId),
      });
    }
    details.push({ instance: await ch.instances.get(i.instanceId), units });
  }
  const memories = [];
  for (const m of memory) memories.push(await ch.memory.get(m.instance, { role: m.role, actorId: m.actorId }));
  return { templates: await ch.templates.list(), instances, details, memories };
}

/** The blueprint of examples/minimal.yml under another workflow name. */
export function renamed(yaml: string, from: string, to: string): string {
  return yaml.replace(`name: ${from}`, `name: ${to}`);
}
