/** The JSON member names the dialects write into SQL as literals (SqlDialect.jsonTextAt). */

/** The key itself, refused unless it is a plain identifier (nothing to escape in any engine). */
export function plainKey(key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`not a plain JSON member name: ${JSON.stringify(key)}`);
  return key;
}

/** `$.key`, the JSON path of a top-level member (SQLite, MySQL/MariaDB). */
export function jsonPath(key: string): string {
  return `$.${plainKey(key)}`;
}
