/** `chameleon worker` as a real process: it works until SIGTERM, then stops gracefully and reports. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { makeInvoices } from "../../src/demo/data.js";
import { engines, type FreshStores } from "../support/engines.js";
import { CLI } from "../support/cli.js";
import { example } from "../support/fixtures.js";
import { parsePrometheusText, sampleValue } from "../support/prometheus.js";

const sqlite = engines.find((e) => e.name === "sqlite")!;

describe("chameleon worker", () => {
  let fresh: FreshStores;
  let ch: Chameleon;
  beforeAll(async () => {
    fresh = await sqlite.fresh();
    ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
    await ch.templates.importYaml(example("invoice_approval.yml"));
    await ch.templates.importYaml(example("minimal.yml"));
  });
  afterAll(async () => {
    await ch?.close();
    await fresh?.drop();
  });

  function worker(args: string[]) {
    const child = spawn(
      process.execPath,
      [CLI, "worker", ...args, "--templates", fresh.templatesUrl, "--instances", fresh.instancesUrl],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  async function allFinalized(instance: string, ms = 60_000) {
    const deadline = Date.now() + ms;
    while ((await ch.work.list(instance)).some((u) => u.status !== "FINALIZED")) {
      if (Date.now() > deadline) throw new Error("the worker did not finish");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it("runs the demo handlers until SIGTERM and prints what it did", { timeout: 90_000 }, async () => {
    const inst = await ch.instances.create({
      workflow: "Invoice_Approval",
      name: "cli-worker",
      actors: [
        { name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Intake", "Splitter", "Line_Checker", "Fixer"] },
        { name: "Ada", type: "HUMAN", identityKey: "ada", roles: ["Approver"] },
      ],
    });
    const w = worker(["cli-worker", "--demo", "--json"]);
    await ch.work.startMany(
      inst.instanceId,
      makeInvoices(8, 3).map((attributes) => ({ attributes, actorId: "bot" })),
    );
    await allFinalized(inst.instanceId);
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    const stats = JSON.parse(w.out()) as Record<string, { processed: number; failed: number }>;
    expect(stats.Splitter!.processed).toBeGreaterThan(0);
    expect(stats.Reconciler!.processed).toBe(8); // nobody is assigned to it: SYSTEM
  });

  it(
    "serves its own counters and histograms with --metrics-port, and no unit gauges",
    { timeout: 90_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "chameleon-metrics-"));
      const file = join(dir, "handlers.mjs");
      writeFileSync(file, "export const handlers = { Work: () => ({ attributes: { done: true } }) };\n");
      try {
        await ch.instances.create({
          workflow: "Minimal",
          name: "cli-metrics",
          actors: [{ name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Work"] }],
        });
        const w = worker(["cli-metrics", "--handlers", file, "--metrics-port", "0"]);
        await ch.work.startMany("cli-metrics", [
          { attributes: { n: 1 } },
          { attributes: { n: 2 } },
          { attributes: { n: 3 } },
        ]);
        await allFinalized("cli-metrics");
        const port = /Metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(w.out())?.[1];
        expect(port, w.out()).toBeDefined();
        const reply = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(reply.status).toBe(200);
        expect(reply.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
        const families = parsePrometheusText(await reply.text());
        const of = (role: string) => ({ chameleon_instance: "cli-metrics", role });
        expect(sampleValue(families, "chameleon_steps_total", of("Work"))).toBe(3);
        expect(sampleValue(families, "chameleon_steps_total", of("Finish"))).toBe(3); // SYSTEM's lane
        expect(sampleValue(families, "chameleon_checkout_wait_seconds_count", of("Work"))).toBe(3);
        // Read from the store by `serve` only: several workers would count every unit several times.
        expect(families.has("chameleon_units")).toBe(false);
        expect(families.has("chameleon_event_stream_clients")).toBe(false);
        expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
        w.child.kill("SIGTERM");
        expect(await w.exited).toBe(0);
        await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();

        const bad = worker(["cli-metrics", "--metrics-port", "70000"]);
        expect(await bad.exited).toBe(2);
        expect(bad.err()).toContain("--metrics-port must be a whole number from 0 to 65535");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("without handlers still does OMEGA's job with SYSTEM", { timeout: 90_000 }, async () => {
    const inst = await ch.instances.create({
      workflow: "Minimal",
      name: "cli-system",
      actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Work"] }],
    });
    const { uowId } = await ch.work.start(inst.instanceId, { attributes: {} });
    const u = await ch.work.checkout(inst.instanceId, { role: "Work", actorId: "ann" });
    await ch.work.submit(inst.instanceId, { uowId, leaseToken: u!.leaseToken, actorId: "ann" });
    const w = worker(["cli-system"]);
    await allFinalized(inst.instanceId);
    w.child.kill("SIGINT");
    expect(await w.exited).toBe(0);
    expect(w.out()).toContain("Working on cli-system for the roles SYSTEM takes (OMEGA, TAU)");
    expect(w.out()).toMatch(/Finish +1 +0/);
  });

  it("runs the handlers of a module given with --handlers", { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "chameleon-handlers-"));
    const file = join(dir, "handlers.mjs");
    writeFileSync(
      file,
      'export const handlers = { Work: (unit) => ({ attributes: { by: "module", seen: unit.attributes.n } }) };\n',
    );
    writeFileSync(join(dir, "broken.mjs"), "export const handlers = { Work: 42 };\n");
    try {
      const inst = await ch.instances.create({
        workflow: "Minimal",
        name: "cli-module",
        actors: [{ name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Work"] }],
      });
      const { uowId } = await ch.work.start(inst.instanceId, { attributes: { n: 7 } });
      const w = worker(["cli-module", "--handlers", file]);
      await allFinalized(inst.instanceId);
      w.child.kill("SIGTERM");
      expect(await w.exited).toBe(0);
      expect((await ch.work.get(inst.instanceId, uowId)).attributes).toEqual({ n: 7, by: "module", seen: 7 });
      const broken = worker(["cli-module", "--handlers", join(dir, "broken.mjs")]);
      expect(await broken.exited).toBe(2);
      expect(broken.err()).toContain("must export `handlers`");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--batch N claims and submits several units at once; a bad N is usage", { timeout: 90_000 }, async () => {
    const inst = await ch.instances.create({
      workflow: "Minimal",
      name: "cli-batch",
      actors: [{ name: "bot", type: "AI_AGENT", identityKey: "bot", roles: ["Start", "Work"] }],
    });
    const started = await ch.work.startMany(
      inst.instanceId,
      Array.from({ length: 30 }, (_, n) => ({ attributes: { n }, actorId: "bot" })),
    );
    const dir = mkdtempSync(join(tmpdir(), "chameleon-handlers-"));
    const file = join(dir, "handlers.mjs");
    writeFileSync(
      file,
      "export const handlers = { Work: (unit) => ({ attributes: { twice: unit.attributes.n * 2 } }) };\n",
    );
    try {
      const w = worker(["cli-batch", "--handlers", file, "--concurrency", "10", "--batch", "10"]);
      await allFinalized(inst.instanceId);
      w.child.kill("SIGTERM");
      expect(await w.exited).toBe(0);
      for (const [n, { uowId }] of started.entries()) {
        expect((await ch.work.get(inst.instanceId, uowId)).attributes).toEqual({ n, twice: n * 2 });
        const history = await ch.work.history(inst.instanceId, uowId);
        expect(history.filter((e) => e.event === "SUBMIT")).toHaveLength(1);
      }
      expect(w.out().match(/^Work \S+ -> COMPLETED/gm)).toHaveLength(30);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const bad of ["0", "101", "x"]) {
      const w = worker(["cli-batch", "--batch", bad]);
      expect(await w.exited).toBe(2);
      expect(w.err()).toContain("--batch");
    }
  });

  it("refuses --demo together with --handlers as usage", async () => {
    const w = worker(["cli-system", "--demo", "--handlers", "x.mjs"]);
    expect(await w.exited).toBe(2);
    expect(w.err()).toContain("give --handlers MODULE or --demo, not both");
  });
});
