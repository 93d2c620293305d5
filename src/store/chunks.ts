/**
 * Multi-row inserts split into statements that fit every engine's limit on bind parameters
 * (a statement over PostgreSQL's 65535 fails, over SQLite's 32766 too). The split uses the
 * smallest limit of the engines, so that callers need no dialect at hand; the statements run
 * in the caller's transaction, so the rows are still written all or none.
 */
import { dialectFor } from "./dialects/index.js";
import type { Engine } from "./url.js";

const ENGINES: readonly Engine[] = ["sqlite", "postgres", "mysql"];

/** Bind parameters one statement may carry on every engine. */
export const BIND_PARAMETER_BUDGET = Math.min(...ENGINES.map((e) => dialectFor(e).maxBindParameters));

/** Consecutive slices of `rows` of which each fits the budget at `parametersPerRow` each. */
export function chunksFor<T>(rows: readonly T[], parametersPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(BIND_PARAMETER_BUDGET / Math.max(1, parametersPerRow)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/** Runs `insert` once per slice of `rows` (objects of the same columns, one parameter each), in order. */
export async function insertInChunks<T extends object>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunksFor(rows, Object.keys(rows[0]!).length)) await insert(chunk);
}
