/**
 * Actor tokens for the HTTP API and MCP: a random bearer token is shown once; the store keeps
 * only its SHA-256, so a stolen database does not hand out working tokens.
 */
import { createHash, randomBytes } from "node:crypto";
import { ForbiddenError, NotFoundError } from "../errors.js";
import { isUuid, newId } from "../schema/ids.js";
import { inTransaction, type EngineContext } from "./context.js";
import { findActor } from "./actors.js";

const PREFIX = "chm_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export async function issueToken(
  ctx: EngineContext,
  instance: string,
  actor: unknown,
): Promise<{ token: string; tokenId: string; actorId: string }> {
  const graph = await ctx.graphs.get(instance);
  const found = await findActor(ctx.store.db, graph, actor);
  if (found.type === "SYSTEM")
    throw new ForbiddenError("the SYSTEM actor has no tokens: it acts only inside the engine");
  const token = PREFIX + randomBytes(32).toString("base64url");
  const tokenId = newId();
  await inTransaction(ctx, (trx) =>
    trx
      .insertInto("local_actor_tokens")
      .values({
        token_id: tokenId,
        actor_id: found.actorId,
        token_hash: hashToken(token),
        created_at: ctx.now(),
        revoked_at: null,
      })
      .execute(),
  );
  return { token, tokenId, actorId: found.actorId };
}

export interface TokenIdentity {
  instanceId: string;
  instanceName: string;
  actorId: string;
  actorName: string;
}

/** The actor a token stands for, or null for an unknown or revoked token. */
export async function resolveToken(ctx: EngineContext, token: string): Promise<TokenIdentity | null> {
  if (typeof token !== "string" || !token.startsWith(PREFIX)) return null;
  const row = await ctx.store.db
    .selectFrom("local_actor_tokens as t")
    .innerJoin("local_actors as a", "a.actor_id", "t.actor_id")
    .innerJoin("instance_context as i", "i.instance_id", "a.instance_id")
    .select(["a.actor_id", "a.name as actor_name", "i.instance_id", "i.name as instance_name", "t.revoked_at"])
    .where("t.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  return {
    instanceId: row.instance_id,
    instanceName: row.instance_name,
    actorId: row.actor_id,
    actorName: row.actor_name,
  };
}

/** Revokes a token (again: nothing changes); NotFoundError for a token id that was never issued. */
export async function revokeToken(ctx: EngineContext, tokenId: unknown): Promise<void> {
  if (!isUuid(tokenId)) throw new NotFoundError(`no token '${String(tokenId)}': token ids are UUIDs`);
  await inTransaction(ctx, async (trx) => {
    const row = await trx
      .selectFrom("local_actor_tokens")
      .select("revoked_at")
      .where("token_id", "=", tokenId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`no token '${tokenId}'`);
    if (row.revoked_at !== null) return;
    await trx
      .updateTable("local_actor_tokens")
      .set({ revoked_at: ctx.now() })
      .where("token_id", "=", tokenId)
      .execute();
  });
}
