/**
 * The console's one way to the server: a client typed from the server's own OpenAPI
 * description (schema.d.ts is generated from /openapi.json, so a changed route is a compile
 * error here), sending the signed-in token as the bearer header on every call.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema.js";
import { currentToken } from "./token.js";

/** A refusal from the server, with the error's name and message as the API gives them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token !== null) request.headers.set("authorization", `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(bearer);

interface ErrorBody {
  error?: string;
  message?: string;
  issues?: { path: string; message: string }[];
}

/** The data of an answer, or an ApiError carrying the server's message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = (result.error ?? {}) as ErrorBody;
    throw new ApiError(
      result.response.status,
      body.error ?? "Error",
      body.message ?? `${result.response.status} ${result.response.statusText}`,
      body.issues ?? [],
    );
  }
  return result.data as T;
}
