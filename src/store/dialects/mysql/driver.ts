/**
 * mysql2, loaded when a MySQL or MariaDB store is first opened rather than when the library is
 * imported: a process on another engine (a CLI command on SQLite, say) never loads it.
 */
import { createRequire } from "node:module";
import type * as Mysql2 from "mysql2";

let loaded: typeof Mysql2 | undefined;

export function mysqlDriver(): typeof Mysql2 {
  return (loaded ??= createRequire(import.meta.url)("mysql2") as typeof Mysql2);
}
