/**
 * The options that choose units, shared by `work list` and `work bulk`, and the `work.list`
 * filter they make (docs/engine.md, "Reading work").
 */
import type { Command } from "commander";

export interface UnitFilterOptions {
  status?: string;
  interaction?: string;
  role?: string;
  heldBy?: string;
  parent?: string;
  where?: string;
  overdue?: boolean;
  createdFrom?: string;
  createdBefore?: string;
  enteredFrom?: string;
  enteredBefore?: string;
}

export function addUnitFilterOptions(cmd: Command): Command {
  return cmd
    .option("--status <status>", "PENDING, ACTIVE, COMPLETED, FAILED, TIMEOUT or FINALIZED")
    .option("--interaction <name>", "units in this interaction")
    .option("--role <role>", "units waiting for this role")
    .option("--held-by <actor>", "units this actor holds")
    .option("--parent <uow>", "children of this unit")
    .option("--where <condition>", "a condition over the attributes, as guardians read it")
    .option("--overdue", "only units waiting or held past their due time")
    .option("--created-from <time>", "created at or after this ISO 8601 time (with offset)")
    .option("--created-before <time>", "created before this time")
    .option("--entered-from <time>", "entered their interaction at or after this time")
    .option("--entered-before <time>", "entered their interaction before this time");
}

/** The library's filter of the options given (an option left out filters nothing). */
export function unitFilterOf(opts: UnitFilterOptions): Record<string, unknown> {
  const { parent, overdue, ...named } = opts;
  const given = Object.fromEntries(
    Object.entries(named).filter(([key, value]) => value !== undefined && KEYS.has(key)),
  );
  return { ...given, ...(parent === undefined ? {} : { parentId: parent }), ...(overdue ? { overdue: true } : {}) };
}

const KEYS = new Set([
  "status",
  "interaction",
  "role",
  "heldBy",
  "where",
  "createdFrom",
  "createdBefore",
  "enteredFrom",
  "enteredBefore",
]);
