/**
 * The budget of values one multi-row statement of the hot path carries on MySQL/MariaDB: mysql2
 * sends the values in one packet (the execute of the prepared statement, or the text of a plain
 * query when the statement could not be prepared), and a packet longer than the server's
 * max_allowed_packet (16 MiB by default on MariaDB) is refused whole. A batch of large submits
 * is therefore sent in several statements of about this size; one value larger than it goes
 * alone (docs/http.md bounds one submit by the packet).
 */
export const STATEMENT_BYTES = 4 * 2 ** 20;

/** The length of a text value as it is sent (UTF-8 bytes, at most twice escaped). */
export const bytesOf = (text: string | null): number => (text === null ? 4 : 2 * Buffer.byteLength(text));
