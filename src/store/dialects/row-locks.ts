import type { SelectQueryBuilder } from "kysely";

/**
 * FOR UPDATE [OF table] [SKIP LOCKED]. `of` names the table whose rows are locked when the
 * query joins others: PostgreSQL refuses to lock the nullable side of an outer join, while
 * MariaDB has no OF and simply locks the joined rows too.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lockForUpdate<QB extends SelectQueryBuilder<any, any, any>>(
  query: QB,
  mode: "wait" | "skip-locked",
  of?: string,
): QB {
  const locked = of ? query.forUpdate(of) : query.forUpdate();
  return (mode === "skip-locked" ? locked.skipLocked() : locked) as QB;
}
