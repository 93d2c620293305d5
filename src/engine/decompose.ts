/**
 * Decomposition (ENGINE.md section 8): a processing role splits a base unit into children.
 * The parent's child_count becomes N and it goes at once to its workflow's Cerberus
 * interaction to wait; each child gets the given attributes plus the parent's `transferable`
 * keys (version 1, by the submitting actor) and is routed on its own through the role's
 * OUTBOUND components.
 */
import { ValidationError } from "../errors.js";
import { isProcessingRole } from "../schema/enums.js";
import type { JsonObject } from "../schema/json.js";
import { visibleAttributes, writeAttributes, type AttributeState } from "./attributes.js";
import type { RuntimeRole } from "./graph.js";
import { afterArrival, createUnit, placeUnit } from "./place.js";
import { chooseRoute, conditionScope } from "./route.js";
import { updateUnit, type Step, type UnitRow } from "./step.js";

export interface ChildInput {
  attributes: JsonObject;
  reasoning?: string;
}

/** Refuses a split the role's strategy or the unit does not allow; nothing is written yet. */
export function checkSplit(role: RuntimeRole, parent: UnitRow, children: ChildInput[]): void {
  if (!isProcessingRole(role.type)) {
    throw new ValidationError(
      `role '${role.apiName}' is ${role.type}: only processing roles split units into children`,
    );
  }
  if (parent.parent_id !== null) {
    throw new ValidationError(`unit ${parent.uow_id} is a child of ${parent.parent_id}: only base units split`);
  }
  if (parent.child_count > 0)
    throw new ValidationError(`unit ${parent.uow_id} was already split into ${parent.child_count} children`);
  if (children.length === 0) throw new ValidationError("children: a split needs at least one child");
  if (role.strategy === "HOMOGENEOUS") {
    const keys = (c: ChildInput) => Object.keys(c.attributes).sort().join(",");
    const first = keys(children[0]!);
    const odd = children.findIndex((c) => keys(c) !== first);
    if (odd > 0) {
      throw new ValidationError(
        `children[${odd}] has the keys [${keys(children[odd]!)}] but children[0] has [${first}]: role '${role.apiName}' splits HOMOGENEOUS, so every child has the same keys`,
      );
    }
  }
}

export async function split(
  step: Step,
  role: RuntimeRole,
  parent: UnitRow,
  parentState: AttributeState,
  children: ChildInput[],
  by: { actorId: string; reasoning: string | null; changedKeys: string[]; details?: JsonObject },
): Promise<string[]> {
  const parentAttributes = visibleAttributes(parentState);
  const inherited: JsonObject = {};
  for (const key of role.transferable) {
    if (Object.prototype.hasOwnProperty.call(parentAttributes, key)) inherited[key] = parentAttributes[key]!;
  }
  // The count is set before any child can come back and be counted against it.
  await updateUnit(step, parent, { child_count: children.length });
  const cerberus = role.workflow.cerberus;
  const ids: string[] = [];
  const placed: { unit: UnitRow; destination: typeof cerberus }[] = [];
  for (const child of children) {
    const attributes = { ...inherited, ...child.attributes };
    const draft = {
      ...parent,
      uow_id: "",
      parent_id: parent.uow_id,
      child_count: 0,
      finished_child_count: 0,
      attempt: 0,
    };
    const choice = chooseRoute(role, conditionScope(draft, attributes, step.at.getTime()));
    const destination = choice.component?.interaction ?? role.workflow.errors;
    const unit = await createUnit(
      step,
      { workflowId: parent.local_workflow_id, parentId: parent.uow_id, priority: parent.priority ?? undefined },
      destination,
      {
        move: "create",
        actorId: by.actorId,
        role,
        event: "SPAWN",
        details: {
          parent: parent.uow_id,
          ...(choice.component
            ? { component: choice.component.name }
            : { reason: "no eligible route", tried: choice.tried }),
        },
      },
    );
    await writeAttributes(step, { uowId: unit.uow_id, instanceId: unit.instance_id }, new Map(), attributes, {
      actorId: by.actorId,
      reasoning: child.reasoning ?? by.reasoning,
      at: step.at,
    });
    ids.push(unit.uow_id);
    placed.push({ unit, destination });
  }
  await placeUnit(step, parent, cerberus, {
    move: "route",
    actorId: by.actorId,
    role,
    event: "SUBMIT",
    details: { children: ids, changedKeys: by.changedKeys, ...by.details },
  });
  step.logs.push({
    uowId: parent.uow_id,
    actorId: step.graph.systemActorId,
    interactionId: cerberus.id,
    event: "SYNC_HOLD",
    details: { finished: 0, children: children.length },
  });
  for (const { unit, destination } of placed) await afterArrival(step, unit, destination, null);
  return ids;
}
