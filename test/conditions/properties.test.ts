import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONDITION_FUNCTIONS,
  ConditionEvaluationError,
  ConditionSyntaxError,
  RESERVED_NAMES,
  evaluateCondition,
  formatCondition,
  parseCondition,
  type ConditionScope,
  type Expression,
} from "../../src/conditions/index.js";

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return isPlain(value) && Object.values(value).every(isJson);
}

/** The tree without columns, for comparing a tree with its printed-and-reparsed self. */
function strip(e: Expression): unknown {
  switch (e.kind) {
    case "literal":
      return { kind: e.kind, value: e.value };
    case "name":
      return { kind: e.kind, root: e.root, path: [...e.path] };
    case "list":
      return { kind: e.kind, items: e.items.map(strip) };
    case "call":
      return { kind: e.kind, name: e.name, args: e.args.map(strip) };
    case "unary":
      return { kind: e.kind, operator: e.operator, operand: strip(e.operand) };
    case "binary":
      return { kind: e.kind, operator: e.operator, left: strip(e.left), right: strip(e.right) };
  }
}

/** Runs `body`, accepting only a normal return or an error of class `allowed`. */
function returnsOr<T>(allowed: new (...args: never[]) => Error, body: () => T): T | undefined {
  try {
    return body();
  } catch (error) {
    if (!(error instanceof allowed)) throw error;
    return undefined;
  }
}

const DANGEROUS = [
  "constructor",
  "__proto__",
  "prototype",
  "process",
  "globalThis",
  "toString",
  "valueOf",
  "hasOwnProperty",
];
const KEYS = ["a", "b", "total", "x", "status", "in", "attr", "len", ...DANGEROUS];

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/);
const column = fc.constant(0);

const nameArb: fc.Arbitrary<Expression> = fc.oneof(
  fc
    .tuple(fc.oneof(fc.constantFrom(...KEYS), identifier), fc.array(identifier, { maxLength: 2 }))
    .map(([first, rest]) => ({
      kind: "name" as const,
      root: "attribute" as const,
      path: [first, ...rest],
      column: 0,
    })),
  fc.tuple(fc.constantFrom(...RESERVED_NAMES), fc.array(identifier, { maxLength: 1 })).map(([first, rest]) => ({
    kind: "name" as const,
    root: "unit" as const,
    path: [first, ...rest],
    column: 0,
  })),
);

const literalArb: fc.Arbitrary<Expression> = fc
  .oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: 0, max: 1000 }),
    fc.double({ min: 0, max: 1e25, noNaN: true }).map((n) => Math.abs(n)),
    fc.string({ unit: "binary", maxLength: 8 }),
  )
  .map((value) => ({ kind: "literal" as const, value, column: 0 }));

const BINARY = ["or", "and", "==", "!=", "<", ">", "<=", ">=", "in", "not in", "+", "-", "*", "/", "%"] as const;

/** Trees of the shape the parser produces: non-negative literals, `exists` of a name only. */
const { expression: expressionArb } = fc.letrec<{ expression: Expression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: "small", maxDepth: 5 },
    literalArb,
    nameArb,
    fc.record({
      kind: fc.constant("unary" as const),
      operator: fc.constantFrom("not" as const, "-" as const),
      operand: tie("expression"),
      column,
    }),
    fc.record({
      kind: fc.constant("binary" as const),
      operator: fc.constantFrom(...BINARY),
      left: tie("expression"),
      right: tie("expression"),
      column,
    }),
    fc.array(tie("expression"), { maxLength: 3 }).map((items) => ({
      kind: "list" as const,
      items,
      column: 0,
    })),
    fc.constant({ kind: "call" as const, name: "now" as const, args: [], column: 0 }),
    nameArb.map((name) => ({ kind: "call" as const, name: "exists" as const, args: [name], column: 0 })),
    fc
      .tuple(fc.constantFrom("len" as const, "lower" as const, "upper" as const, "age" as const), tie("expression"))
      .map(([name, arg]) => ({ kind: "call" as const, name, args: [arg], column: 0 })),
  ),
}));

const jsonAttributes = (keys: fc.Arbitrary<string>) =>
  fc.dictionary(
    keys,
    fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(keys, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
      fc.constantFrom("2024-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT", "not a date"),
    ),
    { maxKeys: 6 },
  );

const scopeArb: fc.Arbitrary<ConditionScope> = fc.record({
  attributes: jsonAttributes(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 }))),
  unit: fc.record(
    {
      uow_id: fc.option(fc.string({ maxLength: 4 })),
      status: fc.option(fc.constantFrom("ACTIVE", "DONE")),
      child_count: fc.nat(5),
      finished_child_count: fc.nat(5),
      parent_id: fc.option(fc.string({ maxLength: 4 })),
      attempt: fc.nat(3),
    },
    { requiredKeys: [] },
  ),
  nowMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
});

const TOKENS = [
  "(",
  ")",
  "[",
  "]",
  ",",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<",
  ">",
  "<=",
  ">=",
  "==",
  "!=",
  "=",
  "!",
  ".",
  "and",
  "or",
  "not",
  "in",
  "not in",
  "true",
  "false",
  "null",
  "attr",
  "attr.status",
  "attr.in",
  "status",
  "x",
  "x.y",
  "__proto__",
  "constructor",
  "1",
  "2.5",
  "007",
  ".5",
  "5.",
  "'a'",
  '"b\\n"',
  "'",
  '"',
  "\\",
  "(((((",
  "not not not",
  "@",
  "\t",
  "é",
  ...CONDITION_FUNCTIONS,
  "foo",
  "eval",
];
const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom("", " ")), { maxLength: 40 })
  .map((parts) => parts.map(([token, space]) => token + space).join(""));

describe("properties", () => {
  it("parseCondition returns or throws ConditionSyntaxError for any string, and round-trips what it accepts", () => {
    const inputs = fc.oneof(
      fc.string({ unit: "binary", maxLength: 60 }),
      tokenSoup,
      expressionArb.map(formatCondition),
      fc
        .tuple(expressionArb.map(formatCondition), fc.nat(), fc.constantFrom(...TOKENS))
        .map(([text, at, token]) => text.slice(0, at % (text.length + 1)) + token + text.slice(at % (text.length + 1))),
      fc.tuple(fc.constantFrom("(", "[", "not ", "-", "len(", "a + "), fc.nat(5000)).map(([t, n]) => t.repeat(n)),
    );
    fc.assert(
      fc.property(inputs, (source) => {
        const started = performance.now();
        const expr = returnsOr(ConditionSyntaxError, () => parseCondition(source));
        expect(performance.now() - started).toBeLessThan(1000);
        if (expr === undefined) return;
        const text = formatCondition(expr);
        if (text.length <= 4096) expect(strip(parseCondition(text))).toEqual(strip(expr));
      }),
      { numRuns: 600 },
    );
  });

  it("evaluating well-formed expressions gives a JSON value or ConditionEvaluationError", () => {
    fc.assert(
      fc.property(expressionArb, scopeArb, (generated, scope) => {
        const text = formatCondition(generated);
        fc.pre(text.length <= 4096);
        const before = structuredClone(scope);
        for (const expr of [generated, parseCondition(text)]) {
          const value = returnsOr(ConditionEvaluationError, () => evaluateCondition(expr, scope));
          expect(isJson(value ?? null)).toBe(true);
        }
        expect(scope).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it("prototype names are ordinary keys: null unless own, never a function", () => {
    const segment = fc.constantFrom(...DANGEROUS, "a", "b");
    const reference = (attributes: Record<string, unknown>, path: string[]) => {
      let value: unknown = attributes;
      for (const [i, key] of path.entries()) {
        const container = i === 0 ? typeof value === "object" && value !== null : isPlain(value);
        if (!container || !hasOwn(value as object, key)) return { found: false, value: null };
        value = (value as Record<string, unknown>)[key];
      }
      return { found: true, value: value ?? null };
    };
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.oneof(fc.constant({}), jsonAttributes(segment)),
        fc.boolean(),
        (path, attributes, prefixed) => {
          const name = `${prefixed ? "attr." : ""}${path.join(".")}`;
          const expected = reference(attributes, path);
          const scope = { attributes, unit: {}, nowMs: 0 };
          const run = (source: string) => evaluateCondition(parseCondition(source), scope);
          expect(run(name)).toEqual(expected.value);
          expect(run(`exists(${name})`)).toBe(expected.found);
          for (const source of [name, `[${name}]`, `${name} + ${name}`, `len(${name})`, `lower(${name})`]) {
            const value = returnsOr(ConditionEvaluationError, () => run(source));
            expect(typeof value).not.toBe("function");
            expect(isJson(value ?? null)).toBe(true);
          }
          expect(run(`status.${path.join(".")}`)).toBe(null);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("formatCondition then parseCondition gives the same tree", () => {
    fc.assert(
      fc.property(expressionArb, (expr) => {
        const text = formatCondition(expr);
        fc.pre(text.length <= 4096);
        expect(strip(parseCondition(text))).toEqual(strip(expr));
      }),
      { numRuns: 600 },
    );
  });
});
