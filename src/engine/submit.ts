/**
 * Submit (ENGINE.md section 5): in one transaction, new attribute versions for the keys that
 * changed, children if any, routing, the audit entries, and the lease released. OMEGA's
 * submit finalizes the set it checked out.
 */
import type { JsonValue } from "../schema/json.js";
import { checkActorAttributes, checkPayloadSize, visibleAttributes, writeAttributes } from "./attributes.js";
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import { checkSplit, split } from "./decompose.js";
import { finalizeSet, LEARN } from "./finalize.js";
import type { RuntimeRole } from "./graph.js";
import { jsonObject, jsonValue, name, parseInput, z } from "./input.js";
import { assertLease, checkoutRole, consumedLeaseResult, consumeLease } from "./lease.js";
import { placeUnit } from "./place.js";
import { chooseRoute, conditionScope } from "./route.js";
import { lockUnitWithAttributes, runStep } from "./step.js";

const submitInput = z
  .object({
    uowId: z.string(),
    leaseToken: z.string(),
    actorId: name,
    attributes: jsonObject.optional(),
    reasoning: z.string().max(1_000_000).optional(),
    children: z
      .array(z.object({ attributes: jsonObject, reasoning: z.string().max(1_000_000).optional() }).strict())
      .optional(),
    learn: z.array(z.object({ key: name, value: jsonValue, shared: z.boolean().optional() }).strict()).optional(),
  })
  .strict();

export interface SubmitResult {
  uowId: string;
  status: string;
  interaction: string;
  children?: string[];
  /** True when this lease had already been submitted: the result is that first submit's. */
  alreadyDone?: true;
}

export async function submit(ctx: EngineContext, instance: string, raw: unknown): Promise<SubmitResult> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(submitInput, raw, "work.submit");
  checkActorAttributes(input.attributes, "attributes");
  input.children?.forEach((c, i) => checkActorAttributes(c.attributes, `children[${i}].attributes`));
  checkPayloadSize(
    { attributes: input.attributes, children: input.children, learn: input.learn },
    ctx.settings.maxSubmitBytes,
    "the submit",
  );
  return runStep(ctx, graph, async (step) => {
    const actor = await findActor(step.trx, graph, input.actorId);
    const { unit, state } = await lockUnitWithAttributes(step, input.uowId);
    if (unit.lease_token !== input.leaseToken) {
      const first = await consumedLeaseResult(step, unit, actor, input.leaseToken);
      if (first) return { ...(first as unknown as SubmitResult), alreadyDone: true };
    }
    assertLease(unit, actor, input.leaseToken);
    const role: RuntimeRole = await checkoutRole(step, unit);
    if (input.children) checkSplit(role, unit, input.children);
    const by = { actorId: actor.actorId, reasoning: input.reasoning ?? null, at: step.at };
    const changedKeys = await writeAttributes(
      step.trx,
      { uowId: unit.uow_id, instanceId: unit.instance_id },
      state,
      input.attributes ?? {},
      by,
    );
    if (input.learn && input.learn.length > 0) {
      const previous = state.get(LEARN)?.value;
      const learned: JsonValue[] = [
        ...(Array.isArray(previous) ? previous : []),
        ...input.learn.map((l) => ({
          key: l.key,
          value: l.value,
          shared: l.shared ?? false,
          roleId: role.id,
          actorId: actor.actorId,
        })),
      ];
      await writeAttributes(
        step.trx,
        { uowId: unit.uow_id, instanceId: unit.instance_id },
        state,
        { [LEARN]: learned },
        by,
      );
    }

    let children: string[] | undefined;
    if (role.type === "OMEGA") {
      await finalizeSet(step, role, unit, state, actor.actorId);
    } else if (input.children) {
      children = await split(step, role, unit, state, input.children, { ...by, changedKeys });
    } else {
      const choice = chooseRoute(role, conditionScope(unit, visibleAttributes(state), step.at.getTime()));
      if (choice.component) {
        await placeUnit(step, unit, choice.component.interaction, {
          move: "route",
          actorId: actor.actorId,
          role,
          event: "SUBMIT",
          details: { component: choice.component.name, changedKeys },
        });
      } else {
        await placeUnit(step, unit, role.workflow.errors, {
          move: "fail",
          actorId: actor.actorId,
          role,
          event: "FAIL",
          details: { reason: "no eligible route", tried: choice.tried, changedKeys },
        });
      }
    }
    const result: SubmitResult = {
      uowId: unit.uow_id,
      status: unit.status,
      interaction: graph.interactions.get(unit.current_interaction_id)!.apiName,
      ...(children ? { children } : {}),
    };
    consumeLease(step, unit.uow_id, input.leaseToken, { ...result });
    return result;
  });
}
