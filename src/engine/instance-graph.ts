/**
 * instances.graph: an instance's own blueprint graph, drawn from what the instance store holds
 * (its local_* rows, read once into the frozen graph; the template store is never read), with
 * the overview's counts on each interaction and role and, optionally, one unit's place marked.
 */
import { drawWorkflow, DRAWING_FORMATS, type DrawingFormat, type GraphMarks } from "../blueprint/graph.js";
import type { BlueprintComponent, BlueprintWorkflow } from "../blueprint/model.js";
import { NotFoundError } from "../errors.js";
import type { EngineContext } from "./context.js";
import type { RuntimeComponent, RuntimeGraph, RuntimeWorkflow } from "./graph.js";
import { name, parseInput, z } from "./input.js";
import { checkoutRole } from "./lease.js";
import { instanceOverview, type OverviewCounts } from "./overview.js";
import { UUID_SHAPE } from "./limits.js";
import { assertMayRead, readerOf } from "./visibility.js";

const graphInput = z
  .object({
    format: z.enum(DRAWING_FORMATS as [DrawingFormat, ...DrawingFormat[]]).optional(),
    uow: z.string().regex(UUID_SHAPE, "must be a unit id (a UUID)").optional(),
    workflow: name.optional(),
    maxAgeSeconds: z.number().min(0).max(60).optional(),
    /** Actor id or name: a unit it may read, and no counts (they would tell of other roles' work). */
    reader: name.optional(),
  })
  .strict();

export async function instanceGraph(ctx: EngineContext, instance: string, raw: unknown = {}): Promise<string> {
  const input = parseInput(graphInput, raw ?? {}, "instances.graph");
  const graph = await ctx.graphs.get(instance);
  const reader = input.reader === undefined ? null : await readerOf(ctx.store.db, graph, input.reader);
  const interactionLines = new Map<string, string[]>();
  const roleLines = new Map<string, string[]>();
  const marks: GraphMarks = { interactionLines, roleLines };
  let workflow: RuntimeWorkflow | undefined;
  if (input.uow !== undefined) {
    const unit = await ctx.store.db
      .selectFrom("units_of_work")
      .selectAll()
      .where("uow_id", "=", input.uow)
      .where("instance_id", "=", graph.instanceId)
      .executeTakeFirst();
    if (!unit) throw new NotFoundError(`no unit ${input.uow} in instance '${graph.instanceName}'`);
    await assertMayRead(ctx.store.db, reader, unit);
    workflow = graph.workflows.get(unit.local_workflow_id)!;
    const interaction = graph.interactions.get(unit.current_interaction_id)!;
    const roles: string[] = [];
    if (unit.status === "ACTIVE" && unit.lease_token !== null) {
      roles.push((await checkoutRole({ trx: ctx.store.db, graph }, unit)).name);
    }
    marks.marked = { interactions: [interaction.name], roles };
    marks.title = `instance ${graph.instanceName}: workflow ${workflow.name}, unit ${unit.uow_id} (${unit.status})`;
  }
  if (input.workflow !== undefined) {
    const named = [...graph.workflows.values()].find((w) => w.name === input.workflow);
    if (!named) {
      const known = [...graph.workflows.values()].map((w) => w.name).join(", ");
      throw new NotFoundError(
        `no workflow '${input.workflow}' in instance '${graph.instanceName}' (workflows: ${known})`,
      );
    }
    if (workflow && workflow !== named) {
      throw new NotFoundError(`unit ${input.uow} is in workflow '${workflow.name}', not in '${named.name}'`);
    }
    workflow = named;
  }
  workflow ??= graph.master;
  marks.title ??= `instance ${graph.instanceName}: workflow ${workflow.name}`;
  if (reader !== null) return drawWorkflow(asBlueprint(graph, workflow), input.format ?? "mermaid", marks);

  const overview = await instanceOverview(ctx, graph.instanceId, {
    ...(input.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: input.maxAgeSeconds }),
  });
  const byName = new Map(overview.interactions.map((o) => [o.name, o]));
  for (const i of graph.interactions.values()) {
    if (i.workflow !== workflow) continue;
    const o = byName.get(i.apiName);
    if (o) interactionLines.set(i.name, countLines(o, true));
  }
  const roleByName = new Map(overview.roles.map((o) => [o.name, o]));
  for (const r of workflow.roles) {
    const o = roleByName.get(r.apiName);
    if (o) roleLines.set(r.name, countLines(o, false));
  }
  return drawWorkflow(asBlueprint(graph, workflow), input.format ?? "mermaid", marks);
}

/** `3 waiting (oldest 2m 5s)`, `2 held`, `1 failed in the last hour`, `12 finalized in the last hour`. */
function countLines(o: OverviewCounts, waiting: boolean): string[] {
  const lines: string[] = [];
  const heldCount = o.held.reduce((sum, h) => sum + h.count, 0);
  const parts: string[] = [];
  if (waiting) {
    parts.push(
      `${o.waiting} waiting${o.waiting > 0 && o.oldestWaitingSeconds !== null ? ` (oldest ${duration(o.oldestWaitingSeconds)})` : ""}`,
    );
  }
  if (heldCount > 0 || waiting) parts.push(`${heldCount} held`);
  if (parts.length > 0) lines.push(parts.join(", "));
  if (o.failuresLastHour > 0) lines.push(`${o.failuresLastHour} failed in the last hour`);
  if (o.finalizedLastHour > 0) lines.push(`${o.finalizedLastHour} finalized in the last hour`);
  return lines;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${Math.floor((seconds % 86_400) / 3600)}h`;
}

/** The frozen graph of one workflow in the shape the blueprint drawing reads. */
function asBlueprint(graph: RuntimeGraph, w: RuntimeWorkflow): BlueprintWorkflow {
  const components = new Map<string, RuntimeComponent>();
  for (const r of w.roles) for (const c of [...r.inbound, ...r.outbound]) components.set(c.id, c);
  const ordered = [...components.values()].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  return {
    name: w.name,
    description: null,
    aiContext: null,
    // The instance store keeps no blueprint order of roles and interactions: by name, the same on every engine.
    roles: [...w.roles]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => ({
        name: r.name,
        type: r.type,
        strategy: r.strategy,
        description: null,
        aiContext: null,
        childWorkflow: r.linkedWorkflow?.name ?? null,
        config: r.config,
      })),
    interactions: [...graph.interactions.values()]
      .filter((i) => i.workflow === w)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((i) => ({
        name: i.name,
        description: null,
        aiContext: null,
        staleTokenLimitSeconds: i.staleLimitSeconds,
      })),
    components: ordered.map((c): BlueprintComponent => ({
      name: c.name,
      role: c.role.name,
      interaction: c.interaction.name,
      direction: c.direction,
      description: null,
      aiContext: null,
      guardians: c.guardians.map((g) => ({
        name: g.name,
        type: g.type,
        config: g.config,
        description: null,
        aiContext: null,
      })),
    })),
  };
}
