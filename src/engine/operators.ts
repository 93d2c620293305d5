/**
 * Operator tokens of the HTTP API, beside the start-up admin token: each names an operator
 * (recorded as `details.by` in the audit entries of its moves) and has a scope, admin (every
 * call) or viewer (every read, no change). Like actor tokens, the token is shown once and the
 * store keeps only its SHA-256.
 */
import { randomBytes } from "node:crypto";
import { NotFoundError } from "../errors.js";
import { isUuid, newId } from "../schema/ids.js";
import { inTransaction, type EngineContext } from "./context.js";
import { name, parseInput, z } from "./input.js";
import { hashToken } from "./tokens.js";

const PREFIX = "cho_";

export const OPERATOR_SCOPES = ["admin", "viewer"] as const;
export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

const issueInput = z.object({ name, scope: z.enum(OPERATOR_SCOPES) }).strict();

export interface OperatorIdentity {
  tokenId: string;
  name: string;
  scope: OperatorScope;
}

export async function issueOperatorToken(
  ctx: EngineContext,
  raw: unknown,
): Promise<{ token: string } & OperatorIdentity> {
  const input = parseInput(issueInput, raw, "operators.issueToken");
  const token = PREFIX + randomBytes(32).toString("base64url");
  const tokenId = newId();
  await inTransaction(ctx, (trx) =>
    trx
      .insertInto("operator_tokens")
      .values({
        token_id: tokenId,
        name: input.name,
        scope: input.scope,
        token_hash: hashToken(token),
        created_at: ctx.now(),
        revoked_at: null,
      })
      .execute(),
  );
  return { token, tokenId, name: input.name, scope: input.scope };
}

/** The operator a token stands for, or null for an unknown or revoked token. */
export async function resolveOperatorToken(ctx: EngineContext, token: string): Promise<OperatorIdentity | null> {
  if (typeof token !== "string" || !token.startsWith(PREFIX)) return null;
  const row = await ctx.store.db
    .selectFrom("operator_tokens")
    .select(["token_id", "name", "scope", "revoked_at"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  return { tokenId: row.token_id, name: row.name, scope: row.scope === "admin" ? "admin" : "viewer" };
}

/** Revokes an operator token (again: nothing changes); NotFoundError for a token id never issued. */
export async function revokeOperatorToken(ctx: EngineContext, tokenId: unknown): Promise<void> {
  if (!isUuid(tokenId)) throw new NotFoundError(`no operator token '${String(tokenId)}': token ids are UUIDs`);
  await inTransaction(ctx, async (trx) => {
    const row = await trx
      .selectFrom("operator_tokens")
      .select("revoked_at")
      .where("token_id", "=", tokenId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`no operator token '${tokenId}'`);
    if (row.revoked_at !== null) return;
    await trx.updateTable("operator_tokens").set({ revoked_at: ctx.now() }).where("token_id", "=", tokenId).execute();
  });
}
