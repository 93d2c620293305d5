/**
 * What an actor may read (docs/engine.md, "Who reads what"). Operators read everything; an
 * actor reads the work of its own roles, so that no person sees what an AI agent of another
 * role was given or wrote (nor another person's), and no agent a person's:
 *   - a unit that is in an INBOUND interaction of one of its roles (waiting there, or held
 *     there by anyone: an inbox shows who took what), or that it holds;
 *   - a unit it has acted on (an entry of the unit's audit log names it);
 *   - of the event stream, the entries it wrote, the entries written in one of its roles, and
 *     the entries of units arriving in or leaving its roles' interactions.
 * The reading verbs take the actor as `reader`; without one they read as an operator.
 * Assignments are read when the reader is made: a role revoked meanwhile closes no open stream.
 */
import { ForbiddenError } from "../errors.js";
import { findActor } from "./actors.js";
import type { EngineContext, Trx } from "./context.js";
import { findRole, type RuntimeGraph } from "./graph.js";

export interface Reader {
  actorId: string;
  actorName: string;
  /** The roles it has an ACTIVE assignment to. */
  roleIds: ReadonlySet<string>;
  /** The INBOUND interactions of those roles: where the units it may take wait. */
  interactionIds: ReadonlySet<string>;
}

type Db = Trx | EngineContext["store"]["db"];

/** The reader for an actor of this instance (by id or name). */
export async function readerOf(db: Db, graph: RuntimeGraph, actorRef: unknown): Promise<Reader> {
  const actor = await findActor(db, graph, actorRef);
  const rows = await db
    .selectFrom("local_actor_role_assignments")
    .select("role_id")
    .where("actor_id", "=", actor.actorId)
    .where("status", "=", "ACTIVE")
    .execute();
  const roleIds = new Set<string>();
  const interactionIds = new Set<string>();
  for (const { role_id } of rows) {
    const role = graph.roles.get(role_id);
    if (!role) continue;
    roleIds.add(role.id);
    for (const c of role.inbound) interactionIds.add(c.interaction.id);
  }
  return { actorId: actor.actorId, actorName: actor.name, roleIds, interactionIds };
}

interface UnitPlace {
  uow_id: string;
  current_interaction_id: string;
  locked_by_actor_id: string | null;
}

/** Whether the reader may read this unit: one of its roles' units, or one it has acted on. */
export async function mayRead(db: Db, reader: Reader, unit: UnitPlace): Promise<boolean> {
  if (reader.interactionIds.has(unit.current_interaction_id)) return true;
  if (unit.locked_by_actor_id === reader.actorId) return true;
  // ix_interaction_logs_unit: the unit's own entries, however long the instance's log is.
  const acted = await db
    .selectFrom("interaction_logs")
    .select("log_id")
    .where("uow_id", "=", unit.uow_id)
    .where("actor_id", "=", reader.actorId)
    .limit(1)
    .executeTakeFirst();
  return acted !== undefined;
}

/** Throws a ForbiddenError unless the reader may read the unit. */
export async function assertMayRead(db: Db, reader: Reader | null, unit: UnitPlace): Promise<void> {
  if (reader === null || (await mayRead(db, reader, unit))) return;
  throw new ForbiddenError(
    `actor '${reader.actorName}' may read only the units of its roles and the units it has acted on; unit ${unit.uow_id} is neither`,
  );
}

/**
 * A list an actor may ask for: the units of one of its roles (`role`), or the units it holds
 * (`heldBy` itself). Anything narrower is fine; anything wider is refused, not filtered, so
 * that a page never looks shorter than it is.
 */
export function assertMayList(
  graph: RuntimeGraph,
  reader: Reader | null,
  filter: { role?: string | undefined; heldBy?: string | undefined },
): void {
  if (reader === null) return;
  if (filter.role !== undefined && reader.roleIds.has(findRole(graph, filter.role).id)) return;
  if (filter.heldBy === reader.actorId || filter.heldBy === reader.actorName) return;
  const roles = [...reader.roleIds].map((id) => graph.roles.get(id)!.apiName).sort();
  throw new ForbiddenError(
    `actor '${reader.actorName}' lists only the units of its roles (role: ${roles.length > 0 ? roles.join(", ") : "it has none"}) or the units it holds (heldBy: '${reader.actorName}')`,
  );
}

/** Whether the reader may see this audit entry in the event stream. */
export function mayReadEntry(
  reader: Reader,
  entry: { actor_id: string; role_id: string | null; interaction_id: string | null },
): boolean {
  return (
    entry.actor_id === reader.actorId ||
    (entry.role_id !== null && reader.roleIds.has(entry.role_id)) ||
    (entry.interaction_id !== null && reader.interactionIds.has(entry.interaction_id))
  );
}
