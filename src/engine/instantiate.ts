/**
 * Instantiation (ENGINE.md section 4): reads the master blueprint and every blueprint it
 * nests from the template store, once, then writes the whole deployment into the instance
 * store in one transaction: the clone of each workflow (each nested one once), the SYSTEM
 * actor and the given actors with their assignments. Afterwards nothing of the instance
 * reads the template store again.
 */
import type { Span } from "@opentelemetry/api";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { loadTemplate, loadTemplateById, type StoredTemplate } from "../blueprint/catalog.js";
import { workflowRows } from "../blueprint/rows.js";
import { newId } from "../schema/ids.js";
import { jsonText } from "../schema/json.js";
import type { TemplateStore } from "../store/open.js";
import { inTransaction, type EngineContext, type Trx } from "./context.js";
import { entityName, name, parseInput, z } from "./input.js";
import { LIMITS } from "./limits.js";
import { insertActor, actorInput } from "./actors.js";
import { ATTR, inSpan } from "./trace.js";

const createInput = z
  .object({
    workflow: name,
    version: z.number().int().positive().optional(),
    name: entityName,
    description: z.string().max(LIMITS.textLength).optional(),
    actors: z.array(actorInput).optional(),
  })
  .strict();

export type CreateInstanceInput = z.infer<typeof createInput>;

export interface CreatedInstance {
  instanceId: string;
  name: string;
  masterWorkflowId: string;
  systemActorId: string;
  actors: { actorId: string; name: string }[];
}

export function createInstance(ctx: EngineContext, templates: TemplateStore, raw: unknown): Promise<CreatedInstance> {
  return inSpan("chameleon.instantiate", async (span) => {
    const created = await createIn(ctx, templates, raw, span);
    if (span.isRecording()) {
      span.setAttributes({
        [ATTR.instance]: created.name,
        [ATTR.instanceId]: created.instanceId,
        [ATTR.outcome]: "created",
      });
    }
    return created;
  });
}

async function createIn(
  ctx: EngineContext,
  templates: TemplateStore,
  raw: unknown,
  span: Span,
): Promise<CreatedInstance> {
  const input = parseInput(createInput, raw, "instances.create");
  if (span.isRecording()) span.setAttributes({ [ATTR.workflow]: input.workflow, [ATTR.instance]: input.name });
  const clones = await readBlueprints(templates, input.workflow, input.version);
  const names = new Set<string>();
  for (const t of clones) {
    if (names.has(t.name)) {
      throw new ValidationError(
        `workflow '${input.workflow}' nests two versions of '${t.name}'; an instance holds one workflow per name`,
      );
    }
    names.add(t.name);
  }
  try {
    return await createInTransaction(ctx, input, clones);
  } catch (error) {
    // Two creates of the same name at once: the loser meets the unique index, not the check.
    if (ctx.store.dialect.isUniqueViolation(error))
      throw new ConflictError(`an instance named '${input.name}' already exists`);
    throw error;
  }
}

function createInTransaction(
  ctx: EngineContext,
  input: CreateInstanceInput,
  clones: StoredTemplate[],
): Promise<CreatedInstance> {
  return inTransaction(ctx, async (trx) => {
    const taken = await trx
      .selectFrom("instance_context")
      .select("instance_id")
      .where("name", "=", input.name)
      .executeTakeFirst();
    if (taken) throw new ConflictError(`an instance named '${input.name}' already exists`);
    const at = ctx.now();
    const instanceId = newId();
    await trx
      .insertInto("instance_context")
      .values({
        instance_id: instanceId,
        name: input.name,
        description: input.description ?? null,
        status: "ACTIVE",
        deployment_date: at,
      })
      .execute();
    const cloned = await cloneWorkflows(trx, instanceId, clones);
    // The engine's own guarantee of "one master per instance" (no portable partial index).
    const masters = await trx
      .selectFrom("local_workflows")
      .select("local_workflow_id")
      .where("instance_id", "=", instanceId)
      .where("is_master", "=", true)
      .execute();
    if (masters.length !== 1) throw new Error(`instance '${input.name}' would have ${masters.length} master workflows`);

    const systemActorId = newId();
    await trx
      .insertInto("local_actors")
      .values({
        actor_id: systemActorId,
        instance_id: instanceId,
        identity_key: "system",
        name: "SYSTEM",
        description: "The engine itself: everything it does on its own is done in this actor's name.",
        ai_context: null,
        type: "SYSTEM",
        capabilities: null,
      })
      .execute();
    const actors = [];
    for (const a of input.actors ?? []) {
      const roleId = (role: string) => {
        const id = cloned.roleIds.get(role);
        if (!id) throw new NotFoundError(`no role '${role}' in workflow '${input.workflow}' (actor '${a.name}')`);
        return id;
      };
      actors.push({ actorId: await insertActor(trx, instanceId, roleId, a), name: a.name });
    }
    return { instanceId, name: input.name, masterWorkflowId: cloned.masterId, systemActorId, actors };
  });
}

/** The master blueprint and every blueprint reachable through SIGMA roles, each once. */
async function readBlueprints(templates: TemplateStore, workflow: string, version?: number): Promise<StoredTemplate[]> {
  const master = await loadTemplate(templates.db, workflow, version);
  const found = new Map<string, StoredTemplate>([[master.workflowId, master]]);
  const queue = [master];
  while (queue.length > 0) {
    const t = queue.shift()!;
    for (const pin of Object.values(t.nested)) {
      if (found.has(pin.workflowId)) continue;
      const child = await loadTemplateById(templates.db, pin.workflowId);
      found.set(child.workflowId, child);
      queue.push(child);
    }
  }
  return [...found.values()];
}

/** Role names as the API knows them: plain when unique in the instance, else `Workflow/Role`. */
export function apiRoleNames(templates: { name: string; workflow: { roles: { name: string }[] } }[]) {
  const count = new Map<string, number>();
  for (const t of templates) for (const r of t.workflow.roles) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return (workflow: string, role: string) => (count.get(role)! > 1 ? `${workflow}/${role}` : role);
}

async function cloneWorkflows(trx: Trx, instanceId: string, templates: StoredTemplate[]) {
  const localIds = new Map(templates.map((t) => [t.workflowId, newId()]));
  const apiName = apiRoleNames(templates);
  /** API role name (and `Workflow/Role`) -> local role id, for assignments. */
  const roleIds = new Map<string, string>();
  await trx
    .insertInto("local_workflows")
    .values(
      templates.map((t, i) => ({
        local_workflow_id: localIds.get(t.workflowId)!,
        instance_id: instanceId,
        original_workflow_id: t.workflowId,
        name: t.name,
        description: t.workflow.description,
        ai_context: jsonText(t.workflow.aiContext),
        version: t.version,
        is_active: true,
        is_master: i === 0,
      })),
    )
    .execute();
  for (const t of templates) {
    const localWorkflowId = localIds.get(t.workflowId)!;
    const rows = workflowRows(t.workflow);
    for (const { id, role } of rows.roles) {
      roleIds.set(apiName(t.name, role.name), id);
      roleIds.set(`${t.name}/${role.name}`, id);
    }
    await trx
      .insertInto("local_roles")
      .values(
        rows.roles.map(({ id, role: r }) => ({
          role_id: id,
          local_workflow_id: localWorkflowId,
          name: r.name,
          description: r.description,
          ai_context: jsonText(r.aiContext),
          role_type: r.type,
          decomposition_strategy: r.strategy,
          is_recursive_gateway: r.type === "SIGMA",
          // Every pinned nested workflow was read and is cloned in this same instance.
          linked_local_workflow_id: r.childWorkflow ? localIds.get(t.nested[r.childWorkflow]!.workflowId)! : null,
          config: jsonText(r.config),
        })),
      )
      .execute();
    await trx
      .insertInto("local_interactions")
      .values(
        rows.interactions.map(({ id, interaction: i }) => ({
          interaction_id: id,
          local_workflow_id: localWorkflowId,
          name: i.name,
          description: i.description,
          ai_context: jsonText(i.aiContext),
          stale_token_limit_seconds: i.staleTokenLimitSeconds,
        })),
      )
      .execute();
    await trx
      .insertInto("local_components")
      .values(
        rows.components.map(({ id, roleId, interactionId, position, component: c }) => ({
          component_id: id,
          local_workflow_id: localWorkflowId,
          interaction_id: interactionId,
          role_id: roleId,
          direction: c.direction,
          name: c.name,
          description: c.description,
          ai_context: jsonText(c.aiContext),
          position,
        })),
      )
      .execute();
    if (rows.guardians.length > 0) {
      await trx
        .insertInto("local_guardians")
        .values(
          rows.guardians.map(({ id, componentId, position, guardian: g }) => ({
            guardian_id: id,
            local_workflow_id: localWorkflowId,
            component_id: componentId,
            name: g.name,
            description: g.description,
            ai_context: jsonText(g.aiContext),
            type: g.type,
            attributes: jsonText(g.config),
            position,
          })),
        )
        .execute();
    }
  }
  return { masterId: localIds.get(templates[0]!.workflowId)!, roleIds };
}
