/**
 * The HTTP server's settings and their defaults, apart from the server itself: `chameleon serve`
 * checks its flags against them without loading Fastify until it serves.
 */

export type MetricsAccess = "operator" | "public" | "off";
export const METRICS_ACCESS: readonly MetricsAccess[] = ["operator", "public", "off"];

export const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;
export const DEFAULT_SWEEP_INTERVAL_MS = 5000;
/** Admin tokens shorter than this are refused: they could be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** Request bodies from 1 byte to 1 GiB. */
export const BODY_LIMIT_RANGE = { min: 1, max: 2 ** 30 } as const;
