/**
 * The versioned migrations of both stores, derived from the schema definition: migration N
 * creates the tables whose `since` is N and adds to older tables the columns, unique keys and
 * indexes whose `since` is N. A migration may also carry a data step that fills what it added.
 * A new database runs every migration in order, so a fresh schema and an upgraded one are
 * built by the same statements. The guide view is rebuilt after every run that applied
 * something, so it always lists the tables the database now has.
 */
import { tableAsOf, type TableDef } from "../schema/define.js";
import { tablesOfTier } from "../schema/tables.js";
import { createTableSteps, inCreationOrder, indexChangeSteps, type DdlStep } from "./ddl.js";
import type { AnyKysely, SqlDialect } from "./dialects/dialect.js";
import { fillAvailability, fillCurrentAttributes } from "./backfill.js";
import type { Tier } from "./url.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  /**
   * Fills what the migration added, after its DDL. On MySQL/MariaDB, whose DDL commits at
   * once, a migration cut short is run again: the step must be safe to repeat.
   */
  readonly fill?: (db: AnyKysely, tier: Tier) => Promise<void>;
}

export const BOOKKEEPING_TABLE = "chameleon_migrations";
export const GUIDE_VIEW = "v_ai_schema_guide";

export const migrations: readonly Migration[] = [
  { version: 1, name: "schema version 1: the tables of the tier and their guide" },
  { version: 2, name: "actor tokens for the HTTP API and MCP" },
  {
    version: 3,
    name: "latest attributes on the unit, idempotency keys of genesis, the lease each audit entry consumed",
    fill: fillCurrentAttributes,
  },
  { version: 4, name: "operator tokens of the HTTP API (admin or viewer)" },
  {
    version: 5,
    name: "the writing transaction of each audit entry; indexes of the audit log for the overview and the event stream",
  },
  {
    version: 6,
    name: "pause and resume of deployments and roles, the events of a deployment, schedules",
  },
  {
    version: 7,
    name: "retries with backoff, deadlines and priority: when each unit is available, its due time and priority",
    fill: fillAvailability,
  },
  {
    version: 8,
    name: "partial indexes: deadlines and children index only the units that have them, audit events only FAIL, REJECT and FINALIZE, so that a step's moves and entries write none of them",
  },
];

export const LATEST_SCHEMA_VERSION = Math.max(...migrations.map((m) => m.version));

/** The DDL of one migration in a store of the tier: new tables first, then changed tables. */
export function migrationSteps(dialect: SqlDialect, tier: Tier, version: number): DdlStep[] {
  const tables = tablesOfTier(tier).filter((t) => t.name !== BOOKKEEPING_TABLE);
  const created = inCreationOrder(tables.filter((t) => t.since === version)).map((t) => tableAsOf(t, version));
  const changed = tables
    .filter((t) => t.since < version)
    .map((t): [TableDef, TableDef] => [tableAsOf(t, version - 1), tableAsOf(t, version)]);
  return [
    ...created.flatMap((t) => createTableSteps(dialect, t)),
    ...changed.flatMap(([before, after]) => {
      const indexSteps = indexChangeSteps(dialect, before, after);
      if (sameColumnsAndKeys(before, after)) return indexSteps;
      // alterTable adds what is new; an index redefined or dropped in the same migration would be missed.
      const dropped = indexSteps.find((step) => step.drops);
      if (dropped) {
        throw new Error(
          `migration ${version} of ${after.name}: an index is redefined or dropped (${dropped.drops!.name}) in the migration that changes its columns or keys; give it a migration of its own`,
        );
      }
      return dialect.alterTable(before, after);
    }),
  ];
}

function sameColumnsAndKeys(a: TableDef, b: TableDef): boolean {
  return a.columns.length === b.columns.length && a.unique.length === b.unique.length;
}
