/**
 * work.adminRetry: an operator sends a FAILED unit back to work, FAILED to PENDING (the move
 * 'admin-retry'), into an interaction its workflow's EPSILON role has an OUTBOUND component
 * to, so that the unit's route still follows the blueprint: it is what EPSILON's own submit
 * along that component would do, decided by the operator. Audited as the SYSTEM actor in
 * EPSILON's name (a SUBMIT entry with `details.retried`, `details.by` and `details.reason`).
 */
import { ConflictError, ValidationError } from "../errors.js";
import type { EngineContext } from "./context.js";
import type { RuntimeComponent, RuntimeGraph, RuntimeWorkflow } from "./graph.js";
import { name, parseInput, z } from "./input.js";
import { LIMITS } from "./limits.js";
import { placeUnit } from "./place.js";
import { lockUnit, runStep, type LockedUnitCheck } from "./step.js";

const adminRetryInput = z
  .object({ uowId: z.string(), to: name, by: name, reason: z.string().min(1).max(LIMITS.textLength) })
  .strict();

/**
 * The components an admin retry may send a FAILED unit of this workflow along: EPSILON's
 * OUTBOUND components into an interaction where a unit waits PENDING (a queue; not a Cerberus,
 * errors, timeouts or gateway interaction, where a unit arriving is not PENDING), the first
 * component of each interaction, in routing order.
 */
export function retryComponents(workflow: RuntimeWorkflow): RuntimeComponent[] {
  const out: RuntimeComponent[] = [];
  for (const c of workflow.epsilon.outbound) {
    if (c.interaction.kind === "queue" && !out.some((o) => o.interaction.id === c.interaction.id)) out.push(c);
  }
  return out;
}

/** The interactions an admin retry may send a FAILED unit of this workflow to, by their API names. */
export function retryTargets(workflow: RuntimeWorkflow): string[] {
  return retryComponents(workflow).map((c) => c.interaction.apiName);
}

/** The component into `to` for a FAILED unit of `workflow`, or a ValidationError on `to` naming the allowed targets. */
export function retryComponent(graph: RuntimeGraph, workflow: RuntimeWorkflow, to: string, verb: string) {
  const target = graph.interactionByName.get(to);
  const allowed = retryComponents(workflow);
  const component = target === undefined ? undefined : allowed.find((c) => c.interaction.id === target.id);
  if (component !== undefined) return component;
  const names = allowed.map((c) => c.interaction.apiName);
  throw ValidationError.single(
    "to",
    `${verb} to: '${to}' is not an interaction EPSILON role '${workflow.epsilon.apiName}' of workflow '${workflow.name}' sends units to (an OUTBOUND component into a queue); ` +
      (names.length === 0
        ? "this workflow has none, so its failed units cannot be retried"
        : `allowed: ${names.join(", ")}`) +
      "; nothing was changed",
  );
}

export async function adminRetry(
  ctx: EngineContext,
  instance: string,
  raw: unknown,
  check?: LockedUnitCheck,
): Promise<{ uowId: string; status: string; interaction: string }> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(adminRetryInput, raw, "work.adminRetry");
  return runStep(ctx, graph, async (step) => {
    const unit = await lockUnit(step, input.uowId);
    await check?.(step, unit);
    const workflow = graph.workflows.get(unit.local_workflow_id)!;
    const component = retryComponent(graph, workflow, input.to, "work.adminRetry");
    if (unit.status !== "FAILED") {
      throw new ConflictError(
        `unit ${unit.uow_id} is ${unit.status}: only a FAILED unit (waiting for EPSILON, not held) can be retried; nothing was changed`,
      );
    }
    const previousAttempt = unit.attempt;
    // placeUnit starts the unit afresh in the target: attempt 0, entered and available now (the
    // back of the line, waiting for no backoff), due by the target's deadline if it has one.
    await placeUnit(step, unit, component.interaction, {
      move: "admin-retry",
      actorId: graph.systemActorId,
      role: workflow.epsilon,
      event: "SUBMIT",
      details: {
        retried: true,
        component: component.name,
        previousAttempt,
        by: input.by,
        reason: input.reason,
      },
    });
    return { uowId: unit.uow_id, status: unit.status, interaction: component.interaction.apiName };
  });
}
