/**
 * Submit (ENGINE.md section 5): in one transaction, new attribute versions for the keys that
 * changed, children if any, routing, the audit entries, and the lease released. OMEGA's
 * submit finalizes the set it checked out.
 */
import type { Span } from "@opentelemetry/api";
import { describeType, fitsType, formOf } from "../blueprint/role-settings.js";
import { PayloadTooLargeError, ValidationError } from "../errors.js";
import type { JsonObject, JsonValue } from "../schema/json.js";
import { checkActorAttributes, visibleAttributes, writeAttributes } from "./attributes.js";
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import { checkSplit, split } from "./decompose.js";
import { finalizeSet, LEARN } from "./finalize.js";
import type { RuntimeRole } from "./graph.js";
import { jsonObject, jsonValue, name, parseInput, priority, z } from "./input.js";
import { checkStoredSize, LIMITS } from "./limits.js";
import { assertLease, checkoutRole, consumedLeaseResult, consumeLease, leaseIssuedAt } from "./lease.js";
import { secondsBetween } from "./observe.js";
import { placeUnit } from "./place.js";
import { chooseRoute, conditionScope } from "./route.js";
import { lockUnitWithAttributes, runStep, updateUnit } from "./step.js";
import { ATTR, inSpan, setInstance } from "./trace.js";

const submitInput = z
  .object({
    uowId: z.string(),
    leaseToken: z.string(),
    actorId: name,
    attributes: jsonObject.optional(),
    reasoning: z.string().max(LIMITS.reasoningLength).optional(),
    children: z
      .array(
        z.object({ attributes: jsonObject, reasoning: z.string().max(LIMITS.reasoningLength).optional() }).strict(),
      )
      .optional(),
    learn: z.array(z.object({ key: name, value: jsonValue, shared: z.boolean().optional() }).strict()).optional(),
    /** The unit's new priority (0 to 9), kept from here on; the children of this submit inherit it. */
    priority: priority.optional(),
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

export function submit(ctx: EngineContext, instance: string, raw: unknown): Promise<SubmitResult> {
  return inSpan("chameleon.submit", (span) => submitIn(ctx, instance, raw, span));
}

async function submitIn(ctx: EngineContext, instance: string, raw: unknown, span: Span): Promise<SubmitResult> {
  const graph = await ctx.graphs.get(instance);
  setInstance(span, graph);
  const input = parseInput(submitInput, raw, "work.submit");
  checkActorAttributes(input.attributes, "attributes");
  input.children?.forEach((c, i) => checkActorAttributes(c.attributes, `children[${i}].attributes`));
  checkSubmitCounts(input);
  const data = { attributes: input.attributes, children: input.children?.map((c) => c.attributes), learn: input.learn };
  // Before anything is read: the data alone over the limit. The reasoning is counted below, once
  // per attribute version it is stored on, when the versions to write are known.
  checkStoredSize(data, [], ctx.settings.maxSubmitBytes, "the submit");
  return runStep(ctx, graph, async (step) => {
    const actor = await findActor(step.trx, graph, input.actorId);
    const { unit, state } = await lockUnitWithAttributes(step, input.uowId);
    if (unit.lease_token !== input.leaseToken) {
      const first = await consumedLeaseResult(step, unit, actor, input.leaseToken);
      if (first) {
        if (span.isRecording()) span.setAttributes({ [ATTR.uowId]: unit.uow_id, [ATTR.outcome]: "already_done" });
        return { ...(first as unknown as SubmitResult), alreadyDone: true };
      }
    }
    assertLease(unit, actor, input.leaseToken);
    const role: RuntimeRole = await checkoutRole(step, unit);
    if (span.isRecording()) span.setAttributes({ [ATTR.uowId]: unit.uow_id, [ATTR.role]: role.apiName });
    checkForm(role, input.attributes ?? {}, state);
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

    const childRows = input.children?.map((c) => ({
      text: c.reasoning ?? input.reasoning,
      rows: childKeys(role, state, c),
    }));
    checkStoredSize(
      data,
      [
        { text: input.reasoning, rows: changedKeys.length + (input.learn && input.learn.length > 0 ? 1 : 0) },
        ...(childRows ?? []),
      ],
      ctx.settings.maxSubmitBytes,
      "the submit",
    );
    // A submit that changes none of the unit's keys keeps its reasoning in the audit entry.
    const kept: JsonObject =
      changedKeys.length === 0 && input.reasoning !== undefined ? { reasoning: input.reasoning } : {};
    if (input.priority !== undefined && input.priority !== unit.priority) {
      // Before the split, so that the children inherit the new priority.
      kept.priority = { from: unit.priority, to: input.priority };
      await updateUnit(step, unit, { priority: input.priority });
    }

    let children: string[] | undefined;
    let outcome = "routed";
    if (role.type === "OMEGA") {
      outcome = "finalized";
      await finalizeSet(step, role, unit, state, actor.actorId, kept);
    } else if (input.children) {
      outcome = "split";
      children = await split(step, role, unit, state, input.children, { ...by, changedKeys, details: kept });
    } else {
      const choice = chooseRoute(role, conditionScope(unit, visibleAttributes(state), step.at.getTime()));
      if (choice.component) {
        await placeUnit(step, unit, choice.component.interaction, {
          move: "route",
          actorId: actor.actorId,
          role,
          event: "SUBMIT",
          details: { component: choice.component.name, changedKeys, ...kept },
        });
      } else {
        await placeUnit(step, unit, role.workflow.errors, {
          move: "fail",
          actorId: actor.actorId,
          role,
          event: "FAIL",
          details: { reason: "no eligible route", tried: choice.tried, changedKeys, ...kept },
        });
        step.observed?.push({ kind: "failure", role: role.apiName, reason: "no_route" });
        outcome = "no_route";
      }
    }
    step.observed?.push({
      kind: "step",
      role: role.apiName,
      outcome: "submitted",
      heldSeconds: secondsBetween(leaseIssuedAt(input.leaseToken), step.at),
    });
    const result: SubmitResult = {
      uowId: unit.uow_id,
      status: unit.status,
      interaction: graph.interactions.get(unit.current_interaction_id)!.apiName,
      ...(children ? { children } : {}),
    };
    consumeLease(step, unit.uow_id, input.leaseToken, { ...result });
    if (span.isRecording()) {
      span.setAttributes({
        [ATTR.outcome]: outcome,
        [ATTR.status]: result.status,
        [ATTR.interaction]: result.interaction,
      });
    }
    return result;
  });
}

/** Refuses a submit with more children or attribute keys than one submit may write. */
function checkSubmitCounts(input: z.infer<typeof submitInput>): void {
  const children = input.children ?? [];
  if (children.length > LIMITS.childrenPerSubmit) {
    throw new PayloadTooLargeError(
      `children: ${children.length} children in one submit; the limit is ${LIMITS.childrenPerSubmit}`,
    );
  }
  let keys = Object.keys(input.attributes ?? {}).length;
  for (const c of children) keys += Object.keys(c.attributes).length;
  if (keys > LIMITS.keysPerSubmit) {
    throw new PayloadTooLargeError(
      `the submit has ${keys} attribute keys (its own and its children's); the limit is ${LIMITS.keysPerSubmit}`,
    );
  }
}

/** The attribute versions a child is created with: its own keys and the parent's transferable ones. */
function childKeys(role: RuntimeRole, parentState: Map<string, unknown>, child: { attributes: JsonObject }): number {
  const keys = new Set(Object.keys(child.attributes));
  for (const key of role.transferable) if (parentState.has(key) && !key.startsWith("_")) keys.add(key);
  return keys.size;
}

/**
 * The role's form (rule 16): every required field present, in this submit or already on the
 * unit, and every field this submit gives of its type. One issue per field, all at once.
 */
function checkForm(role: RuntimeRole, attributes: JsonObject, state: Map<string, { value: unknown }>): void {
  const form = formOf(role.config);
  if (!form) return;
  const issues = [];
  for (const field of form) {
    const path = `attributes.${field.key}`;
    const given = attributes[field.key];
    const missing = given === null || (given === undefined && (state.get(field.key)?.value ?? null) === null);
    if (field.required && missing) {
      issues.push({ rule: 0, path, message: `${path} is required by the form of role '${role.apiName}'` });
    } else if (given !== undefined && given !== null && !fitsType(given, field)) {
      issues.push({
        rule: 0,
        path,
        message: `${path} must be ${describeType(field)} (form of role '${role.apiName}'), not ${JSON.stringify(given)}`,
      });
    }
  }
  if (issues.length > 0) {
    throw new ValidationError(
      issues.length === 1 ? issues[0]!.message : `the submit does not fill the form of role '${role.apiName}'`,
      issues,
    );
  }
}
