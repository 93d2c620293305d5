/**
 * `chameleon template ...`: import blueprint files, list and show stored versions, export
 * them as YAML, and draw them (Mermaid, DOT, or SVG rendered in-process by Graphviz compiled
 * to WebAssembly, the npm package @viz-js/viz).
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import type { Command } from "commander";
import type { NestedPins } from "../../blueprint/catalog.js";
import { renderSvg as renderDot, type GraphFormat } from "../../blueprint/graph.js";
import type { ImportedWorkflow } from "../../blueprint/import.js";
import type { BlueprintWorkflow } from "../../blueprint/model.js";
import { MAX_BLUEPRINT_BYTES } from "../../blueprint/parse.js";
import { ChameleonError, ValidationError } from "../../errors.js";
import { UsageError, globals, output, reportError, table, withChameleon } from "../io.js";

export function registerTemplate(program: Command): void {
  const template = program
    .command("template")
    .description("Import, list, show, export and draw blueprints in the template store");

  template
    .command("import")
    .description("Import blueprint YAML files; each file is stored whole or not at all")
    .argument("<files...>", "blueprint YAML files, imported in the order given")
    .addHelpText(
      "after",
      `
Each file is its own all-or-nothing import: every workflow in it is stored, or none is. A
workflow whose canonical form is unchanged stores nothing ("unchanged"); any change is stored
as the next version ("stored"). Every file is read before anything is imported, so a missing
file imports nothing. The first invalid file stops the command (exit 1) after printing each
problem as FILE:LINE rule N: message; files imported before it stay imported.

Examples:
  chameleon template import examples/minimal.yml
  chameleon template import examples/*.yml
  chameleon template import shipping.yml orders.yml     # a nested workflow before the one using it
  chameleon template import my_flow.yml --json`,
    )
    .action(async (files: string[], _opts: unknown, cmd: Command) => {
      const texts = files.map((file) => ({ file, text: readBlueprintFile(file) }));
      const json = globals(cmd).json === true;
      const done: { file: string; workflows: ImportedWorkflow[] }[] = [];
      await withChameleon(cmd, async (ch) => {
        for (const [index, { file, text }] of texts.entries()) {
          try {
            if (text instanceof ValidationError) throw text;
            const { workflows } = await ch.templates.importYaml(text);
            done.push({ file, workflows });
            if (!json) process.stdout.write(workflows.map(importLine).join("\n") + "\n");
          } catch (error) {
            if (json && done.length > 0) output(cmd, { files: done }, () => "");
            throw importFailure(error, file, done, files.slice(index + 1));
          }
        }
      });
      if (json) output(cmd, { files: done }, () => "");
    });

  template
    .command("list")
    .description("List every stored blueprint version, by name and version")
    .addHelpText(
      "after",
      `
Examples:
  chameleon template list
  chameleon template list --json`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const rows = await withChameleon(cmd, (ch) => ch.templates.list());
      output(cmd, rows, (list) =>
        list.length === 0
          ? "The template store holds no blueprint; import one with: chameleon template import FILE"
          : table([
              ["NAME", "VERSION", "CREATED", "WORKFLOW ID"],
              ...list.map((t) => [t.name, String(t.version), t.createdAt.toISOString(), t.workflowId]),
            ]),
      );
    });

  template
    .command("show")
    .description("Show one blueprint version: its versions, description, roles, interactions and components")
    .argument("<name>", "workflow name")
    .option("--version <n>", "version to show (default: the newest)")
    .addHelpText(
      "after",
      `
Examples:
  chameleon template show Invoice_Approval
  chameleon template show Invoice_Approval --version 1 --json`,
    )
    .action(async (name: string, opts: { version?: string }, cmd: Command) => {
      const version = versionOption(opts.version);
      const details = await withChameleon(cmd, async (ch) => {
        const t = await ch.templates.get(name, version);
        const versions = (await ch.templates.list()).filter((x) => x.name === name).map((x) => x.version);
        // The catalog also returns the nested versions the SIGMA roles are pinned to.
        const nested = (t as { nested?: NestedPins }).nested ?? {};
        return summary(t, versions, nested);
      });
      output(cmd, details, formatShow);
    });

  template
    .command("export")
    .description("Write one blueprint version as canonical YAML (only that workflow; export nested ones on their own)")
    .argument("<name>", "workflow name")
    .option("--version <n>", "version to export (default: the newest)")
    .option("--out <file>", "write the YAML to this file instead of standard output")
    .addHelpText(
      "after",
      `
The export imported again is the same structure: it stores nothing new.

Examples:
  chameleon template export Invoice_Approval > invoice.yml
  chameleon template export Invoice_Approval --version 1 --out invoice_v1.yml
  chameleon template export Shipping --json`,
    )
    .action(async (name: string, opts: { version?: string; out?: string }, cmd: Command) => {
      const version = versionOption(opts.version);
      const yaml = await withChameleon(cmd, (ch) => ch.templates.exportYaml(name, version));
      if (opts.out === undefined) {
        output(cmd, { yaml }, (v) => v.yaml);
        return;
      }
      writeOut(opts.out, yaml);
      output(cmd, { yaml, file: opts.out }, () => `Wrote ${opts.out}`);
    });

  template
    .command("graph")
    .description("Draw one blueprint version: roles and interactions as nodes, components as edges")
    .argument("<name>", "workflow name")
    .option("--version <n>", "version to draw (default: the newest)")
    .option("--format <format>", "mermaid or dot (default: mermaid, or what --out's extension implies)")
    .option("--out <file>", "write to this file; .svg, .dot, .mmd or .md")
    .addHelpText(
      "after",
      `
Output files, by extension:
  .svg   an image, rendered from the DOT text in-process by Graphviz compiled to WebAssembly
         (the npm package @viz-js/viz; nothing is downloaded and no 'dot' program is needed)
  .dot   the Graphviz DOT text
  .mmd   the Mermaid flowchart text
  .md    a Markdown file holding the Mermaid (or, with --format dot, DOT) text in a code block
A --format that contradicts the extension (e.g. --format mermaid --out x.svg) is refused.

Examples:
  chameleon template graph Invoice_Approval
  chameleon template graph Invoice_Approval --format dot | dot -Tpng > invoice.png
  chameleon template graph Invoice_Approval --out invoice.svg
  chameleon template graph Order_Fulfilment --version 1 --out order.md`,
    )
    .action(async (name: string, opts: { version?: string; format?: string; out?: string }, cmd: Command) => {
      const version = versionOption(opts.version);
      const target = graphTarget(opts.format, opts.out);
      const graph = await withChameleon(cmd, (ch) => ch.templates.graph(name, { format: target.format, version }));
      if (opts.out === undefined) {
        output(cmd, { graph, format: target.format }, (v) => v.graph);
        return;
      }
      let content: string;
      if (target.kind === "svg") content = await renderSvg(graph);
      else if (target.kind === "markdown") content = "```" + target.format + "\n" + graph + "```\n";
      else content = graph;
      writeOut(opts.out, content);
      const how = target.kind === "svg" ? " (SVG rendered by Graphviz via @viz-js/viz)" : "";
      output(cmd, { graph, format: target.format, file: opts.out }, () => `Wrote ${opts.out}${how}`);
    });
}

// ---------------------------------------------------------------------------------------------
// import

/**
 * The text of a blueprint file, or the ValidationError its content earns before any parsing
 * (too large, not UTF-8): reported like the library's own issues. A file that cannot be read
 * at all is a one-line error, exit 1.
 */
function readBlueprintFile(file: string): string | ValidationError {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_BLUEPRINT_BYTES) {
      // Not even read: the import would refuse it anyway (the same check, on the decoded text).
      return ValidationError.single(
        "file",
        `the blueprint is ${size} bytes; at most ${MAX_BLUEPRINT_BYTES} bytes (1 MiB) are accepted`,
      );
    }
    bytes = readFileSync(file);
  } catch (error) {
    throw new ChameleonError(`cannot read blueprint file '${file}': ${fileProblem(error)}`, { cause: error });
  }
  try {
    // fatal: invalid UTF-8 is refused rather than silently replaced; a byte order mark is dropped.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return ValidationError.single("file", "the blueprint is not UTF-8 text");
  }
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function importLine(w: ImportedWorkflow): string {
  return `${w.name} version ${w.version} (${w.created ? "stored" : "unchanged"})`;
}

/**
 * Prints the issues of an invalid file (each as FILE:LINE rule N: message) and returns the
 * one-line error that ends the command: which file failed, which were imported before it and
 * which were not tried.
 */
function importFailure(error: unknown, file: string, done: { file: string }[], notTried: string[]): ChameleonError {
  const before =
    done.length === 0
      ? ""
      : `; imported before it: ${done.map((d) => d.file).join(", ")}` +
        (notTried.length === 0 ? "" : `; not tried: ${notTried.join(", ")}`);
  if (error instanceof ValidationError && error.issues.length > 0) {
    reportError(error, () => file);
    return new ChameleonError(`nothing of ${file} was stored${before}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ChameleonError(`${file}: ${message}; nothing of it was stored${before}`, { cause: error });
}

// ---------------------------------------------------------------------------------------------
// show

interface ShowDetails {
  workflowId: string;
  name: string;
  version: number;
  versions: number[];
  createdAt: Date;
  description: string | null;
  aiContext: unknown;
  roles: {
    name: string;
    type: string;
    strategy: string | null;
    childWorkflow?: string;
    childVersion?: number;
    description: string | null;
  }[];
  interactions: { name: string; staleTokenLimitSeconds: number | null; description: string | null }[];
  components: {
    name: string;
    role: string;
    interaction: string;
    direction: string;
    guardians: { name: string; type: string }[];
  }[];
}

function summary(
  t: { workflowId: string; name: string; version: number; createdAt: Date; workflow: BlueprintWorkflow },
  versions: number[],
  nested: NestedPins,
): ShowDetails {
  const w = t.workflow;
  return {
    workflowId: t.workflowId,
    name: t.name,
    version: t.version,
    versions,
    createdAt: t.createdAt,
    description: w.description,
    aiContext: w.aiContext,
    roles: w.roles.map((r) => ({
      name: r.name,
      type: r.type,
      strategy: r.strategy,
      ...(r.childWorkflow === null
        ? {}
        : { childWorkflow: r.childWorkflow, childVersion: nested[r.childWorkflow]?.version }),
      description: r.description,
    })),
    interactions: w.interactions.map((x) => ({
      name: x.name,
      staleTokenLimitSeconds: x.staleTokenLimitSeconds,
      description: x.description,
    })),
    components: w.components.map((c) => ({
      name: c.name,
      role: c.role,
      interaction: c.interaction,
      direction: c.direction,
      guardians: c.guardians.map((g) => ({ name: g.name, type: g.type })),
    })),
  };
}

function formatShow(d: ShowDetails): string {
  const out = [
    `${d.name} version ${d.version} (versions: ${d.versions.join(", ")}), stored ${d.createdAt.toISOString()}`,
    `id ${d.workflowId}`,
  ];
  if (d.description) out.push("", d.description);
  if (d.aiContext !== null) out.push(`AI context: ${JSON.stringify(d.aiContext)}`);
  out.push(
    "",
    `Roles (${d.roles.length}):`,
    indent(
      table(
        d.roles.map((r) => [
          r.name,
          r.strategy === null ? r.type : `${r.type} (${r.strategy})`,
          [
            r.childWorkflow === undefined
              ? ""
              : `runs ${r.childWorkflow}${r.childVersion === undefined ? "" : ` version ${r.childVersion}`}`,
            r.description ?? "",
          ]
            .filter(Boolean)
            .join("; "),
        ]),
      ),
    ),
    "",
    `Interactions (${d.interactions.length}):`,
    indent(
      table(
        d.interactions.map((x) => [
          x.name,
          [x.staleTokenLimitSeconds === null ? "" : `stale after ${x.staleTokenLimitSeconds} s`, x.description ?? ""]
            .filter(Boolean)
            .join("; "),
        ]),
      ),
    ),
    "",
    `Components (${d.components.length}):`,
    indent(
      table(
        d.components.map((c) => [
          c.name,
          c.direction === "OUTBOUND" ? `${c.role} -> ${c.interaction}` : `${c.interaction} -> ${c.role}`,
          c.guardians.map((g) => `${g.type} ${g.name}`).join(", "),
        ]),
      ),
    ),
  );
  return out.join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`.trimEnd())
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// options and output files

function versionOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value))
    throw new UsageError(`--version must be a version number (1, 2, ...), not '${value}'`);
  return Number(value);
}

type GraphTarget = { kind: "text" | "markdown" | "svg"; format: GraphFormat };

/** What --format and --out's extension ask for; contradictions and unknown values are usage errors. */
function graphTarget(format: string | undefined, out: string | undefined): GraphTarget {
  if (format !== undefined && format !== "mermaid" && format !== "dot") {
    throw new UsageError(`--format must be mermaid or dot, not '${format}'`);
  }
  const asked = format as GraphFormat | undefined;
  if (out === undefined) return { kind: "text", format: asked ?? "mermaid" };
  const ext = extname(out).toLowerCase();
  const fixed: Record<string, GraphTarget> = {
    ".svg": { kind: "svg", format: "dot" },
    ".dot": { kind: "text", format: "dot" },
    ".mmd": { kind: "text", format: "mermaid" },
  };
  if (ext === ".md") return { kind: "markdown", format: asked ?? "mermaid" };
  const target = fixed[ext];
  if (target === undefined) {
    throw new UsageError(`--out '${out}': the file name must end in .svg, .dot, .mmd or .md`);
  }
  if (asked !== undefined && asked !== target.format) {
    const what = target.kind === "svg" ? "SVG is rendered from DOT" : `a ${ext} file holds ${target.format}`;
    throw new UsageError(`--format ${asked} does not fit --out '${out}': ${what}`);
  }
  return target;
}

/** DOT -> SVG (the library's renderer: Graphviz compiled to WebAssembly, loaded at the first use). */
async function renderSvg(dot: string): Promise<string> {
  try {
    return await renderDot(dot);
  } catch (error) {
    throw new ChameleonError(String((error as Error).message ?? error), { cause: error });
  }
}

export function writeOut(file: string, content: string): void {
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw new ChameleonError(`cannot write '${file}': ${fileProblem(error)}`, { cause: error });
  }
}
