/**
 * pg, loaded when a PostgreSQL store is first opened rather than when the library is imported:
 * a process on another engine (a CLI command on SQLite, say) never loads it.
 */
import { createRequire } from "node:module";
import type * as Pg from "pg";

let loaded: typeof Pg | undefined;

export function pgDriver(): typeof Pg {
  return (loaded ??= createRequire(import.meta.url)("pg") as typeof Pg);
}
