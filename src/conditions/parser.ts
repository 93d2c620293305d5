import {
  CONDITION_FUNCTIONS,
  ConditionSyntaxError,
  FUNCTION_ARITY,
  MAX_DEPTH,
  MAX_NODES,
  MAX_SOURCE_LENGTH,
  isConditionFunction,
  isKeyword,
  isReservedName,
  type BinaryOperator,
  type ComparisonOperator,
  type Expression,
} from "./ast.js";
import { tokenize, type Token } from "./lexer.js";

/** Parses one condition; throws only ConditionSyntaxError, whatever the input. */
export function parseCondition(source: string): Expression {
  if (typeof source !== "string") {
    throw new ConditionSyntaxError("", 1, "a string", "a condition must be a string");
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ConditionSyntaxError(
      source,
      MAX_SOURCE_LENGTH + 1,
      `at most ${MAX_SOURCE_LENGTH} characters`,
      `condition is longer than ${MAX_SOURCE_LENGTH} characters`,
    );
  }
  const parser = new Parser(source, tokenize(source));
  const expr = parser.parseExpression();
  parser.expectEnd();
  return expr;
}

function describeToken(token: Token): string {
  switch (token.type) {
    case "eof":
      return "end of input";
    case "number":
      return `number ${token.text}`;
    case "string": {
      const text = JSON.stringify(token.value);
      return `string ${text.length > 40 ? `${text.slice(0, 37)}..."` : text}`;
    }
    case "name":
      return `name ${token.text}`;
    default:
      return `'${token.text}'`;
  }
}

const COMPARISONS = new Set<string>(["==", "!=", "<", ">", "<=", ">="]);

class Parser {
  private pos = 0;
  /** Open parentheses, lists, calls and prefix operators around the current token. */
  private depth = 0;
  private nodes = 0;
  /** Nesting depth of each finished subtree: 0 for a leaf, +1 per operator, list, call or parenthesis. */
  private readonly heights = new WeakMap<Expression, number>();

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parseExpression(): Expression {
    return this.parseOr();
  }

  expectEnd(): void {
    if (this.token.type !== "eof") throw this.error(this.token.column, "an operator or end of input");
  }

  private get token(): Token {
    return this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
  }

  private peekAt(offset: number): Token {
    return this.tokens[this.pos + offset] ?? this.tokens[this.tokens.length - 1]!;
  }

  private advance(): Token {
    const token = this.token;
    if (token.type !== "eof") this.pos++;
    return token;
  }

  private is(text: string): boolean {
    const token = this.token;
    return (token.type === "punct" || token.type === "keyword") && token.text === text;
  }

  private expect(text: string, expected: string): Token {
    if (!this.is(text)) throw this.error(this.token.column, expected);
    return this.advance();
  }

  private error(column: number, expected: string, detail?: string): ConditionSyntaxError {
    return new ConditionSyntaxError(
      this.source,
      column,
      expected,
      detail ?? `expected ${expected}, found ${describeToken(this.token)}`,
    );
  }

  private depthError(column: number): ConditionSyntaxError {
    return this.error(
      column,
      `at most ${MAX_DEPTH} levels of nesting`,
      `expression nests deeper than ${MAX_DEPTH} levels`,
    );
  }

  /** Checks the depth before recursing, so that 10,000 `(` fail cleanly instead of overflowing the stack. */
  private nested<T>(column: number, parse: () => T): T {
    if (this.depth >= MAX_DEPTH) throw this.depthError(column);
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private make<T extends Expression>(node: T, children: readonly Expression[] = []): T {
    if (++this.nodes > MAX_NODES) {
      throw this.error(node.column, `at most ${MAX_NODES} nodes`, `expression has more than ${MAX_NODES} parts`);
    }
    // An empty list or call still counts as a level, matching the depth counted by nested().
    const empty = node.kind === "list" || node.kind === "call" ? 1 : 0;
    const height = children.reduce((h, child) => Math.max(h, this.heightOf(child) + 1), empty);
    this.setHeight(node, height);
    return node;
  }

  private heightOf(node: Expression): number {
    return this.heights.get(node) ?? 0;
  }

  private setHeight(node: Expression, height: number): void {
    if (height > MAX_DEPTH) throw this.depthError(node.column);
    this.heights.set(node, height);
  }

  private binary(operator: BinaryOperator, column: number, left: Expression, right: Expression): Expression {
    return this.make({ kind: "binary", operator, left, right, column }, [left, right]);
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    while (this.is("or")) {
      const op = this.advance();
      left = this.binary("or", op.column, left, this.parseAnd());
    }
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseNot();
    while (this.is("and")) {
      const op = this.advance();
      left = this.binary("and", op.column, left, this.parseNot());
    }
    return left;
  }

  private parseNot(): Expression {
    if (!this.is("not")) return this.parseComparison();
    const op = this.advance();
    const operand = this.nested(op.column, () => this.parseNot());
    return this.make({ kind: "unary", operator: "not", operand, column: op.column }, [operand]);
  }

  /** The comparison operator at the current token, without consuming it. */
  private peekComparison(): { operator: ComparisonOperator; width: number } | null {
    const token = this.token;
    if (token.type === "punct" && COMPARISONS.has(token.text)) {
      return { operator: token.text as ComparisonOperator, width: 1 };
    }
    if (this.is("in")) return { operator: "in", width: 1 };
    if (this.is("not")) {
      const next = this.peekAt(1);
      if (next.type === "keyword" && next.text === "in") return { operator: "not in", width: 2 };
      // After an operand, `not` can only start `not in`.
      throw new ConditionSyntaxError(
        this.source,
        next.column,
        "'in' after 'not'",
        `expected 'in' after 'not', found ${describeToken(next)}`,
      );
    }
    return null;
  }

  private parseComparison(): Expression {
    const left = this.parseAdditive();
    const found = this.peekComparison();
    if (!found) return left;
    const column = this.token.column;
    for (let i = 0; i < found.width; i++) this.advance();
    const right = this.parseAdditive();
    if (this.peekComparison()) {
      throw this.error(
        this.token.column,
        "'and' or 'or' between comparisons",
        `comparisons cannot be chained: join them with 'and' (found ${describeToken(this.token)})`,
      );
    }
    return this.binary(found.operator, column, left, right);
  }

  private parseAdditive(): Expression {
    let left = this.parseMultiplicative();
    while (this.is("+") || this.is("-")) {
      const op = this.advance();
      left = this.binary(op.text as "+" | "-", op.column, left, this.parseMultiplicative());
    }
    return left;
  }

  private parseMultiplicative(): Expression {
    let left = this.parseUnary();
    while (this.is("*") || this.is("/") || this.is("%")) {
      const op = this.advance();
      left = this.binary(op.text as "*" | "/" | "%", op.column, left, this.parseUnary());
    }
    return left;
  }

  private parseUnary(): Expression {
    if (!this.is("-")) return this.parsePrimary();
    const op = this.advance();
    const operand = this.nested(op.column, () => this.parseUnary());
    return this.make({ kind: "unary", operator: "-", operand, column: op.column }, [operand]);
  }

  private parsePrimary(): Expression {
    const token = this.token;
    switch (token.type) {
      case "number":
      case "string":
        this.advance();
        return this.make({ kind: "literal", value: token.value, column: token.column });
      case "keyword":
        if (token.text === "true" || token.text === "false" || token.text === "null") {
          this.advance();
          const value = token.text === "null" ? null : token.text === "true";
          return this.make({ kind: "literal", value, column: token.column });
        }
        break;
      case "name":
        this.advance();
        return this.is("(") ? this.parseCall(token) : this.makeName(token);
      case "punct":
        if (token.text === "(") return this.parseGroup();
        if (token.text === "[") return this.parseList();
        break;
      case "eof":
        break;
    }
    const previous = this.tokens[this.pos - 1];
    throw this.error(token.column, previous ? `an expression after '${previous.text}'` : "an expression");
  }

  private makeName(token: Token & { type: "name" }): Expression {
    const [first = "", ...rest] = token.segments;
    if (isKeyword(first)) {
      throw this.error(
        token.column,
        "a name",
        `'${first}' is a keyword: write attr.${token.text} to read an attribute of that name`,
      );
    }
    const column = token.column;
    if (first === "attr" && rest.length > 0) {
      return this.make({ kind: "name", root: "attribute", path: rest, column });
    }
    const root = isReservedName(first) ? "unit" : "attribute";
    return this.make({ kind: "name", root, path: token.segments, column });
  }

  private parseGroup(): Expression {
    const open = this.advance();
    const inner = this.nested(open.column, () => this.parseExpression());
    this.expect(")", `')' to close '(' at column ${open.column}`);
    this.setHeight(inner, this.heightOf(inner) + 1);
    return inner;
  }

  private parseList(): Expression {
    const open = this.advance();
    const items = this.nested(open.column, () => this.parseItems("]"));
    this.expect("]", "',' or ']'");
    return this.make({ kind: "list", items, column: open.column }, items);
  }

  private parseItems(close: string): Expression[] {
    const items: Expression[] = [];
    if (this.is(close)) return items;
    items.push(this.parseExpression());
    while (this.is(",")) {
      this.advance();
      items.push(this.parseExpression());
    }
    return items;
  }

  private parseCall(token: Token & { type: "name" }): Expression {
    const name = token.text;
    if (!isConditionFunction(name)) {
      throw this.error(
        token.column,
        "a known function",
        `unknown function '${name}' (known: ${CONDITION_FUNCTIONS.join(", ")})`,
      );
    }
    const open = this.advance();
    const argColumn = this.token.column;
    const args = this.nested(open.column, () => this.parseItems(")"));
    this.expect(")", "',' or ')'");
    const arity = FUNCTION_ARITY[name];
    if (args.length !== arity) {
      const wanted = `${arity} argument${arity === 1 ? "" : "s"}`;
      throw this.error(token.column, wanted, `${name}() takes ${wanted}, got ${args.length}`);
    }
    const [arg] = args;
    if (name === "exists" && arg && arg.kind !== "name") {
      throw this.error(argColumn, "a name or dotted path", "exists() takes a name or dotted path, not an expression");
    }
    return this.make({ kind: "call", name, args, column: token.column }, args);
  }
}
