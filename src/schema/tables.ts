/**
 * The schema of both stores (SCHEMA.md, version 1) as data: every table, column, key,
 * index and description. The DDL of each dialect, the catalog comments, the guide view
 * and the TypeScript row types are all derived from this one definition.
 *
 * Descriptions are the catalog comments, word for word from the specification.
 */
import { column, table, type KyselyTableOf, type RowOf, type TableDef } from "./define.js";

/**
 * The audit events ix_interaction_logs_event holds. A query reads that index only where its
 * WHERE repeats this text as it stands (SQLite proves a partial index usable from the same
 * terms with the same literals, not from bound values).
 */
export const OVERVIEW_EVENTS = "event IN ('FAIL', 'REJECT', 'FINALIZE')";

export const tables = {
  template_workflows: table({
    name: "template_workflows",
    tier: "templates",
    description:
      "A workflow blueprint: the container of one versioned graph of roles, interactions, components and guardians.",
    columns: [
      column("workflow_id", "uuid", "Identifier of this blueprint version.", { primaryKey: true }),
      column("name", "string", "Short system name of the workflow; unique together with version."),
      column("description", "text", "What the workflow achieves, for people.", { nullable: true }),
      column("ai_context", "json", "Prompts and notes that prime AI agents on the goal of the whole workflow.", {
        nullable: true,
      }),
      column(
        "version",
        "integer",
        "Version number, raised by one each time the structure of a blueprint with this name changes.",
      ),
      column("schema_json", "json", "Cached serialization of the whole graph, used to speed up cloning and export.", {
        nullable: true,
      }),
      column("created_at", "timestamp", "When this blueprint version was stored (UTC)."),
    ],
    unique: [["name", "version"]],
    indexes: [],
    since: 1,
  }),
  template_roles: table({
    name: "template_roles",
    tier: "templates",
    description: "A functional step of a blueprint: who does what, and how work is split.",
    columns: [
      column("role_id", "uuid", "Identifier of the role definition.", { primaryKey: true }),
      column("workflow_id", "uuid", "Blueprint that owns this role.", { references: "template_workflows" }),
      column("name", "string", "Name of the role; unique within its workflow."),
      column("description", "text", "Responsibilities of the role, for people.", { nullable: true }),
      column("ai_context", "json", "Instructions for AI agents that take this role.", { nullable: true }),
      column(
        "role_type",
        "enum",
        "Functional class of the role (origin, processor, terminal, error handler, timeout handler, gateway, human, AI agent, automatic).",
        { enum: "RoleType" },
      ),
      column("strategy", "enum", "How a processing role splits a unit of work into children.", {
        enum: "DecompositionStrategy",
        nullable: true,
      }),
      column(
        "child_workflow_id",
        "uuid",
        "Blueprint that this role runs as a nested workflow; set only on recursive gateways.",
        { references: "template_workflows", nullable: true },
      ),
      column("config", "json", "Settings of the role, such as the keys its children inherit when it splits a unit.", {
        nullable: true,
      }),
    ],
    unique: [["workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  template_interactions: table({
    name: "template_interactions",
    tier: "templates",
    description: "A passive holding area where units of work wait between roles.",
    columns: [
      column("interaction_id", "uuid", "Identifier of the interaction definition.", { primaryKey: true }),
      column("workflow_id", "uuid", "Blueprint that owns this interaction.", { references: "template_workflows" }),
      column("name", "string", "Name of the interaction; unique within its workflow."),
      column("description", "text", "Which state of work waits here, for people.", { nullable: true }),
      column("ai_context", "json", "Context for AI agents that watch this interaction.", { nullable: true }),
      column(
        "stale_token_limit_seconds",
        "integer",
        "Seconds a unit of work may wait here before it counts as stale; empty means no limit.",
        { nullable: true },
      ),
    ],
    unique: [["workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  template_components: table({
    name: "template_components",
    tier: "templates",
    description: "A directed pipe between one role and one interaction: the topology of a blueprint.",
    columns: [
      column("component_id", "uuid", "Identifier of the component definition.", { primaryKey: true }),
      column("workflow_id", "uuid", "Blueprint that owns this component.", { references: "template_workflows" }),
      column("interaction_id", "uuid", "Interaction at one end of the pipe.", { references: "template_interactions" }),
      column("role_id", "uuid", "Role at the other end of the pipe.", { references: "template_roles" }),
      column(
        "direction",
        "enum",
        "INBOUND when the role pulls work from the interaction, OUTBOUND when it pushes work into it.",
        { enum: "ComponentDirection" },
      ),
      column("name", "string", "Name of the component; unique within its workflow."),
      column("description", "text", "What flows through this pipe, for people.", { nullable: true }),
      column("ai_context", "json", "Meaning of this pipe for AI agents.", { nullable: true }),
      column(
        "position",
        "integer",
        "Order in which the OUTBOUND components of a role are tried when routing, lowest first.",
      ),
    ],
    unique: [["workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  template_guardians: table({
    name: "template_guardians",
    tier: "templates",
    description: "A logic gate on a component that decides which units of work may pass and where they go.",
    columns: [
      column("guardian_id", "uuid", "Identifier of the guardian definition.", { primaryKey: true }),
      column("workflow_id", "uuid", "Blueprint that owns this guardian.", { references: "template_workflows" }),
      column("component_id", "uuid", "Component that this guardian protects.", { references: "template_components" }),
      column("name", "string", "Name of the guardian; unique within its workflow."),
      column("description", "text", "The gating criteria, for people.", { nullable: true }),
      column("ai_context", "json", "Instructions for AI agents that act as this guardian.", { nullable: true }),
      column("type", "enum", "Kind of logic the guardian applies.", { enum: "GuardianType" }),
      column("config", "json", "Settings of the guardian, such as criteria or a routing policy.", { nullable: true }),
      column("position", "integer", "Order in which the guardians of one component are evaluated, lowest first."),
    ],
    unique: [["workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  instance_context: table({
    name: "instance_context",
    tier: "instances",
    description:
      "One deployment: the root of the isolation boundary that holds cloned workflows, actors, memory and work.",
    columns: [
      column("instance_id", "uuid", "Identifier of this deployment.", { primaryKey: true }),
      column("name", "string", "Display name of the deployment; unique in the instance store."),
      column("description", "text", "Operational notes about the deployment.", { nullable: true }),
      column("status", "enum", "Whether the deployment runs, is paused or is archived.", { enum: "InstanceStatus" }),
      column("deployment_date", "timestamp", "When the deployment was cloned from the template store (UTC)."),
    ],
    unique: [["name"]],
    indexes: [],
    since: 1,
  }),
  local_workflows: table({
    name: "local_workflows",
    tier: "instances",
    description:
      "A workflow cloned into a deployment; the master is its entry point, the others are nested dependencies.",
    columns: [
      column("local_workflow_id", "uuid", "Identifier of this cloned workflow.", { primaryKey: true }),
      column("instance_id", "uuid", "Deployment that holds this workflow.", { references: "instance_context" }),
      column(
        "original_workflow_id",
        "uuid",
        "Blueprint this workflow was cloned from; a reference into the template store, not a foreign key.",
      ),
      column("name", "string", "Name of the workflow; unique within its deployment."),
      column("description", "text", "Description of the workflow.", { nullable: true }),
      column("ai_context", "json", "AI prompts for the workflow as cloned.", { nullable: true }),
      column("version", "integer", "Version of the blueprint that was cloned."),
      column("is_active", "boolean", "Whether new work may run in this workflow."),
      column("is_master", "boolean", "True for the single entry-point workflow of the deployment."),
    ],
    // "At most one master per instance" cannot be a portable constraint (MariaDB has no partial
    // unique index): engine/instantiate.ts enforces it inside the instantiation transaction.
    unique: [["instance_id", "name"]],
    indexes: [],
    since: 1,
  }),
  local_roles: table({
    name: "local_roles",
    tier: "instances",
    description: "A role cloned into a deployment: a node that actors execute.",
    columns: [
      column("role_id", "uuid", "Identifier of this cloned role.", { primaryKey: true }),
      column("local_workflow_id", "uuid", "Cloned workflow that owns this role.", { references: "local_workflows" }),
      column("name", "string", "Name of the role; unique within its workflow."),
      column("description", "text", "Responsibilities of the role.", { nullable: true }),
      column("ai_context", "json", "Instructions for AI agents that take this role.", { nullable: true }),
      column("role_type", "enum", "Functional class of the role.", { enum: "RoleType" }),
      column("decomposition_strategy", "enum", "How this role splits a unit of work into children.", {
        enum: "DecompositionStrategy",
        nullable: true,
      }),
      column("is_recursive_gateway", "boolean", "True when this role runs a nested workflow."),
      column(
        "linked_local_workflow_id",
        "uuid",
        "Nested workflow, cloned into the same deployment, that this gateway runs.",
        { references: "local_workflows", nullable: true },
      ),
      column("config", "json", "Settings of the role, cloned from the blueprint.", { nullable: true }),
      // Migration 6: pause and resume of one role.
      column(
        "paused_at",
        "timestamp",
        "When an operator paused the role (it checks out nothing until resumed; see instance_events for who and why); empty while it runs.",
        { nullable: true, since: 6 },
      ),
    ],
    unique: [["local_workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  local_interactions: table({
    name: "local_interactions",
    tier: "instances",
    description: "A holding area cloned into a deployment, where units of work wait.",
    columns: [
      column("interaction_id", "uuid", "Identifier of this cloned interaction.", { primaryKey: true }),
      column("local_workflow_id", "uuid", "Cloned workflow that owns this interaction.", {
        references: "local_workflows",
      }),
      column("name", "string", "Name of the interaction; unique within its workflow."),
      column("description", "text", "Which state of work waits here.", { nullable: true }),
      column("ai_context", "json", "Context for AI agents that watch this interaction.", { nullable: true }),
      column(
        "stale_token_limit_seconds",
        "integer",
        "Seconds a unit of work may wait here before the timeout role takes it; empty means no limit.",
        { nullable: true },
      ),
      // Migration 6: the stale clock stops while the deployment or a role taking from here is paused.
      column(
        "clock_stopped_at",
        "timestamp",
        "Since when the waiting clock of this interaction stands still, because its deployment or a role that takes from it is paused; on resume its units' entered_interaction_at moves forward by the pause. Empty while the clock runs.",
        { nullable: true, since: 6 },
      ),
    ],
    unique: [["local_workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  local_components: table({
    name: "local_components",
    tier: "instances",
    description: "A directed pipe cloned into a deployment, between one role and one interaction.",
    columns: [
      column("component_id", "uuid", "Identifier of this cloned component.", { primaryKey: true }),
      column("local_workflow_id", "uuid", "Cloned workflow that owns this component.", {
        references: "local_workflows",
      }),
      column("interaction_id", "uuid", "Interaction at one end of the pipe.", { references: "local_interactions" }),
      column("role_id", "uuid", "Role at the other end of the pipe.", { references: "local_roles" }),
      column(
        "direction",
        "enum",
        "INBOUND when the role pulls from the interaction, OUTBOUND when it pushes into it.",
        { enum: "ComponentDirection" },
      ),
      column("name", "string", "Name of the component; unique within its workflow."),
      column("description", "text", "What flows through this pipe.", { nullable: true }),
      column("ai_context", "json", "Meaning of this pipe for AI agents.", { nullable: true }),
      column(
        "position",
        "integer",
        "Order in which the OUTBOUND components of a role are tried when routing, lowest first.",
      ),
    ],
    unique: [["local_workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  local_guardians: table({
    name: "local_guardians",
    tier: "instances",
    description: "A logic gate cloned into a deployment, on one component.",
    columns: [
      column("guardian_id", "uuid", "Identifier of this cloned guardian.", { primaryKey: true }),
      column("local_workflow_id", "uuid", "Cloned workflow that owns this guardian.", {
        references: "local_workflows",
      }),
      column("component_id", "uuid", "Component that this guardian protects.", { references: "local_components" }),
      column("name", "string", "Name of the guardian; unique within its workflow."),
      column("description", "text", "The gating criteria.", { nullable: true }),
      column("ai_context", "json", "Instructions for AI agents that act as this guardian.", { nullable: true }),
      column("type", "enum", "Kind of logic the guardian applies.", { enum: "GuardianType" }),
      column("attributes", "json", "Runtime settings of the guardian, cloned from the blueprint's config.", {
        nullable: true,
      }),
      column("position", "integer", "Order in which the guardians of one component are evaluated, lowest first."),
    ],
    unique: [["local_workflow_id", "name"]],
    indexes: [],
    since: 1,
  }),
  local_actors: table({
    name: "local_actors",
    tier: "instances",
    description: "An identity that may act inside one deployment: a person, an AI agent or the system itself.",
    columns: [
      column("actor_id", "uuid", "Identifier of the actor in this deployment.", { primaryKey: true }),
      column("instance_id", "uuid", "Deployment the actor belongs to.", { references: "instance_context" }),
      column(
        "identity_key",
        "string",
        "External identity of the actor, such as an e-mail address or an agent id; unique within its deployment.",
      ),
      column("name", "string", "Display name; unique within its deployment."),
      column("description", "text", "What the actor can do.", { nullable: true }),
      column("ai_context", "json", "Persona or system prompt of the actor in this deployment.", { nullable: true }),
      column("type", "enum", "Whether the actor is a person, an AI agent or the system.", { enum: "ActorType" }),
      column("capabilities", "json", "Tools and skills the actor has.", { nullable: true }),
    ],
    unique: [
      ["instance_id", "name"],
      ["instance_id", "identity_key"],
    ],
    indexes: [],
    since: 1,
  }),
  local_actor_role_assignments: table({
    name: "local_actor_role_assignments",
    tier: "instances",
    description: "Which actors may take which roles.",
    columns: [
      column("assignment_id", "uuid", "Identifier of the assignment.", { primaryKey: true }),
      column("actor_id", "uuid", "The actor.", { references: "local_actors" }),
      column("role_id", "uuid", "The role the actor may take.", { references: "local_roles" }),
      column("status", "enum", "Whether the assignment is in force or revoked.", { enum: "AssignmentStatus" }),
    ],
    unique: [["actor_id", "role_id"]],
    indexes: [],
    since: 1,
  }),
  local_role_attributes: table({
    name: "local_role_attributes",
    tier: "instances",
    description: "Long-term memory of a role: shared blueprints (no actor) and private playbooks (one actor).",
    columns: [
      column("memory_id", "uuid", "Identifier of the memory entry.", { primaryKey: true }),
      column("instance_id", "uuid", "Deployment the memory belongs to.", { references: "instance_context" }),
      column("role_id", "uuid", "Role whose work this memory serves.", { references: "local_roles" }),
      column(
        "actor_id",
        "uuid",
        "Owner of a private playbook entry; empty for a blueprint shared by every actor of the role.",
        { references: "local_actors", nullable: true },
      ),
      column("key", "string", "Retrieval key."),
      column("value", "json", "The knowledge or setting that is remembered.", { nullable: true }),
      column("is_toxic", "boolean", "True when this entry was found to lead to failure; it is then never served."),
      column("toxic_reason", "text", "Why the entry was flagged toxic.", { nullable: true }),
      // Not in the portable column list of the spec: NULLs are distinct in unique keys on every
      // engine, so a shared entry (no actor) needs a non-null owner to be unique per key.
      column(
        "owner_key",
        "string",
        "Owner of the entry in its unique key: the actor id, or 'shared' for an entry without actor; derived by the database from actor_id.",
        {
          coalesceOf: { column: "actor_id", fallback: "shared" },
        },
      ),
      column("source_uow_id", "uuid", "Unit of work whose successful completion produced this entry.", {
        references: "units_of_work",
        nullable: true,
      }),
      column("created_at", "timestamp", "When the entry was written (UTC)."),
      column("last_accessed_at", "timestamp", "When an actor last received this entry; drives decay.", {
        nullable: true,
      }),
    ],
    unique: [["role_id", "owner_key", "key"]],
    indexes: [
      {
        name: "ix_local_role_attributes_instance",
        columns: ["instance_id", "last_accessed_at"],
        serves: "memory decay per deployment",
      },
    ],
    since: 1,
  }),
  units_of_work: table({
    name: "units_of_work",
    tier: "instances",
    description: "A token of work that moves through the graph: a base unit or one of its children.",
    columns: [
      column("uow_id", "uuid", "Identifier of the unit of work.", { primaryKey: true }),
      column("instance_id", "uuid", "Deployment the unit belongs to.", { references: "instance_context" }),
      column("local_workflow_id", "uuid", "Workflow the unit is travelling through.", {
        references: "local_workflows",
      }),
      column("parent_id", "uuid", "Base unit this child belongs to; empty for a base unit.", {
        references: "units_of_work",
        nullable: true,
      }),
      column("current_interaction_id", "uuid", "Interaction where the unit is, or was when it was checked out.", {
        references: "local_interactions",
      }),
      column("status", "enum", "Where the unit stands in its lifecycle.", { enum: "UOWStatus" }),
      column("child_count", "integer", "Number of children created from this unit."),
      column("finished_child_count", "integer", "Number of those children that have come back finished."),
      column("locked_by_actor_id", "uuid", "Actor that holds the unit while it is checked out.", {
        references: "local_actors",
        nullable: true,
      }),
      column(
        "lease_token",
        "uuid",
        "Token of the current checkout; a submit or heartbeat with another token is refused.",
        { nullable: true },
      ),
      column("last_heartbeat_at", "timestamp", "Last sign of life from the actor holding the unit.", {
        nullable: true,
      }),
      column(
        "entered_interaction_at",
        "timestamp",
        "When the unit arrived in its current interaction; drives stale-token detection.",
      ),
      column(
        "attempt",
        "integer",
        "How many times the unit has been checked out in its current step; back to zero when it moves to another interaction.",
      ),
      column("created_at", "timestamp", "When the unit was created (UTC)."),
      column("updated_at", "timestamp", "When the unit last changed (UTC)."),
      // Migration 3: the latest attributes on the row, so that no step reads a unit's history.
      column(
        "current_attributes",
        "json",
        'The latest version of each attribute of the unit, as {"key": {"value": ..., "version": n}}; written in the same transaction as its uow_attributes rows, so reading a unit never reads its history. Empty only in a database being upgraded.',
        { nullable: true, since: 3 },
      ),
      column(
        "idempotency_key",
        "string",
        "Key the caller of genesis gave so that a repeated start returns this unit instead of creating another; unique within the deployment.",
        { nullable: true, since: 3 },
      ),
      // Migration 7: retries with backoff, deadlines and priority (docs/engine.md).
      column(
        "available_at",
        "timestamp",
        "When the unit may be checked out: the later of its arrival in its interaction and the end of a retry's backoff; checkout skips units not yet available. Empty only in a database being upgraded (the migration fills it with entered_interaction_at).",
        { nullable: true, since: 7 },
      ),
      column(
        "priority",
        "integer",
        "Priority of the unit from 0 to 9 (default 5); checkout takes higher priority first, then the earliest available_at. Children inherit their parent's. Empty only in a database being upgraded (the migration fills it with 5).",
        { nullable: true, since: 7 },
      ),
      column(
        "due_at",
        "timestamp",
        "When the unit's deadline in its current interaction passes: its arrival plus the earliest due_seconds of the roles that take from the interaction; empty when none declares one. The sweep sends a unit waiting or held past it to TAU.",
        { nullable: true, since: 7 },
      ),
    ],
    unique: [{ columns: ["instance_id", "idempotency_key"], since: 3 }],
    indexes: [
      {
        name: "ix_units_of_work_queue",
        columns: ["current_interaction_id", "status", "entered_interaction_at", "uow_id"],
        serves: "the stale sweep and the overview: the unit of one status that entered one interaction first",
      },
      {
        name: "ix_units_of_work_ready",
        columns: ["current_interaction_id", "status", "priority", "available_at", "uow_id"],
        serves:
          "checkout: per priority, the unit available longest is the first index entry at or before now, so units in backoff are never read",
        since: 7,
      },
      {
        name: "ix_units_of_work_due",
        columns: ["current_interaction_id", "status", "due_at", "uow_id"],
        serves:
          "the deadline sweep and the overview's overdue counts: the units past their due time in one interaction",
        since: 7,
        // Most units have no deadline: their claims and moves never touch this index.
        partial: { where: "due_at IS NOT NULL", since: 8 },
      },
      // Without status, so that moving a unit does not rewrite this index.
      {
        name: "ix_units_of_work_parent",
        columns: ["parent_id"],
        serves: "the children of a base unit (Cerberus, finalization)",
        // Base units are no one's children; PostgreSQL would rewrite their entry at every move.
        partial: { where: "parent_id IS NOT NULL", since: 8 },
      },
      {
        name: "ix_units_of_work_instance",
        columns: ["instance_id", "status"],
        serves: "listing the units of a deployment; the sweep's search for expired leases among its ACTIVE units",
      },
    ],
    since: 1,
  }),
  uow_attributes: table({
    name: "uow_attributes",
    tier: "instances",
    description: "The data of a unit of work, as an append-only history of versioned values.",
    columns: [
      column("attribute_id", "uuid", "Identifier of this attribute version.", { primaryKey: true }),
      column("uow_id", "uuid", "Unit of work the data belongs to.", { references: "units_of_work" }),
      column("instance_id", "uuid", "Deployment the data belongs to.", { references: "instance_context" }),
      column("key", "string", "Name of the data item."),
      column("value", "json", "Value of the data item in this version.", { nullable: true }),
      column("version", "integer", "Version of this key within the unit, from 1, raised by one at every change."),
      column("actor_id", "uuid", "Actor that wrote this version.", { references: "local_actors" }),
      column("reasoning", "text", "Why the actor wrote this value.", { nullable: true }),
      column("created_at", "timestamp", "When this version was written (UTC)."),
    ],
    unique: [["uow_id", "key", "version"]],
    // The unique key (uow_id, key, version) serves every read; nothing else is indexed, to keep writes cheap.
    indexes: [],
    since: 1,
  }),
  interaction_logs: table({
    name: "interaction_logs",
    tier: "instances",
    description: "The append-only audit ledger of every move and decision in a deployment.",
    columns: [
      column("log_id", "bigint", "Sequence number of the entry.", { autoIncrement: true, primaryKey: true }),
      column("instance_id", "uuid", "Deployment where the event happened.", { references: "instance_context" }),
      column("uow_id", "uuid", "Unit of work concerned.", { references: "units_of_work" }),
      column("actor_id", "uuid", "Actor responsible for the event.", { references: "local_actors" }),
      column("role_id", "uuid", "Role in whose name the event happened.", {
        references: "local_roles",
        nullable: true,
      }),
      column("interaction_id", "uuid", "Interaction involved.", { references: "local_interactions", nullable: true }),
      column("event", "enum", "What happened.", { enum: "LogEvent" }),
      column("details", "json", "Facts of the event, such as the guardian that decided or the destination chosen.", {
        nullable: true,
      }),
      column("timestamp", "timestamp", "When the event happened (UTC)."),
      column(
        "lease_token",
        "uuid",
        "Lease that this entry consumed (the SUBMIT, FAIL or FINALIZE of a checkout), so that a repeated call with that lease is answered with the first result.",
        { nullable: true, since: 3 },
      ),
      column(
        "writer_xid",
        "bigint",
        "Transaction that wrote the entry (pg_current_xact_id() on PostgreSQL, empty on the other engines and on entries written before migration 5): the event stream reads an entry only once every transaction that could come before it has ended.",
        { nullable: true, since: 5, writerTransaction: true },
      ),
    ],
    unique: [],
    indexes: [
      { name: "ix_interaction_logs_unit", columns: ["uow_id", "log_id"], serves: "the history of one unit, in order" },
      {
        name: "ix_interaction_logs_event",
        columns: ["instance_id", "event", "timestamp", "interaction_id"],
        serves:
          "the instance overview: failures and finalized units of the last hour (finalized: from the index alone), without a counter every step updates",
        since: 5,
        // Not the CHECKOUT and SUBMIT entries of every step, which no query reads by event.
        partial: { where: OVERVIEW_EVENTS, since: 8 },
      },
      {
        name: "ix_interaction_logs_feed",
        columns: ["instance_id", "writer_xid", "log_id"],
        serves:
          "the event stream of one instance: by writing transaction, then id, on PostgreSQL; by id on the other engines, where writer_xid is empty",
        since: 5,
      },
    ],
    since: 1,
  }),

  // Not in SCHEMA.md version 1: the HTTP API's actor tokens (migration 2).
  local_actor_tokens: table({
    name: "local_actor_tokens",
    tier: "instances",
    description: "Bearer tokens that let an actor act through the HTTP API and MCP, kept only as hashes.",
    columns: [
      column("token_id", "uuid", "Identifier of the token.", { primaryKey: true }),
      column("actor_id", "uuid", "Actor the token acts as, only inside that actor's deployment.", {
        references: "local_actors",
      }),
      column("token_hash", "string", "SHA-256 of the token, in hex; the token itself is shown once and never stored."),
      column("created_at", "timestamp", "When the token was issued (UTC)."),
      column("revoked_at", "timestamp", "When the token was revoked; empty while it is valid.", { nullable: true }),
    ],
    unique: [["token_hash"]],
    indexes: [],
    since: 2,
  }),

  // Not in SCHEMA.md version 1: named operators of the HTTP API beside the start-up admin token (migration 4).
  operator_tokens: table({
    name: "operator_tokens",
    tier: "instances",
    description:
      "Bearer tokens of named operators of the HTTP API (admin: everything; viewer: reads only), kept only as hashes.",
    columns: [
      column("token_id", "uuid", "Identifier of the token.", { primaryKey: true }),
      column("name", "string", "Name of the operator, recorded as details.by in the audit entries of its moves."),
      column("scope", "string", "What the token may do: admin (everything) or viewer (every read, no change)."),
      column("token_hash", "string", "SHA-256 of the token, in hex; the token itself is shown once and never stored."),
      column("created_at", "timestamp", "When the token was issued (UTC)."),
      column("revoked_at", "timestamp", "When the token was revoked; empty while it is valid.", { nullable: true }),
    ],
    unique: [["token_hash"]],
    indexes: [],
    since: 4,
  }),
  // Not in SCHEMA.md version 1: what happens to a deployment as a whole (migration 6).
  instance_events: table({
    name: "instance_events",
    tier: "instances",
    description:
      "The append-only ledger of events of a deployment as a whole, which concern no unit of work: pauses and resumes, and the runs, missed ticks and changes of its schedules.",
    columns: [
      column("event_id", "bigint", "Sequence number of the entry.", { autoIncrement: true, primaryKey: true }),
      column("instance_id", "uuid", "Deployment concerned.", { references: "instance_context" }),
      column("event", "enum", "What happened.", { enum: "InstanceEvent" }),
      column("role_id", "uuid", "Role paused or resumed; empty for the deployment as a whole or a schedule.", {
        references: "local_roles",
        nullable: true,
      }),
      column(
        "schedule_id",
        "uuid",
        "Schedule concerned; not a foreign key, so that the entries of a deleted schedule remain.",
        { nullable: true },
      ),
      column(
        "performed_by",
        "string",
        "Who did it: the operator's name (an operator token's name, admin for the start-up token, or the name a library caller gives), or scheduler for a schedule's own runs.",
      ),
      column("reason", "text", "Why, as the operator gave it.", { nullable: true }),
      column(
        "details",
        "json",
        "Facts of the event, such as the tick a schedule ran for or how many ticks it missed.",
        {
          nullable: true,
        },
      ),
      column("timestamp", "timestamp", "When the event happened (UTC)."),
    ],
    unique: [],
    indexes: [
      {
        name: "ix_instance_events_instance",
        columns: ["instance_id", "event_id"],
        serves: "the events of one deployment in order; its latest pause",
      },
    ],
    since: 6,
  }),
  schedules: table({
    name: "schedules",
    tier: "instances",
    description: "A cron schedule that starts a unit of work in a deployment at each of its ticks.",
    columns: [
      column("schedule_id", "uuid", "Identifier of the schedule.", { primaryKey: true }),
      column("instance_id", "uuid", "Deployment the schedule starts work in.", { references: "instance_context" }),
      column("name", "string", "Name of the schedule; unique within its deployment."),
      column("cron", "string", "The cron pattern of the ticks (five or six fields, as croner reads them)."),
      column("timezone", "string", "IANA time zone the cron pattern is read in, such as UTC or Europe/Paris."),
      column("attributes", "json", "Attributes of each unit the schedule starts.", { nullable: true }),
      column(
        "next_tick_at",
        "timestamp",
        "The next tick not yet run (UTC); the process that moves it past a tick is the one that starts its unit.",
      ),
      column("last_tick_at", "timestamp", "The last tick a unit was started for; empty before the first.", {
        nullable: true,
      }),
      column("last_uow_id", "uuid", "Unit started at the last tick; empty before the first.", { nullable: true }),
      column("paused_at", "timestamp", "When the schedule was paused; empty while it runs.", { nullable: true }),
      column("created_by", "string", "Operator who created the schedule."),
      column("created_at", "timestamp", "When the schedule was created (UTC)."),
    ],
    unique: [["instance_id", "name"]],
    indexes: [
      {
        name: "ix_schedules_due",
        columns: ["next_tick_at"],
        serves: "the schedules due now, in every deployment, for the processes that run them",
      },
    ],
    since: 6,
  }),
  chameleon_migrations: table({
    name: "chameleon_migrations",
    tier: "both",
    description:
      "Schema migrations applied to this database, one row per migration; the highest version is the schema version.",
    columns: [
      column("version", "integer", "Number of the migration, from 1.", { primaryKey: true }),
      column("tier", "string", "Store this database serves: templates or instances; one database never serves both."),
      column("name", "string", "What the migration does."),
      column("applied_at", "timestamp", "When the migration was applied (UTC)."),
    ],
    unique: [],
    indexes: [],
    since: 1,
  }),
} as const;

export type Tables = typeof tables;
export type TableName = keyof Tables;
export type Row<T extends TableName> = RowOf<Tables[T]>;

type TierTables<T extends "templates" | "instances"> = {
  [K in TableName as Tables[K]["tier"] extends T | "both" ? K : never]: Tables[K];
};

/** The Kysely database interface of the template store. */
export type TemplateDatabase = { [K in keyof TierTables<"templates">]: KyselyTableOf<TierTables<"templates">[K]> };
/** The Kysely database interface of the instance store. */
export type InstanceDatabase = { [K in keyof TierTables<"instances">]: KyselyTableOf<TierTables<"instances">[K]> };

export const allTables: readonly TableDef[] = Object.values(tables);

/** The tables of one store, in creation order (referenced tables first). */
export function tablesOfTier(tier: "templates" | "instances"): TableDef[] {
  return allTables.filter((t) => t.tier === tier || t.tier === "both");
}

export function tableDef(name: string): TableDef {
  const def = allTables.find((t) => t.name === name);
  if (!def) throw new Error(`no table '${name}' in the schema definition`);
  return def;
}
