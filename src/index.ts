/** The public API of Chameleon. */
export { openChameleon, type Chameleon, type ChameleonOptions } from "./chameleon.js";
export {
  ChameleonError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OutcomeUnknownError,
  PayloadTooLargeError,
  StoreError,
  ValidationError,
  type ValidationIssue,
} from "./errors.js";
export type { EventStream, EventsOptions, InstanceEvent } from "./engine/events.js";
export type { BulkMove, BulkOutcome, BulkReport } from "./engine/bulk.js";
export type { EngineObserver, FailureReason, Observation, ReclaimOutcome, StepOutcome } from "./engine/observe.js";
export type { SchemaGuideRow } from "./store/guide.js";
export type { Engine, Tier } from "./store/url.js";
export type { InstanceDatabase, TemplateDatabase, Row, TableName } from "./schema/tables.js";
export * from "./schema/enums.js";
export type { JsonValue } from "./schema/json.js";
export type {
  HeldBy,
  InstanceOverview,
  InstanceUnitCounts,
  InteractionOverview,
  InteractionUnitCounts,
  OverviewCounts,
  RecentFailure,
  RoleOverview,
  StatusCounts,
} from "./engine/overview.js";
export type { DrawingFormat } from "./blueprint/graph.js";
export type { CheckedOutUnit } from "./engine/checkout.js";
export type { SubmitManyItem, SubmitResult } from "./engine/submit.js";
export { RetryableError, isRetryable } from "./worker/worker.js";
