/** `chameleon demo` as a newcomer runs it: the real binary on the embedded default, in a fresh directory. */
import { mkdtempSync, existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { CLI, runCli } from "../support/cli.js";

describe("chameleon demo", () => {
  const dir = mkdtempSync(join(tmpdir(), "chameleon-demo-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The defaults, not the test environment's store URLs.
  const env = {
    CHAMELEON_TEMPLATES_URL: undefined,
    CHAMELEON_INSTANCES_URL: undefined,
  } as unknown as NodeJS.ProcessEnv;

  it("pushes invoices through every role and prints the summary", { timeout: 120_000 }, async () => {
    const r = await runCli(["demo", "--count", "24"], { cwd: dir, env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/24 invoices, \d+ units of work: FINALIZED \d+\n/);
    for (const role of ["Splitter", "Line_Checker", "Approver", "Fixer", "Reconciler"])
      expect(r.stdout).toMatch(new RegExp(`\\n${role} +\\d+ +\\d+ +[\\d.]+ ms`));
    expect(r.stdout).toMatch(/Throughput: [\d.]+ invoices\/s, [\d.]+ steps\/s/);
    // The paths add up to the role counts: every checkout of a role is on one path.
    const paths = [...r.stdout.matchAll(/^ {2}(invoice|line) +(\d+) +(.+)$/gm)].map((m) => ({
      kind: m[1]!,
      units: Number(m[2]),
      roles: m[3]!.split(" → ").slice(0, -1),
    }));
    expect(paths.filter((p) => p.kind === "invoice").reduce((n, p) => n + p.units, 0)).toBe(24);
    for (const [, role, done, failed] of r.stdout.matchAll(/^(\w+) +(\d+) +(\d+) +[\d.]+ ms$/gm)) {
      const onPaths = paths.reduce((n, p) => n + p.units * p.roles.filter((x) => x.startsWith(`${role!}`)).length, 0);
      expect(onPaths, role).toBe(Number(done) + Number(failed));
    }
    // The closing hint runs where the user is: through npx, and it works there.
    const hint =
      /^Look around: npx chameleon (instance show \S+); npx chameleon (work list \S+ --status FINALIZED)$/m.exec(
        r.stdout,
      );
    expect(hint).not.toBeNull();
    expect((await runCli(hint![1]!.split(" "), { cwd: dir, env })).code).toBe(0);
    expect(r.stdout).toMatch(
      /Audit trail of invoice INV-\d{5}:\n {2}invoice INV-\d{5} \(.{36}\)\n {4}TIME +EVENT +ACTOR +ROLE +INTERACTION +REASONING +DETAILS\n {4}\S+ \S+ +GENESIS +Mail intake bot /,
    );
    expect(existsSync(join(dir, "chameleon-data", "instances.db"))).toBe(true);
    expect(readFileSync(join(dir, "chameleon-data", "Invoice_Approval.svg"), "utf8")).toContain("<svg");
    expect(readFileSync(join(dir, "chameleon-data", "Invoice_Approval.mmd"), "utf8")).toMatch(/^flowchart/);
  });

  it("leaves its data for the other commands, and answers --json with the summary", { timeout: 120_000 }, async () => {
    const r = await runCli(["demo", "--count", "10", "--json"], { cwd: dir, env });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      instance: { name: string };
      units: { total: number; byStatus: Record<string, number> };
    };
    expect(summary.units.byStatus).toEqual({ FINALIZED: summary.units.total });
    const list = await runCli(["instance", "list", "--json"], { cwd: dir, env });
    const names = (JSON.parse(list.stdout) as { name: string }[]).map((i) => i.name);
    expect(names).toContain(summary.instance.name);
    expect(names).toHaveLength(2);
  });

  it(
    "says how to open the console, and with --serve serves it while it runs and until Ctrl-C",
    { timeout: 120_000 },
    async () => {
      const plain = await runCli(["demo", "--count", "2", "--no-progress"], { cwd: dir, env });
      expect(plain.stdout).toMatch(
        /In the web console: npx chameleon serve --admin-token TOKEN .*\n {2}then open http:\/\/127\.0\.0\.1:3000\/ui\/ and sign in with it/,
      );

      const child = spawn(process.execPath, [CLI, "demo", "--serve", "--port", "0", "--count", "4"], {
        cwd: dir,
        env: { ...process.env, ...env, CHAMELEON_ADMIN_TOKEN: "" },
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      const end = Date.now() + 90_000;
      while (!out.includes("Serving until Ctrl-C.") && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(
        /^The console shows the demo live: open http:\/\/127\.0\.0\.1:\d+\/ui\/ and sign in with the admin token\n {2}[0-9a-f]{48}\n/,
      );
      const [, url, token] = /open (http:\/\/\S+) and sign in with the admin token\n {2}(\S+)/.exec(out)!;
      const page = await fetch(url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
      const session = await fetch(new URL("/session", url), { headers: { authorization: `Bearer ${token}` } });
      expect(await session.json()).toMatchObject({ kind: "admin", operator: "admin" });
      expect(out).toMatch(/4 invoices, \d+ units of work: FINALIZED/);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    },
  );

  it("refuses a bad --count as usage", async () => {
    const r = await runCli(["demo", "--count", "many"], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--count must be a whole number from 1 to 1000000, not 'many'");
  });
});
