/**
 * `chameleon template import | list | show | export | graph` through the built binary: people
 * output, --json shapes, FILE:LINE issue lines, exit codes and output files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blueprintIssues } from "../../src/blueprint/validate.js";
import { edit, lineWith, MINIMAL, NO_STORE } from "../blueprint/helpers.js";
import { runCli, type CliResult } from "../support/cli.js";
import { engines, type FreshStores } from "../support/engines.js";
import { EXAMPLES_DIR, exampleFiles } from "../support/fixtures.js";

/** What importing every example prints, in the order of exampleFiles(). */
const EXAMPLE_WORKFLOWS: Record<string, string[]> = {
  "invoice_approval.yml": ["Invoice_Approval"],
  "minimal.yml": ["Minimal"],
  "nested_order.yml": ["Order_Fulfilment", "Shipping"],
  "review_loop.yml": ["Draft_Review"],
};

const examplePaths = () => exampleFiles().map((f) => join(EXAMPLES_DIR, f));
const exampleLines = (state: string) =>
  exampleFiles()
    .flatMap((f) => EXAMPLE_WORKFLOWS[f] ?? [`(unexpected example ${f})`])
    .map((name) => `${name} version 1 (${state})`);

/** MINIMAL renamed to Broken, with a missing strategy (rule 2) and an unknown interaction (rule 4). */
const BROKEN = edit(
  edit(
    edit(
      edit(MINIMAL, "name: Minimal", "name: Broken"),
      "direction: INBOUND, guardian: { type: PASS_THRU } }",
      "direction: INBOUND }",
    ),
    "{ name: Work, type: BETA, strategy: HOMOGENEOUS }",
    "{ name: Work, type: BETA }",
  ),
  "{ name: Work_Out, role: Work, interaction: Done,",
  "{ name: Work_Out, role: Work, interaction: Nowhere,",
);

interface Session {
  dir: string;
  fresh: FreshStores;
  cli(...args: string[]): Promise<CliResult>;
  json<T>(...args: string[]): Promise<T>;
  file(name: string, content: string): string;
}

function session(engine: (typeof engines)[number]): Session {
  const s = {} as Session;
  beforeAll(async () => {
    s.dir = mkdtempSync(join(tmpdir(), "chameleon-cli-template-"));
    s.fresh = await engine.fresh();
  });
  afterAll(async () => {
    await s.fresh?.drop();
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
  });
  s.cli = (...args) =>
    runCli([...args, "--templates", s.fresh.templatesUrl, "--instances", s.fresh.instancesUrl], { cwd: s.dir });
  s.json = async <T>(...args: string[]) => {
    const r = await s.cli(...args, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  s.file = (name, content) => {
    const path = join(s.dir, name);
    writeFileSync(path, content);
    return path;
  };
  return s;
}

interface Listed {
  workflowId: string;
  name: string;
  version: number;
  createdAt: string;
}

describe("chameleon template on sqlite", () => {
  const s = session(engines[0]!);

  it("imports the examples, one line per workflow, exit 0; again, everything is unchanged", async () => {
    const first = await s.cli("template", "import", ...examplePaths());
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split("\n")).toEqual(exampleLines("stored"));
    const again = await s.cli("template", "import", ...examplePaths());
    expect(again.code).toBe(0);
    expect(again.stdout.trimEnd().split("\n")).toEqual(exampleLines("unchanged"));
  });

  it("prints { files: [{ file, workflows }] } with --json", async () => {
    const paths = examplePaths();
    const out = await s.json<{ files: { file: string; workflows: unknown[] }[] }>("template", "import", ...paths);
    expect(out.files.map((f) => f.file)).toEqual(paths);
    const nested = out.files.find((f) => f.file.endsWith("nested_order.yml"))!;
    expect(nested.workflows).toEqual([
      { workflowId: expect.any(String), name: "Order_Fulfilment", version: 1, created: false },
      { workflowId: expect.any(String), name: "Shipping", version: 1, created: false },
    ]);
  });

  it("prints FILE:LINE rule N: message for every issue of a broken file, exit 1, and stores nothing", async () => {
    const path = s.file("broken.yml", BROKEN);
    const r = await s.cli("template", "import", path);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const expected = blueprintIssues(BROKEN, NO_STORE).issues.map(
      (i) => `${path}:${i.line ?? "?"} rule ${i.rule}: ${i.message}`,
    );
    expect(expected.length).toBeGreaterThan(2);
    const lines = r.stderr.trimEnd().split("\n");
    for (const line of expected) expect(lines).toContain(line);
    expect(lines).toContain(
      `${path}:${lineWith(BROKEN, "{ name: Work, type: BETA }")} rule 2: role 'Work' of workflow 'Broken' has no strategy (a BETA role needs HOMOGENEOUS or HETEROGENEOUS)`,
    );
    expect(lines.at(-1)).toBe(`chameleon: nothing of ${path} was stored`);
    const list = await s.json<Listed[]>("template", "list");
    expect(list.map((t) => t.name)).not.toContain("Broken");
  });

  it("says which files were imported before the one that failed, and which were not tried", async () => {
    const good = s.file("good.yml", edit(MINIMAL, "name: Minimal", "name: Good_First"));
    const bad = s.file("bad.yml", BROKEN);
    const later = s.file("later.yml", edit(MINIMAL, "name: Minimal", "name: Never_Tried"));
    const r = await s.cli("template", "import", good, bad, later);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("Good_First version 1 (stored)\n");
    expect(r.stderr).toContain(`${bad}:`);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe(
      `chameleon: nothing of ${bad} was stored; imported before it: ${good}; not tried: ${later}`,
    );
    const names = (await s.json<Listed[]>("template", "list")).map((t) => t.name);
    expect(names).toContain("Good_First");
    expect(names).not.toContain("Never_Tried");
  });

  it("reports a missing file in one line, exit 1, before importing anything", async () => {
    const good = s.file("before_missing.yml", edit(MINIMAL, "name: Minimal", "name: Before_Missing"));
    const missing = join(s.dir, "no_such_file.yml");
    const r = await s.cli("template", "import", good, missing);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`chameleon: cannot read blueprint file '${missing}': no such file\n`);
    expect((await s.json<Listed[]>("template", "list")).map((t) => t.name)).not.toContain("Before_Missing");
  });

  it("refuses a file over 1 MiB and a file that is not UTF-8, naming the file", async () => {
    const big = s.file("big.yml", `${MINIMAL}# ${"x".repeat(1_048_576)}\n`);
    const r = await s.cli("template", "import", big);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`\\n${escape(big)} rule 0: the blueprint is \\d+ bytes; at most 1048576`));
    const latin1 = join(s.dir, "latin1.yml");
    writeFileSync(latin1, Buffer.concat([Buffer.from(MINIMAL), Buffer.from([0x23, 0x20, 0xe9, 0x0a])]));
    const l = await s.cli("template", "import", latin1);
    expect(l.code).toBe(1);
    expect(l.stderr).toContain(`${latin1} rule 0: the blueprint is not UTF-8 text`);
  });

  it("lists every version with --json, and as a table for people", async () => {
    const list = await s.json<Listed[]>("template", "list");
    const minimal = list.find((t) => t.name === "Minimal")!;
    expect(Object.keys(minimal).sort()).toEqual(["createdAt", "name", "version", "workflowId"]);
    expect(minimal.version).toBe(1);
    expect(new Date(minimal.createdAt).toISOString()).toBe(minimal.createdAt);
    const people = await s.cli("template", "list");
    expect(people.code).toBe(0);
    expect(people.stdout.split("\n")[0]).toMatch(/^NAME +VERSION +CREATED +WORKFLOW ID$/);
    expect(people.stdout).toMatch(new RegExp(`\\nMinimal +1 +\\S+ +${minimal.workflowId}\\n`));
  });

  it("shows one version: versions available, description, roles, interactions, components", async () => {
    const shown = await s.json<Record<string, unknown>>("template", "show", "Order_Fulfilment");
    const shipping = (await s.json<Listed[]>("template", "list")).find((t) => t.name === "Shipping")!;
    expect(shown).toMatchObject({
      name: "Order_Fulfilment",
      version: 1,
      versions: [1],
      description: "Take an order, ship it through the Shipping workflow, then close it.",
    });
    expect(Object.keys(shown)).toEqual([
      "workflowId",
      "name",
      "version",
      "versions",
      "createdAt",
      "description",
      "aiContext",
      "roles",
      "interactions",
      "components",
    ]);
    expect(shown.roles).toContainEqual({
      name: "Ship",
      type: "SIGMA",
      strategy: "HOMOGENEOUS",
      childWorkflow: "Shipping",
      childVersion: shipping.version,
      description: null,
    });
    expect(shown.interactions).toHaveLength(5);
    expect(shown.components).toContainEqual({
      name: "Close_In",
      role: "Close_Order",
      interaction: "Closed",
      direction: "INBOUND",
      guardians: [{ name: "Close_In_guard", type: "CERBERUS" }],
    });
    const people = await s.cli("template", "show", "Order_Fulfilment");
    expect(people.code).toBe(0);
    expect(people.stdout).toMatch(/^Order_Fulfilment version 1 \(versions: 1\)/);
    expect(people.stdout).toMatch(/\n {2}Ship +SIGMA \(HOMOGENEOUS\) +runs Shipping version 1\n/);
    expect(people.stdout).toContain("Components (10):");
  });

  it("exports to a file and imports it again unchanged; --version picks an older one", async () => {
    const out = join(s.dir, "invoice_export.yml");
    const w = await s.cli("template", "export", "Invoice_Approval", "--out", out);
    expect(w.code).toBe(0);
    expect(w.stdout).toBe(`Wrote ${out}\n`);
    const exported = readFileSync(out, "utf8");
    expect(exported).toMatch(/^# Chameleon blueprint: Invoice_Approval\nworkflow:\n {2}name: Invoice_Approval\n/);
    const stdout = await s.cli("template", "export", "Invoice_Approval");
    expect(stdout.stdout).toBe(exported);
    expect(await s.json("template", "export", "Invoice_Approval")).toEqual({ yaml: exported });

    const before = (await s.json<Listed[]>("template", "list")).find((t) => t.name === "Invoice_Approval")!;
    const again = await s.json<{ files: { workflows: unknown[] }[] }>("template", "import", out);
    expect(again.files[0]!.workflows).toEqual([
      { workflowId: before.workflowId, name: "Invoice_Approval", version: 1, created: false },
    ]);

    // Version 2 through a file edited by hand, then version 1 exported by number.
    s.file("invoice_v2.yml", exported.replace("price * qty > 5000", "price * qty > 7000"));
    const v2 = await s.cli("template", "import", "invoice_v2.yml");
    expect(v2.stdout).toBe("Invoice_Approval version 2 (stored)\n");
    const v1 = await s.cli("template", "export", "Invoice_Approval", "--version", "1");
    expect(v1.stdout).toBe(exported);
    expect((await s.cli("template", "export", "Invoice_Approval")).stdout).toContain("price * qty > 7000");
    const shown = await s.json<{ version: number; versions: number[] }>("template", "show", "Invoice_Approval");
    expect(shown).toMatchObject({ version: 2, versions: [1, 2] });
  });

  it("draws a graph as Mermaid (default), DOT, and into .dot, .mmd, .md and .svg files", async () => {
    const mermaid = await s.cli("template", "graph", "Minimal");
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    const dot = await s.cli("template", "graph", "Minimal", "--format", "dot");
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "Minimal" \{\n/);
    for (const name of ["Start", "Work", "Finish", "Repair", "Watch", "Todo", "Done", "Errors", "Stale"]) {
      expect(dot.stdout).toContain(name);
    }
    expect(await s.json("template", "graph", "Minimal", "--format", "dot")).toEqual({
      graph: dot.stdout,
      format: "dot",
    });

    const svg = await s.cli("template", "graph", "Minimal", "--out", "minimal.svg");
    expect(svg.stderr).toBe("");
    expect(svg.code).toBe(0);
    expect(svg.stdout).toContain("Wrote minimal.svg");
    const image = readFileSync(join(s.dir, "minimal.svg"), "utf8");
    expect(image.startsWith("<svg") || image.startsWith("<?xml")).toBe(true);
    expect(image).toContain("</svg>");
    expect(image).toContain("Work_In");

    expect(await s.cli("template", "graph", "Minimal", "--out", "m.dot")).toMatchObject({ code: 0 });
    expect(readFileSync(join(s.dir, "m.dot"), "utf8")).toBe(dot.stdout);
    expect(await s.cli("template", "graph", "Minimal", "--out", "m.mmd")).toMatchObject({ code: 0 });
    expect(readFileSync(join(s.dir, "m.mmd"), "utf8")).toBe(mermaid.stdout);
    expect(await s.cli("template", "graph", "Minimal", "--out", "m.md")).toMatchObject({ code: 0 });
    expect(readFileSync(join(s.dir, "m.md"), "utf8")).toBe("```mermaid\n" + mermaid.stdout + "```\n");
  });

  it("refuses bad flags and arguments as usage, exit 2", async () => {
    const cases: [string[], string][] = [
      [["graph", "Minimal", "--format", "png"], "--format must be mermaid or dot, not 'png'"],
      [["graph", "Minimal", "--out", "x.png"], "the file name must end in .svg, .dot, .mmd or .md"],
      [["graph", "Minimal", "--format", "mermaid", "--out", "x.svg"], "SVG is rendered from DOT"],
      [["graph", "Minimal", "--format", "dot", "--out", "x.mmd"], "--format dot does not fit --out 'x.mmd'"],
      [["show", "Minimal", "--version", "two"], "--version must be a version number"],
      [["export", "Minimal", "--version", "0"], "--version must be a version number"],
      [["import"], "missing required argument 'files'"],
      [["show"], "missing required argument 'name'"],
      [["list", "--colour"], "unknown option '--colour'"],
      [["frobnicate"], "unknown command 'frobnicate'"],
    ];
    for (const [args, message] of cases) {
      const r = await s.cli("template", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toContain(message);
      expect(r.stdout, args.join(" ")).toBe("");
    }
  });

  it("reports an unknown workflow or version in one line, exit 1", async () => {
    for (const [args, message] of [
      [["show", "Nope"], "chameleon: no workflow 'Nope' in the template store\n"],
      [["export", "Minimal", "--version", "9"], "chameleon: no version 9 of workflow 'Minimal'\n"],
      [["graph", "Nope", "--out", "nope.svg"], "chameleon: no workflow 'Nope' in the template store\n"],
    ] as const) {
      const r = await s.cli("template", ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(message);
    }
  });

  it("has help with examples for every subcommand, naming the SVG renderer", async () => {
    for (const sub of ["import", "list", "show", "export", "graph"]) {
      const r = await runCli(["template", sub, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Examples:");
      expect(r.stdout).toContain(`chameleon template ${sub}`);
    }
    const graph = await runCli(["template", "graph", "--help"]);
    expect(graph.stdout).toContain("@viz-js/viz");
    expect(graph.stdout).toContain("Graphviz compiled to WebAssembly");
  });
});

const postgres = engines.find((e) => e.name === "postgres")!;
describe.skipIf(postgres.skipReason !== null)("chameleon template import on postgres", () => {
  const s = session(postgres);

  it("imports the examples, says unchanged the second time, and refuses a broken file storing nothing", async () => {
    const first = await s.cli("template", "import", ...examplePaths());
    expect(first.stderr).toBe("");
    expect(first.stdout.trimEnd().split("\n")).toEqual(exampleLines("stored"));
    const again = await s.cli("template", "import", ...examplePaths());
    expect(again.stdout.trimEnd().split("\n")).toEqual(exampleLines("unchanged"));
    const broken = s.file("broken.yml", BROKEN);
    const r = await s.cli("template", "import", broken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`\\n${escape(broken)}:\\d+ rule 2: `));
    const list = await s.json<Listed[]>("template", "list");
    expect(list.map((t) => t.name).sort()).toEqual(Object.values(EXAMPLE_WORKFLOWS).flat().sort());
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
