/**
 * The versioned migrations of both stores. A migration creates the tables of the schema
 * definition that carry its number in `since`; the guide view is rebuilt after every run
 * that applied something, so it always lists the tables the database now has.
 */
import type { TableDef } from "../schema/define.js";
import { tablesOfTier } from "../schema/tables.js";
import type { Tier } from "./url.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Tables this migration creates in a store of the given tier. */
  tablesCreated(tier: Tier): TableDef[];
}

const createTablesSince =
  (version: number) =>
  (tier: Tier): TableDef[] =>
    tablesOfTier(tier).filter((t) => t.since === version && t.name !== BOOKKEEPING_TABLE);

export const BOOKKEEPING_TABLE = "chameleon_migrations";
export const GUIDE_VIEW = "v_ai_schema_guide";

export const migrations: readonly Migration[] = [
  { version: 1, name: "schema version 1: the tables of the tier and their guide", tablesCreated: createTablesSince(1) },
  { version: 2, name: "actor tokens for the HTTP API and MCP", tablesCreated: createTablesSince(2) },
];

export const LATEST_SCHEMA_VERSION = Math.max(...migrations.map((m) => m.version));
