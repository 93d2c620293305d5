/** Reading deployments: instances.list and instances.get. */
import { NotFoundError } from "../errors.js";
import type { ActorType, InstanceStatus, RoleType } from "../schema/enums.js";
import { retryTargets } from "./admin-retry.js";
import type { EngineContext } from "./context.js";
import { readPauseState, type PauseState } from "./pause-state.js";

export interface InstanceSummary {
  instanceId: string;
  name: string;
  status: InstanceStatus;
  deploymentDate: Date;
}

export interface InstanceDetails extends InstanceSummary {
  description: string | null;
  masterWorkflowId: string;
  workflows: {
    localWorkflowId: string;
    name: string;
    version: number;
    isMaster: boolean;
    /** The interactions an admin retry may send this workflow's FAILED units to (work.adminRetry). */
    retryTargets: string[];
  }[];
  roles: { roleId: string; name: string; type: RoleType; workflow: string }[];
  actors: { actorId: string; name: string; type: ActorType; identityKey: string; roles: string[] }[];
  /** What is paused (instances.pause): the instance and its roles, each with who, when and why. */
  paused: PauseState;
}

export async function listInstances(ctx: EngineContext): Promise<InstanceSummary[]> {
  const rows = await ctx.store.db.selectFrom("instance_context").selectAll().orderBy("deployment_date").execute();
  return rows.map((r) => ({
    instanceId: r.instance_id,
    name: r.name,
    status: r.status,
    deploymentDate: r.deployment_date,
  }));
}

export async function getInstance(ctx: EngineContext, idOrName: string): Promise<InstanceDetails> {
  const graph = await ctx.graphs.get(idOrName);
  const db = ctx.store.db;
  const row = await db
    .selectFrom("instance_context")
    .selectAll()
    .where("instance_id", "=", graph.instanceId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no instance '${idOrName}'`);
  const [workflows, actors, assignments, paused] = await Promise.all([
    db.selectFrom("local_workflows").selectAll().where("instance_id", "=", graph.instanceId).execute(),
    db.selectFrom("local_actors").selectAll().where("instance_id", "=", graph.instanceId).orderBy("name").execute(),
    db
      .selectFrom("local_actor_role_assignments as a")
      .innerJoin("local_actors as l", "l.actor_id", "a.actor_id")
      .select(["a.actor_id", "a.role_id"])
      .where("l.instance_id", "=", graph.instanceId)
      .where("a.status", "=", "ACTIVE")
      .execute(),
    readPauseState(db, graph),
  ]);
  return {
    instanceId: row.instance_id,
    name: row.name,
    status: row.status,
    deploymentDate: row.deployment_date,
    description: row.description,
    masterWorkflowId: graph.master.id,
    workflows: workflows.map((w) => ({
      localWorkflowId: w.local_workflow_id,
      name: w.name,
      version: w.version,
      isMaster: w.is_master,
      retryTargets: retryTargets(graph.workflows.get(w.local_workflow_id)!),
    })),
    roles: [...graph.roles.values()].map((r) => ({
      roleId: r.id,
      name: r.apiName,
      type: r.type,
      workflow: r.workflow.name,
    })),
    actors: actors.map((a) => ({
      actorId: a.actor_id,
      name: a.name,
      type: a.type,
      identityKey: a.identity_key,
      roles: assignments.filter((x) => x.actor_id === a.actor_id).map((x) => graph.roles.get(x.role_id)!.apiName),
    })),
    paused,
  };
}
