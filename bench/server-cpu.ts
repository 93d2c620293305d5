/**
 * The CPU time a database server spends, read from /proc for the server's processes on this
 * machine: what a step costs the server beside what it costs the worker processes. On two
 * cores shared by workers and server, their sum per step bounds steps/s (README, "Speed").
 * Null where it cannot be read: another operating system, or a server on another host.
 */
import { readdirSync, readFileSync } from "node:fs";

const SERVER_PROCESSES: Record<string, readonly string[]> = {
  postgres: ["postgres"],
  mysql: ["mariadbd", "mysqld"],
};

/** Clock ticks per second of /proc's utime and stime: 100 on every Linux this runs on. */
const TICKS_PER_S = 100;

/** µs of CPU (user and system) the server's processes have used so far, or null. */
export function serverCpuUs(engine: string, url: string): number | null {
  const names = SERVER_PROCESSES[engine];
  if (!names || !isLocal(url)) return null;
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    if (!names.includes(comm)) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, and cutime, cstime: the time of ended children, such as PostgreSQL's
    // backends of connections closed during the run, which the postmaster has reaped.
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    found = true;
  }
  return found ? (ticks / TICKS_PER_S) * 1e6 : null;
}

function isLocal(url: string): boolean {
  try {
    return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}
