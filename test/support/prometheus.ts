/**
 * A strict reader of Prometheus's text exposition format (0.0.4), for the metrics tests: every
 * line is a HELP or TYPE comment, a blank, or a sample of a family declared before it (a
 * histogram's `_bucket`, `_sum` and `_count` samples), with label values unescaped. Anything else
 * fails the test, so what a scraper would refuse is refused here too. (The npm parser of this
 * format merges a histogram's labelled series into one and drops their sums and counts.)
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?[ \t]+(\S+)(?:[ \t]+-?\d+)?$/;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) throw new Error(`bad labels in: ${line}`);
    const name = text.slice(i, eq).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || text[eq + 1] !== '"') throw new Error(`bad label in: ${line}`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        const next = text[++j];
        value += next === "n" ? "\n" : next === "\\" ? "\\" : next === '"' ? '"' : `\\${next}`;
      } else value += text[j];
    }
    if (text[j] !== '"') throw new Error(`unterminated label value in: ${line}`);
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const n = Number(text);
  if (Number.isNaN(n)) throw new Error(`bad value in: ${line}`);
  return n;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const declare = (name: string) => {
    if (!NAME.test(name)) throw new Error(`bad metric name ${name}`);
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: "untyped", help: "", samples: [] }));
    return f;
  };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment) {
      const f = declare(comment[2]!);
      if (comment[1] === "HELP") f.help = comment[3]!;
      else if (["counter", "gauge", "histogram", "summary", "untyped"].includes(comment[3]!)) {
        if (f.samples.length > 0) throw new Error(`TYPE after samples: ${line}`);
        f.type = comment[3] as Family["type"];
      } else throw new Error(`bad TYPE: ${line}`);
      continue;
    }
    if (line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const name = match[1]!;
    const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
    const family =
      families.get(name) ??
      (base !== undefined && ["histogram", "summary"].includes(families.get(base)?.type ?? "")
        ? families.get(base)
        : undefined);
    if (!family) throw new Error(`a sample of no declared family: ${line}`);
    family.samples.push({ name, labels: parseLabels(match[2] ?? "", line), value: parseValue(match[3]!, line) });
  }
  return families;
}

const matches = (s: Sample, labels: Record<string, string>) =>
  Object.entries(labels).every(([k, v]) => s.labels[k] === v);

/** The value of the one sample `name` (a histogram's `_count` too) whose labels include `labels`, or undefined. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ""));
  const found = (family?.samples ?? []).filter((s) => s.name === name && matches(s, labels));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples, not one`);
  return found[0]?.value;
}

/** The series of histogram `name` whose labels include `labels`: its count, sum and buckets by `le`. */
export function histogram(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string>,
): { count: number; sum: number; buckets: Record<string, number> } | undefined {
  const family = families.get(name);
  if (family?.type !== "histogram") return undefined;
  const series = family.samples.filter((s) => matches(s, labels));
  const count = series.filter((s) => s.name === `${name}_count`);
  if (count.length === 0) return undefined;
  if (count.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${count.length} series, not one`);
  const sum = series.find((s) => s.name === `${name}_sum`)!;
  const buckets = Object.fromEntries(
    series.filter((s) => s.name === `${name}_bucket`).map((s) => [s.labels.le!, s.value]),
  );
  return { count: count[0]!.value, sum: sum.value, buckets };
}
