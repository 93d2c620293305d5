/**
 * Deterministic demo data: invoices generated from a seed, so that two runs with the same
 * seed push the same work through the same paths.
 */

/** mulberry32: a small, well-known seeded generator; enough for demo data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [0, 1) fixed by a text and the seed: the same line always gets the same fate. */
export function fate(text: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return seededRandom(h)();
}

const VENDORS = ["ACME Supplies", "Globex", "Initech", "Umbrella Office", "Stark Components", "Wayne Paper"];
const ITEMS: [string, number][] = [
  ["paper", 4],
  ["toner", 85],
  ["desk", 640],
  ["chair", 310],
  ["monitor", 420],
  ["laptop", 1450],
  ["server", 7800],
  ["cable", 9],
];

export interface InvoiceLine {
  sku: string;
  price: number;
  qty: number;
}

export interface Invoice {
  number: string;
  vendor: string;
  currency: string;
  total: number;
  lines: InvoiceLine[];
}

export function makeInvoices(count: number, seed: number): Invoice[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const [sku, price] = pick(ITEMS);
      return { sku, price, qty: 1 + Math.floor(random() * 12) };
    });
    // Every fortieth invoice arrives empty: the Splitter's gate refuses it.
    const empty = (i + 1) % 40 === 0;
    return {
      number: `INV-${String(i + 1).padStart(5, "0")}`,
      vendor: pick(VENDORS),
      currency: "EUR",
      total: empty ? 0 : lines.reduce((sum, l) => sum + l.price * l.qty, 0),
      lines: empty ? [] : lines,
    };
  });
}

/**
 * The steps each role will take for these invoices with the demo handlers: what the progress
 * bars count towards. It follows the handlers' own rules (handlers.ts): an empty invoice is
 * refused by the Splitter's gate and repaired by the Fixer; a line fails its check by fate and
 * is repaired; a line over 5000 needs approval; every invoice is reconciled once.
 */
export function expectedSteps(invoices: Invoice[], seed: number, failureRate: number): Record<string, number> {
  const steps: Record<string, number> = {
    Splitter: 0,
    Line_Checker: 0,
    Approver: 0,
    Fixer: 0,
    Reconciler: invoices.length,
  };
  for (const inv of invoices) {
    if (inv.total <= 0 || inv.lines.length === 0) {
      steps.Fixer! += 1;
      continue;
    }
    steps.Splitter! += 1;
    inv.lines.forEach((line, i) => {
      steps.Line_Checker! += 1;
      if (fate(`${inv.number}/${i + 1}`, seed) < failureRate) steps.Fixer! += 1;
      else if (line.price * line.qty > 5000) steps.Approver! += 1;
    });
  }
  return steps;
}
