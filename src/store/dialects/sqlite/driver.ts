/**
 * better-sqlite3, loaded when a SQLite store is first opened rather than when the library is
 * imported: a process on another engine, or one that opens no store (`chameleon --help`), never
 * loads the native module.
 */
import { createRequire } from "node:module";
import type Database from "better-sqlite3";

let loaded: typeof Database | undefined;

export function sqliteDriver(): typeof Database {
  return (loaded ??= createRequire(import.meta.url)("better-sqlite3") as typeof Database);
}
