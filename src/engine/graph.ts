/**
 * The frozen graph of one instance, read once from the instance store and kept in memory:
 * a deployment's roles, interactions, components and guardians never change after it is
 * created, so every checkout and submit decides its routes without reading them again.
 */
import { NotFoundError } from "../errors.js";
import type { ComponentDirection, DecompositionStrategy, GuardianType, RoleType, UOWStatus } from "../schema/enums.js";
import { isProcessingRole } from "../schema/enums.js";
import type { JsonObject } from "../schema/json.js";
import { isJsonObject } from "../schema/json.js";
import { isUuid } from "../schema/ids.js";
import type { InstanceStore } from "../store/open.js";
import { compileGuardian, type CompiledGuardian } from "./guards.js";
import { textProblem } from "./limits.js";

/** How a unit that arrives in an interaction is held there (ENGINE.md section 5). */
export type InteractionKind =
  | "queue" // PENDING, for the processing roles that consume it
  | "errors" // FAILED, for EPSILON (the Ate path)
  | "timeouts" // TIMEOUT, for TAU (the Chronos path)
  | "cerberus" // COMPLETED, until OMEGA takes the released set
  | "gateway"; // ACTIVE, held by SYSTEM while a SIGMA role runs its nested workflow

export const ARRIVAL_STATUS: Record<InteractionKind, UOWStatus> = {
  queue: "PENDING",
  errors: "FAILED",
  timeouts: "TIMEOUT",
  cerberus: "COMPLETED",
  gateway: "ACTIVE",
};

export interface RuntimeWorkflow {
  id: string;
  name: string;
  isMaster: boolean;
  roles: RuntimeRole[];
  alpha: RuntimeRole;
  omega: RuntimeRole;
  epsilon: RuntimeRole;
  tau: RuntimeRole;
  /** The INBOUND interaction of EPSILON: where failed units go. */
  errors: RuntimeInteraction;
  /** The INBOUND interaction of TAU: where stale units go. */
  timeouts: RuntimeInteraction;
  /** The interaction guarded by CERBERUS that feeds OMEGA: where split parents wait. */
  cerberus: RuntimeInteraction;
  cerberusGuardian: CompiledGuardian;
}

export interface RuntimeRole {
  id: string;
  name: string;
  /** The name the API uses: plain when unique in the instance, else `Workflow/Role`. */
  apiName: string;
  type: RoleType;
  workflow: RuntimeWorkflow;
  strategy: DecompositionStrategy | null;
  config: JsonObject | null;
  /** Parent keys copied to children when this role splits a unit. */
  transferable: string[];
  /** The nested workflow a SIGMA role runs. */
  linkedWorkflow: RuntimeWorkflow | null;
  inbound: RuntimeComponent[];
  /** OUTBOUND components in routing order: by position, the default (no condition) last. */
  outbound: RuntimeComponent[];
}

export interface RuntimeInteraction {
  id: string;
  name: string;
  apiName: string;
  workflow: RuntimeWorkflow;
  staleLimitSeconds: number | null;
  kind: InteractionKind;
  /** The INBOUND components that take units out of it. */
  consumers: RuntimeComponent[];
}

export interface RuntimeComponent {
  id: string;
  name: string;
  direction: ComponentDirection;
  position: number;
  role: RuntimeRole;
  interaction: RuntimeInteraction;
  guardians: CompiledGuardian[];
  /** No guardian of it decides by a condition: the default route, tried last. */
  isDefault: boolean;
}

export interface RuntimeGraph {
  instanceId: string;
  instanceName: string;
  systemActorId: string;
  master: RuntimeWorkflow;
  workflows: Map<string, RuntimeWorkflow>;
  roles: Map<string, RuntimeRole>;
  interactions: Map<string, RuntimeInteraction>;
  roleByName: Map<string, RuntimeRole>;
  interactionByName: Map<string, RuntimeInteraction>;
  /**
   * Actors already looked up, by id and by name. Actors are never renamed or removed, so a
   * found actor stays valid; assignments are always read from the database.
   */
  actors: Map<string, { actorId: string; name: string; type: "HUMAN" | "AI_AGENT" | "SYSTEM" }>;
}

/** The status of the units a role takes at checkout (ENGINE.md section 2). */
export function pulledStatus(role: RuntimeRole): UOWStatus | null {
  if (isProcessingRole(role.type)) return role.type === "SIGMA" ? null : "PENDING";
  switch (role.type) {
    case "EPSILON":
      return "FAILED";
    case "TAU":
      return "TIMEOUT";
    case "OMEGA":
      return "COMPLETED";
    default:
      return null;
  }
}

export function findRole(graph: RuntimeGraph, name: string): RuntimeRole {
  const role = graph.roleByName.get(name);
  if (!role) {
    const known = [...graph.roleByName.keys()].filter(
      (k) => !k.includes("/") || !graph.roleByName.has(k.split("/")[1]!),
    );
    throw new NotFoundError(`no role '${name}' in instance '${graph.instanceName}' (roles: ${known.join(", ")})`);
  }
  return role;
}

export function findInteraction(graph: RuntimeGraph, name: string): RuntimeInteraction {
  const interaction = graph.interactionByName.get(name);
  if (!interaction) throw new NotFoundError(`no interaction '${name}' in instance '${graph.instanceName}'`);
  return interaction;
}

export class GraphCache {
  readonly #byId = new Map<string, Promise<RuntimeGraph>>();
  readonly #idByName = new Map<string, string>();
  constructor(private readonly store: InstanceStore) {}

  /** The graph of an instance given by id or name; NotFoundError when there is none. */
  async get(idOrName: string): Promise<RuntimeGraph> {
    if (typeof idOrName !== "string" || idOrName === "") throw new NotFoundError("no instance given");
    const id = isUuid(idOrName) ? idOrName : (this.#idByName.get(idOrName) ?? (await this.#lookup(idOrName)));
    let graph = this.#byId.get(id);
    if (!graph) {
      graph = loadGraph(this.store, id);
      this.#byId.set(id, graph);
      graph.catch(() => this.#byId.delete(id));
    }
    return graph;
  }

  async #lookup(name: string): Promise<string> {
    // A name no store can hold names nothing (PostgreSQL would refuse the query itself).
    if (textProblem(name) !== null) throw new NotFoundError(`no instance ${JSON.stringify(name)}`);
    const row = await this.store.db
      .selectFrom("instance_context")
      .select("instance_id")
      .where("name", "=", name)
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`no instance '${name}'`);
    this.#idByName.set(name, row.instance_id);
    return row.instance_id;
  }
}

async function loadGraph(store: InstanceStore, instanceId: string): Promise<RuntimeGraph> {
  const db = store.db;
  const instance = await db
    .selectFrom("instance_context")
    .select(["instance_id", "name"])
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  if (!instance) throw new NotFoundError(`no instance '${instanceId}'`);
  const [workflowRows, system] = await Promise.all([
    db.selectFrom("local_workflows").selectAll().where("instance_id", "=", instanceId).execute(),
    db
      .selectFrom("local_actors")
      .select("actor_id")
      .where("instance_id", "=", instanceId)
      .where("type", "=", "SYSTEM")
      .executeTakeFirst(),
  ]);
  if (!system) throw new Error(`instance '${instance.name}' has no SYSTEM actor`);
  const workflowIds = workflowRows.map((w) => w.local_workflow_id);
  const [roleRows, interactionRows, componentRows, guardianRows] = await Promise.all([
    db.selectFrom("local_roles").selectAll().where("local_workflow_id", "in", workflowIds).execute(),
    db.selectFrom("local_interactions").selectAll().where("local_workflow_id", "in", workflowIds).execute(),
    db
      .selectFrom("local_components")
      .selectAll()
      .where("local_workflow_id", "in", workflowIds)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("local_guardians")
      .selectAll()
      .where("local_workflow_id", "in", workflowIds)
      .orderBy("position")
      .execute(),
  ]);

  const workflows = new Map<string, RuntimeWorkflow>();
  for (const w of workflowRows) {
    workflows.set(w.local_workflow_id, {
      id: w.local_workflow_id,
      name: w.name,
      isMaster: w.is_master,
      roles: [],
    } as unknown as RuntimeWorkflow);
  }
  const nameCount = (names: string[]) =>
    names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  const roleNames = nameCount(roleRows.map((r) => r.name));
  const interactionNames = nameCount(interactionRows.map((i) => i.name));

  const roles = new Map<string, RuntimeRole>();
  for (const r of roleRows) {
    const workflow = workflows.get(r.local_workflow_id)!;
    const config = isJsonObject(r.config) ? r.config : null;
    const transferable = Array.isArray(config?.transferable)
      ? config.transferable.filter((k): k is string => typeof k === "string")
      : [];
    const role: RuntimeRole = {
      id: r.role_id,
      name: r.name,
      apiName: roleNames.get(r.name)! > 1 ? `${workflow.name}/${r.name}` : r.name,
      type: r.role_type,
      workflow,
      strategy: r.decomposition_strategy,
      config,
      transferable,
      linkedWorkflow: r.linked_local_workflow_id ? (workflows.get(r.linked_local_workflow_id) ?? null) : null,
      inbound: [],
      outbound: [],
    };
    roles.set(role.id, role);
    workflow.roles.push(role);
  }
  const interactions = new Map<string, RuntimeInteraction>();
  for (const i of interactionRows) {
    const workflow = workflows.get(i.local_workflow_id)!;
    interactions.set(i.interaction_id, {
      id: i.interaction_id,
      name: i.name,
      apiName: interactionNames.get(i.name)! > 1 ? `${workflow.name}/${i.name}` : i.name,
      workflow,
      staleLimitSeconds: i.stale_token_limit_seconds,
      kind: "queue",
      consumers: [],
    });
  }
  const guardiansOf = new Map<string, CompiledGuardian[]>();
  for (const g of guardianRows) {
    const list = guardiansOf.get(g.component_id) ?? [];
    list.push(
      compileGuardian({
        id: g.guardian_id,
        name: g.name,
        type: g.type as GuardianType,
        config: isJsonObject(g.attributes) ? g.attributes : null,
      }),
    );
    guardiansOf.set(g.component_id, list);
  }
  for (const c of componentRows) {
    const role = roles.get(c.role_id)!;
    const interaction = interactions.get(c.interaction_id)!;
    const guardians = guardiansOf.get(c.component_id) ?? [];
    const component: RuntimeComponent = {
      id: c.component_id,
      name: c.name,
      direction: c.direction,
      position: c.position,
      role,
      interaction,
      guardians,
      isDefault: !guardians.some((g) => g.decidesByCondition),
    };
    if (c.direction === "INBOUND") {
      role.inbound.push(component);
      interaction.consumers.push(component);
    } else role.outbound.push(component);
  }
  for (const role of roles.values()) {
    // Stable sort: conditional components in blueprint order, then the default.
    role.outbound.sort((a, b) => Number(a.isDefault) - Number(b.isDefault) || a.position - b.position);
  }
  for (const interaction of interactions.values()) interaction.kind = kindOf(interaction);

  for (const workflow of workflows.values()) {
    const only = (type: RoleType) => {
      const found = workflow.roles.find((r) => r.type === type);
      if (!found) throw new Error(`workflow '${workflow.name}' has no ${type} role`);
      return found;
    };
    workflow.alpha = only("ALPHA");
    workflow.omega = only("OMEGA");
    workflow.epsilon = only("EPSILON");
    workflow.tau = only("TAU");
    workflow.errors = workflow.epsilon.inbound[0]!.interaction;
    workflow.timeouts = workflow.tau.inbound[0]!.interaction;
    const cerberusIn = workflow.omega.inbound.find((c) => c.guardians.some((g) => g.type === "CERBERUS"))!;
    workflow.cerberus = cerberusIn.interaction;
    workflow.cerberusGuardian = cerberusIn.guardians.find((g) => g.type === "CERBERUS")!;
  }

  const byName = <T extends { name: string; apiName: string; workflow: RuntimeWorkflow }>(items: Iterable<T>) => {
    const map = new Map<string, T>();
    for (const item of items) {
      map.set(`${item.workflow.name}/${item.name}`, item);
      if (item.apiName === item.name) map.set(item.name, item);
    }
    return map;
  };
  const master = [...workflows.values()].find((w) => w.isMaster);
  if (!master) throw new Error(`instance '${instance.name}' has no master workflow`);
  return {
    instanceId,
    instanceName: instance.name,
    systemActorId: system.actor_id,
    master,
    workflows,
    roles,
    interactions,
    roleByName: byName(roles.values()),
    interactionByName: byName(interactions.values()),
    actors: new Map(),
  };
}

function kindOf(interaction: RuntimeInteraction): InteractionKind {
  const types = interaction.consumers.map((c) => c.role.type);
  if (types.includes("SIGMA")) return "gateway";
  const omega = interaction.consumers.find((c) => c.role.type === "OMEGA");
  if (omega?.guardians.some((g) => g.type === "CERBERUS")) return "cerberus";
  if (types.includes("EPSILON")) return "errors";
  if (types.includes("TAU")) return "timeouts";
  return "queue";
}
