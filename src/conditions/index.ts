/**
 * The condition language of guardians: a tokenizer (lexer.ts), a recursive-descent parser that
 * builds a syntax tree (parser.ts, ast.ts) and a tree-walking evaluator (evaluate.ts,
 * functions.ts). No dynamic code is ever run, and this module imports nothing outside itself.
 *
 * Rules
 * - Precedence, lowest first: `or`; `and`; prefix `not`; comparison (`== != < > <= >= in`,
 *   `not in`), which does not chain (`a < b < c` is a syntax error); `+ -`; `* / %`; unary `-`;
 *   calls and dotted paths; atoms. Binary operators other than comparisons are left-associative.
 *   `not a == b` means `not (a == b)`.
 * - Keywords `and or not in true false null` are lower case and case-sensitive (`AND` is a
 *   name). They cannot start a name; `attr.in` reads the attribute `in`. Later segments of a
 *   path may be any identifier (`x.in` is the path `in` inside attribute `x`).
 * - Literals: integers and decimals (`12`, `3.5`; `.5`, `5.` and exponents are syntax errors; a
 *   leading `-` is the unary minus; a literal too large to be finite is a syntax error); strings
 *   in single or double quotes with the escapes `\\ \' \" \n \t` (others are syntax errors; raw
 *   newlines are allowed); `true`, `false`, `null`; lists `[a, b]` of any expressions, without a
 *   trailing comma.
 * - Names are `[A-Za-z_][A-Za-z0-9_]*` segments joined by `.` with no spaces. A reserved first
 *   segment (`uow_id status child_count finished_child_count parent_id attempt`) reads the unit
 *   field of that name (null when the scope has no unit or no such field); `attr.x.y` reads
 *   attribute `x`, then path `y`; any other first segment, bare `attr` included, reads the
 *   attribute. Lookups follow own properties of plain objects only, so `__proto__`,
 *   `constructor` and the like are ordinary, normally missing, keys. Anything missing, a path
 *   through a non-object and a path into a list give null; values that are not JSON read as null.
 * - Functions: `len lower upper exists now age`, nothing else. A call of another name, or with
 *   the wrong number of arguments, is a syntax error. `exists(path)` takes a name or dotted path
 *   only and is true when every segment is present, even if the value is null. `now()` is epoch
 *   seconds (float) from `scope.nowMs`. `age(x)`: null → null; a string `Date.parse` reads →
 *   seconds since then; other → evaluation error. `len`: string length in UTF-16 code units,
 *   list length, object key count, null → 0, other → evaluation error. `lower`/`upper`: string →
 *   converted, null → null, other → evaluation error.
 * - Arithmetic: any operand null → null (checked first, so `null + "a"` is null). `+` adds
 *   numbers or concatenates two strings or two lists; `- * / %` take numbers; other mixes,
 *   division or modulo by zero, and non-finite results are evaluation errors. Unary `-` of null
 *   is null.
 * - `==`/`!=`: deep structural equality without coercion (object key order does not matter).
 *   `< > <= >=`: two numbers or two strings (code-unit order); either side null → false; other
 *   mixes → evaluation error. `in`: element of a list (deep equality), substring of a string,
 *   own key of an object; right side null → false; a null left side with a string or object
 *   right side → false; other types → evaluation error. `not in` is the negation of `in`.
 * - `and`/`or` short-circuit and, like `not`, return booleans. Falsy: null, false, 0, "", [], {};
 *   everything else is truthy. The result of `test()` is the truthiness of the value.
 * - Limits (syntax errors): source over 4096 characters; over 500 tree nodes; nesting depth over
 *   64, where a leaf is depth 0 and each operator, list, call and pair of parentheses adds one
 *   (so `a + b + c` nests 2 deep, and a chain of 65 `+` is too deep). The parser checks depth
 *   before recursing, so no input can overflow the stack. At evaluation, a string over
 *   1,000,000 characters or a list over 1,000,000 items is an evaluation error.
 * - parseCondition throws only ConditionSyntaxError; evaluateCondition throws only
 *   ConditionEvaluationError and never mutates its inputs.
 */
import { evaluateWithSource, type ConditionScope } from "./evaluate.js";
import { isTruthy } from "./functions.js";
import { parseCondition } from "./parser.js";
import type { Expression } from "./ast.js";

export {
  CONDITION_FUNCTIONS,
  RESERVED_NAMES,
  ConditionEvaluationError,
  ConditionSyntaxError,
  formatCondition,
  referencedAttributes,
} from "./ast.js";
export type {
  BinaryExpression,
  BinaryOperator,
  CallExpression,
  ComparisonOperator,
  ConditionFunction,
  Expression,
  ListExpression,
  LiteralExpression,
  NameExpression,
  ReservedName,
  UnaryExpression,
} from "./ast.js";
export { evaluateCondition } from "./evaluate.js";
export type { ConditionScope, ConditionUnit } from "./evaluate.js";
export { isTruthy } from "./functions.js";
export { parseCondition } from "./parser.js";

export interface CompiledCondition {
  readonly source: string;
  readonly expression: Expression;
  /** The truthiness of the value; evaluation errors carry the original source text. */
  test(scope: ConditionScope): boolean;
}

/** Parses once (throwing ConditionSyntaxError) for repeated evaluation. */
export function compileCondition(source: string): CompiledCondition {
  const expression = parseCondition(source);
  return {
    source,
    expression,
    test: (scope) => isTruthy(evaluateWithSource(expression, scope, source)),
  };
}
