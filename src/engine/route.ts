/**
 * Routing on submit (ENGINE.md section 6): a role's OUTBOUND components are tried in
 * blueprint order, the default (no condition) last; the first whose guardians all pass
 * takes the unit. None eligible: the caller sends the unit down the Ate path.
 */
import type { ConditionScope } from "../conditions/index.js";
import type { JsonObject } from "../schema/json.js";
import type { RuntimeComponent, RuntimeRole } from "./graph.js";
import { passesAll } from "./guards.js";
import type { UnitRow } from "./step.js";

export type RouteChoice = { component: RuntimeComponent } | { component: null; tried: string[] };

export function chooseRoute(role: RuntimeRole, scope: ConditionScope): RouteChoice {
  const tried: string[] = [];
  for (const component of role.outbound) {
    const result = passesAll(component.guardians, scope);
    if (result.pass) return { component };
    tried.push(`${component.name}: ${result.reason ?? "refused"}`);
  }
  if (role.outbound.length === 0) tried.push(`role ${role.apiName} has no OUTBOUND component`);
  return { component: null, tried };
}

/** What a condition sees of a unit: its visible attributes and its reserved fields. */
export function conditionScope(unit: UnitRow, attributes: JsonObject, nowMs: number): ConditionScope {
  return {
    attributes,
    unit: {
      uow_id: unit.uow_id,
      status: unit.status,
      child_count: unit.child_count,
      finished_child_count: unit.finished_child_count,
      parent_id: unit.parent_id,
      attempt: unit.attempt,
    },
    nowMs,
  };
}
