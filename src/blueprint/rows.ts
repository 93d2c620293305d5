/**
 * A workflow as the rows it is stored in, with new ids: the template store (import) and the
 * instance store (instantiation) write the same graph into their own tables from this. Order
 * is meaning: a component's position is its place in the file, a guardian's its place on the
 * component.
 */
import { newId } from "../schema/ids.js";
import type {
  BlueprintComponent,
  BlueprintGuardian,
  BlueprintInteraction,
  BlueprintRole,
  BlueprintWorkflow,
} from "./model.js";

export interface WorkflowRows {
  roles: { id: string; role: BlueprintRole }[];
  interactions: { id: string; interaction: BlueprintInteraction }[];
  components: { id: string; roleId: string; interactionId: string; position: number; component: BlueprintComponent }[];
  guardians: { id: string; componentId: string; position: number; guardian: BlueprintGuardian }[];
}

export function workflowRows(w: BlueprintWorkflow): WorkflowRows {
  const roleIds = new Map(w.roles.map((r) => [r.name, newId()]));
  const interactionIds = new Map(w.interactions.map((i) => [i.name, newId()]));
  const components = w.components.map((component, position) => ({
    id: newId(),
    roleId: roleIds.get(component.role)!,
    interactionId: interactionIds.get(component.interaction)!,
    position,
    component,
  }));
  return {
    roles: w.roles.map((role) => ({ id: roleIds.get(role.name)!, role })),
    interactions: w.interactions.map((interaction) => ({ id: interactionIds.get(interaction.name)!, interaction })),
    components,
    guardians: components.flatMap((c) =>
      c.component.guardians.map((guardian, position) => ({ id: newId(), componentId: c.id, position, guardian })),
    ),
  };
}
