/** Random damage to blueprint texts: lines deleted, duplicated or swapped, words replaced. */
import fc from "fast-check";

export type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "duplicate"; at: number }
  | { kind: "swap"; at: number; with: number }
  | { kind: "word"; at: number; word: string };

/** Replacement words: YAML and blueprint vocabulary plus arbitrary text. */
const WORDS = fc.oneof(
  fc.constantFrom(
    "ALPHA",
    "OMEGA",
    "SIGMA",
    "EPSILON",
    "TAU",
    "BETA",
    "INBOUND",
    "OUTBOUND",
    "CERBERUS",
    "COMPOSITE",
    "TTL_CHECK",
    "child_workflow",
    "guardian",
    "guardians",
    "name",
    "type",
    "role",
    "-",
    ":",
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!binary",
    "---",
    "~",
    "null",
    "'",
    '"',
    "#",
    "|",
    ">",
    "0",
    "-1",
    ".nan",
    "score >",
    "len(",
    "Shipping",
    "Order_Fulfilment",
  ),
  fc.string({ maxLength: 12 }),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant("word" as const), at: fc.nat(), word: WORDS }),
);

export function apply(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const i = m.at % lines.length;
  switch (m.kind) {
    case "delete":
      lines.splice(i, 1);
      break;
    case "duplicate":
      lines.splice(i, 0, lines[i] ?? "");
      break;
    case "swap": {
      const j = m.with % lines.length;
      [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
      break;
    }
    case "word": {
      // Replace the n-th word of the whole text (words: runs of letters, digits and _).
      const words = [...text.matchAll(/[A-Za-z0-9_]+/g)];
      const w = words[m.at % words.length];
      if (w?.index === undefined) return text;
      return text.slice(0, w.index) + m.word + text.slice(w.index + w[0].length);
    }
  }
  return lines.join("\n");
}
