import type { SqlDialect } from "./dialects/dialect.js";

/**
 * Runs fn again from the start while it fails with what the dialect calls transient (a
 * deadlock, a lost connection, a busy SQLite file), waiting as the dialect says between tries.
 * fn must be a whole transaction or a single statement: nothing of a failed try survives.
 */
export async function retryTransient<T>(dialect: SqlDialect, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = dialect.isTransient(error) ? dialect.retryDelayMs(attempt) : null;
      if (delay === null) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
