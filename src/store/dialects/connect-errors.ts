/** Turns a network-level driver error into one line; both server drivers share these codes. */
export function describeNetworkError(error: unknown): string | null {
  const err = error as { code?: string; errors?: unknown[]; address?: string; port?: number; message?: string };
  // Node reports every address it tried (localhost is ::1 and 127.0.0.1) in an AggregateError.
  const first = (err?.errors?.[0] as typeof err | undefined) ?? err;
  const where = first?.address ? ` at ${first.address}${first.port ? `:${first.port}` : ""}` : "";
  switch (first?.code ?? err?.code) {
    case "ECONNREFUSED":
      return `connection refused${where} (is the server running?)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `host not found${where}`;
    case "ETIMEDOUT":
      return `connection timed out${where}`;
    case "ECONNRESET":
      return `connection reset by the server${where}`;
    default:
      return null;
  }
}
