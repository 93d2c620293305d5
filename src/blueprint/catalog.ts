/**
 * Reading the template store: the list of blueprint versions, and one version as a
 * workflow with the nested workflow versions its SIGMA roles are pinned to. The whole graph
 * of a version is kept as its canonical JSON in `schema_json`, so one row is one blueprint.
 */
import { NotFoundError } from "../errors.js";
import { isJsonObject, type JsonObject } from "../schema/json.js";
import type { TemplateStore } from "../store/open.js";
import { workflowFromCanonical } from "./canonical.js";
import type { BlueprintWorkflow } from "./model.js";

/** The nested workflow version a SIGMA role runs, by child workflow name. */
export type NestedPins = Record<string, { workflowId: string; version: number }>;

/** What `schema_json` holds. */
export interface StoredSchema {
  format: 1;
  workflow: JsonObject;
  nested: NestedPins;
}

export interface TemplateSummary {
  workflowId: string;
  name: string;
  version: number;
  createdAt: Date;
}

export interface StoredTemplate extends TemplateSummary {
  description: string | null;
  workflow: BlueprintWorkflow;
  nested: NestedPins;
}

export async function listTemplates(store: TemplateStore): Promise<TemplateSummary[]> {
  const rows = await store.db
    .selectFrom("template_workflows")
    .select(["workflow_id", "name", "version", "created_at"])
    .orderBy("name")
    .orderBy("version")
    .execute();
  return rows.map((r) => ({ workflowId: r.workflow_id, name: r.name, version: r.version, createdAt: r.created_at }));
}

/** Every stored version of one workflow, oldest first; NotFoundError when none is stored. */
export async function listVersions(store: TemplateStore, name: string): Promise<TemplateSummary[]> {
  const rows = await store.db
    .selectFrom("template_workflows")
    .select(["workflow_id", "name", "version", "created_at"])
    .where("name", "=", name)
    .orderBy("version")
    .execute();
  if (rows.length === 0) throw new NotFoundError(`no workflow '${name}' in the template store`);
  return rows.map((r) => ({ workflowId: r.workflow_id, name: r.name, version: r.version, createdAt: r.created_at }));
}

/** A blueprint by name (newest version unless one is named). */
export async function loadTemplate(db: TemplateStore["db"], name: string, version?: number): Promise<StoredTemplate> {
  let query = db.selectFrom("template_workflows").selectAll().where("name", "=", name);
  query = version === undefined ? query.orderBy("version", "desc").limit(1) : query.where("version", "=", version);
  const row = await query.executeTakeFirst();
  if (!row) {
    throw new NotFoundError(
      version === undefined
        ? `no workflow '${name}' in the template store`
        : `no version ${version} of workflow '${name}'`,
    );
  }
  return fromRow(row);
}

export async function loadTemplateById(db: TemplateStore["db"], workflowId: string): Promise<StoredTemplate> {
  const row = await db
    .selectFrom("template_workflows")
    .selectAll()
    .where("workflow_id", "=", workflowId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no workflow with id '${workflowId}' in the template store`);
  return fromRow(row);
}

function fromRow(row: {
  workflow_id: string;
  name: string;
  version: number;
  description: string | null;
  created_at: Date;
  schema_json: unknown;
}): StoredTemplate {
  const schema = row.schema_json as StoredSchema | null;
  if (!isJsonObject(schema) || schema.format !== 1) {
    throw new Error(`workflow '${row.name}' version ${row.version} has no readable schema_json`);
  }
  return {
    workflowId: row.workflow_id,
    name: row.name,
    version: row.version,
    createdAt: row.created_at,
    description: row.description,
    workflow: workflowFromCanonical(schema.workflow),
    nested: schema.nested ?? {},
  };
}
