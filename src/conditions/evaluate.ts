import {
  ConditionEvaluationError,
  formatCondition,
  type BinaryExpression,
  type CallExpression,
  type Expression,
  type NameExpression,
} from "./ast.js";
import {
  EvaluationFailure,
  age,
  checkLength,
  deepEqual,
  describe,
  hasOwn,
  isPlainObject,
  isTruthy,
  len,
  lower,
  now,
  toJsonValue,
  upper,
} from "./functions.js";

export interface ConditionUnit {
  uow_id: string | null;
  status: string | null;
  child_count: number;
  finished_child_count: number;
  parent_id: string | null;
  attempt: number;
}

export interface ConditionScope {
  attributes: Readonly<Record<string, unknown>>;
  unit?: Partial<ConditionUnit>;
  /** Defaults to Date.now(). */
  nowMs?: number;
}

interface Context {
  attributes: Readonly<Record<string, unknown>>;
  unit: Partial<ConditionUnit> | undefined;
  nowMs: number;
}

/** Evaluates a tree; throws only ConditionEvaluationError, whose `source` is the tree printed back. */
export function evaluateCondition(expr: Expression, scope: ConditionScope): unknown {
  return evaluateWithSource(expr, scope, undefined);
}

export function evaluateWithSource(expr: Expression, scope: ConditionScope, source: string | undefined): unknown {
  try {
    const context: Context = {
      attributes: scope.attributes,
      unit: scope.unit,
      nowMs: scope.nowMs ?? Date.now(),
    };
    return evaluate(expr, context);
  } catch (error) {
    const text = source ?? safeFormat(expr);
    if (error instanceof EvaluationFailure) {
      throw new ConditionEvaluationError(error.message, text, error.values);
    }
    // Only a hand-built tree or an absurdly deep value (a stack overflow) gets here.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConditionEvaluationError(`cannot evaluate: ${reason}`, text, [], { cause: error });
  }
}

function safeFormat(expr: Expression): string {
  try {
    return formatCondition(expr);
  } catch {
    return "<unprintable expression>";
  }
}

function evaluate(expr: Expression, context: Context): unknown {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "list":
      return expr.items.map((item) => evaluate(item, context));
    case "name":
      return resolve(expr, context).value;
    case "call":
      return call(expr, context);
    case "unary": {
      const operand = evaluate(expr.operand, context);
      if (expr.operator === "not") return !isTruthy(operand);
      if (operand === null) return null;
      if (typeof operand === "number") return -operand;
      throw new EvaluationFailure(`cannot apply '-' to ${describe(operand)}`, [operand]);
    }
    case "binary":
      return binary(expr, context);
    default:
      throw new EvaluationFailure(`not an expression: ${describe(expr)}`, []);
  }
}

/** Looks a name up through own properties only, so `__proto__` or `constructor` are just missing keys. */
function resolve(expr: NameExpression, context: Context): { found: boolean; value: unknown } {
  const [first, ...rest] = expr.path;
  const container: object | undefined = expr.root === "unit" ? context.unit : context.attributes;
  if (first === undefined || typeof container !== "object" || container === null) {
    return { found: false, value: null };
  }
  if (!hasOwn(container, first)) return { found: false, value: null };
  let value: unknown = (container as Record<string, unknown>)[first];
  for (const segment of rest) {
    if (!isPlainObject(value) || !hasOwn(value, segment)) return { found: false, value: null };
    value = value[segment];
  }
  return { found: true, value: toJsonValue(value) };
}

function call(expr: CallExpression, context: Context): unknown {
  const [arg] = expr.args;
  if (expr.name === "now") return now(context.nowMs);
  if (expr.name === "exists") {
    if (arg?.kind !== "name") throw new EvaluationFailure("exists() takes a name", []);
    return resolve(arg, context).found;
  }
  if (arg === undefined) throw new EvaluationFailure(`${expr.name}() takes 1 argument`, []);
  const value = evaluate(arg, context);
  switch (expr.name) {
    case "len":
      return len(value);
    case "lower":
      return lower(value);
    case "upper":
      return upper(value);
    case "age":
      return age(value, context.nowMs);
  }
}

function binary(expr: BinaryExpression, context: Context): unknown {
  const { operator } = expr;
  const left = evaluate(expr.left, context);
  if (operator === "and") return isTruthy(left) && isTruthy(evaluate(expr.right, context));
  if (operator === "or") return isTruthy(left) || isTruthy(evaluate(expr.right, context));
  const right = evaluate(expr.right, context);
  const mismatch = () =>
    new EvaluationFailure(`cannot apply '${operator}' to ${describe(left)} and ${describe(right)}`, [left, right]);

  switch (operator) {
    case "==":
      return deepEqual(left, right);
    case "!=":
      return !deepEqual(left, right);
    case "in":
      return contains(right, left, mismatch);
    case "not in":
      return !contains(right, left, mismatch);
    case "<":
    case ">":
    case "<=":
    case ">=": {
      if (left === null || right === null) return false;
      const comparable =
        (typeof left === "number" && typeof right === "number") ||
        (typeof left === "string" && typeof right === "string");
      if (!comparable) throw mismatch();
      const [a, b] = [left as number | string, right as number | string];
      if (operator === "<") return a < b;
      if (operator === ">") return a > b;
      if (operator === "<=") return a <= b;
      return a >= b;
    }
    default:
      return arithmetic(operator, left, right, mismatch);
  }
}

function contains(haystack: unknown, needle: unknown, mismatch: () => EvaluationFailure): boolean {
  if (haystack === null) return false;
  if (Array.isArray(haystack)) return haystack.some((item) => deepEqual(item, needle));
  if (typeof haystack !== "string" && !isPlainObject(haystack)) throw mismatch();
  // A missing attribute is simply not found, in a string as in an object.
  if (needle === null) return false;
  if (typeof needle !== "string") throw mismatch();
  return typeof haystack === "string" ? haystack.includes(needle) : hasOwn(haystack, needle);
}

function arithmetic(
  operator: "+" | "-" | "*" | "/" | "%",
  left: unknown,
  right: unknown,
  mismatch: () => EvaluationFailure,
): unknown {
  if (left === null || right === null) return null;
  if (typeof left === "number" && typeof right === "number") {
    if ((operator === "/" || operator === "%") && right === 0) {
      throw new EvaluationFailure(
        `cannot apply '${operator}' to ${describe(left)} and ${describe(right)}: division by zero`,
        [left, right],
      );
    }
    const result = compute(operator, left, right);
    if (!Number.isFinite(result)) {
      throw new EvaluationFailure(`'${operator}' of ${describe(left)} and ${describe(right)} is not a finite number`, [
        left,
        right,
      ]);
    }
    return result;
  }
  if (operator === "+" && typeof left === "string" && typeof right === "string") {
    checkLength(left.length + right.length, "'+'", "characters");
    return left + right;
  }
  if (operator === "+" && Array.isArray(left) && Array.isArray(right)) {
    checkLength(left.length + right.length, "'+'", "items");
    return [...left, ...right];
  }
  throw mismatch();
}

function compute(operator: "+" | "-" | "*" | "/" | "%", a: number, b: number): number {
  switch (operator) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
  }
}
