/**
 * What is paused in an instance: the instance itself (instance_context.status PAUSED) and its
 * roles (local_roles.paused_at), with who paused each, when and why (their PAUSE entries in
 * instance_events). Read fresh from the store at every use: the graph cache never holds it.
 */
import { ConflictError } from "../errors.js";
import type { EngineContext, Trx } from "./context.js";
import type { RuntimeGraph, RuntimeRole } from "./graph.js";

export interface PauseInfo {
  since: Date;
  by: string;
  reason: string | null;
}

export interface PausedRole extends PauseInfo {
  role: string;
}

export interface PauseState {
  /** The instance's pause, or null while it runs. */
  instance: PauseInfo | null;
  /** The paused roles, by API name. */
  roles: PausedRole[];
}

type Db = EngineContext["store"]["db"] | Trx;

/** Whether the instance, and which of its roles, are paused: one read, no audit entries. */
export async function pausedNow(db: Db, graph: RuntimeGraph): Promise<{ instance: boolean; roleIds: Set<string> }> {
  const [instance, roles] = await Promise.all([
    db
      .selectFrom("instance_context")
      .select("status")
      .where("instance_id", "=", graph.instanceId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("local_roles")
      .select("role_id")
      .where("role_id", "in", [...graph.roles.keys()])
      .where("paused_at", "is not", null)
      .execute(),
  ]);
  return { instance: instance.status === "PAUSED", roleIds: new Set(roles.map((r) => r.role_id)) };
}

/** The pause state with who, when and why, for instances.get and the overview. */
export async function readPauseState(db: Db, graph: RuntimeGraph): Promise<PauseState> {
  const now = await pausedNow(db, graph);
  if (!now.instance && now.roleIds.size === 0) return { instance: null, roles: [] };
  const latestPause = async (roleId: string | null): Promise<PauseInfo> => {
    let query = db
      .selectFrom("instance_events")
      .select(["performed_by", "reason", "timestamp"])
      .where("instance_id", "=", graph.instanceId)
      .where("event", "=", "PAUSE")
      .orderBy("event_id", "desc")
      .limit(1);
    query = roleId === null ? query.where("role_id", "is", null) : query.where("role_id", "=", roleId);
    const row = await query.executeTakeFirst();
    // A pause written by hand, without its entry, still shows as a pause.
    return row
      ? { since: row.timestamp, by: row.performed_by, reason: row.reason }
      : { since: new Date(0), by: "unknown", reason: null };
  };
  const roleIds = [...now.roleIds].sort((a, b) =>
    graph.roles.get(a)!.apiName.localeCompare(graph.roles.get(b)!.apiName),
  );
  return {
    instance: now.instance ? await latestPause(null) : null,
    roles: await Promise.all(
      roleIds.map(async (id) => ({ role: graph.roles.get(id)!.apiName, ...(await latestPause(id)) })),
    ),
  };
}

/** Why this role takes no work now (its instance or itself is paused), or null. */
export async function pauseRefusal(db: Db, graph: RuntimeGraph, role: RuntimeRole): Promise<string | null> {
  const now = await pausedNow(db, graph);
  if (now.instance) return `instance '${graph.instanceName}' is paused`;
  if (now.roleIds.has(role.id)) return `role '${role.apiName}' of instance '${graph.instanceName}' is paused`;
  return null;
}

/**
 * Genesis while the instance or its ALPHA is paused, or its master workflow is not active
 * (`local_workflows.is_active`), is refused: a ConflictError naming which.
 */
export async function assertMayStart(db: Db, graph: RuntimeGraph): Promise<void> {
  const [refusal, master] = await Promise.all([
    pauseRefusal(db, graph, graph.master.alpha),
    db
      .selectFrom("local_workflows")
      .select("is_active")
      .where("local_workflow_id", "=", graph.master.id)
      .executeTakeFirstOrThrow(),
  ]);
  if (refusal !== null)
    throw new ConflictError(`${refusal}: it starts no work until it is resumed; nothing was started`);
  if (!master.is_active) {
    throw new ConflictError(
      `workflow '${graph.master.name}' of instance '${graph.instanceName}' is not active (local_workflows.is_active): it starts no work; nothing was started`,
    );
  }
}
