/** How values read on a page: ages, times, attribute values. */

export function age(from: string | Date, now: number = Date.now()): string {
  return duration((now - new Date(from).getTime()) / 1000);
}

export function duration(secondsIn: number): string {
  const seconds = Math.max(0, Math.round(secondsIn));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d`;
}

/** A unit's due time: "overdue 5 min", "in 2 h 0 min", or "" without a deadline. */
export function due(u: { dueAt: string | Date | null; overdue: boolean }, now: number = Date.now()): string {
  if (u.dueAt === null) return "";
  const seconds = (new Date(u.dueAt).getTime() - now) / 1000;
  return u.overdue || seconds < 0 ? `overdue ${duration(-seconds)}` : `in ${duration(seconds)}`;
}

export function time(at: string | Date): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function value(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/**
 * An inbox's default columns: the keys whose values are plain (numbers, text, true/false) on
 * the rows shown, in alphabetical order so that every engine shows the same (MySQL keeps JSON
 * keys in an order of its own), at most `count`.
 */
export function defaultColumns(rows: { attributes?: Record<string, unknown> }[], count: number): string[] {
  const keys = new Set<string>();
  for (const row of rows) {
    for (const [key, v] of Object.entries(row.attributes ?? {})) {
      if (v === null || typeof v === "object") continue;
      keys.add(key);
    }
  }
  return [...keys].sort().slice(0, count);
}

/** Every key the rows have, alphabetically: what a column chooser offers. */
export function allKeys(rows: { attributes?: Record<string, unknown> }[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.attributes ?? {})) keys.add(key);
  return [...keys].sort();
}
