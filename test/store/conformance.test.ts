/**
 * The schema as each engine holds it agrees with the schema definition: tables, columns,
 * comments, keys and constraints, value round trips, the guide view, tier separation and
 * idempotent migrations. Parameterized by engine; later suites extend it with behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import { openChameleon, type Chameleon } from "../../src/chameleon.js";
import { StoreError } from "../../src/errors.js";
import { tablesOfTier, tables } from "../../src/schema/tables.js";
import { newId } from "../../src/schema/ids.js";
import { jsonText } from "../../src/schema/json.js";
import type { TableDef } from "../../src/schema/define.js";
import { engines, type FreshStores } from "../support/engines.js";
import { LATEST_SCHEMA_VERSION, migrations } from "../../src/store/migrations.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Column descriptions as the engine's own catalog holds them. */
async function catalogComments(engine: string, db: AnyDb): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (engine === "postgres") {
    const { rows } = await sql<{ t: string; c: string | null; d: string | null }>`
      select c.relname as t, null as c, obj_description(c.oid, 'pg_class') as d
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind = 'r'
      union all
      select c.relname, a.attname, col_description(c.oid, a.attnum)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where n.nspname = current_schema() and c.relkind = 'r'`.execute(db);
    for (const r of rows) if (r.d !== null) found.set(`${r.t}.${r.c ?? ""}`, r.d);
  } else if (engine === "mysql") {
    const t = await sql<{ t: string; d: string }>`
      select TABLE_NAME as t, TABLE_COMMENT as d from information_schema.TABLES
       where TABLE_SCHEMA = database() and TABLE_TYPE = 'BASE TABLE'`.execute(db);
    for (const r of t.rows) found.set(`${r.t}.`, r.d);
    const c = await sql<{ t: string; c: string; d: string }>`
      select TABLE_NAME as t, COLUMN_NAME as c, COLUMN_COMMENT as d from information_schema.COLUMNS
       where TABLE_SCHEMA = database()`.execute(db);
    for (const r of c.rows) found.set(`${r.t}.${r.c}`, r.d);
  } else {
    // SQLite has no catalog comments; CREATE TABLE keeps the /* … */ comments verbatim.
    const { rows } = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'table'`.execute(db);
    for (const r of rows) {
      const def = tablesOfTier("templates")
        .concat(tablesOfTier("instances"))
        .find((t) => t.name === r.name);
      if (!def) continue;
      if (r.sql.includes(`/* ${def.description} */`)) found.set(`${r.name}.`, def.description);
      for (const col of def.columns) {
        const line = r.sql.split("\n").find((l) => l.trimStart().startsWith(`"${col.name}" `));
        const m = line && /\/\* (.*) \*\//.exec(line);
        if (m?.[1]) found.set(`${r.name}.${col.name}`, m[1]);
      }
    }
  }
  return found;
}

async function baseTableNames(db: AnyDb): Promise<string[]> {
  const meta = await db.introspection.getTables();
  return meta
    .filter((t) => !t.isView)
    .map((t) => t.name)
    .sort();
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`schema conformance on ${engine.name}`, () => {
    let fresh: FreshStores;
    let ch: Chameleon;
    const stores = () => ({ templates: ch.stores.templates.db as AnyDb, instances: ch.stores.instances.db as AnyDb });

    beforeAll(async () => {
      fresh = await engine.fresh();
      ch = await openChameleon({
        templatesUrl: fresh.templatesUrl,
        instancesUrl: fresh.instancesUrl,
        templateStore: "at-open",
      });
    });
    afterAll(async () => {
      await ch?.close();
      await fresh?.drop();
    });

    for (const tier of ["templates", "instances"] as const) {
      describe(`${tier} store`, () => {
        const defs = tablesOfTier(tier);

        it("holds exactly the tables of its tier, no table of the other tier", async () => {
          expect(await baseTableNames(stores()[tier])).toEqual(defs.map((t) => t.name).sort());
        });

        it("has every column of the definition, in order, with its nullability", async () => {
          const meta = await stores()[tier].introspection.getTables();
          for (const def of defs) {
            const table = meta.find((t) => t.name === def.name);
            expect(table, def.name).toBeDefined();
            // SQLite's introspection does not list generated columns; the guide view test covers them.
            const defined = def.columns.filter((c) => !(engine.name === "sqlite" && c.options.coalesceOf));
            expect(
              table!.columns.map((c) => c.name),
              def.name,
            ).toEqual(defined.map((c) => c.name));
            for (const c of defined) {
              if (c.options.coalesceOf || c.options.primaryKey) continue;
              const actual = table!.columns.find((x) => x.name === c.name)!;
              expect(actual.isNullable, `${def.name}.${c.name} nullable`).toBe(Boolean(c.options.nullable));
            }
          }
        });

        it("carries every table and column description in the catalog, word for word", async () => {
          const found = await catalogComments(engine.name, stores()[tier]);
          for (const def of defs) {
            expect(found.get(`${def.name}.`), def.name).toBe(def.description);
            for (const c of def.columns)
              expect(found.get(`${def.name}.${c.name}`), `${def.name}.${c.name}`).toBe(c.description);
          }
        });

        it("explains itself through v_ai_schema_guide: one row per table and per column", async () => {
          const rows = await ch.schemaGuide(tier);
          const expected = defs.reduce((n, t) => n + 1 + t.columns.length, 0);
          expect(rows).toHaveLength(expected);
          for (const def of defs) {
            const tableRow = rows.find((r) => r.table_name === def.name && r.column_name === null);
            expect(tableRow?.description).toBe(def.description);
            for (const c of def.columns) {
              const row = rows.find((r) => r.table_name === def.name && r.column_name === c.name);
              expect(row, `${def.name}.${c.name}`).toBeDefined();
              expect(row!.description).toBe(c.description);
              expect(row!.is_primary_key).toBe(Boolean(c.options.primaryKey || c.options.autoIncrement));
              const target = c.options.references ? tableTarget(c.options.references) : null;
              expect(row!.foreign_key_target, `${def.name}.${c.name} fk`).toBe(target);
              expect(row!.data_type).toBeTruthy();
            }
          }
        });

        it("answers the guide for one table alone", async () => {
          const name = tier === "templates" ? "template_roles" : "local_roles";
          const rows = await ch.schemaGuide(tier, { table: name });
          expect(rows.map((r) => r.column_name)).toEqual([null, ...tables[name].columns.map((c) => c.name)]);
        });
      });
    }

    describe("constraints are enforced by the database", () => {
      const workflowRow = (name: string, version = 1) => ({
        workflow_id: newId(),
        name,
        description: null,
        ai_context: null,
        version,
        schema_json: null,
        created_at: new Date(),
      });

      it("refuses a duplicate (name, version) blueprint", async () => {
        const db = ch.stores.templates.db;
        await db.insertInto("template_workflows").values(workflowRow("Dup")).execute();
        await expect(db.insertInto("template_workflows").values(workflowRow("Dup")).execute()).rejects.toThrow();
        const rows = await db.selectFrom("template_workflows").selectAll().where("name", "=", "Dup").execute();
        expect(rows).toHaveLength(1);
      });

      it("refuses a role of a blueprint that does not exist (foreign key)", async () => {
        await expect(
          ch.stores.templates.db
            .insertInto("template_roles")
            .values({
              role_id: newId(),
              workflow_id: newId(),
              name: "R",
              role_type: "BETA",
              description: null,
              ai_context: null,
              strategy: null,
              child_workflow_id: null,
              config: null,
            })
            .execute(),
        ).rejects.toThrow();
      });

      it("refuses an enum value the schema does not know (CHECK)", async () => {
        const db = ch.stores.templates.db;
        const wf = workflowRow("Enum_Check");
        await db.insertInto("template_workflows").values(wf).execute();
        const role = {
          role_id: newId(),
          workflow_id: wf.workflow_id,
          name: "R",
          description: null,
          ai_context: null,
          strategy: null,
          child_workflow_id: null,
          config: null,
        };
        await expect(
          db
            .insertInto("template_roles")
            .values({ ...role, role_type: "WIZARD" as "BETA" })
            .execute(),
        ).rejects.toThrow();
        await db
          .insertInto("template_roles")
          .values({ ...role, role_type: "BETA" })
          .execute();
      });

      it("refuses a missing required value (NOT NULL)", async () => {
        await expect(
          ch.stores.templates.db
            .insertInto("template_workflows")
            .values({ ...workflowRow("Nulls"), name: null as unknown as string })
            .execute(),
        ).rejects.toThrow();
      });

      it("keeps instance rows consistent: unit status, attribute versions, one memory entry per owner and key", async () => {
        const db = ch.stores.instances.db;
        const f = await seedInstance(db);
        const unit = pendingUnit(f);
        await expect(
          db
            .insertInto("units_of_work")
            .values({ ...unit, status: "LOST" as "PENDING" })
            .execute(),
        ).rejects.toThrow();
        await db.insertInto("units_of_work").values(unit).execute();

        const attribute = (version: number) => ({
          attribute_id: newId(),
          uow_id: unit.uow_id,
          instance_id: f.instanceId,
          key: "total",
          value: jsonText(10 * version),
          version,
          actor_id: f.actorId,
          reasoning: null,
          created_at: new Date(),
        });
        await db.insertInto("uow_attributes").values(attribute(1)).execute();
        await expect(db.insertInto("uow_attributes").values(attribute(1)).execute()).rejects.toThrow();
        await db.insertInto("uow_attributes").values(attribute(2)).execute();

        const memory = (actorId: string | null, key: string) => ({
          memory_id: newId(),
          instance_id: f.instanceId,
          role_id: f.roleId,
          actor_id: actorId,
          key,
          value: jsonText({ tip: key }),
          is_toxic: false,
          toxic_reason: null,
          source_uow_id: null,
          created_at: new Date(),
          last_accessed_at: null,
        });
        await db.insertInto("local_role_attributes").values(memory(null, "style")).execute();
        // A second shared entry with the same key: refused, although actor_id is NULL in both.
        await expect(db.insertInto("local_role_attributes").values(memory(null, "style")).execute()).rejects.toThrow();
        // The actor's own playbook entry with that key is a different owner.
        await db.insertInto("local_role_attributes").values(memory(f.actorId, "style")).execute();
        await expect(
          db.insertInto("local_role_attributes").values(memory(f.actorId, "style")).execute(),
        ).rejects.toThrow();
        const owners = await db
          .selectFrom("local_role_attributes")
          .select(["owner_key"])
          .where("key", "=", "style")
          .execute();
        expect(owners.map((o) => o.owner_key).sort()).toEqual([f.actorId, "shared"].sort());
      });
    });

    describe("values round-trip", () => {
      it("returns JSON values as they were written", async () => {
        const db = ch.stores.templates.db;
        const values = [
          { goal: "Pay only what was ordered", nested: { list: [1, 2.5, "three", null, true] } },
          ["a", { b: [] }],
          "123",
          123,
          0,
          false,
          "quote ' and \" and \\ and ünïcödé ✓",
        ];
        for (const [i, value] of values.entries()) {
          const id = newId();
          await db
            .insertInto("template_workflows")
            .values({
              workflow_id: id,
              name: `Json_${i}`,
              version: 1,
              description: null,
              ai_context: jsonText(value),
              schema_json: null,
              created_at: new Date(),
            })
            .execute();
          const row = await db
            .selectFrom("template_workflows")
            .select(["ai_context", "schema_json"])
            .where("workflow_id", "=", id)
            .executeTakeFirstOrThrow();
          expect(row.ai_context).toEqual(value);
          expect(row.schema_json).toBeNull();
        }
      });

      it("returns timestamps with their milliseconds, in UTC", async () => {
        const db = ch.stores.templates.db;
        const when = new Date(Date.UTC(2026, 10, 26, 23, 59, 58, 123));
        const id = await insertWorkflowCreatedAt(db, "Time", when);
        const createdAt = await createdAtOf(db, id);
        expect(createdAt).toBeInstanceOf(Date);
        expect(createdAt.toISOString()).toBe(when.toISOString());
        const later = await db
          .selectFrom("template_workflows")
          .select("name")
          .where("created_at", ">", new Date(when.getTime() - 1))
          .where("name", "=", "Time")
          .execute();
        expect(later).toHaveLength(1);
      });

      it("moves a timestamp by whole milliseconds in SQL (the dialect's shiftedTimestamp)", async () => {
        const { db, dialect } = ch.stores.templates;
        // The last millisecond of a leap day: the shifts below cross a second, a day, a month and a year.
        const base = new Date(Date.UTC(2028, 1, 29, 23, 59, 59, 999));
        const id = await insertWorkflowCreatedAt(db, "Shift", base);
        for (const ms of [0, 1, 59_001, 1_234_567, 400 * 86_400_000 + 7]) {
          await db.updateTable("template_workflows").set({ created_at: base }).where("workflow_id", "=", id).execute();
          await db
            .updateTable("template_workflows")
            .set({ created_at: dialect.shiftedTimestamp("created_at", ms) })
            .where("workflow_id", "=", id)
            .execute();
          const shifted = await createdAtOf(db, id);
          expect([ms, shifted.toISOString()]).toEqual([ms, new Date(base.getTime() + ms).toISOString()]);
        }
      });

      it("numbers interaction_logs.log_id upwards as 64-bit numbers", async () => {
        const db = ch.stores.instances.db;
        const f = await seedInstance(db);
        const unit = pendingUnit(f);
        const uowId = unit.uow_id;
        await db.insertInto("units_of_work").values(unit).execute();
        const ids: number[] = [];
        for (const event of ["GENESIS", "CHECKOUT", "SUBMIT"] as const) {
          await db
            .insertInto("interaction_logs")
            .values({
              instance_id: f.instanceId,
              uow_id: uowId,
              actor_id: f.actorId,
              role_id: f.roleId,
              interaction_id: f.interactionId,
              event,
              details: jsonText({ event }),
              timestamp: new Date(),
            })
            .execute();
          const row = await db
            .selectFrom("interaction_logs")
            .select(["log_id", "details"])
            .where("uow_id", "=", uowId)
            .orderBy("log_id", "desc")
            .executeTakeFirstOrThrow();
          expect(typeof row.log_id).toBe("number");
          expect(row.details).toEqual({ event });
          ids.push(row.log_id);
        }
        expect(ids[1]).toBeGreaterThan(ids[0]!);
        expect(ids[2]).toBeGreaterThan(ids[1]!);
      });

      it("returns booleans as booleans", async () => {
        const db = ch.stores.instances.db;
        const rows = await db.selectFrom("local_workflows").select(["is_master", "is_active"]).execute();
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) {
          expect(typeof r.is_master).toBe("boolean");
          expect(r.is_active).toBe(true);
        }
      });
    });

    describe("migrations", () => {
      it("are a no-op when run again, from several processes' worth of connections at once", async () => {
        const again = await Promise.all(
          [1, 2, 3].map(() =>
            openChameleon({
              templatesUrl: fresh.templatesUrl,
              instancesUrl: fresh.instancesUrl,
              templateStore: "at-open",
            }),
          ),
        );
        for (const other of again) {
          expect(await other.stores.templates.migrate()).toEqual({
            from: LATEST_SCHEMA_VERSION,
            to: LATEST_SCHEMA_VERSION,
          });
          await other.close();
        }
        const versions = await ch.stores.instances.db.selectFrom("chameleon_migrations").selectAll().execute();
        expect(versions.map((v) => [v.version, v.tier])).toEqual(migrations.map((m) => [m.version, "instances"]));
      });

      it("refuses a database whose schema is newer than the code", async () => {
        const db = ch.stores.templates.db;
        await db
          .insertInto("chameleon_migrations")
          .values({ version: 99, tier: "templates", name: "from the future", applied_at: new Date() })
          .execute();
        try {
          const attempt = openChameleon({
            templatesUrl: fresh.templatesUrl,
            instancesUrl: fresh.instancesUrl,
            templateStore: "at-open",
          });
          await expect(attempt).rejects.toThrow(StoreError);
          await expect(attempt).rejects.toThrow(
            new RegExp(
              `template store .*schema is version 99, newer than this version of Chameleon knows \\(${LATEST_SCHEMA_VERSION}\\)`,
            ),
          );
        } finally {
          await db.deleteFrom("chameleon_migrations").where("version", "=", 99).execute();
        }
      });

      it("refuses to put both stores in one database", async () => {
        await expect(
          openChameleon({
            templatesUrl: fresh.instancesUrl,
            instancesUrl: fresh.instancesUrl,
            templateStore: "at-open",
          }),
        ).rejects.toThrow(/template store .*already holds the instance store; the two stores need separate databases/);
      });
    });
  });
}

type TemplateDb = Chameleon["stores"]["templates"]["db"];

/** A blueprint row (template_workflows) with only a name and its created_at, for timestamp round trips. */
async function insertWorkflowCreatedAt(db: TemplateDb, name: string, createdAt: Date): Promise<string> {
  const id = newId();
  await db
    .insertInto("template_workflows")
    .values({
      workflow_id: id,
      name,
      version: 1,
      description: null,
      ai_context: null,
      schema_json: null,
      created_at: createdAt,
    })
    .execute();
  return id;
}

async function createdAtOf(db: TemplateDb, id: string): Promise<Date> {
  const row = await db
    .selectFrom("template_workflows")
    .select("created_at")
    .where("workflow_id", "=", id)
    .executeTakeFirstOrThrow();
  return row.created_at;
}

function tableTarget(name: string): string {
  const def = (tables as Record<string, TableDef>)[name]!;
  return `${name}.${def.columns.find((c) => c.options.primaryKey)!.name}`;
}

/** A base unit waiting in the seeded instance's interaction. */
function pendingUnit(f: { instanceId: string; workflowId: string; interactionId: string }) {
  return {
    uow_id: newId(),
    instance_id: f.instanceId,
    local_workflow_id: f.workflowId,
    parent_id: null,
    current_interaction_id: f.interactionId,
    status: "PENDING" as const,
    child_count: 0,
    finished_child_count: 0,
    locked_by_actor_id: null,
    lease_token: null,
    last_heartbeat_at: null,
    entered_interaction_at: new Date(),
    attempt: 0,
    created_at: new Date(),
    updated_at: new Date(),
  };
}

/** The smallest instance the foreign keys allow: deployment, workflow, role, interaction, actor. */
async function seedInstance(db: Kysely<import("../../src/schema/tables.js").InstanceDatabase>) {
  const f = { instanceId: newId(), workflowId: newId(), roleId: newId(), interactionId: newId(), actorId: newId() };
  await db
    .insertInto("instance_context")
    .values({
      instance_id: f.instanceId,
      name: `I_${f.instanceId}`,
      description: null,
      status: "ACTIVE",
      deployment_date: new Date(),
    })
    .execute();
  await db
    .insertInto("local_workflows")
    .values({
      local_workflow_id: f.workflowId,
      instance_id: f.instanceId,
      original_workflow_id: newId(),
      name: "W",
      description: null,
      ai_context: null,
      version: 1,
      is_active: true,
      is_master: true,
    })
    .execute();
  await db
    .insertInto("local_roles")
    .values({
      role_id: f.roleId,
      local_workflow_id: f.workflowId,
      name: "R",
      description: null,
      ai_context: null,
      role_type: "BETA",
      decomposition_strategy: "HOMOGENEOUS",
      is_recursive_gateway: false,
      linked_local_workflow_id: null,
      config: null,
    })
    .execute();
  await db
    .insertInto("local_interactions")
    .values({
      interaction_id: f.interactionId,
      local_workflow_id: f.workflowId,
      name: "Q",
      description: null,
      ai_context: null,
      stale_token_limit_seconds: null,
    })
    .execute();
  await db
    .insertInto("local_actors")
    .values({
      actor_id: f.actorId,
      instance_id: f.instanceId,
      identity_key: `a-${f.actorId}`,
      name: `A_${f.actorId}`,
      description: null,
      ai_context: null,
      type: "HUMAN",
      capabilities: null,
    })
    .execute();
  return f;
}
