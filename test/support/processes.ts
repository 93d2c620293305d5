/** Starts test worker processes (TypeScript through tsx) and collects their JSON lines. */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with every JSON line the process printed, when it exits. */
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    lines: Record<string, unknown>[];
    stderr: string;
  }>;
  /** Resolves with the first JSON line. */
  firstLine: Promise<Record<string, unknown>>;
}

export function startTsProcess(script: string, arg: unknown): WorkerProcess {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", path, JSON.stringify(arg)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  let buffer = "";
  let resolveFirst: (line: Record<string, unknown>) => void;
  const firstLine = new Promise<Record<string, unknown>>((r) => (resolveFirst = r));
  child.stdout!.on("data", (d: Buffer) => {
    buffer += d.toString();
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (lines.length === 1) resolveFirst(parsed);
    }
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    lines: Record<string, unknown>[];
    stderr: string;
  }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, lines, stderr })));
  return { child, exited, firstLine };
}
