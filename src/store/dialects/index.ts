import type { Engine } from "../url.js";
import type { SqlDialect } from "./dialect.js";
import { mysqlDialect } from "./mysql.js";
import { postgresDialect } from "./postgres.js";
import { sqliteDialect } from "./sqlite.js";

export type { SqlDialect, AnyKysely } from "./dialect.js";

export function dialectFor(engine: Engine): SqlDialect {
  switch (engine) {
    case "sqlite":
      return sqliteDialect;
    case "postgres":
      return postgresDialect;
    case "mysql":
      return mysqlDialect;
  }
}
