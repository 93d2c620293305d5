import { ConditionSyntaxError, isKeyword, type Keyword } from "./ast.js";

export type Punctuation =
  "(" | ")" | "[" | "]" | "," | "+" | "-" | "*" | "/" | "%" | "<" | ">" | "<=" | ">=" | "==" | "!=";

/** `column` is 1-based; `text` is the token as written (for strings: with quotes and escapes). */
export type Token =
  | { type: "number"; value: number; text: string; column: number }
  | { type: "string"; value: string; text: string; column: number }
  | { type: "name"; segments: string[]; text: string; column: number }
  | { type: "keyword"; text: Keyword; column: number }
  | { type: "punct"; text: Punctuation; column: number }
  | { type: "eof"; text: ""; column: number };

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const DIGITS = /[0-9]+/y;
const TWO_CHAR = new Set(["<=", ">=", "==", "!="]);
const ONE_CHAR = new Set("()[],+-*/%<>");
const STRING_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  n: "\n",
  t: "\t",
};
const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

function matchAt(pattern: RegExp, source: string, index: number): string | null {
  pattern.lastIndex = index;
  return pattern.exec(source)?.[0] ?? null;
}

function describeChar(source: string, index: number): string {
  if (index >= source.length) return "end of input";
  const c = source.charAt(index);
  return /^[!-~]$/.test(c) && c !== "'" ? `'${c}'` : JSON.stringify(c);
}

/** The whole source as tokens, always ending with an `eof` token. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (index: number, expected: string, detail?: string) =>
    new ConditionSyntaxError(
      source,
      index + 1,
      expected,
      detail ?? `expected ${expected}, found ${describeChar(source, index)}`,
    );

  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    const column = i + 1;
    if (WHITESPACE.has(c)) {
      i++;
      continue;
    }

    const word = matchAt(IDENTIFIER, source, i);
    if (word !== null) {
      const segments = [word];
      let end = i + word.length;
      // A dotted path is one token, so `a.b` never needs a separate `.` operator.
      while (source.charAt(end) === ".") {
        const segment = matchAt(IDENTIFIER, source, end + 1);
        if (segment === null) throw fail(end + 1, "a name after '.'");
        segments.push(segment);
        end += 1 + segment.length;
      }
      if (segments.length === 1 && isKeyword(word)) {
        tokens.push({ type: "keyword", text: word, column });
      } else {
        tokens.push({ type: "name", segments, text: source.slice(i, end), column });
      }
      i = end;
      continue;
    }

    const digits = matchAt(DIGITS, source, i);
    if (digits !== null) {
      let end = i + digits.length;
      if (source.charAt(end) === ".") {
        const fraction = matchAt(DIGITS, source, end + 1);
        if (fraction === null) throw fail(end + 1, "a digit after '.' in a number");
        end += 1 + fraction.length;
      }
      const text = source.slice(i, end);
      if (/[A-Za-z0-9_.]/.test(source.charAt(end))) {
        throw fail(end, `an operator after number ${text}`);
      }
      const value = Number(text);
      if (!Number.isFinite(value)) {
        throw fail(i, "a smaller number", `number ${text.slice(0, 20)}... is too large`);
      }
      tokens.push({ type: "number", value, text, column });
      i = end;
      continue;
    }

    if (c === '"' || c === "'") {
      let value = "";
      let end = i + 1;
      for (;;) {
        if (end >= source.length) {
          throw fail(i, `a closing ${c}`, `unterminated string (expected a closing ${c})`);
        }
        const ch = source.charAt(end);
        if (ch === c) break;
        if (ch === "\\") {
          if (end + 1 >= source.length) {
            throw fail(i, `a closing ${c}`, `unterminated string (expected a closing ${c})`);
          }
          const escaped = STRING_ESCAPES[source.charAt(end + 1)];
          if (escaped === undefined) {
            throw fail(
              end,
              "one of the escapes \\\\ \\' \\\" \\n \\t",
              `unknown escape ${JSON.stringify(source.slice(end, end + 2))} in string (known: \\\\ \\' \\" \\n \\t)`,
            );
          }
          value += escaped;
          end += 2;
          continue;
        }
        value += ch;
        end++;
      }
      tokens.push({ type: "string", value, text: source.slice(i, end + 1), column });
      i = end + 1;
      continue;
    }

    const two = source.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      tokens.push({ type: "punct", text: two as Punctuation, column });
      i += 2;
      continue;
    }
    if (ONE_CHAR.has(c)) {
      tokens.push({ type: "punct", text: c as Punctuation, column });
      i++;
      continue;
    }

    if (c === "." && /[0-9]/.test(source.charAt(i + 1))) {
      throw fail(i, "a digit before '.'", "numbers must start with a digit: write 0.5, not .5");
    }
    if (c === "=") throw fail(i, "'=='", "unexpected '=' (compare with '==')");
    if (c === "!") throw fail(i, "'!='", "unexpected '!' (use 'not' or '!=')");
    if (c === "&" || c === "|") {
      throw fail(i, "'and' or 'or'", `unexpected ${JSON.stringify(c)} (use 'and' or 'or')`);
    }
    throw fail(i, "an operator, name, number or string", `unexpected character ${describeChar(source, i)}`);
  }
  tokens.push({ type: "eof", text: "", column: source.length + 1 });
  return tokens;
}
