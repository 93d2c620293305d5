/**
 * work.fail: the holder reports that it could not do the work; the unit goes down the Ate path.
 * With `retryable`, a unit of a processing role that has attempts left waits in its interaction
 * again instead, not before its role's backoff (docs/engine.md, "Retries with backoff").
 */
import { backoffSeconds, QUEUE_ROLE_TYPES, retryOf } from "../blueprint/role-settings.js";
import type { Span } from "@opentelemetry/api";
import { ValidationError } from "../errors.js";
import { checkPayloadSize } from "./attributes.js";
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import { jsonValue, name, parseInput, z } from "./input.js";
import { assertLease, checkoutRole, consumedLeaseResult, consumeLease, leaseIssuedAt, maxAttemptsOf } from "./lease.js";
import { secondsBetween } from "./observe.js";
import { placeUnit, sendBackForRetry } from "./place.js";
import { lockUnit, runStep } from "./step.js";
import { ATTR, inSpan, setInstance } from "./trace.js";

const failInput = z
  .object({
    uowId: z.string(),
    leaseToken: z.string(),
    actorId: name,
    error: z.string().min(1).max(65_535),
    details: jsonValue.optional(),
    /** The failure may pass on another attempt: retried after the role's backoff while attempts remain. */
    retryable: z.boolean().optional(),
  })
  .strict();

export interface FailResult {
  uowId: string;
  status: string;
  interaction: string;
  /** A retryable failure sent back for another attempt: when the unit may be checked out again. */
  availableAt?: string;
  /** True when this lease had already been consumed: the result is that first call's. */
  alreadyDone?: true;
}

export function fail(ctx: EngineContext, instance: string, raw: unknown): Promise<FailResult> {
  return inSpan("chameleon.fail", (span) => failIn(ctx, instance, raw, span));
}

async function failIn(ctx: EngineContext, instance: string, raw: unknown, span: Span): Promise<FailResult> {
  const graph = await ctx.graphs.get(instance);
  setInstance(span, graph);
  const input = parseInput(failInput, raw, "work.fail");
  checkPayloadSize(input.details, ctx.settings.maxSubmitBytes, "the failure details");
  ctx.held.take(input.leaseToken); // a failure ends the hold whatever it answers
  return runStep(ctx, graph, async (step) => {
    const unit = await lockUnit(step, input.uowId);
    const actor = await findActor(step.trx, graph, input.actorId);
    if (unit.lease_token !== input.leaseToken) {
      const first = await consumedLeaseResult(step, unit, actor, input.leaseToken);
      if (first) {
        if (span.isRecording()) span.setAttributes({ [ATTR.uowId]: unit.uow_id, [ATTR.outcome]: "already_done" });
        return { ...(first as unknown as FailResult), alreadyDone: true as const };
      }
    }
    assertLease(unit, actor, input.leaseToken);
    const role = await checkoutRole(step, unit);
    const reported = { error: input.error, ...(input.details === undefined ? {} : { details: input.details }) };
    if (input.retryable === true) {
      if (!QUEUE_ROLE_TYPES.includes(role.type)) {
        throw new ValidationError(
          `work.fail retryable: unit ${unit.uow_id} is held by role '${role.apiName}' (${role.type}); only units of ${QUEUE_ROLE_TYPES.join(", ")} roles are retried, so nothing was changed`,
        );
      }
      const maxAttempts = maxAttemptsOf(role, ctx.settings);
      if (unit.attempt < maxAttempts) {
        const delaySeconds = backoffSeconds(retryOf(role.config), unit.attempt);
        const interaction = await sendBackForRetry(step, unit, new Date(step.at.getTime() + delaySeconds * 1000), {
          actorId: actor.actorId,
          role,
          details: { ...reported, retryable: true, maxAttempts, delaySeconds },
        });
        const result: FailResult = {
          uowId: unit.uow_id,
          status: unit.status,
          interaction: interaction.apiName,
          availableAt: unit.available_at!.toISOString(),
        };
        if (span.isRecording()) {
          span.setAttributes({
            [ATTR.uowId]: unit.uow_id,
            [ATTR.role]: role.apiName,
            [ATTR.outcome]: "retried",
            [ATTR.interaction]: interaction.apiName,
          });
        }
        step.observed?.push({
          kind: "step",
          role: role.apiName,
          outcome: "retried",
          heldSeconds: secondsBetween(leaseIssuedAt(input.leaseToken), step.at),
        });
        consumeLease(step, unit.uow_id, input.leaseToken, { ...result });
        return result;
      }
      // No attempt left: the Ate path, saying so.
      Object.assign(reported, { retryable: true, attemptsSpent: { attempt: unit.attempt, maxAttempts } });
    }
    const errors = graph.workflows.get(unit.local_workflow_id)!.errors;
    if (span.isRecording()) {
      span.setAttributes({
        [ATTR.uowId]: unit.uow_id,
        [ATTR.role]: role.apiName,
        [ATTR.outcome]: "failed",
        [ATTR.interaction]: errors.apiName,
      });
    }
    await placeUnit(step, unit, errors, {
      move: "fail",
      actorId: actor.actorId,
      role,
      event: "FAIL",
      details: reported,
    });
    step.observed?.push(
      {
        kind: "step",
        role: role.apiName,
        outcome: "failed",
        heldSeconds: secondsBetween(leaseIssuedAt(input.leaseToken), step.at),
      },
      { kind: "failure", role: role.apiName, reason: "error" },
    );
    const result: FailResult = { uowId: unit.uow_id, status: unit.status, interaction: errors.apiName };
    consumeLease(step, unit.uow_id, input.leaseToken, { ...result });
    return result;
  });
}
