/**
 * Actors of an instance and their assignments to roles. Any actor type may hold any role:
 * assignments decide. The SYSTEM actor is created with the instance and cannot be added.
 */
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import { newId } from "../schema/ids.js";
import { jsonText } from "../schema/json.js";
import { inTransaction, type EngineContext, type Trx } from "./context.js";
import { findRole, type RuntimeGraph } from "./graph.js";
import { entityName, jsonObject, jsonValue, name, parseInput, z } from "./input.js";
import { LIMITS, textProblem, UUID_SHAPE } from "./limits.js";

export const actorInput = z
  .object({
    name: entityName,
    type: z.enum(["HUMAN", "AI_AGENT"]),
    identityKey: name,
    roles: z.array(name).optional(),
    description: z.string().max(LIMITS.textLength).optional(),
    aiContext: jsonValue.optional(),
    capabilities: jsonObject.optional(),
  })
  .strict();

export type ActorInput = z.infer<typeof actorInput>;

export async function insertActor(
  trx: Trx,
  instanceId: string,
  roleId: (roleName: string) => string,
  a: ActorInput,
): Promise<string> {
  const clash = await trx
    .selectFrom("local_actors")
    .select(["name", "identity_key"])
    .where("instance_id", "=", instanceId)
    .where((eb) => eb.or([eb("name", "=", a.name), eb("identity_key", "=", a.identityKey)]))
    .executeTakeFirst();
  if (clash) {
    throw new ConflictError(
      clash.name === a.name
        ? `an actor named '${a.name}' already exists in this instance`
        : `an actor with identity '${a.identityKey}' already exists in this instance`,
    );
  }
  const actorId = newId();
  await trx
    .insertInto("local_actors")
    .values({
      actor_id: actorId,
      instance_id: instanceId,
      identity_key: a.identityKey,
      name: a.name,
      description: a.description ?? null,
      ai_context: jsonText(a.aiContext),
      type: a.type,
      capabilities: jsonText(a.capabilities),
    })
    .execute();
  const roles = [...new Set((a.roles ?? []).map(roleId))];
  if (roles.length > 0) {
    await trx
      .insertInto("local_actor_role_assignments")
      .values(
        roles.map((role_id) => ({ assignment_id: newId(), actor_id: actorId, role_id, status: "ACTIVE" as const })),
      )
      .execute();
  }
  return actorId;
}

export interface ActorRow {
  actorId: string;
  name: string;
  type: "HUMAN" | "AI_AGENT" | "SYSTEM";
}

/** The cache keys of an actor: ids and names apart, so that no name can stand for another actor's id. */
const byId = (actorId: string) => `id:${actorId.toLowerCase()}`;
const byName = (actorName: string) => `name:${actorName}`;

/**
 * An actor of this instance by id or name; NotFoundError for an actor of another instance.
 * A reference of an id's shape is an id, anything else a name.
 */
export async function findActor(
  db: Trx | EngineContext["store"]["db"],
  graph: RuntimeGraph,
  idOrName: unknown,
): Promise<ActorRow> {
  if (typeof idOrName !== "string" || idOrName === "") throw new NotFoundError("no actor given");
  const isId = UUID_SHAPE.test(idOrName);
  const cached = graph.actors.get(isId ? byId(idOrName) : byName(idOrName));
  if (cached) return cached;
  const missing = () => new NotFoundError(`no actor '${idOrName}' in instance '${graph.instanceName}'`);
  // Such a name cannot be stored, so it names nobody (PostgreSQL would refuse the query).
  if (textProblem(idOrName) !== null) throw missing();
  const row = await db
    .selectFrom("local_actors")
    .select(["actor_id", "name", "type"])
    .where("instance_id", "=", graph.instanceId)
    .where(isId ? "actor_id" : "name", "=", idOrName)
    .executeTakeFirst();
  if (!row) throw missing();
  const actor = { actorId: row.actor_id, name: row.name, type: row.type };
  graph.actors.set(byId(actor.actorId), actor);
  if (!UUID_SHAPE.test(actor.name)) graph.actors.set(byName(actor.name), actor);
  return actor;
}

export async function addActor(ctx: EngineContext, instance: string, raw: unknown): Promise<{ actorId: string }> {
  const graph = await ctx.graphs.get(instance);
  const a = parseInput(actorInput, raw, "actors.add");
  const roleId = (role: string) => findRole(graph, role).id;
  (a.roles ?? []).forEach(roleId);
  try {
    return { actorId: await inTransaction(ctx, (trx) => insertActor(trx, graph.instanceId, roleId, a)) };
  } catch (error) {
    // Two adds of the same name at once: the loser meets the unique index, not the check above.
    if (ctx.store.dialect.isUniqueViolation(error)) throw actorClash(a);
    throw error;
  }
}

/** The refusal of an actor whose name or identity another actor of the instance has. */
export function actorClash(a: { name: string; identityKey: string }): ConflictError {
  return new ConflictError(
    `an actor named '${a.name}' or with identity '${a.identityKey}' already exists in this instance`,
  );
}

export async function setAssignment(
  ctx: EngineContext,
  instance: string,
  actor: unknown,
  roleName: unknown,
  status: "ACTIVE" | "REVOKED",
): Promise<void> {
  const graph = await ctx.graphs.get(instance);
  if (typeof roleName !== "string") throw new NotFoundError("no role given");
  const role = findRole(graph, roleName);
  await inTransaction(ctx, async (trx) => {
    const { actorId, type, name: actorName } = await findActor(trx, graph, actor);
    if (type === "SYSTEM") throw new ForbiddenError("the SYSTEM actor's roles are fixed");
    const existing = await trx
      .selectFrom("local_actor_role_assignments")
      .select(["assignment_id", "status"])
      .where("actor_id", "=", actorId)
      .where("role_id", "=", role.id)
      .executeTakeFirst();
    if (existing) {
      if (existing.status !== status) {
        await trx
          .updateTable("local_actor_role_assignments")
          .set({ status })
          .where("assignment_id", "=", existing.assignment_id)
          .execute();
      }
    } else if (status === "ACTIVE") {
      await trx
        .insertInto("local_actor_role_assignments")
        .values({ assignment_id: newId(), actor_id: actorId, role_id: role.id, status })
        .execute();
    } else {
      throw new NotFoundError(`actor '${actorName}' has no assignment to role '${role.apiName}'`);
    }
  });
}

/** Whether the actor may act as the role now: an ACTIVE assignment, or SYSTEM for OMEGA and TAU. */
export async function mayTakeRole(
  trx: Trx | EngineContext["store"]["db"],
  graph: RuntimeGraph,
  actor: ActorRow,
  roleId: string,
): Promise<boolean> {
  const role = graph.roles.get(roleId)!;
  if (actor.type === "SYSTEM") return role.type === "OMEGA" || role.type === "TAU";
  const row = await trx
    .selectFrom("local_actor_role_assignments")
    .select("status")
    .where("actor_id", "=", actor.actorId)
    .where("role_id", "=", roleId)
    .executeTakeFirst();
  return row?.status === "ACTIVE";
}
