/**
 * The enums of the schema (SCHEMA.md, "Enums"). Each is a readonly tuple so that
 * the same list drives the CHECK constraints, the TypeScript unions and input validation.
 */
export const RoleType = ["ALPHA", "BETA", "OMEGA", "EPSILON", "TAU", "SIGMA", "HUMAN", "AI_AGENT", "AUTO"] as const;
export const DecompositionStrategy = ["HOMOGENEOUS", "HETEROGENEOUS"] as const;
export const ComponentDirection = ["INBOUND", "OUTBOUND"] as const;
export const GuardianType = [
  "PASS_THRU",
  "CRITERIA_GATE",
  "DIRECTIONAL_FILTER",
  "TTL_CHECK",
  "COMPOSITE",
  "CERBERUS",
] as const;
export const InstanceStatus = ["ACTIVE", "PAUSED", "ARCHIVED"] as const;
export const ActorType = ["HUMAN", "AI_AGENT", "SYSTEM"] as const;
export const AssignmentStatus = ["ACTIVE", "REVOKED"] as const;
export const UOWStatus = ["PENDING", "ACTIVE", "COMPLETED", "FAILED", "TIMEOUT", "FINALIZED"] as const;
export const LogEvent = [
  "GENESIS",
  "SPAWN",
  "CHECKOUT",
  "REJECT",
  "SUBMIT",
  "FAIL",
  "TIMEOUT",
  "RECLAIM",
  "SYNC_HOLD",
  "SYNC_RELEASE",
  "NESTED_RETURN",
  "FINALIZE",
  "PRUNE",
  "CANCEL",
] as const;

/** What happened to a deployment as a whole (instance_events): pauses, resumes and schedules. */
export const InstanceEvent = [
  "PAUSE",
  "RESUME",
  "SCHEDULE_CREATE",
  "SCHEDULE_PAUSE",
  "SCHEDULE_RESUME",
  "SCHEDULE_DELETE",
  "SCHEDULE_RUN",
  "SCHEDULE_MISSED",
  "SCHEDULE_FAILED",
] as const;

export const enums = {
  RoleType,
  DecompositionStrategy,
  ComponentDirection,
  GuardianType,
  InstanceStatus,
  ActorType,
  AssignmentStatus,
  UOWStatus,
  LogEvent,
  InstanceEvent,
} as const;

export type EnumName = keyof typeof enums;
export type EnumValue<E extends EnumName> = (typeof enums)[E][number];

export type RoleType = EnumValue<"RoleType">;
export type DecompositionStrategy = EnumValue<"DecompositionStrategy">;
export type ComponentDirection = EnumValue<"ComponentDirection">;
export type GuardianType = EnumValue<"GuardianType">;
export type InstanceStatus = EnumValue<"InstanceStatus">;
export type ActorType = EnumValue<"ActorType">;
export type AssignmentStatus = EnumValue<"AssignmentStatus">;
export type UOWStatus = EnumValue<"UOWStatus">;
export type LogEvent = EnumValue<"LogEvent">;
export type InstanceEvent = EnumValue<"InstanceEvent">;

/** Roles that process units and therefore need a decomposition strategy (ENGINE.md section 2). */
export const PROCESSING_ROLE_TYPES: readonly RoleType[] = ["BETA", "HUMAN", "AI_AGENT", "AUTO", "SIGMA"];

export function isProcessingRole(type: RoleType): boolean {
  return PROCESSING_ROLE_TYPES.includes(type);
}

/** A unit's priority (units_of_work.priority): checkout takes higher first; a unit started without one gets the default. */
export const UNIT_PRIORITY = { min: 0, max: 9, default: 5 } as const;
