/**
 * The in-memory blueprint: what the YAML parser produces, the import stores, and export and
 * graph read. Order is meaningful: a component's `position` is its index in `components`
 * (file order) and a guardian's `position` is its index in its component's `guardians`.
 */
import type { JsonObject, JsonValue } from "../schema/json.js";
import type { ComponentDirection, DecompositionStrategy, GuardianType, RoleType } from "../schema/enums.js";

export interface BlueprintWorkflow {
  name: string;
  description: string | null;
  aiContext: JsonValue | null;
  /**
   * The version the author gave the workflow (`version:` in the Python prototype's layout),
   * kept as written; the stored version number is the engine's own (canonical form).
   */
  authorVersion?: string | null;
  roles: BlueprintRole[];
  interactions: BlueprintInteraction[];
  components: BlueprintComponent[];
}

export interface BlueprintRole {
  name: string;
  type: RoleType;
  strategy: DecompositionStrategy | null;
  description: string | null;
  aiContext: JsonValue | null;
  /** Name of the nested workflow a SIGMA role runs. */
  childWorkflow: string | null;
  /** Role settings; `transferable: string[]` (keys children inherit) lives here. */
  config: JsonObject | null;
}

export interface BlueprintInteraction {
  name: string;
  description: string | null;
  aiContext: JsonValue | null;
  staleTokenLimitSeconds: number | null;
}

export interface BlueprintComponent {
  name: string;
  role: string;
  interaction: string;
  direction: ComponentDirection;
  description: string | null;
  aiContext: JsonValue | null;
  guardians: BlueprintGuardian[];
}

export interface BlueprintGuardian {
  name: string;
  type: GuardianType;
  config: JsonObject | null;
  description: string | null;
  aiContext: JsonValue | null;
}
