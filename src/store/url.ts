/**
 * Storage URLs (API.md): `sqlite:PATH`, `sqlite::memory:`, `postgres://…`, `mysql://…`.
 * `postgresql:` and `mariadb:` are accepted as spellings of the same engines.
 */
import { StoreError } from "../errors.js";

export type Engine = "sqlite" | "postgres" | "mysql";
export type Tier = "templates" | "instances";

export interface StoreUrl {
  readonly engine: Engine;
  /** The URL as given, for the driver. */
  readonly url: string;
  /** The URL without its password, for messages. */
  readonly safe: string;
  /** For SQLite: the file path, or ":memory:". */
  readonly path?: string;
}

export const DEFAULT_URLS: Record<Tier, string> = {
  templates: "sqlite:./chameleon-data/templates.db",
  instances: "sqlite:./chameleon-data/instances.db",
};

export function storeLabel(tier: Tier): string {
  return tier === "templates" ? "template store" : "instance store";
}

export function parseStoreUrl(tier: Tier, url: string): StoreUrl {
  const fail = (reason: string): never => {
    throw new StoreError(`${storeLabel(tier)} (${redact(url)}): ${reason}`);
  };
  if (typeof url !== "string" || url.trim() === "") fail("no URL given");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case "sqlite": {
      const path = url.slice("sqlite:".length).replace(/^\/\//, "");
      if (path === "") fail("sqlite: URL without a path (use sqlite:PATH or sqlite::memory:)");
      return { engine: "sqlite", url, safe: url, path };
    }
    case "postgres":
    case "postgresql":
      return { engine: "postgres", url, safe: redact(url) };
    case "mysql":
    case "mariadb":
      return { engine: "mysql", url: url.replace(/^mariadb:/i, "mysql:"), safe: redact(url) };
    default:
      return fail(
        `unknown URL scheme '${scheme ?? url}' (expected sqlite:PATH, sqlite::memory:, postgres://… or mysql://…)`,
      );
  }
}

/** Hides the password of a server URL. */
export function redact(url: string): string {
  return String(url).replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
