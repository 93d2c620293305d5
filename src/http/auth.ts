/**
 * Who is calling: the admin token given at start, an operator token (`ch.operators.issueToken`,
 * scope admin or viewer), or an actor token issued by the library (`ch.actors.issueToken`). The
 * admin may do everything; an operator token of scope admin too, under its operator's name; a
 * viewer may call every GET and nothing else; an actor token acts only as its actor, only in its
 * own instance. Each route says what it needs in its `access` config:
 *   public    no token (GET /health)
 *   any       any valid token
 *   instance  the admin, or an actor token of the instance named by `:id`
 *   actor     an actor token only (the MCP endpoint)
 *   admin     the admin token only
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Chameleon } from "../chameleon.js";
import { forbidden, unauthorized } from "./errors.js";

export type Access = "public" | "any" | "instance" | "actor" | "admin";

export type ActorIdentity = NonNullable<Awaited<ReturnType<Chameleon["actors"]["resolveToken"]>>>;

/** The operator name the start-up admin token acts under (recorded as `details.by`). */
export const START_UP_ADMIN = "admin";

export type Caller =
  { kind: "admin"; operator: string } | { kind: "viewer"; operator: string } | ({ kind: "actor" } & ActorIdentity);

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the authentication hook on every route but the public ones. */
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `ref` (an id, or a name that is not an id) names the thing with this id and name. */
function names(ref: string, id: string, name: string): boolean {
  return ref === id || (!UUID.test(ref) && ref === name);
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

function bearer(header: string | undefined): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1]! : null;
}

/** The caller, or a 401; the admin token is compared in constant time. */
async function identify(ch: Chameleon, adminDigest: Buffer, header: string | undefined): Promise<Caller> {
  const token = bearer(header);
  if (token === null) throw unauthorized("missing bearer token: send 'Authorization: Bearer <token>'");
  if (timingSafeEqual(digest(token), adminDigest)) return { kind: "admin", operator: START_UP_ADMIN };
  const operator = await ch.operators.resolveToken(token);
  if (operator !== null) return { kind: operator.scope, operator: operator.name };
  const identity = await ch.actors.resolveToken(token);
  if (identity === null) throw unauthorized("unknown or revoked token");
  return { kind: "actor", ...identity };
}

/** A 403 unless the caller may act in the instance named by `ref`. */
export function checkInstance(caller: Caller, ref: string | undefined): void {
  if (caller.kind !== "actor" || ref === undefined) return;
  if (!names(ref, caller.instanceId, caller.instanceName)) {
    throw forbidden(`this token belongs to instance '${caller.instanceName}'; it cannot act in instance '${ref}'`);
  }
}

/** A 403 unless `ref` (an actorId given in a body or query) is the token's own actor. */
export function checkActor(caller: Caller, ref: unknown): void {
  if (caller.kind !== "actor" || ref === undefined) return;
  if (typeof ref !== "string" || !names(ref, caller.actorId, caller.actorName)) {
    throw forbidden(`this token acts as actor '${caller.actorName}'; it cannot act as '${String(ref)}'`);
  }
}

/**
 * The `reader` option of the reading verbs: an actor token reads as its actor (only its roles'
 * units and the units it acted on, docs/engine.md "Who reads what"); operators read everything.
 */
export function asReader(caller: Caller | null): { reader?: string } {
  return caller?.kind === "actor" ? { reader: caller.actorId } : {};
}

/** Installs the hooks: authentication and route access before the body is read, actor scope after validation. */
export function installAuth(app: FastifyInstance, ch: Chameleon, adminToken: string): void {
  const adminDigest = digest(adminToken);
  app.decorateRequest("caller", null);
  app.addHook("onRequest", async (request: FastifyRequest) => {
    const access = request.routeOptions.config?.access ?? "any";
    if (access === "public") return;
    const caller = await identify(ch, adminDigest, request.headers.authorization);
    request.caller = caller;
    if (caller.kind === "viewer") {
      if (request.method !== "GET" || access === "actor") {
        throw forbidden(
          `${request.method} ${request.routeOptions.url} changes something: the viewer token of operator '${caller.operator}' may only read (GET)`,
        );
      }
      return;
    }
    if (access === "admin" && caller.kind !== "admin") {
      const needs = request.method === "GET" ? "an operator token (admin or viewer)" : "the admin token";
      throw forbidden(`${request.method} ${request.routeOptions.url} needs ${needs}`);
    }
    if (access === "actor" && caller.kind !== "actor") {
      throw forbidden(
        `${request.method} ${request.routeOptions.url} needs an actor token: it acts as one actor (issue one with POST /instances/:id/actors/:actor/tokens)`,
      );
    }
    if (access === "instance") checkInstance(caller, (request.params as { id?: string } | undefined)?.id);
  });
  app.addHook("preHandler", async (request: FastifyRequest) => {
    const caller = request.caller;
    if (caller?.kind !== "actor") return;
    for (const source of [request.body, request.query]) {
      if (source !== null && typeof source === "object" && "actorId" in source) {
        checkActor(caller, (source as { actorId?: unknown }).actorId);
      }
    }
  });
}
