/** What better-sqlite3 can bind: neither Date nor boolean, so those go as ISO text and 0/1, as the store writes them. */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

export const encodeParams = (params: readonly unknown[]): unknown[] => params.map(encodeValue);
