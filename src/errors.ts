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
