/**
 * The shared vocabulary of the condition language: the syntax tree, the fixed names, the limits,
 * the two errors, and the walks over a tree that need no scope (printing, referenced attributes).
 */

export const CONDITION_FUNCTIONS = ["len", "lower", "upper", "exists", "now", "age"] as const;
export type ConditionFunction = (typeof CONDITION_FUNCTIONS)[number];

export const FUNCTION_ARITY: Readonly<Record<ConditionFunction, number>> = {
  len: 1,
  lower: 1,
  upper: 1,
  exists: 1,
  now: 0,
  age: 1,
};

export const RESERVED_NAMES = [
  "uow_id",
  "status",
  "child_count",
  "finished_child_count",
  "parent_id",
  "attempt",
] as const;
export type ReservedName = (typeof RESERVED_NAMES)[number];

export const KEYWORDS = ["and", "or", "not", "in", "true", "false", "null"] as const;
export type Keyword = (typeof KEYWORDS)[number];

export const MAX_SOURCE_LENGTH = 4096;
export const MAX_NODES = 500;
export const MAX_DEPTH = 64;
/** Also applied to list results, so that `x + x + x ...` cannot build huge lists either. */
export const MAX_RESULT_LENGTH = 1_000_000;

export function isConditionFunction(name: string): name is ConditionFunction {
  return (CONDITION_FUNCTIONS as readonly string[]).includes(name);
}
export function isReservedName(name: string): name is ReservedName {
  return (RESERVED_NAMES as readonly string[]).includes(name);
}
export function isKeyword(name: string): name is Keyword {
  return (KEYWORDS as readonly string[]).includes(name);
}

interface Positioned {
  /** 1-based column of the node's first token (of the operator, for operators). */
  readonly column: number;
}

export interface LiteralExpression extends Positioned {
  readonly kind: "literal";
  readonly value: string | number | boolean | null;
}

export interface ListExpression extends Positioned {
  readonly kind: "list";
  readonly items: readonly Expression[];
}

/**
 * `root: "unit"` reads the unit field `path[0]`; `root: "attribute"` reads attribute `path[0]`.
 * Further segments are paths into the JSON value. `attr.x` and `x` give the same node.
 */
export interface NameExpression extends Positioned {
  readonly kind: "name";
  readonly root: "attribute" | "unit";
  readonly path: readonly string[];
}

/** For `exists`, the single argument is always a NameExpression. */
export interface CallExpression extends Positioned {
  readonly kind: "call";
  readonly name: ConditionFunction;
  readonly args: readonly Expression[];
}

export interface UnaryExpression extends Positioned {
  readonly kind: "unary";
  readonly operator: "not" | "-";
  readonly operand: Expression;
}

export type ComparisonOperator = "==" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in";
export type BinaryOperator = "or" | "and" | ComparisonOperator | "+" | "-" | "*" | "/" | "%";

export interface BinaryExpression extends Positioned {
  readonly kind: "binary";
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export type Expression =
  LiteralExpression | ListExpression | NameExpression | CallExpression | UnaryExpression | BinaryExpression;

export class ConditionSyntaxError extends Error {
  readonly column: number;
  readonly expected: string;
  readonly source: string;
  /** `detail` defaults to `expected <expected>`; the message is `column <n>: <detail>`. */
  constructor(source: string, column: number, expected: string, detail?: string) {
    super(`column ${column}: ${detail ?? `expected ${expected}`}`);
    this.name = "ConditionSyntaxError";
    this.column = column;
    this.expected = expected;
    this.source = source;
  }
}

export class ConditionEvaluationError extends Error {
  readonly source: string;
  readonly values: unknown[];
  constructor(message: string, source: string, values: unknown[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConditionEvaluationError";
    this.source = source;
    this.values = values;
  }
}

const BINARY_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  or: 1,
  and: 2,
  "==": 4,
  "!=": 4,
  "<": 4,
  ">": 4,
  "<=": 4,
  ">=": 4,
  in: 4,
  "not in": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};
const NOT_PRECEDENCE = 3;
const COMPARISON_PRECEDENCE = 4;
const NEGATION_PRECEDENCE = 7;
const ATOM_PRECEDENCE = 8;

function precedence(expr: Expression): number {
  switch (expr.kind) {
    case "binary":
      return BINARY_PRECEDENCE[expr.operator];
    case "unary":
      return expr.operator === "not" ? NOT_PRECEDENCE : NEGATION_PRECEDENCE;
    case "literal":
      // A negative literal can only come from a hand-built tree; it prints as a unary minus.
      return typeof expr.value === "number" && expr.value < 0 ? NEGATION_PRECEDENCE : ATOM_PRECEDENCE;
    default:
      return ATOM_PRECEDENCE;
  }
}

/**
 * Prints a tree as source text with only the parentheses the precedence rules need, so that
 * `parseCondition(formatCondition(e))` gives `e` back (columns aside) for every parsed tree.
 */
export function formatCondition(expr: Expression): string {
  const sub = (child: Expression, min: number): string => {
    const text = formatCondition(child);
    return precedence(child) < min ? `(${text})` : text;
  };
  switch (expr.kind) {
    case "literal":
      return formatLiteral(expr.value);
    case "list":
      return `[${expr.items.map((item) => formatCondition(item)).join(", ")}]`;
    case "name":
      return formatName(expr);
    case "call":
      return `${expr.name}(${expr.args.map((arg) => formatCondition(arg)).join(", ")})`;
    case "unary": {
      if (expr.operator === "not") {
        return `not ${sub(expr.operand, NOT_PRECEDENCE)}`;
      }
      const operand = sub(expr.operand, NEGATION_PRECEDENCE);
      return operand.startsWith("-") ? `- ${operand}` : `-${operand}`;
    }
    case "binary": {
      const p = BINARY_PRECEDENCE[expr.operator];
      // Comparisons do not chain, so both sides need a tighter operator; the others are left-associative.
      const leftMin = p === COMPARISON_PRECEDENCE ? p + 1 : p;
      return `${sub(expr.left, leftMin)} ${expr.operator} ${sub(expr.right, p + 1)}`;
    }
  }
}

function formatLiteral(value: LiteralExpression["value"]): string {
  if (typeof value === "string") {
    return `"${value.replace(/[\\"\n\t]/g, (c) => ESCAPES[c] ?? c)}"`;
  }
  if (typeof value === "number") return plainNumber(value);
  return String(value);
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\t": "\\t",
};

/** The language has no exponent notation, so 1e21 must print as 1000000000000000000000. */
function plainNumber(n: number): string {
  const sign = n < 0 ? "-" : "";
  const text = String(Math.abs(n));
  const match = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return sign + text;
  const digits = match[1]! + (match[2] ?? "");
  const point = Number(match[3]) + 1;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function formatName(expr: NameExpression): string {
  const [first = ""] = expr.path;
  const needsPrefix = expr.root === "attribute" && (isReservedName(first) || isKeyword(first) || first === "attr");
  return (needsPrefix ? "attr." : "") + expr.path.join(".");
}

/** Sorted unique top-level attribute keys the expression reads, `exists()` included. */
export function referencedAttributes(expr: Expression): string[] {
  const keys = new Set<string>();
  const visit = (node: Expression): void => {
    switch (node.kind) {
      case "name":
        if (node.root === "attribute" && node.path[0] !== undefined) {
          keys.add(node.path[0]);
        }
        return;
      case "list":
        node.items.forEach(visit);
        return;
      case "call":
        node.args.forEach(visit);
        return;
      case "unary":
        visit(node.operand);
        return;
      case "binary":
        visit(node.left);
        visit(node.right);
        return;
      case "literal":
        return;
    }
  };
  visit(expr);
  return [...keys].sort();
}
