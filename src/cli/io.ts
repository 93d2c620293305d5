/**
 * What every command shares: opening the library from the global options, printing for
 * people or as one JSON document, and turning errors into one line and an exit code
 * (0 success, 1 refused operation, 2 bad usage).
 */
import type { Command } from "commander";
import { openChameleon, type Chameleon, type ChameleonOptions } from "../chameleon.js";
import { resolve } from "node:path";
import { ChameleonError, NotFoundError, ValidationError } from "../errors.js";

/** Bad flags or arguments: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface GlobalOptions {
  templates?: string;
  instances?: string;
  dataDir?: string;
  json?: boolean;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/**
 * The commands that may create a store that is not there yet (schema guide shows the schema a
 * new store gets); every other command acts on what exists, so that one run in the wrong
 * directory creates no empty database.
 */
const CREATING_COMMANDS = new Set(["template import", "instance create", "demo", "serve", "schema guide"]);

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** The option of the long-running commands (worker, serve): how long to wait for a database that does not answer yet. */
export const WAIT_FOR_STORE_OPTION = [
  "--wait-for-store <seconds>",
  "wait this long for a database that does not answer yet (a restart), trying again",
  "60",
] as const;

/** Opens the library for one command and closes it afterwards, whatever happens. */
export async function withChameleon<T>(
  cmd: Command,
  fn: (ch: Chameleon) => Promise<T>,
  open: Pick<ChameleonOptions, "waitForStoreSeconds"> = {},
): Promise<T> {
  const opts = globals(cmd);
  const ch = await openChameleon({
    templatesUrl: opts.templates,
    instancesUrl: opts.instances,
    dataDir: opts.dataDir,
    stores: CREATING_COMMANDS.has(commandPath(cmd)) ? "create" : "existing",
    ...open,
  });
  try {
    return await fn(ch);
  } catch (error) {
    // The engine says "no instance 'x'"; here the user also needs to know which store was asked.
    if (error instanceof NotFoundError && /^no instance /.test(error.message)) {
      const store = ch.stores.instances;
      const file = store.url.path;
      const where = file === undefined || file === ":memory:" ? store.url.safe : resolve(file);
      throw new NotFoundError(`instance store at ${where} holds ${error.message}`, { cause: error });
    }
    throw error;
  } finally {
    await ch.close();
  }
}

/** Prints `value` as JSON with --json, else the text `human` makes of it. */
export function output<T>(cmd: Command, value: T, human: (value: T) => string): void {
  if (globals(cmd).json) process.stdout.write(JSON.stringify(value, null, 2) + "\n");
  else {
    const text = human(value);
    if (text) process.stdout.write(text.endsWith("\n") ? text : text + "\n");
  }
}

const jsonKind = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : typeof value === "object"
        ? "an object"
        : `a ${typeof value}`;

/**
 * The JSON value of a flag, or a usage error naming the flag: when it is not JSON, or (with
 * `expected`) not a JSON object or array, so that the library never words a flag's mistake.
 */
export function parseJsonOption(flag: string, text: string | undefined, expected?: "object" | "array"): unknown {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} is not valid JSON: ${(error as Error).message}`);
  }
  const kind = jsonKind(value);
  if (expected !== undefined && kind !== `an ${expected}`) {
    throw new UsageError(`${flag} must be a JSON ${expected}, not ${kind}`);
  }
  return value;
}

/** Columns padded to their widest cell; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "))
    .join("\n");
}

/**
 * One line on stderr (and, for a file's issues or several of them, one per issue), and the
 * exit code. Input the library refuses as malformed (a ValidationError) is bad usage like a
 * bad flag: exit 2. An invalid blueprint file is reported by `template import` itself (exit 1).
 */
export function reportError(error: unknown, sourceName?: (path: string) => string | undefined): number {
  const write = (line: string) => process.stderr.write(`chameleon: ${line}\n`);
  if (error instanceof UsageError) {
    write(error.message);
    return 2;
  }
  if (error instanceof ValidationError && error.issues.length > 0) {
    write(error.message);
    const only = error.issues.length === 1 ? error.issues[0]! : undefined;
    // One issue that says what the message says (the library's input checks) is not repeated.
    if (sourceName === undefined && only !== undefined && only.message === error.message) return 2;
    for (const issue of error.issues) {
      const file = sourceName?.(issue.path);
      const where = file ? `${file}${issue.line ? `:${issue.line}` : ""} ` : issue.line ? `line ${issue.line} ` : "";
      process.stderr.write(`${where}rule ${issue.rule}: ${issue.message}\n`);
    }
    return sourceName === undefined ? 2 : 1;
  }
  if (error instanceof ValidationError) {
    write(error.message);
    return 2;
  }
  if (error instanceof ChameleonError) {
    write(error.message);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(process.env.CHAMELEON_DEBUG && error instanceof Error ? (error.stack ?? message) : message);
  return 1;
}

/** A whole number flag from `min` to `max` (written in decimal digits), or a usage error naming the flag. */
export function intOption(
  flag: string,
  text: string | undefined,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${text}'`);
  return n;
}

/** Collects a repeatable option into a list. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
