/**
 * Genesis (ENGINE.md sections 2 and 5): ALPHA of the master workflow creates a base unit with
 * version-1 attributes and routes it through its OUTBOUND components like any role. Several
 * units can be started in one transaction (multi-genesis).
 */
import { ForbiddenError } from "../errors.js";
import type { JsonObject } from "../schema/json.js";
import { checkActorAttributes, writeAttributes } from "./attributes.js";
import type { EngineContext } from "./context.js";
import { findActor, mayTakeRole } from "./actors.js";
import { jsonObject, parseInput, z } from "./input.js";
import { checkStoredSize, LIMITS } from "./limits.js";
import { afterArrival, createUnit } from "./place.js";
import { chooseRoute, conditionScope } from "./route.js";
import { runStep, type Step, type UnitRow } from "./step.js";

const startInput = z
  .object({
    attributes: jsonObject.optional(),
    actorId: z.string().optional(),
    reasoning: z.string().max(LIMITS.reasoningLength).optional(),
  })
  .strict();

export type StartInput = z.infer<typeof startInput>;

export async function startWork(ctx: EngineContext, instance: string, raw: unknown): Promise<{ uowId: string }> {
  const [started] = await startMany(ctx, instance, [raw]);
  return started!;
}

export async function startMany(ctx: EngineContext, instance: string, raws: unknown[]): Promise<{ uowId: string }[]> {
  const graph = await ctx.graphs.get(instance);
  const inputs = raws.map((raw, i) => {
    const input = parseInput(startInput, raw, raws.length > 1 ? `work.start[${i}]` : "work.start");
    checkActorAttributes(input.attributes, "attributes");
    // Every key is a version 1 row, each with its own copy of the reasoning.
    const rows = Object.keys(input.attributes ?? {}).length;
    checkStoredSize(
      input.attributes,
      [{ text: input.reasoning, rows }],
      ctx.settings.maxSubmitBytes,
      "the attributes of a new unit",
    );
    return input;
  });
  return runStep(ctx, graph, async (step) => {
    const actors = new Map<string, string>();
    const results: { uowId: string }[] = [];
    for (const input of inputs) {
      const key = input.actorId ?? "";
      let actorId = actors.get(key);
      if (!actorId) {
        actorId = input.actorId === undefined ? graph.systemActorId : await authorizeGenesis(step, input.actorId);
        actors.set(key, actorId);
      }
      const unit = await genesis(step, input.attributes ?? {}, actorId, input.reasoning ?? null);
      results.push({ uowId: unit.uow_id });
    }
    return results;
  });
}

async function authorizeGenesis(step: Step, actorRef: string): Promise<string> {
  const actor = await findActor(step.trx, step.graph, actorRef);
  const alpha = step.graph.master.alpha;
  if (actor.type !== "SYSTEM" && !(await mayTakeRole(step.trx, step.graph, actor, alpha.id))) {
    throw new ForbiddenError(
      `actor '${actor.name}' has no assignment to role '${alpha.apiName}' and cannot start work`,
    );
  }
  return actor.actorId;
}

async function genesis(
  step: Step,
  attributes: JsonObject,
  actorId: string,
  reasoning: string | null,
): Promise<UnitRow> {
  const alpha = step.graph.master.alpha;
  const draft = {
    uow_id: "",
    status: "PENDING",
    child_count: 0,
    finished_child_count: 0,
    parent_id: null,
    attempt: 0,
  } as UnitRow;
  const choice = chooseRoute(alpha, conditionScope(draft, attributes, step.at.getTime()));
  const destination = choice.component?.interaction ?? alpha.workflow.errors;
  const unit = await createUnit(step, { workflowId: alpha.workflow.id, parentId: null }, destination, {
    move: "create",
    actorId,
    role: alpha,
    event: "GENESIS",
    details: choice.component
      ? { component: choice.component.name }
      : { reason: "no eligible route", tried: choice.tried },
  });
  await writeAttributes(step.trx, { uowId: unit.uow_id, instanceId: unit.instance_id }, new Map(), attributes, {
    actorId,
    reasoning,
    at: step.at,
  });
  await afterArrival(step, unit, destination, null);
  return unit;
}
