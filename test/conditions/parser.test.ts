import { describe, expect, it } from "vitest";
import {
  CONDITION_FUNCTIONS,
  ConditionSyntaxError,
  RESERVED_NAMES,
  formatCondition,
  parseCondition,
  referencedAttributes,
  type Expression,
} from "../../src/conditions/index.js";

/** The tree as a compact fully parenthesised string, to test structure without columns. */
function shape(e: Expression): string {
  switch (e.kind) {
    case "literal":
      return JSON.stringify(e.value);
    case "list":
      return `[${e.items.map(shape).join(" ")}]`;
    case "name":
      return `${e.root === "unit" ? "unit:" : ""}${e.path.join(".")}`;
    case "call":
      return `${e.name}(${e.args.map(shape).join(" ")})`;
    case "unary":
      return `(${e.operator} ${shape(e.operand)})`;
    case "binary":
      return `(${shape(e.left)} ${e.operator} ${shape(e.right)})`;
  }
}

const parse = (source: string) => shape(parseCondition(source));

function syntaxError(source: string): ConditionSyntaxError {
  try {
    parseCondition(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    return error as ConditionSyntaxError;
  }
  throw new Error(`expected a syntax error for ${source}`);
}

describe("parseCondition: atoms", () => {
  it("parses literals", () => {
    expect(parseCondition("12")).toEqual({ kind: "literal", value: 12, column: 1 });
    expect(parse("'a'")).toBe('"a"');
    expect(parse("true")).toBe("true");
    expect(parse("false")).toBe("false");
    expect(parse("null")).toBe("null");
    expect(parse("1.5")).toBe("1.5");
  });

  it("parses negative numbers as unary minus", () => {
    expect(parseCondition("-3")).toEqual({
      kind: "unary",
      operator: "-",
      operand: { kind: "literal", value: 3, column: 2 },
      column: 1,
    });
  });

  it("parses lists, empty and nested", () => {
    expect(parse("[]")).toBe("[]");
    expect(parse("[1, 'a', [null]]")).toBe('[1 "a" [null]]');
    expect(parse("[a + 1, b]")).toBe("[(a + 1) b]");
  });

  it("parses names, paths, reserved names and attr.", () => {
    expect(parseCondition("invoice.total")).toEqual({
      kind: "name",
      root: "attribute",
      path: ["invoice", "total"],
      column: 1,
    });
    for (const name of RESERVED_NAMES) expect(parse(name)).toBe(`unit:${name}`);
    expect(parse("status.x")).toBe("unit:status.x");
    expect(parse("attr.status")).toBe("status");
    expect(parse("attr.x.y")).toBe("x.y");
    expect(parse("attr.x")).toBe(parse("x"));
    expect(parse("attr.and")).toBe("and");
    expect(parse("attr")).toBe("attr");
    expect(parse("x.in.not")).toBe("x.in.not");
    expect(parse("len")).toBe("len");
    expect(parse("__proto__.constructor")).toBe("__proto__.constructor");
  });

  it("parses calls of the six functions", () => {
    expect(CONDITION_FUNCTIONS).toEqual(["len", "lower", "upper", "exists", "now", "age"]);
    expect(parse("len(x)")).toBe("len(x)");
    expect(parse("lower( 'A' )")).toBe('lower("A")');
    expect(parse("upper(a.b)")).toBe("upper(a.b)");
    expect(parse("exists(attr.status)")).toBe("exists(status)");
    expect(parse("exists(status)")).toBe("exists(unit:status)");
    expect(parse("now()")).toBe("now()");
    expect(parse("age(received_at)")).toBe("age(received_at)");
    expect(parse("len(lower(x) + 'a')")).toBe('len((lower(x) + "a"))');
  });
});

describe("parseCondition: precedence and associativity", () => {
  const cases: [string, string][] = [
    ["a or b and c", "(a or (b and c))"],
    ["a and b or c", "((a and b) or c)"],
    ["a or b or c", "((a or b) or c)"],
    ["a and b and c", "((a and b) and c)"],
    ["not a and b", "((not a) and b)"],
    ["not a == b", "(not (a == b))"],
    ["not not a", "(not (not a))"],
    ["a == b and c != d", "((a == b) and (c != d))"],
    ["a + b < c * d", "((a + b) < (c * d))"],
    ["a in b or c not in d", "((a in b) or (c not in d))"],
    ["a - b - c", "((a - b) - c)"],
    ["a + b * c", "(a + (b * c))"],
    ["a * b + c", "((a * b) + c)"],
    ["a / b / c", "((a / b) / c)"],
    ["a % b * c", "((a % b) * c)"],
    ["-a * b", "((- a) * b)"],
    ["- -a", "(- (- a))"],
    ["--a", "(- (- a))"],
    ["a - -b", "(a - (- b))"],
    ["-a.b * (2.5 + c) % 3", "(((- a.b) * (2.5 + c)) % 3)"],
    ["(a or b) and c", "((a or b) and c)"],
    ["-len(x)", "(- len(x))"],
    ["x not in [1, 2]", "(x not in [1 2])"],
    ["(a < b) < c", "((a < b) < c)"],
  ];
  it.each(cases)("%s", (source, expected) => {
    expect(parse(source)).toBe(expected);
  });

  it("records operator columns", () => {
    const e = parseCondition("a + b * c");
    expect(e).toMatchObject({ column: 3, right: { column: 7 } });
    expect(parseCondition("x not in y")).toMatchObject({ operator: "not in", column: 3 });
  });
});

describe("parseCondition: the examples of the spec", () => {
  it.each([
    ["total > 0 and len(lines) > 0", "((total > 0) and (len(lines) > 0))"],
    ["price * qty > 5000", "((price * qty) > 5000)"],
    ["score < 8 and attempt_round < 3", "((score < 8) and (attempt_round < 3))"],
    ["priority == 'high'", '(priority == "high")'],
    ["len(subject) > 0", "(len(subject) > 0)"],
    [
      'invoice.total >= 100 and lower(vendor.country) in ["de", "fr"]',
      '((invoice.total >= 100) and (lower(vendor.country) in ["de" "fr"]))',
    ],
    ["not exists(approved_by)", "(not exists(approved_by))"],
    ['attr.status == "open" and status == "ACTIVE"', '((status == "open") and (unit:status == "ACTIVE"))'],
    ["age(received_at) > 3600", "(age(received_at) > 3600)"],
    ["x not in [1, 2]", "(x not in [1 2])"],
    ["-a.b * (2.5 + c) % 3", "(((- a.b) * (2.5 + c)) % 3)"],
  ])("%s", (source, expected) => {
    expect(parse(source)).toBe(expected);
  });
});

describe("parseCondition: syntax errors", () => {
  it.each([
    ["", 1, "an expression", "column 1: expected an expression, found end of input"],
    ["x and", 6, "an expression after 'and'", "column 6: expected an expression after 'and', found end of input"],
    ["a +", 4, "an expression after '+'", undefined],
    ["a b", 3, "an operator or end of input", "column 3: expected an operator or end of input, found name b"],
    ["(a", 3, "')' to close '(' at column 1", undefined],
    ["a)", 2, "an operator or end of input", undefined],
    ["[1 2]", 4, "',' or ']'", undefined],
    ["[1,]", 4, "an expression after ','", undefined],
    ["len(x", 6, "',' or ')'", undefined],
    ["a < b < c", 7, "'and' or 'or' between comparisons", undefined],
    ["a == b != c", 8, "'and' or 'or' between comparisons", undefined],
    ["a in b not in c", 8, "'and' or 'or' between comparisons", undefined],
    ["a not b", 7, "'in' after 'not'", undefined],
    ["not in x", 5, "an expression after 'not'", undefined],
    ["a == not b", 6, "an expression after '=='", undefined],
    ["and", 1, "an expression", undefined],
    ["true.x", 1, "a name", undefined],
    ["1 + 'a", 5, "a closing '", undefined],
    ["true(1)", 5, "an operator or end of input", undefined],
  ] as [string, number, string, string | undefined][])("%j", (source, column, expected, message) => {
    const error = syntaxError(source);
    expect(error.name).toBe("ConditionSyntaxError");
    expect(error.source).toBe(source);
    expect(error.column).toBe(column);
    expect(error.expected).toBe(expected);
    if (message !== undefined) expect(error.message).toBe(message);
  });

  it("rejects unknown functions at parse time, naming them", () => {
    const error = syntaxError("x > 1 and foo(x)");
    expect(error.column).toBe(11);
    expect(error.expected).toBe("a known function");
    expect(error.message).toBe("column 11: unknown function 'foo' (known: len, lower, upper, exists, now, age)");
    expect(syntaxError("a.len(x)").message).toContain("unknown function 'a.len'");
    expect(syntaxError("status(1)").message).toContain("unknown function 'status'");
    expect(syntaxError("eval('1')").message).toContain("unknown function 'eval'");
  });

  it("rejects wrong numbers of arguments", () => {
    expect(syntaxError("1 + len()")).toMatchObject({
      column: 5,
      expected: "1 argument",
      message: "column 5: len() takes 1 argument, got 0",
    });
    expect(syntaxError("len(a, b)").message).toBe("column 1: len() takes 1 argument, got 2");
    expect(syntaxError("now(1)").message).toBe("column 1: now() takes 0 arguments, got 1");
    expect(syntaxError("age()").expected).toBe("1 argument");
    expect(syntaxError("lower()").expected).toBe("1 argument");
    expect(syntaxError("upper(a, b)").expected).toBe("1 argument");
  });

  it("accepts only a name or path in exists()", () => {
    const error = syntaxError("exists(a + b)");
    expect(error).toMatchObject({ column: 8, expected: "a name or dotted path" });
    expect(error.message).toContain("not an expression");
    expect(syntaxError("exists('a')").column).toBe(8);
    expect(syntaxError("exists(len(a))").column).toBe(8);
    expect(parse("exists(a.b.c)")).toBe("exists(a.b.c)");
  });

  it("enforces the length limit", () => {
    expect(parse(`x == "${"a".repeat(4089)}"`)).toContain("x");
    const error = syntaxError(`x == "${"a".repeat(4090)}"`);
    expect(error).toMatchObject({ column: 4097, expected: "at most 4096 characters" });
  });

  it("enforces the node limit", () => {
    const list = (n: number) => `[${Array.from({ length: n }, () => "1").join(",")}]`;
    expect(() => parseCondition(list(499))).not.toThrow();
    expect(syntaxError(list(500))).toMatchObject({ expected: "at most 500 nodes" });
  });

  it("enforces the depth limit for parentheses, lists, calls and operators", () => {
    const parens = (n: number) => `${"(".repeat(n)}a${")".repeat(n)}`;
    expect(parse(parens(64))).toBe("a");
    expect(syntaxError(parens(65))).toMatchObject({ expected: "at most 64 levels of nesting" });
    expect(syntaxError(parens(65)).message).toContain("nests deeper than 64");
    expect(() => parseCondition(`${"[".repeat(64)}${"]".repeat(64)}`)).not.toThrow();
    expect(syntaxError(`${"[".repeat(65)}${"]".repeat(65)}`).expected).toContain("64");
    expect(() => parseCondition(`${"len(".repeat(63)}now()${")".repeat(63)}`)).not.toThrow();
    expect(syntaxError(`${"len(".repeat(64)}now()${")".repeat(64)}`).expected).toContain("64");
    expect(() => parseCondition(`${"not ".repeat(64)}a`)).not.toThrow();
    expect(syntaxError(`${"not ".repeat(65)}a`).expected).toContain("64");
    expect(syntaxError(`${"-".repeat(65)}a`).expected).toContain("64");
    const chain = (n: number) => Array.from({ length: n + 1 }, (_, i) => `a${i}`).join(" + ");
    expect(() => parseCondition(chain(64))).not.toThrow();
    expect(syntaxError(chain(65)).expected).toContain("64");
    expect(syntaxError(`-(${parens(64)})`).expected).toContain("64");
  });

  it("fails cleanly on pathological nesting instead of overflowing the stack", () => {
    for (const source of [
      "(".repeat(4096),
      "[".repeat(4096),
      "not ".repeat(1024),
      "-".repeat(4096),
      "len(".repeat(1024),
      "(".repeat(10_000),
    ]) {
      expect(syntaxError(source)).toBeInstanceOf(ConditionSyntaxError);
    }
  });

  it("rejects non-string input with a syntax error", () => {
    expect(() => parseCondition(42 as unknown as string)).toThrow(ConditionSyntaxError);
  });
});

describe("formatCondition and referencedAttributes", () => {
  it("prints with only the needed parentheses", () => {
    expect(formatCondition(parseCondition("((a + b)) * (c)"))).toBe("(a + b) * c");
    expect(formatCondition(parseCondition("a - (b - c)"))).toBe("a - (b - c)");
    expect(formatCondition(parseCondition("(a < b) == c"))).toBe("(a < b) == c");
    expect(formatCondition(parseCondition("not (a and b)"))).toBe("not (a and b)");
    expect(formatCondition(parseCondition("-(-a)"))).toBe("- -a");
    expect(formatCondition(parseCondition("-(a + b)"))).toBe("-(a + b)");
    expect(formatCondition(parseCondition("(not a) == b"))).toBe("(not a) == b");
    expect(formatCondition(parseCondition("attr.status + attr.attr + attr.x"))).toBe("attr.status + attr.attr + x");
    expect(formatCondition(parseCondition(`'it\\'s "x"\\n'`))).toBe(`"it's \\"x\\"\\n"`);
  });

  it("prints numbers without exponents", () => {
    for (const source of ["1000000000000000000000000", "0.0000001", "123.456", "0"]) {
      const text = formatCondition(parseCondition(source));
      expect(text).not.toMatch(/e/);
      expect(parseCondition(text)).toEqual(parseCondition(source));
    }
  });

  it("lists the top-level attribute keys read, sorted and unique", () => {
    expect(
      referencedAttributes(
        parseCondition(
          "invoice.total > 0 and attr.status == status and exists(z.q) and len(b) + b.c > child_count and [y]",
        ),
      ),
    ).toEqual(["b", "invoice", "status", "y", "z"]);
    expect(referencedAttributes(parseCondition("now() > 1 and uow_id == null"))).toEqual([]);
  });
});
