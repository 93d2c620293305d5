import { describe, expect, it } from "vitest";
import { ConditionSyntaxError } from "../../src/conditions/index.js";
import { tokenize } from "../../src/conditions/lexer.js";

function kinds(source: string): string[] {
  return tokenize(source).map((t) => `${t.type}:${t.text}`);
}

function lexError(source: string): ConditionSyntaxError {
  try {
    tokenize(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    return error as ConditionSyntaxError;
  }
  throw new Error(`expected a syntax error for ${source}`);
}

describe("tokenize", () => {
  it("ends every input with eof at the column after the last character", () => {
    expect(tokenize("")).toEqual([{ type: "eof", text: "", column: 1 }]);
    expect(tokenize("  ").at(-1)).toEqual({ type: "eof", text: "", column: 3 });
  });

  it("reads integers and decimals", () => {
    expect(tokenize("12 3.5 007")).toMatchObject([
      { type: "number", value: 12, column: 1 },
      { type: "number", value: 3.5, column: 4 },
      { type: "number", value: 7, column: 8 },
      { type: "eof" },
    ]);
  });

  it("leaves the minus sign to the parser", () => {
    expect(kinds("-5")).toEqual(["punct:-", "number:5", "eof:"]);
  });

  it("rejects .5, 5., exponents and digits glued to names", () => {
    expect(lexError(".5")).toMatchObject({ column: 1, expected: "a digit before '.'" });
    expect(lexError(".5").message).toContain("write 0.5");
    expect(lexError("5.")).toMatchObject({ column: 3, expected: "a digit after '.' in a number" });
    expect(lexError("1e5")).toMatchObject({ column: 2, expected: "an operator after number 1" });
    expect(lexError("1.2.3")).toMatchObject({ column: 4 });
  });

  it("rejects a literal too large to be finite", () => {
    expect(lexError("9".repeat(400)).message).toContain("too large");
  });

  it("reads strings in both quotes with escapes", () => {
    expect(tokenize(`'a"b' "c'd"`)).toMatchObject([
      { type: "string", value: 'a"b', column: 1 },
      { type: "string", value: "c'd", column: 7 },
      { type: "eof" },
    ]);
    expect(tokenize(String.raw`"\\ \' \" \n \t"`)[0]).toMatchObject({
      type: "string",
      value: "\\ ' \" \n \t",
    });
    expect(tokenize("'line\nbreak'")[0]).toMatchObject({ value: "line\nbreak" });
  });

  it("rejects unterminated strings and unknown escapes", () => {
    expect(lexError("x == 'abc")).toMatchObject({ column: 6, expected: "a closing '" });
    expect(lexError('"abc\\')).toMatchObject({ column: 1, expected: 'a closing "' });
    const escape = lexError(String.raw`"a\x"`);
    expect(escape.column).toBe(3);
    expect(escape.message).toContain("unknown escape");
  });

  it("reads names and dotted paths as one token", () => {
    expect(tokenize("invoice.total _x1")).toMatchObject([
      { type: "name", segments: ["invoice", "total"], column: 1 },
      { type: "name", segments: ["_x1"], column: 15 },
      { type: "eof" },
    ]);
    expect(lexError("a.")).toMatchObject({ column: 3, expected: "a name after '.'" });
    expect(lexError("a..b")).toMatchObject({ column: 3 });
    expect(lexError("a. b")).toMatchObject({ column: 3 });
  });

  it("reads lower-case keywords, and other cases as names", () => {
    expect(kinds("and or not in true false null")).toEqual([
      "keyword:and",
      "keyword:or",
      "keyword:not",
      "keyword:in",
      "keyword:true",
      "keyword:false",
      "keyword:null",
      "eof:",
    ]);
    expect(kinds("AND True")).toEqual(["name:AND", "name:True", "eof:"]);
    expect(kinds("attr.in android")).toEqual(["name:attr.in", "name:android", "eof:"]);
  });

  it("reads every operator, longest first", () => {
    expect(kinds("()[],+-*/%<><=>===!=")).toEqual([
      "punct:(",
      "punct:)",
      "punct:[",
      "punct:]",
      "punct:,",
      "punct:+",
      "punct:-",
      "punct:*",
      "punct:/",
      "punct:%",
      "punct:<",
      "punct:>",
      "punct:<=",
      "punct:>=",
      "punct:==",
      "punct:!=",
      "eof:",
    ]);
  });

  it("skips spaces, tabs and newlines and counts columns in characters", () => {
    expect(tokenize("a\t\n\r b").map((t) => t.column)).toEqual([1, 6, 7]);
  });

  it("rejects stray characters with a hint where one helps", () => {
    expect(lexError("a = 1")).toMatchObject({ column: 3, expected: "'=='" });
    expect(lexError("!a")).toMatchObject({ column: 1, expected: "'!='" });
    expect(lexError("a && b")).toMatchObject({ column: 3, expected: "'and' or 'or'" });
    expect(lexError("a @ b").message).toBe("column 3: unexpected character '@'");
    expect(lexError("a \u0000").message).toBe('column 3: unexpected character "\\u0000"');
    expect(lexError("é")).toMatchObject({ column: 1 });
  });
});
