/**
 * The hot path: the statements every checkout and submit runs, as SQL written out per engine,
 * one file per operation in each engine's folder (postgres/, mysql/, sqlite/), the way the
 * rest of the dialect differences are kept. Built with Kysely they cost about a third of a
 * step in query building and plugin passes (README, "Speed"); written out, each has a
 * text that depends only on its shape, so PostgreSQL and MySQL/MariaDB (mysql/prepared.ts)
 * prepare it once per connection and SQLite keeps its prepared statement. Everything else goes
 * through Kysely.
 *
 * Values cross as the engine's driver takes them: SQLite's operations encode dates and
 * booleans themselves (sqlite/params.ts), and result rows are decoded by column name by the
 * store's plugin, as for every other query.
 */
import { CompiledQuery } from "kysely";
import type { Row } from "../../schema/tables.js";
import type { AnyKysely } from "./dialect.js";

export type UnitRecord = Row<"units_of_work">;

/** Checkout's plain read before any write: may the actor take the role now, and what waits. */
export interface GateQuery {
  instanceId: string;
  roleId: string;
  /** The actor whose assignment is read; null for SYSTEM, which needs none. */
  actorId: string | null;
  /** The role's INBOUND interactions. */
  interactionIds: readonly string[];
  status: string;
  /** OMEGA takes only base units whose children have all come back. */
  omega: boolean;
}

export interface Gate {
  /** The actor's assignment to the role (ACTIVE, REVOKED...), or null when it has none. */
  assignment: string | null;
  instancePaused: boolean;
  rolePaused: boolean;
  /** Per interaction of the query, in its order: the highest priority of a unit waiting there, or null. */
  levels: (number | null)[];
}

/** Where a claim starts within one priority: at a unit (inclusive) or just after it. */
export interface HeadsFrom {
  at: Date;
  uowId: string;
  inclusive: boolean;
}

export interface HeadsQuery {
  interactionId: string;
  status: string;
  priority: number;
  /** Now: units available later (in backoff) are not read. */
  at: Date;
  from: HeadsFrom | null;
  omega: boolean;
  limit: number;
}

export interface Claim {
  uowId: string;
  leaseToken: string;
}

/** A unit routed to an interaction where arriving has no other consequence, with its new attributes. */
export interface Move {
  uowId: string;
  interactionId: string;
  status: string;
  dueAt: Date | null;
  /** units_of_work.current_attributes as JSON text. */
  currentAttributes: string;
}

export interface LogRow {
  uow_id: string;
  actor_id: string;
  role_id: string | null;
  interaction_id: string | null;
  event: string;
  /** JSON text, or null. */
  details: string | null;
  lease_token: string | null;
}

export interface AttributeRow {
  attribute_id: string;
  uow_id: string;
  key: string;
  /** JSON text. */
  value: string;
  version: number;
  actor_id: string;
  reasoning: string | null;
}

/** A claim of a checkout whose role's guardians need no attributes: the heads, their leases and CHECKOUT entries at once. */
export interface ClaimQuery extends HeadsQuery {
  instanceId: string;
  actorId: string;
  roleId: string;
  /** One fresh lease token per unit that may be claimed (`limit` of them), given in queue order. */
  leaseTokens: readonly string[];
  /** The ids of the shared memory entries served, for the CHECKOUT entries (JSON text of an array). */
  memoryIds: string;
}

/**
 * A checkout of a role whose one INBOUND interaction's guardians need no attributes, from its
 * gate on (PostgreSQL: one statement). The claim is made only when the gate lets the actor take
 * the role now: assigned (or `system`), neither the role nor the instance paused.
 */
export interface GateAndClaimQuery {
  instanceId: string;
  interactionId: string;
  roleId: string;
  status: string;
  actorId: string;
  /** SYSTEM acting for OMEGA or TAU: no assignment is needed. */
  system: boolean;
  at: Date;
  limit: number;
  /** One fresh lease token per unit that may be claimed (`limit` of them), given in queue order. */
  leaseTokens: readonly string[];
}

/** A role memory row as checkout serves it (the actor's own entries and the role's shared ones). */
export interface MemoryRow {
  memory_id: string;
  key: string;
  value: unknown;
  actor_id: string | null;
  last_accessed_at: Date | null;
}

export interface GateAndClaim {
  /** The gate as read (levels: the one interaction's top priority waiting, or null). */
  gate: Gate;
  memory: MemoryRow[];
  /** The units claimed at the top priority, in queue order: none when the gate refused or none was available. */
  units: UnitRecord[];
}

/** A held unit's move, written only while the row still has this lease, is ACTIVE and was last written at `updatedAt`. */
export interface FencedMove {
  move: Move;
  fence: { leaseToken: string; updatedAt: Date };
}

/** The writes of routed submits of units this process holds, each fenced by what it knows of its row. */
export interface HeldSubmits {
  instanceId: string;
  at: Date;
  units: readonly FencedMove[];
  /** The versions and audit entries of every unit: those of a unit its fence refused are not written. */
  versions: readonly AttributeRow[];
  logs: readonly LogRow[];
}

export interface HotPath {
  /**
   * Routed submits of held units without reading them first: each move fenced by its lease and
   * last write, and each unit's versions and audit entries only if its move was made,
   * atomically, in a transaction of its own (on PostgreSQL one statement). The ids of the units
   * moved; nothing was written for the others.
   */
  submitHeld(db: AnyKysely, submits: HeldSubmits): Promise<string[]>;
  /**
   * claimHeads, markClaimed and the CHECKOUT entries of the units claimed, atomically, in a
   * transaction of its own (on PostgreSQL one statement): the claimed rows as they are now, in
   * queue order.
   */
  claimAndLog(db: AnyKysely, query: ClaimQuery): Promise<UnitRecord[]>;
  /**
   * checkoutGate, the actor's memory of the role and claimAndLog at the top priority, in one
   * statement, where the engine's SQL has data-modifying CTEs (PostgreSQL). Engines without it
   * read the gate and the memory first and claim after, as separate round trips.
   */
  gateAndClaim?(db: AnyKysely, query: GateAndClaimQuery): Promise<GateAndClaim>;
  checkoutGate(db: AnyKysely, query: GateQuery): Promise<Gate>;
  /** The memory a checkout serves: the role's shared entries and the actor's own, not toxic, ordered by key. */
  roleMemory(db: AnyKysely, query: { roleId: string; actorId: string }): Promise<MemoryRow[]>;
  /** Up to `limit` units of one interaction, status and priority, in queue order, locked (skipping locked ones) for the transaction. */
  claimHeads(trx: AnyKysely, query: HeadsQuery): Promise<UnitRecord[]>;
  /** The claimed units ACTIVE with their leases, held by `actorId`, one attempt more. */
  markClaimed(trx: AnyKysely, claims: { actorId: string; at: Date; units: readonly Claim[] }): Promise<void>;
  /** These units of the instance, locked (waiting) for the transaction, in id order. */
  lockUnits(trx: AnyKysely, query: { instanceId: string; uowIds: readonly string[] }): Promise<UnitRecord[]>;
  /** Places units in their new interactions, lease released, with their new attributes. */
  moveUnits(trx: AnyKysely, moves: { at: Date; units: readonly Move[] }): Promise<void>;
  /** Audit entries of one step, in order. */
  insertLogs(trx: AnyKysely, entries: { instanceId: string; at: Date; rows: readonly LogRow[] }): Promise<void>;
  /**
   * The writes of a batch of routed submits together: their attribute versions, their moves,
   * and the step's audit entries (on PostgreSQL one statement).
   */
  writeSubmits(
    trx: AnyKysely,
    writes: {
      instanceId: string;
      at: Date;
      versions: readonly AttributeRow[];
      moves: readonly Move[];
      logs: readonly LogRow[];
    },
  ): Promise<void>;
  /** Attribute versions of one step. */
  insertAttributeVersions(
    trx: AnyKysely,
    versions: { instanceId: string; at: Date; rows: readonly AttributeRow[] },
  ): Promise<void>;
}

/** Rows a write statement of the hot path changed. */
export async function runSqlCount(db: AnyKysely, text: string, params: readonly unknown[]): Promise<number> {
  const result = await db.executeQuery(CompiledQuery.raw(text, params as unknown[]));
  return Number(result.numAffectedRows ?? 0n);
}

/** Runs one statement of the hot path in the caller's connection or transaction, with the store's plugins on its rows. */
export async function runSql<R>(db: AnyKysely, text: string, params: readonly unknown[]): Promise<R[]> {
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, params as unknown[]));
  return result.rows;
}

/** A statement text built once per shape (a count of rows, a variant) and kept. */
export function memoized<K>(build: (key: K) => string): (key: K) => string {
  const texts = new Map<K, string>();
  return (key) => {
    let text = texts.get(key);
    if (text === undefined) {
      text = build(key);
      texts.set(key, text);
    }
    return text;
  };
}

/**
 * Consecutive slices of `rows` that fit `maxParameters` bind parameters at `perRow` each (for
 * engines without array parameters) and, with `bytes`, about `bytes.max` bytes of values by
 * `bytes.of` each: a row over that goes alone.
 */
export function slices<T>(
  rows: readonly T[],
  perRow: number,
  maxParameters: number,
  bytes?: { of: (row: T) => number; max: number },
): T[][] {
  const size = Math.max(1, Math.floor(maxParameters / perRow));
  const out: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const row of rows) {
    const rowBytes = bytes?.of(row) ?? 0;
    if (current.length === size || (bytes && current.length > 0 && currentBytes + rowBytes > bytes.max)) {
      out.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(row);
    currentBytes += rowBytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** `(?, ?, …)` repeated: the VALUES rows of a multi-row insert. */
export function placeholderRows(rows: number, perRow: number): string {
  const one = `(${Array.from({ length: perRow }, () => "?").join(", ")})`;
  return Array.from({ length: rows }, () => one).join(", ");
}

/**
 * claimAndLog for an engine whose SQL has no data-modifying CTE: its three statements in one
 * transaction of the store (IMMEDIATE on SQLite).
 */
export function claimAndLogInSteps(ops: Pick<HotPath, "claimHeads" | "markClaimed" | "insertLogs">) {
  return (db: AnyKysely, q: ClaimQuery): Promise<UnitRecord[]> =>
    db.transaction().execute(async (trx) => {
      const heads = await ops.claimHeads(trx, q);
      if (heads.length === 0) return heads;
      const units = heads.map((h, i) => ({ uowId: h.uow_id, leaseToken: q.leaseTokens[i]! }));
      await ops.markClaimed(trx, { actorId: q.actorId, at: q.at, units });
      heads.forEach((h, i) =>
        Object.assign(h, {
          status: "ACTIVE",
          locked_by_actor_id: q.actorId,
          lease_token: units[i]!.leaseToken,
          last_heartbeat_at: q.at,
          attempt: h.attempt + 1,
          updated_at: q.at,
        }),
      );
      await ops.insertLogs(trx, {
        instanceId: q.instanceId,
        at: q.at,
        rows: heads.map((h) => ({
          uow_id: h.uow_id,
          actor_id: q.actorId,
          role_id: q.roleId,
          interaction_id: h.current_interaction_id,
          event: "CHECKOUT",
          details: `{"attempt":${h.attempt},"memory":${q.memoryIds}}`,
          lease_token: null,
        })),
      });
      return heads;
    });
}

/** writeSubmits as its parts, one statement each, for an engine without data-modifying CTEs. */
export function writeSubmitsInSteps(ops: Pick<HotPath, "insertAttributeVersions" | "moveUnits" | "insertLogs">) {
  return async (trx: AnyKysely, w: Parameters<HotPath["writeSubmits"]>[1]): Promise<void> => {
    if (w.versions.length > 0) {
      await ops.insertAttributeVersions(trx, { instanceId: w.instanceId, at: w.at, rows: w.versions });
    }
    if (w.moves.length > 0) await ops.moveUnits(trx, { at: w.at, units: w.moves });
    if (w.logs.length > 0) await ops.insertLogs(trx, { instanceId: w.instanceId, at: w.at, rows: w.logs });
  };
}

/** One fenced move alone, in the caller's transaction: whether the fence let it through. */
export type MoveHeldUnit = (trx: AnyKysely, submit: FencedMove & { at: Date }) => Promise<boolean>;

/**
 * submitHeld for an engine without data-modifying CTEs, in one transaction: the fenced moves,
 * then the versions and audit entries of the units moved. One unit is one fenced UPDATE; a batch
 * locks its rows in one statement, checks each fence on what it read, and moves the units that
 * pass in one statement (an UPDATE per unit would be a round trip per unit on a server).
 */
export function submitHeldInSteps(
  ops: Pick<HotPath, "insertAttributeVersions" | "insertLogs" | "lockUnits" | "moveUnits"> & {
    moveHeldUnit: MoveHeldUnit;
  },
) {
  const fenceHolds = (row: UnitRecord | undefined, { fence }: FencedMove) =>
    row !== undefined &&
    row.lease_token === fence.leaseToken &&
    row.status === "ACTIVE" &&
    row.updated_at.getTime() === fence.updatedAt.getTime();
  return (db: AnyKysely, s: HeldSubmits): Promise<string[]> =>
    db.transaction().execute(async (trx) => {
      const moved = new Set<string>();
      if (s.units.length === 1) {
        if (await ops.moveHeldUnit(trx, { ...s.units[0]!, at: s.at })) moved.add(s.units[0]!.move.uowId);
      } else {
        const ids = s.units.map((u) => u.move.uowId).sort();
        const rows = new Map(
          (await ops.lockUnits(trx, { instanceId: s.instanceId, uowIds: ids })).map((r) => [r.uow_id, r]),
        );
        const passing = s.units.filter((u) => fenceHolds(rows.get(u.move.uowId), u));
        if (passing.length > 0) await ops.moveUnits(trx, { at: s.at, units: passing.map((u) => u.move) });
        for (const u of passing) moved.add(u.move.uowId);
      }
      if (moved.size === 0) return [];
      const versions = s.versions.filter((v) => moved.has(v.uow_id));
      if (versions.length > 0) {
        await ops.insertAttributeVersions(trx, { instanceId: s.instanceId, at: s.at, rows: versions });
      }
      const logs = s.logs.filter((l) => moved.has(l.uow_id));
      await ops.insertLogs(trx, { instanceId: s.instanceId, at: s.at, rows: logs });
      return [...moved];
    });
}

/** A hot path of single statements, with claimAndLog, writeSubmits and submitHeld made of them (engines without data-modifying CTEs). */
export function composedHotPath(
  ops: Omit<HotPath, "claimAndLog" | "writeSubmits" | "submitHeld"> & { moveHeldUnit: MoveHeldUnit },
): HotPath {
  return {
    ...ops,
    claimAndLog: claimAndLogInSteps(ops),
    writeSubmits: writeSubmitsInSteps(ops),
    submitHeld: submitHeldInSteps(ops),
  };
}
