import { describe, expect, it } from "vitest";
import {
  ConditionEvaluationError,
  compileCondition,
  evaluateCondition,
  isTruthy,
  parseCondition,
  type ConditionScope,
  type Expression,
} from "../../src/conditions/index.js";

const NOW = Date.parse("2024-05-01T12:00:00Z");

function scope(attributes: Record<string, unknown> = {}, extra: Partial<ConditionScope> = {}) {
  return { attributes, nowMs: NOW, ...extra };
}

function run(source: string, attributes: Record<string, unknown> = {}, extra = {}): unknown {
  return evaluateCondition(parseCondition(source), scope(attributes, extra));
}

function failure(source: string, attributes: Record<string, unknown> = {}) {
  try {
    run(source, attributes);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionEvaluationError);
    return error as ConditionEvaluationError;
  }
  throw new Error(`expected an evaluation error for ${source}`);
}

describe("literals and names", () => {
  it("evaluates literals and lists", () => {
    expect(run("12")).toBe(12);
    expect(run("-3.5")).toBe(-3.5);
    expect(run("'a'")).toBe("a");
    expect(run("true")).toBe(true);
    expect(run("null")).toBe(null);
    expect(run("[1, 'a', [null], 1 + 1]")).toEqual([1, "a", [null], 2]);
  });

  it("reads attributes and dotted paths, null when missing", () => {
    const attrs = { total: 5, invoice: { total: 120, vendor: { country: "DE" } }, n: null };
    expect(run("total", attrs)).toBe(5);
    expect(run("invoice.total", attrs)).toBe(120);
    expect(run("invoice.vendor.country", attrs)).toBe("DE");
    expect(run("missing", attrs)).toBe(null);
    expect(run("invoice.missing.deeper", attrs)).toBe(null);
    expect(run("total.x", attrs)).toBe(null);
    expect(run("n.x", attrs)).toBe(null);
    expect(run("invoice.total.toFixed", attrs)).toBe(null);
  });

  it("does not index lists with paths", () => {
    expect(run("xs.length", { xs: [1, 2] })).toBe(null);
    expect(run("xs.first", { xs: [1] })).toBe(null);
    expect(run("xs.first", { xs: { first: 1 } })).toBe(1);
  });

  it("reads reserved names from the unit and attr.x from the attributes", () => {
    const unit = {
      uow_id: "u1",
      status: "ACTIVE",
      child_count: 3,
      finished_child_count: 2,
      parent_id: null,
      attempt: 1,
    };
    const attrs = { status: "open", uow_id: "attr-id", attempt_round: 2 };
    expect(run("status", attrs, { unit })).toBe("ACTIVE");
    expect(run("attr.status", attrs, { unit })).toBe("open");
    expect(run("uow_id", attrs, { unit })).toBe("u1");
    expect(run("attr.uow_id", attrs, { unit })).toBe("attr-id");
    expect(run("child_count - finished_child_count", attrs, { unit })).toBe(1);
    expect(run("parent_id", attrs, { unit })).toBe(null);
    expect(run("attempt", attrs, { unit })).toBe(1);
    expect(run("attempt_round", attrs, { unit })).toBe(2);
    expect(run('attr.status == "open" and status == "ACTIVE"', attrs, { unit })).toBe(true);
    expect(run("status", attrs)).toBe(null);
    expect(run("attempt", attrs, { unit: {} })).toBe(null);
  });

  it("reads keyword-named attributes through attr.", () => {
    expect(run("attr.in + attr.null", { in: 1, null: 2 })).toBe(3);
    expect(run("attr", { attr: 7 })).toBe(7);
    expect(run("attr.attr", { attr: 7 })).toBe(7);
  });

  it("treats prototype names as ordinary missing keys", () => {
    for (const name of ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"]) {
      expect(run(name)).toBe(null);
      expect(run(`x.${name}`, { x: {} })).toBe(null);
      expect(run(`s.${name}`, { s: "str" })).toBe(null);
      expect(run(`exists(${name})`)).toBe(false);
    }
    expect(run("constructor", { constructor: 1 })).toBe(1);
    expect(run("status.constructor", {}, { unit: { status: "A" } })).toBe(null);
  });

  it("reads values that are not JSON as null", () => {
    expect(run("f", { f: () => 1 })).toBe(null);
    expect(run("d", { d: new Date(0) })).toBe(null);
    expect(run("u", { u: undefined })).toBe(null);
    expect(run("m.size", { m: new Map([["size", 1]]) })).toBe(null);
  });
});

describe("arithmetic", () => {
  it.each([
    ["1 + 2", 3],
    ["5 - 7", -2],
    ["2.5 * 4", 10],
    ["7 / 2", 3.5],
    ["7 % 3", 1],
    ["-7 % 3", -1],
    ["'ab' + 'cd'", "abcd"],
    ["[1] + [2, [3]]", [1, 2, [3]]],
    ["-a.b * (2.5 + c) % 3", -0.5],
    ["price * qty > 5000", true],
  ] as [string, unknown][])("%s", (source, expected) => {
    expect(run(source, { a: { b: 1 }, c: 1, price: 100, qty: 51 })).toEqual(expected);
  });

  it("gives null when any operand is null", () => {
    for (const op of ["+", "-", "*", "/", "%"]) {
      expect(run(`missing ${op} 1`)).toBe(null);
      expect(run(`1 ${op} missing`)).toBe(null);
      expect(run(`null ${op} 'a'`)).toBe(null);
    }
    expect(run("-missing")).toBe(null);
  });

  it("fails on type mixes, naming the operator and the values", () => {
    const error = failure('"a" * [1, 2]');
    expect(error.name).toBe("ConditionEvaluationError");
    expect(error.message).toBe(`cannot apply '*' to string "a" and list [1,2]`);
    expect(error.values).toEqual(["a", [1, 2]]);
    expect(error.source).toBe('"a" * [1, 2]');
    expect(failure("1 + 'a'").message).toBe(`cannot apply '+' to number 1 and string "a"`);
    expect(failure("'a' - 'b'").message).toContain("'-'");
    expect(failure("[1] + 1").message).toContain("list [1]");
    expect(failure("true + 1").message).toContain("boolean true");
    expect(failure("o * 2", { o: { k: 1 } }).message).toContain('object {"k":1}');
    expect(failure("-'a'").message).toBe(`cannot apply '-' to string "a"`);
  });

  it("fails on division or modulo by zero and on non-finite results", () => {
    expect(failure("1 / 0").message).toContain("division by zero");
    expect(failure("1 % 0").message).toContain("division by zero");
    expect(failure("x / 0", { x: 0 }).values).toEqual([0, 0]);
    expect(failure("big * big", { big: 1e308 }).message).toContain("not a finite number");
  });

  it("caps string and list results", () => {
    const s = "a".repeat(600_000);
    expect(failure("s + s", { s }).message).toContain("longer than 1000000");
    expect(run("s + 'b'", { s })).toHaveLength(600_001);
    const list = new Array(600_000).fill(0);
    expect(failure("l + l", { l: list }).message).toContain("1000000 items");
  });
});

describe("comparison", () => {
  it("compares with deep equality and no coercion", () => {
    expect(run("1 == 1")).toBe(true);
    expect(run("1 == '1'")).toBe(false);
    expect(run("null == null")).toBe(true);
    expect(run("missing == null")).toBe(true);
    expect(run("0 == false")).toBe(false);
    expect(run("'' == null")).toBe(false);
    expect(run("[1, [2]] == [1, [2]]")).toBe(true);
    expect(run("[1, 2] == [2, 1]")).toBe(false);
    expect(run("a == b", { a: { x: 1, y: [2] }, b: { y: [2], x: 1 } })).toBe(true);
    expect(run("a == b", { a: { x: 1 }, b: { x: 1, y: 2 } })).toBe(false);
    expect(run("a == b", { a: [], b: {} })).toBe(false);
    expect(run("1 != 2")).toBe(true);
    expect(run("a != null", { a: 0 })).toBe(true);
    expect(run("priority == 'high'", { priority: "high" })).toBe(true);
  });

  it("orders numbers and strings", () => {
    expect(run("1 < 2")).toBe(true);
    expect(run("2 <= 2")).toBe(true);
    expect(run("3 > 2.5")).toBe(true);
    expect(run("2 >= 3")).toBe(false);
    expect(run("'a' < 'b'")).toBe(true);
    expect(run("'Z' < 'a'")).toBe(true);
    expect(run("'10' < '9'")).toBe(true);
  });

  it("is false, not an error, when either side of an ordering is null", () => {
    for (const op of ["<", ">", "<=", ">="]) {
      expect(run(`missing ${op} 1`)).toBe(false);
      expect(run(`1 ${op} missing`)).toBe(false);
      expect(run(`null ${op} null`)).toBe(false);
      expect(run(`null ${op} [1]`)).toBe(false);
    }
  });

  it("fails on ordering mixed types", () => {
    expect(failure("1 < '2'").message).toBe(`cannot apply '<' to number 1 and string "2"`);
    expect(failure("[1] > [0]").message).toContain("'>'");
    expect(failure("true >= false").message).toContain("'>='");
  });

  it("tests membership in lists, strings and objects", () => {
    expect(run("2 in [1, 2]")).toBe(true);
    expect(run("[2] in [[2]]")).toBe(true);
    expect(run("null in [null]")).toBe(true);
    expect(run("'1' in [1]")).toBe(false);
    expect(run("'ell' in 'hello'")).toBe(true);
    expect(run("'' in 'x'")).toBe(true);
    expect(run("'k' in o", { o: { k: null } })).toBe(true);
    expect(run("'toString' in o", { o: {} })).toBe(false);
    expect(run("x in missing")).toBe(false);
    expect(run("x not in missing")).toBe(true);
    expect(run("missing in 'abc'")).toBe(false);
    expect(run("missing in o", { o: { null: 1 } })).toBe(false);
    expect(run("x not in [1, 2]", { x: 3 })).toBe(true);
    expect(run("x not in [1, 2]", { x: 2 })).toBe(false);
    expect(run('lower(c) in ["de", "fr"]', { c: "DE" })).toBe(true);
  });

  it("fails on membership in other types", () => {
    expect(failure("1 in 5").message).toBe("cannot apply 'in' to number 1 and number 5");
    expect(failure("1 not in 'a1'").message).toBe(`cannot apply 'not in' to number 1 and string "a1"`);
    expect(failure("[1] in o", { o: {} }).message).toContain("'in'");
    expect(failure("'a' in true").message).toContain("boolean true");
  });
});

describe("logic and truthiness", () => {
  it("defines truthiness", () => {
    for (const value of [null, undefined, false, 0, -0, "", [], {}, NaN]) {
      expect(isTruthy(value)).toBe(false);
    }
    for (const value of [true, 1, -1, "0", "false", [0], { a: null }]) {
      expect(isTruthy(value)).toBe(true);
    }
  });

  it("returns booleans from and, or and not", () => {
    expect(run("1 and 'x'")).toBe(true);
    expect(run("0 or ''")).toBe(false);
    expect(run("[] or o", { o: {} })).toBe(false);
    expect(run("not 0")).toBe(true);
    expect(run("not [1]")).toBe(false);
    expect(run("not missing")).toBe(true);
  });

  it("short-circuits", () => {
    expect(run("false and 1 / 0")).toBe(false);
    expect(run("true or 'a' * 2")).toBe(true);
    expect(() => run("true and 1 / 0")).toThrow(ConditionEvaluationError);
  });
});

describe("functions", () => {
  it("len", () => {
    expect(run("len('abc')")).toBe(3);
    expect(run("len(xs)", { xs: [1, 2] })).toBe(2);
    expect(run("len(o)", { o: { a: 1, b: 2 } })).toBe(2);
    expect(run("len(missing)")).toBe(0);
    expect(run("len('')")).toBe(0);
    expect(failure("len(5)").message).toContain("cannot apply len() to number 5");
    expect(failure("len(true)").values).toEqual([true]);
  });

  it("lower and upper", () => {
    expect(run("lower('AbC')")).toBe("abc");
    expect(run("upper('AbC')")).toBe("ABC");
    expect(run("lower(missing)")).toBe(null);
    expect(run("upper(missing)")).toBe(null);
    expect(failure("lower(1)").message).toContain("lower()");
    expect(failure("upper([])").message).toContain("upper()");
  });

  it("exists", () => {
    const attrs = { a: null, b: { c: null }, s: "x" };
    expect(run("exists(a)", attrs)).toBe(true);
    expect(run("exists(b.c)", attrs)).toBe(true);
    expect(run("exists(b.d)", attrs)).toBe(false);
    expect(run("exists(s.length)", attrs)).toBe(false);
    expect(run("exists(zzz)", attrs)).toBe(false);
    expect(run("not exists(approved_by)", attrs)).toBe(true);
    expect(run("exists(attr.status)", { status: 1 })).toBe(true);
    expect(run("exists(status)", { status: 1 })).toBe(false);
    expect(run("exists(status)", {}, { unit: { status: null } })).toBe(true);
  });

  it("now", () => {
    expect(run("now()")).toBe(NOW / 1000);
    expect(run("now() - x", { x: NOW / 1000 - 1.5 })).toBeCloseTo(1.5);
    const before = Date.now() / 1000;
    const value = evaluateCondition(parseCondition("now()"), { attributes: {} }) as number;
    expect(value).toBeGreaterThanOrEqual(before);
    expect(value).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it("age", () => {
    expect(run("age(t)", { t: "2024-05-01T11:00:00Z" })).toBe(3600);
    expect(run("age(received_at) > 3600", { received_at: "2024-04-30T00:00:00Z" })).toBe(true);
    expect(run("age(received_at) > 3600", { received_at: "2024-05-01T11:59:00Z" })).toBe(false);
    expect(run("age(missing)")).toBe(null);
    expect(run("age(missing) > 3600")).toBe(false);
    expect(failure("age('yesterday')").message).toContain(`age() cannot read string "yesterday"`);
    expect(failure("age(5)").message).toContain("age()");
  });
});

describe("the examples of the spec", () => {
  const attributes = {
    total: 10,
    lines: [{ sku: "a" }],
    price: 100,
    qty: 60,
    score: 5,
    attempt_round: 1,
    priority: "high",
    subject: "Invoice",
    invoice: { total: 150 },
    vendor: { country: "FR" },
    status: "open",
    received_at: "2024-05-01T10:00:00Z",
    x: 3,
    a: { b: 4 },
    c: 0.5,
  };
  const unit = { status: "ACTIVE" };
  it.each([
    ["total > 0 and len(lines) > 0", true],
    ["price * qty > 5000", true],
    ["score < 8 and attempt_round < 3", true],
    ["priority == 'high'", true],
    ["len(subject) > 0", true],
    ['invoice.total >= 100 and lower(vendor.country) in ["de", "fr"]', true],
    ["not exists(approved_by)", true],
    ['attr.status == "open" and status == "ACTIVE"', true],
    ["age(received_at) > 3600", true],
    ["x not in [1, 2]", true],
    ["-a.b * (2.5 + c) % 3", -0],
  ] as [string, unknown][])("%s", (source, expected) => {
    expect(run(source, attributes, { unit })).toEqual(expected);
    expect(compileCondition(source).test(scope(attributes, { unit }))).toBe(isTruthy(expected));
  });

  it("is false or null on an empty scope rather than failing", () => {
    expect(compileCondition("total > 0 and len(lines) > 0").test(scope())).toBe(false);
    expect(compileCondition("price * qty > 5000").test(scope())).toBe(false);
    expect(run("-a.b * (2.5 + c) % 3")).toBe(null);
  });
});

describe("compileCondition and errors", () => {
  it("keeps the source and reports it on evaluation errors", () => {
    const compiled = compileCondition("  x *  'a' ");
    expect(compiled.source).toBe("  x *  'a' ");
    expect(compiled.expression.kind).toBe("binary");
    try {
      compiled.test(scope({ x: 2 }));
      throw new Error("expected a failure");
    } catch (error) {
      expect(error).toBeInstanceOf(ConditionEvaluationError);
      expect(error).toMatchObject({ source: "  x *  'a' ", values: [2, "a"] });
    }
  });

  it("does not mutate its inputs", () => {
    const attributes = { xs: [1, 2], o: { a: [1] }, s: "A" };
    const unit = { status: "X", attempt: 1 };
    const snapshot = structuredClone({ attributes, unit });
    Object.freeze(attributes.xs);
    Object.freeze(attributes.o);
    run("xs + [3] == [1, 2, 3] and len(o) == 1 and lower(s) == 'a' and o.a + [2] in [[1, 2]]", attributes, { unit });
    expect({ attributes, unit }).toEqual(snapshot);
  });

  it("turns a broken hand-built tree into an evaluation error", () => {
    const bogus = { kind: "bogus", column: 1 } as unknown as Expression;
    expect(() => evaluateCondition(bogus, scope())).toThrow(ConditionEvaluationError);
    let deep: Expression = { kind: "literal", value: 1, column: 1 };
    for (let i = 0; i < 100_000; i++) deep = { kind: "unary", operator: "-", operand: deep, column: 1 };
    expect(() => evaluateCondition(deep, scope())).toThrow(ConditionEvaluationError);
  });

  it("turns a stack overflow on an absurdly deep value into an evaluation error", () => {
    let a: unknown = [];
    let b: unknown = [];
    for (let i = 0; i < 200_000; i++) {
      a = [a];
      b = [b];
    }
    expect(() => run("a == b", { a, b })).toThrow(ConditionEvaluationError);
  });
});
