/**
 * SIGMA gateways, inside the engine's own transactions (ENGINE.md section 8): a unit that
 * enters a gateway's INBOUND interaction is copied into the nested workflow as a new base
 * unit, and waits, held by SYSTEM with no lease, until the copy is finalized; then the copy's
 * results are written onto it and it is routed through the gateway's OUTBOUND components.
 * A copy that is cancelled sends the original down the Ate path.
 */
import type { JsonObject } from "../schema/json.js";
import { latestAttributes, visibleAttributes, writeAttributes, type AttributeState } from "./attributes.js";
import type { RuntimeInteraction, RuntimeRole } from "./graph.js";
import { afterArrival, createUnit, placeUnit } from "./place.js";
import { chooseRoute, conditionScope } from "./route.js";
import { lockUnit, type Step, type UnitRow } from "./step.js";

/** Reserved attribute of a nested copy: the unit waiting in the gateway. */
export const SIGMA_ORIGINAL = "_sigma_original";
/** Reserved attribute of the waiting unit: its nested copy. */
export const SIGMA_COPY = "_sigma_copy";

function gatewayRole(interaction: RuntimeInteraction): RuntimeRole {
  const role = interaction.consumers.find((c) => c.role.type === "SIGMA")?.role;
  if (!role?.linkedWorkflow)
    throw new Error(`interaction ${interaction.apiName} has no SIGMA gateway with a nested workflow`);
  return role;
}

export async function spawnNestedCopy(step: Step, original: UnitRow, interaction: RuntimeInteraction): Promise<void> {
  const sigma = gatewayRole(interaction);
  const nested = sigma.linkedWorkflow!;
  const system = step.graph.systemActorId;
  const originalState = await latestAttributes(step.trx, original.uow_id);
  const attributes = visibleAttributes(originalState);
  const draft = { ...original, uow_id: "", parent_id: null, child_count: 0, finished_child_count: 0, attempt: 0 };
  const choice = chooseRoute(nested.alpha, conditionScope(draft, attributes, step.at.getTime()));
  const destination = choice.component?.interaction ?? nested.errors;
  const copy = await createUnit(
    step,
    { workflowId: nested.id, parentId: null, priority: original.priority ?? undefined },
    destination,
    {
      move: "create",
      actorId: system,
      role: sigma,
      event: "SPAWN",
      details: {
        original: original.uow_id,
        workflow: nested.name,
        gateway: sigma.apiName,
        ...(choice.component
          ? { component: choice.component.name }
          : { reason: "no eligible route", tried: choice.tried }),
      },
    },
  );
  const by = {
    actorId: system,
    reasoning: `copied from unit ${original.uow_id} entering gateway ${sigma.apiName}`,
    at: step.at,
  };
  await writeAttributes(
    step,
    { uowId: copy.uow_id, instanceId: copy.instance_id },
    new Map(),
    { ...attributes, [SIGMA_ORIGINAL]: original.uow_id },
    by,
  );
  await writeAttributes(
    step,
    { uowId: original.uow_id, instanceId: original.instance_id },
    originalState,
    { [SIGMA_COPY]: copy.uow_id },
    by,
  );
  await afterArrival(step, copy, destination, null);
}

/**
 * The unit a nested copy stands for, locked, if it still waits in its gateway (it may have
 * been cancelled while the copy ran).
 */
async function waitingOriginal(step: Step, copyState: AttributeState) {
  const originalId = copyState.get(SIGMA_ORIGINAL)?.value;
  if (typeof originalId !== "string") return null;
  const original = await lockUnit(step, originalId);
  const held = original.status === "ACTIVE" && original.locked_by_actor_id === step.graph.systemActorId;
  if (!held || original.lease_token !== null) return null;
  const interaction = step.graph.interactions.get(original.current_interaction_id)!;
  return { original, interaction, sigma: gatewayRole(interaction) };
}

/** The finalized nested copy's results go back onto the original, which moves on. */
export async function returnFromNested(step: Step, copy: UnitRow, copyState: AttributeState): Promise<void> {
  const waiting = await waitingOriginal(step, copyState);
  if (!waiting) return;
  const { original, interaction, sigma } = waiting;
  const system = step.graph.systemActorId;
  const nested = step.graph.workflows.get(copy.local_workflow_id)!;
  const state = await latestAttributes(step.trx, original.uow_id);
  const results: JsonObject = visibleAttributes(copyState);
  const changed = await writeAttributes(
    step,
    { uowId: original.uow_id, instanceId: original.instance_id },
    state,
    results,
    {
      actorId: system,
      reasoning: `results of nested workflow ${nested.name} (unit ${copy.uow_id})`,
      at: step.at,
    },
  );
  step.logs.push({
    uowId: original.uow_id,
    actorId: system,
    roleId: sigma.id,
    interactionId: interaction.id,
    event: "NESTED_RETURN",
    details: { copy: copy.uow_id, workflow: nested.name, changedKeys: changed },
  });
  const choice = chooseRoute(sigma, conditionScope(original, visibleAttributes(state), step.at.getTime()));
  if (choice.component) {
    await placeUnit(step, original, choice.component.interaction, {
      move: "route",
      actorId: system,
      role: sigma,
      event: "SUBMIT",
      details: { component: choice.component.name, changedKeys: changed },
    });
  } else {
    await placeUnit(step, original, sigma.workflow.errors, {
      move: "fail",
      actorId: system,
      role: sigma,
      event: "FAIL",
      details: { reason: "no eligible route", tried: choice.tried },
    });
  }
}

/** A nested copy that will never finish (cancelled): the original goes down the Ate path. */
export async function abandonNested(step: Step, copyState: AttributeState, reason: string): Promise<void> {
  const waiting = await waitingOriginal(step, copyState);
  if (!waiting) return;
  const { original, sigma } = waiting;
  const system = step.graph.systemActorId;
  await placeUnit(step, original, sigma.workflow.errors, {
    move: "fail",
    actorId: system,
    role: sigma,
    event: "FAIL",
    details: { reason: `the nested run was cancelled: ${reason}` },
  });
}
