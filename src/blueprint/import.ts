/**
 * Importing blueprint YAML into the template store (ENGINE.md section 3): every rule checked
 * first and every violation reported at once; then all workflows of the file are stored in
 * one transaction, or none. A workflow whose canonical form (and nested versions) is the same
 * as its newest stored version stores nothing; any change becomes version + 1.
 */
import { ValidationError } from "../errors.js";
import { newId } from "../schema/ids.js";
import { jsonEqual, jsonText, type JsonValue } from "../schema/json.js";
import type { TemplateStore } from "../store/open.js";
import { retryTransient } from "../store/retry.js";
import { canonicalWorkflow } from "./canonical.js";
import type { NestedPins, StoredSchema } from "./catalog.js";
import type { BlueprintWorkflow } from "./model.js";
import { parseBlueprintDocuments } from "./parse.js";
import { workflowRows } from "./rows.js";
import { blueprintIssues } from "./validate.js";

export interface ImportedWorkflow {
  workflowId: string;
  name: string;
  version: number;
  /** False when the same structure was already stored: nothing was written. */
  created: boolean;
}

type TemplateDb = TemplateStore["db"];

export async function importBlueprint(store: TemplateStore, text: unknown): Promise<{ workflows: ImportedWorkflow[] }> {
  if (typeof text !== "string") throw ValidationError.single("file", "the blueprint must be YAML text");
  const { documents } = parseBlueprintDocuments(text);
  const inFile = new Set(documents.flatMap((d) => (d.parsed ? [d.parsed.workflow.name] : [])));
  const referenced = documents.flatMap(
    (d) => d.parsed?.workflow.roles.flatMap((r) => (r.childWorkflow ? [r.childWorkflow] : [])) ?? [],
  );
  const stored = await storedNesting(
    store.db,
    referenced.filter((n) => !inFile.has(n)),
  );
  const { workflows, issues } = blueprintIssues(text, { storedWorkflow: (name) => stored.get(name) });
  if (issues.length > 0) {
    throw new ValidationError(`the blueprint is not valid: ${issues[0]!.message}`, issues);
  }
  // Two imports of the same name at once: the second one's version number is taken; retry
  // from the start, when it will usually find the structure already stored.
  for (let attempt = 1; ; attempt++) {
    try {
      const stored = await retryTransient(store.dialect, () =>
        store.db.transaction().execute((trx) => storeWorkflows(trx, workflows)),
      );
      return { workflows: stored };
    } catch (error) {
      if (attempt >= 3 || !store.dialect.isUniqueViolation(error)) throw error;
    }
  }
}

/** Child workflow names of the newest stored version of each name, followed recursively. */
async function storedNesting(
  db: TemplateDb,
  names: string[],
): Promise<Map<string, { name: string; childWorkflows: string[] }>> {
  const found = new Map<string, { name: string; childWorkflows: string[] }>();
  let pending = [...new Set(names)];
  while (pending.length > 0) {
    const rows = await db
      .selectFrom("template_workflows")
      .select(["name", "version", "schema_json"])
      .where("name", "in", pending)
      .execute();
    const newest = new Map<string, (typeof rows)[number]>();
    for (const r of rows) if ((newest.get(r.name)?.version ?? 0) < r.version) newest.set(r.name, r);
    for (const [name, row] of newest) {
      found.set(name, {
        name,
        childWorkflows: Object.keys((row.schema_json as unknown as StoredSchema | null)?.nested ?? {}),
      });
    }
    pending = [...new Set([...newest.values()].flatMap((r) => found.get(r.name)!.childWorkflows))].filter(
      (n) => !found.has(n),
    );
  }
  return found;
}

/** Children before the workflows that nest them, so that every SIGMA role can be pinned. */
function nestingOrder(workflows: BlueprintWorkflow[]): BlueprintWorkflow[] {
  const byName = new Map(workflows.map((w) => [w.name, w]));
  const ordered: BlueprintWorkflow[] = [];
  const visit = (w: BlueprintWorkflow) => {
    if (ordered.includes(w)) return;
    for (const r of w.roles) {
      const child = r.childWorkflow ? byName.get(r.childWorkflow) : undefined;
      if (child && child !== w) visit(child);
    }
    ordered.push(w);
  };
  workflows.forEach(visit);
  return ordered;
}

async function newestVersion(db: TemplateDb, name: string) {
  return db
    .selectFrom("template_workflows")
    .select(["workflow_id", "version", "schema_json"])
    .where("name", "=", name)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
}

async function storeWorkflows(trx: TemplateDb, workflows: BlueprintWorkflow[]): Promise<ImportedWorkflow[]> {
  const results = new Map<string, ImportedWorkflow>();
  for (const w of nestingOrder(workflows)) {
    const nested: NestedPins = {};
    for (const r of w.roles) {
      if (!r.childWorkflow || nested[r.childWorkflow]) continue;
      const pin =
        results.get(r.childWorkflow) ??
        (await newestVersion(trx, r.childWorkflow).then(
          (row) => row && { workflowId: row.workflow_id, version: row.version },
        ));
      if (!pin)
        throw new ValidationError(
          `workflow '${r.childWorkflow}' disappeared from the template store during the import`,
        );
      nested[r.childWorkflow] = { workflowId: pin.workflowId, version: pin.version };
    }
    const schema: StoredSchema = { format: 1, workflow: canonicalWorkflow(w), nested };
    const latest = await newestVersion(trx, w.name);
    if (latest && jsonEqual(latest.schema_json, schema as unknown as JsonValue)) {
      results.set(w.name, { workflowId: latest.workflow_id, name: w.name, version: latest.version, created: false });
      continue;
    }
    const version = (latest?.version ?? 0) + 1;
    const workflowId = await insertWorkflow(trx, w, version, schema);
    results.set(w.name, { workflowId, name: w.name, version, created: true });
  }
  return workflows.map((w) => results.get(w.name)!);
}

async function insertWorkflow(
  trx: TemplateDb,
  w: BlueprintWorkflow,
  version: number,
  schema: StoredSchema,
): Promise<string> {
  const workflowId = newId();
  await trx
    .insertInto("template_workflows")
    .values({
      workflow_id: workflowId,
      name: w.name,
      description: w.description,
      ai_context: jsonText(w.aiContext),
      version,
      schema_json: jsonText(schema as unknown as JsonValue),
      created_at: new Date(),
    })
    .execute();
  // A validated workflow has roles, interactions and components; guardians are optional.
  const rows = workflowRows(w);
  await trx
    .insertInto("template_roles")
    .values(
      rows.roles.map(({ id, role: r }) => ({
        role_id: id,
        workflow_id: workflowId,
        name: r.name,
        description: r.description,
        ai_context: jsonText(r.aiContext),
        role_type: r.type,
        strategy: r.strategy,
        child_workflow_id: r.childWorkflow ? schema.nested[r.childWorkflow]!.workflowId : null,
        config: jsonText(r.config),
      })),
    )
    .execute();
  await trx
    .insertInto("template_interactions")
    .values(
      rows.interactions.map(({ id, interaction: i }) => ({
        interaction_id: id,
        workflow_id: workflowId,
        name: i.name,
        description: i.description,
        ai_context: jsonText(i.aiContext),
        stale_token_limit_seconds: i.staleTokenLimitSeconds,
      })),
    )
    .execute();
  await trx
    .insertInto("template_components")
    .values(
      rows.components.map(({ id, roleId, interactionId, position, component: c }) => ({
        component_id: id,
        workflow_id: workflowId,
        interaction_id: interactionId,
        role_id: roleId,
        direction: c.direction,
        name: c.name,
        description: c.description,
        ai_context: jsonText(c.aiContext),
        position,
      })),
    )
    .execute();
  if (rows.guardians.length > 0) {
    await trx
      .insertInto("template_guardians")
      .values(
        rows.guardians.map(({ id, componentId, position, guardian: g }) => ({
          guardian_id: id,
          workflow_id: workflowId,
          component_id: componentId,
          name: g.name,
          description: g.description,
          ai_context: jsonText(g.aiContext),
          type: g.type,
          config: jsonText(g.config),
          position,
        })),
      )
      .execute();
  }
  return workflowId;
}
