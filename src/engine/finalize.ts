/**
 * Finalization (ENGINE.md section 10): OMEGA's submit closes a released set in one
 * transaction. The base and its children become FINALIZED; the learning the set carried is
 * written to memory; the Cerberus guardian's child disposition keeps (ARCHIVE), deletes
 * (PRUNE) or selectively deletes (SELECTIVE, by `keep_if`) the children's attribute history,
 * while their rows stay so that the audit log still points at them. A finalized nested copy
 * returns its results to the unit waiting in the gateway.
 */
import { isJsonObject, jsonText, type JsonObject } from "../schema/json.js";
import { latestAttributesOf, visibleAttributes, type AttributeState } from "./attributes.js";
import { returnFromNested } from "./gateway.js";
import type { RuntimeRole } from "./graph.js";
import { commitLearning, type LearnedEntry } from "./memory.js";
import { conditionScope } from "./route.js";
import { updateUnit, type Step, type UnitRow } from "./step.js";
import { assertTransition } from "./transitions.js";

/** Reserved attribute that carries a unit's learning until its base is finalized. */
export const LEARN = "_learn";

export async function finalizeSet(
  step: Step,
  omega: RuntimeRole,
  base: UnitRow,
  baseState: AttributeState,
  actorId: string,
  /** More facts for the base unit's FINALIZE entry (the reasoning of a submit that changed nothing). */
  details: JsonObject = {},
) {
  assertTransition(base.uow_id, base.status, "FINALIZED", "finalize");
  const children = await step.trx
    .selectFrom("units_of_work")
    .selectAll()
    .where("parent_id", "=", base.uow_id)
    .orderBy("created_at")
    .orderBy("uow_id")
    .execute();
  const finalized = children.filter((c) => c.status === "COMPLETED");
  for (const c of finalized) assertTransition(c.uow_id, c.status, "FINALIZED", "finalize");

  await updateUnit(step, base, {
    status: "FINALIZED",
    locked_by_actor_id: null,
    lease_token: null,
    last_heartbeat_at: null,
  });
  if (finalized.length > 0) {
    await step.trx
      .updateTable("units_of_work")
      .set({ status: "FINALIZED", updated_at: step.at })
      .where(
        "uow_id",
        "in",
        finalized.map((c) => c.uow_id),
      )
      .execute();
  }
  for (const u of [base, ...finalized]) {
    step.logs.push({
      uowId: u.uow_id,
      actorId,
      roleId: omega.id,
      interactionId: u.current_interaction_id,
      event: "FINALIZE",
      details: u === base ? { children: children.map((c) => c.uow_id), ...details } : { base: base.uow_id },
    });
  }

  const childStates = await latestAttributesOf(
    step.trx,
    children.map((c) => c.uow_id),
  );
  const learned = [baseState, ...childStates.values()].flatMap(learningOf);
  if (learned.length > 0) await commitLearning(step.ctx, step.trx, base.instance_id, learned, base.uow_id, step.at);

  const disposition = omega.workflow.cerberusGuardian.disposition ?? { mode: "ARCHIVE" as const };
  if (disposition.mode !== "ARCHIVE") {
    for (const child of children) {
      const state = childStates.get(child.uow_id)!;
      if (disposition.mode === "SELECTIVE" && disposition.keepIf) {
        const scope = conditionScope({ ...child, status: "FINALIZED" }, visibleAttributes(state), step.at.getTime());
        if (disposition.keepIf(scope).pass) continue;
      }
      await step.trx.deleteFrom("uow_attributes").where("uow_id", "=", child.uow_id).execute();
      await step.trx
        .updateTable("units_of_work")
        .set({ current_attributes: jsonText({}) })
        .where("uow_id", "=", child.uow_id)
        .execute();
      step.logs.push({
        uowId: child.uow_id,
        actorId,
        roleId: omega.id,
        interactionId: child.current_interaction_id,
        event: "PRUNE",
        details: { disposition: disposition.mode, keys: [...state.keys()] },
      });
    }
  }
  await returnFromNested(step, base, baseState);
}

function learningOf(state: AttributeState): LearnedEntry[] {
  const value = state.get(LEARN)?.value;
  return Array.isArray(value) ? (value.filter(isJsonObject) as unknown as LearnedEntry[]) : [];
}
