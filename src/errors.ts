/**
 * The typed errors of the public API. Each error's `name` is its class name and its
 * message names the thing concerned, so that the CLI, HTTP and MCP layers can show it as is.
 */
export class ChameleonError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One violation found in an input (a blueprint, a request body, an argument). */
export interface ValidationIssue {
  /** The numbered rule of ENGINE.md section 3 for blueprints; 0 for shape errors and for other input. */
  rule: number;
  /** Where in the input: a dotted path such as `Invoice/components/Splitter_In/guardian`. */
  path: string;
  /** 1-based line in the source text, where known. */
  line?: number;
  message: string;
}

export class ValidationError extends ChameleonError {
  readonly issues: ValidationIssue[];
  constructor(message: string, issues: ValidationIssue[] = []) {
    super(issues.length > 1 ? `${message} (${issues.length} issues)` : message);
    this.issues = issues;
  }

  static single(path: string, message: string): ValidationError {
    return new ValidationError(message, [{ rule: 0, path, message }]);
  }
}

export class NotFoundError extends ChameleonError {}

/** A lost lease, or a move the transition table does not allow. */
export class ConflictError extends ChameleonError {}

/** An actor that is not allowed to do what it asked (no assignment to the role). */
export class ForbiddenError extends ChameleonError {}

/** An input larger than the configured limit. */
export class PayloadTooLargeError extends ChameleonError {}

/** A store that cannot be opened: bad URL, unreachable server, refused login, missing database, newer schema. */
export class StoreError extends ChameleonError {}

/**
 * The connection to the database was lost after a change was sent for commit: it may or may
 * not have been applied, and running it again could apply it twice. Read back what the call
 * would have changed (work.get, work.list), retry work.start with the same idempotency key, or
 * recover a claim with work.held, instead of repeating the call blindly.
 */
export class OutcomeUnknownError extends ChameleonError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `${detail}; read back what the call would have changed before repeating it (retry work.start with the same idempotency key, recover a claim with work.held)`,
      options,
    );
  }
}
