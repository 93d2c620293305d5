import { OutcomeUnknownError } from "../errors.js";
import type { SqlDialect } from "./dialects/dialect.js";
import { isLostBeforeCommit } from "./dialects/guarded-driver.js";

/**
 * Runs fn again from the start while it fails with what the dialect calls transient (a
 * deadlock, a lost connection, a busy SQLite file), waiting as the dialect says between tries.
 * fn must be a whole transaction or a single statement: nothing of a failed try survives.
 * A change whose COMMIT may have reached the server fails with OutcomeUnknownError, which is
 * never transient: it is not run again (see docs/engine.md, "When the outcome is unknown").
 */
export async function retryTransient<T>(dialect: SqlDialect, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const transient =
        !(error instanceof OutcomeUnknownError) && (isLostBeforeCommit(error) || dialect.isTransient(error));
      const delay = transient ? dialect.retryDelayMs(attempt) : null;
      if (delay === null) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
