/**
 * What every engine verb receives: the instance store, the settings of openChameleon, the
 * cache of instance graphs and the clock. Verbs are plain functions of (context, input).
 * The clock is the instance database's (store/clock.ts): every time the engine writes or
 * compares comes from it, never from this process's own clock.
 */
import type { Transaction } from "kysely";
import { HUMAN_LEASE_SECONDS } from "../blueprint/role-settings.js";
import type { InstanceDatabase } from "../schema/tables.js";
import type { InstanceStore } from "../store/open.js";
import { retryTransient } from "../store/retry.js";
import { GraphCache } from "./graph.js";
import { HeldUnits } from "./held-units.js";
import { Observers } from "./observe.js";

export interface EngineSettings {
  /** Seconds without a heartbeat after which the sweep reclaims a lease (default 300). */
  leaseTimeoutSeconds: number;
  /** The same for HUMAN roles whose blueprint sets no `lease_seconds` (default 28,800: a working day). */
  humanLeaseTimeoutSeconds: number;
  /** Checkouts allowed in one step before an expired lease fails the unit (default 3). */
  maxAttempts: number;
  /** Largest JSON size of the attributes, children and learning of one submit, in bytes (default 1 MiB). */
  maxSubmitBytes: number;
}

export const DEFAULT_SETTINGS: EngineSettings = {
  leaseTimeoutSeconds: 300,
  humanLeaseTimeoutSeconds: HUMAN_LEASE_SECONDS,
  maxAttempts: 3,
  maxSubmitBytes: 1_048_576,
};

export type Trx = Transaction<InstanceDatabase>;

export interface EngineContext {
  readonly store: InstanceStore;
  readonly settings: EngineSettings;
  readonly graphs: GraphCache;
  /** The engine's time: the instance database's clock (see store/clock.ts). */
  now(): Date;
  /** Who hears what each step did, after it committed (engine/observe.ts); often nobody. */
  readonly observers: Observers;
  /** The units this process holds, as it claimed them (engine/held-units.ts). */
  readonly held: HeldUnits;
}

export function createEngineContext(
  store: InstanceStore,
  settings: Partial<EngineSettings> = {},
  clock: () => Date = () => new Date(),
): EngineContext {
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return {
    store,
    settings: { ...DEFAULT_SETTINGS, ...defined },
    graphs: new GraphCache(store),
    now: clock,
    observers: new Observers(),
    held: new HeldUnits(),
  };
}

/**
 * Runs fn in one write transaction, again from the start when the database reports a
 * deadlock, a lock timeout or a busy file: fn must do all its reading inside the transaction.
 */
export async function inTransaction<T>(ctx: EngineContext, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const { db, dialect } = ctx.store;
  return retryTransient(dialect, () => db.transaction().execute(fn));
}
