import type { SelectQueryBuilder } from "kysely";

/** FOR UPDATE [SKIP LOCKED]: the same clause on PostgreSQL and MySQL/MariaDB. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lockForUpdate<QB extends SelectQueryBuilder<any, any, any>>(
  query: QB,
  mode: "wait" | "skip-locked",
): QB {
  return (mode === "skip-locked" ? query.forUpdate().skipLocked() : query.forUpdate()) as QB;
}
