/**
 * Blueprint YAML text -> workflows (rule 0 and rule 3 of ENGINE.md section 3). Every
 * document of the file is read and every problem collected; nothing here throws.
 */
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import type { ValidationIssue } from "../errors.js";
import type { BlueprintWorkflow } from "./model.js";
import { workflowFromTree } from "./shape.js";
import { treeFromYaml, type TreeProblem } from "./tree.js";

/** Largest blueprint text accepted, in UTF-8 bytes (1 MiB). */
export const MAX_BLUEPRINT_BYTES = 1_048_576;

export interface ParsedWorkflow {
  workflow: BlueprintWorkflow;
  /**
   * 1-based line of an element or field, by issue path (`Minimal/roles/Work/strategy`), or
   * by index path (`Minimal/roles/#2/strategy`, 1-based) which stays exact for duplicate names.
   */
  lineOf(path: string): number | undefined;
  /** 1-based number of the YAML document in the file. */
  document: number;
}

/** One YAML document: its workflow, possibly partial when a shape problem blocks it. */
export interface ParsedDocument {
  document: number;
  parsed: ParsedWorkflow | undefined;
  /** A rule-0 or rule-3 issue: the semantic rules must not run on this workflow. */
  blocking: boolean;
}

/** Every document of the file, including the ones with shape problems (see blueprintIssues). */
export function parseBlueprintDocuments(text: string): { documents: ParsedDocument[]; issues: ValidationIssue[] } {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_BLUEPRINT_BYTES) {
    const message = `the blueprint is ${bytes} bytes; at most ${MAX_BLUEPRINT_BYTES} bytes (1 MiB) are accepted`;
    return { documents: [], issues: [{ rule: 0, path: "file", message }] };
  }
  const issues: ValidationIssue[] = [];
  const documents: ParsedDocument[] = [];
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    // `merge: false`: a `<<` key is then an unknown key rather than silently copied content.
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: false });
  } catch (error) {
    return {
      documents: [],
      issues: [{ rule: 0, path: "file", message: `the YAML could not be read: ${describe(error)}` }],
    };
  }
  docs.forEach((doc, i) => {
    const number = i + 1;
    try {
      const result = readDocument(doc, number, lineCounter);
      issues.push(...result.issues);
      if (result.document !== undefined) documents.push(result.document);
    } catch (error) {
      // Defensive: a bug or a pathological input must become an issue, never an exception.
      issues.push({
        rule: 0,
        path: `document ${number}`,
        message: `document ${number} could not be read: ${describe(error)}`,
      });
    }
  });
  if (documents.length === 0 && issues.length === 0) {
    issues.push({ rule: 0, path: "file", message: "the blueprint holds no workflow" });
  }
  return { documents, issues };
}

/** The workflows fit for validation (documents without shape problems) and every issue found. */
export function parseBlueprintText(text: string): { workflows: ParsedWorkflow[]; issues: ValidationIssue[] } {
  const { documents, issues } = parseBlueprintDocuments(text);
  const workflows = documents.flatMap((d) => (d.blocking || d.parsed === undefined ? [] : [d.parsed]));
  return { workflows, issues };
}

function readDocument(
  doc: Document.Parsed,
  number: number,
  lineCounter: LineCounter,
): { document: ParsedDocument | undefined; issues: ValidationIssue[] } {
  const label = `document ${number}`;
  const yamlIssues = yamlProblems(doc, label);
  // A broken document would only yield confusing follow-on shape issues.
  if (doc.errors.length > 0) return { document: undefined, issues: yamlIssues };
  if (isEmpty(doc)) return { document: undefined, issues: yamlIssues };

  const problems: TreeProblem[] = [];
  const tree = treeFromYaml(doc, lineCounter, problems);
  const treeIssues = problems.map((p): ValidationIssue => {
    const message = `YAML: ${p.message}`;
    return p.line === undefined ? { rule: 0, path: label, message } : { rule: 0, path: label, line: p.line, message };
  });
  const shape = workflowFromTree(tree, label);
  const issues = [...yamlIssues, ...treeIssues, ...shape.issues];
  const blocking = issues.some((i) => i.rule === 0 || i.rule === 3);
  const { lines, workflow } = shape;
  const parsed = workflow && { workflow, document: number, lineOf: (path: string) => lines.get(path) };
  return { document: { document: number, parsed, blocking }, issues };
}

/** Most YAML errors reported per document: a broken file can produce thousands of follow-on errors. */
const MAX_YAML_ERRORS = 10;

function yamlProblems(doc: Document.Parsed, label: string): ValidationIssue[] {
  const all = [...doc.errors, ...doc.warnings];
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const e of all) {
    const line = e.linePos?.[0].line;
    const message = `YAML: ${e.message.split("\n")[0]?.replace(/:$/, "") ?? e.code}`;
    if (seen.has(message)) continue;
    seen.add(message);
    if (issues.length === MAX_YAML_ERRORS) {
      issues.push({ rule: 0, path: label, message: `YAML: further errors in ${label} left out` });
      break;
    }
    issues.push(line === undefined ? { rule: 0, path: label, message } : { rule: 0, path: label, line, message });
  }
  return issues;
}

/** A document holding only comments, or nothing (e.g. after a trailing `---`). */
function isEmpty(doc: Document.Parsed): boolean {
  const contents = doc.contents as { value?: unknown; items?: unknown } | null;
  return contents === null || (contents.items === undefined && contents.value === null);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
