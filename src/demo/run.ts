/**
 * The demo: imports the bundled example blueprints, deploys the invoice example with demo
 * actors, runs a worker whose built-in handlers stand in for the people, agents and code of
 * every processing role, pushes a batch of invoices through, and sums up what happened.
 * It uses the public API only.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Chameleon } from "../chameleon.js";
import type { HistoryEntry } from "../engine/queries.js";
import type { UOWStatus } from "../schema/enums.js";
import { expectedSteps, makeInvoices } from "./data.js";
import { invoiceHandlers } from "./handlers.js";

export const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

export interface DemoOptions {
  count?: number;
  seed?: number;
  concurrency?: number;
  /** Where the pictures of the blueprint go (default ./chameleon-data). */
  outDir?: string;
  /** Called whenever a role finished a unit: done of expected. */
  onProgress?: (role: string, done: number, expected: number) => void;
  /** Called once the expected totals are known. */
  onPlan?: (expected: Record<string, number>) => void;
}

export interface DemoSummary {
  instance: { name: string; instanceId: string };
  invoices: number;
  units: { total: number; byStatus: Partial<Record<UOWStatus, number>> };
  roles: { role: string; processed: number; failed: number; medianMs: number }[];
  /**
   * Every path units took, with how many took it: the roles that checked them out in order
   * (a failure marked), and where they ended. Invoices and lines are counted apart, so that the
   * role counts add up (an empty invoice is rejected before the Splitter; a line may be repaired twice).
   */
  paths: { kind: "invoice" | "line"; path: string; units: number }[];
  elapsedSeconds: number;
  throughput: { invoicesPerSecond: number; stepsPerSecond: number };
  trail: { invoice: string; uowId: string; units: { uowId: string; label: string; history: HistoryEntry[] }[] };
  blueprint: { mermaid: string; svg: string | null };
}

const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function runDemo(ch: Chameleon, opts: DemoOptions = {}): Promise<DemoSummary> {
  const count = opts.count ?? 200;
  const seed = opts.seed ?? 42;
  const failureRate = 0.04;
  for (const file of readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".yml"))
    .sort()) {
    await ch.templates.importYaml(readFileSync(join(EXAMPLES_DIR, file), "utf8"));
  }
  const name = `demo-${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "")}-${process.pid}`;
  const instance = await ch.instances.create({
    workflow: "Invoice_Approval",
    name,
    description: "Created by chameleon demo",
    actors: [
      { name: "Mail intake bot", type: "AI_AGENT", identityKey: "intake-bot", roles: ["Intake", "Splitter"] },
      { name: "Price checker", type: "AI_AGENT", identityKey: "price-checker", roles: ["Line_Checker"] },
      { name: "Ada Approver", type: "HUMAN", identityKey: "ada@example.com", roles: ["Approver"] },
      { name: "Fix-it agent", type: "AI_AGENT", identityKey: "fixit-agent", roles: ["Fixer"] },
      // Nobody is assigned to Reconciler and Clock: the worker does them with the SYSTEM actor.
    ],
  });
  const invoices = makeInvoices(count, seed);
  const expected = expectedSteps(invoices, seed, failureRate);
  opts.onPlan?.(expected);

  const handlers = invoiceHandlers({ seed, failureRate });
  const times = new Map<string, number[]>();
  const done = new Map<string, number>();
  let reconciled = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const worker = ch.worker({
    instanceId: instance.instanceId,
    handlers,
    concurrency: opts.concurrency ?? 4,
    pollIntervalMs: 10,
  });
  const record = (role: string, ms?: number) => {
    done.set(role, (done.get(role) ?? 0) + 1);
    if (ms !== undefined) times.set(role, [...(times.get(role) ?? []), ms]);
    opts.onProgress?.(role, done.get(role)!, expected[role] ?? 0);
    if (role === "Reconciler" && ++reconciled === count) finished();
  };
  worker.on("processed", (p) => record(p.role, p.ms));
  worker.on("failed", (p) => record(p.role));
  const started = Date.now();
  await worker.start();
  for (let i = 0; i < invoices.length; i += 100) {
    await ch.work.startMany(
      instance.instanceId,
      invoices
        .slice(i, i + 100)
        .map((attributes) => ({ attributes, actorId: "Mail intake bot", reasoning: "received by mail" })),
    );
  }
  await allDone;
  const elapsedSeconds = (Date.now() - started) / 1000;
  await worker.stop();

  const units = await ch.work.list(instance.instanceId);
  const byStatus: Partial<Record<UOWStatus, number>> = {};
  for (const u of units) byStatus[u.status] = (byStatus[u.status] ?? 0) + 1;
  const steps = [...done.values()].reduce((a, b) => a + b, 0);
  return {
    instance: { name: instance.name, instanceId: instance.instanceId },
    invoices: count,
    units: { total: units.length, byStatus },
    roles: [...worker.stats.entries()].map(([role, s]) => ({
      role,
      processed: s.processed,
      failed: s.failed,
      medianMs: median(times.get(role) ?? []),
    })),
    paths: await unitPaths(ch, instance.instanceId, units),
    elapsedSeconds,
    throughput: { invoicesPerSecond: count / elapsedSeconds, stepsPerSecond: steps / elapsedSeconds },
    trail: await interestingTrail(ch, instance.instanceId, units),
    blueprint: await drawBlueprint(ch, opts.outDir ?? "chameleon-data"),
  };
}

async function unitPaths(
  ch: Chameleon,
  instanceId: string,
  units: { uowId: string; parentId: string | null; status: string }[],
): Promise<DemoSummary["paths"]> {
  const counts = new Map<string, { kind: "invoice" | "line"; path: string; units: number }>();
  for (let i = 0; i < units.length; i += 50) {
    const batch = units.slice(i, i + 50);
    const histories = await Promise.all(batch.map((u) => ch.work.history(instanceId, u.uowId)));
    batch.forEach((unit, j) => {
      const steps: string[] = [];
      for (const entry of histories[j]!) {
        if (entry.event === "CHECKOUT" && entry.role) steps.push(entry.role);
        if (entry.event === "FAIL") steps[steps.length - 1] += " (failed)";
      }
      const kind = unit.parentId === null ? "invoice" : "line";
      const path = [...steps, unit.status].join(" → ");
      const key = `${kind} ${path}`;
      const seen = counts.get(key) ?? { kind, path, units: 0 };
      seen.units += 1;
      counts.set(key, seen);
    });
  }
  return [...counts.values()].sort((a, b) =>
    a.kind === b.kind ? b.units - a.units || a.path.localeCompare(b.path) : a.kind === "invoice" ? -1 : 1,
  );
}

/** The audit trail of the invoice that saw the most: split, a failed line, an approval. */
async function interestingTrail(
  ch: Chameleon,
  instanceId: string,
  units: { uowId: string; parentId: string | null }[],
) {
  const bases = units.filter((u) => u.parentId === null);
  let best = { score: -1, uowId: bases[0]!.uowId };
  for (const base of bases.slice(0, 60)) {
    const children = units.filter((u) => u.parentId === base.uowId);
    const events = (await Promise.all(children.map((c) => ch.work.history(instanceId, c.uowId)))).flat();
    const score = new Set(events.map((e) => `${e.event}/${e.role}`)).size;
    if (score > best.score) best = { score, uowId: base.uowId };
  }
  const base = await ch.work.get(instanceId, best.uowId);
  const members = [base.uowId, ...units.filter((u) => u.parentId === base.uowId).map((u) => u.uowId)];
  return {
    invoice: String(base.attributes.number),
    uowId: base.uowId,
    units: await Promise.all(
      members.map(async (uowId, i) => ({
        uowId,
        label: i === 0 ? `invoice ${String(base.attributes.number)}` : `line ${i}`,
        history: await ch.work.history(instanceId, uowId),
      })),
    ),
  };
}

async function drawBlueprint(ch: Chameleon, outDir: string): Promise<{ mermaid: string; svg: string | null }> {
  mkdirSync(outDir, { recursive: true });
  const mermaid = join(outDir, "Invoice_Approval.mmd");
  writeFileSync(mermaid, await ch.templates.graph("Invoice_Approval", { format: "mermaid" }));
  try {
    const { instance } = await import("@viz-js/viz");
    const viz = await instance();
    const svg = join(outDir, "Invoice_Approval.svg");
    writeFileSync(
      svg,
      viz.renderString(await ch.templates.graph("Invoice_Approval", { format: "dot" }), { format: "svg" }),
    );
    return { mermaid, svg };
  } catch {
    return { mermaid, svg: null };
  }
}
