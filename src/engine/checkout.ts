/**
 * Checkout (ENGINE.md section 5): an actor of a role claims the first unit it may take across
 * the role's INBOUND interactions, with a fresh lease: of the highest priority, the one
 * available longest (docs/engine.md, "Checkout"); units whose retry backoff has not ended wait. The claim is atomic: on
 * PostgreSQL and MySQL/MariaDB the head of each interaction is selected FOR UPDATE SKIP
 * LOCKED, so concurrent workers take different units without waiting; on SQLite the whole
 * step runs in an IMMEDIATE write transaction. A unit refused by an INBOUND guardian goes
 * down the Ate path and the checkout goes on with the next one.
 *
 * EPSILON's, TAU's and OMEGA's guardians only filter: a unit they pass over stays where it is.
 * Past one such unit the queue is read by keyset outside any transaction, in batches, up to
 * SCAN_BUDGET units per call, and the first unit that passes is claimed as the head was: under
 * its lock, checked again. So the cost of a checkout is bounded whatever waits in front.
 *
 * With `uowId` the actor chooses the unit: it is locked (waiting for a concurrent claim to end)
 * and claimed if the role may take it now, else refused with a ConflictError naming why and
 * nothing is written; a chosen unit its INBOUND guardian refuses does not go down the Ate path.
 */
import { formOf, type FormField } from "../blueprint/role-settings.js";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.js";
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from "kysely";
import { UNIT_PRIORITY, type UOWStatus } from "../schema/enums.js";
import type { InstanceDatabase } from "../schema/tables.js";
import type { JsonObject } from "../schema/json.js";
import { stateOf, visibleAttributes } from "./attributes.js";
import { findActor } from "./actors.js";
import type { EngineContext } from "./context.js";
import { findRole, pulledStatus, type RuntimeGraph, type RuntimeRole } from "./graph.js";
import { passesAll } from "./guards.js";
import { name, parseInput, z } from "./input.js";
import { secondsBetween } from "./observe.js";
import { leaseExpiry, newLeaseToken } from "./lease.js";
import { markServed, memoryFor, servedEntries, type MemoryEntry } from "./memory.js";
import { announceCommitted } from "./audit.js";
import { placeUnit } from "./place.js";
import { conditionScope } from "./route.js";
import { lockUnit, runStep, type Step, type UnitRow } from "./step.js";
import { retryTransient } from "../store/retry.js";
import type { Claim, Gate } from "../store/dialects/hot-path.js";
import { ATTR, failedSpan, inSpan, setInstance, spanClock } from "./trace.js";
import { assertTransition } from "./transitions.js";

const checkoutInput = z.object({ role: name, actorId: name, uowId: z.string().optional() }).strict();
/** The most units one checkoutMany claims (docs/engine.md, "Batches"). */
export const MAX_CHECKOUT_BATCH = 100;
const checkoutManyInput = z
  .object({ role: name, actorId: name, max: z.number().int().min(1).max(MAX_CHECKOUT_BATCH) })
  .strict();

export interface SetMember {
  uowId: string;
  parentId: string | null;
  status: UOWStatus;
  attributes: JsonObject;
}

export interface CheckedOutUnit {
  uowId: string;
  leaseToken: string;
  role: string;
  interaction: string;
  workflow: string;
  parentId: string | null;
  attempt: number;
  /** When the lease runs out without a heartbeat: the role's lease from now (docs/engine.md). */
  leaseExpiresAt: Date;
  /** The form of the role, when its blueprint declares one: what its submit must carry. */
  form: FormField[] | null;
  attributes: JsonObject;
  memory: MemoryEntry[];
  /** OMEGA only: every unit of the released set, base first. */
  set?: SetMember[];
}

/** Units refused by guardians in one checkout before it gives up for now. */
const MAX_REJECTIONS_PER_CHECKOUT = 100;
/**
 * Units one checkout looks at and passes over (guardians of EPSILON, TAU or OMEGA that filter,
 * or an OMEGA set not yet released) before it returns null for this call (docs/engine.md).
 */
export const SCAN_BUDGET = 1_000;
/** Units read at once while scanning past filtered units. */
const SCAN_BATCH = 100;

/**
 * A place in a queue: the order is priority (higher first), then (available_at, uow_id). Each
 * priority is one range of the index ix_units_of_work_ready, read up to now: units in backoff
 * sit after it and are never read.
 */
interface QueueKey {
  priority: number;
  at: Date;
  uowId: string;
}
/** Where a head query starts: at a unit (inclusive) or just after it. */
interface From extends QueueKey {
  inclusive: boolean;
}
/** The highest priority of the units waiting in each INBOUND interaction that holds any (a hint read before the step). */
type Levels = Map<string, number>;

const keyOf = (unit: UnitRow): QueueKey => ({
  priority: unit.priority ?? UNIT_PRIORITY.default,
  at: unit.available_at ?? unit.entered_interaction_at,
  uowId: unit.uow_id,
});

/** What one step of claiming heads did: the units it took, and the unit that ended it by being passed over. */
interface HeadsOutcome {
  taken: CheckedOutUnit[];
  passedOver: UnitRow | null;
}

/**
 * The checkout's span starts once the first plain read found a unit waiting (or the call was
 * refused): a checkout of an empty queue, what an idle worker does every second, records none.
 */
export async function checkout(ctx: EngineContext, instance: string, raw: unknown): Promise<CheckedOutUnit | null> {
  const units = await checkoutSpan(
    ctx,
    (max) => prepare(ctx, instance, () => parseInput(checkoutInput, raw, "work.checkout"), max),
    1,
  );
  return units[0] ?? null;
}

/**
 * checkoutMany (docs/engine.md, "Batches"): up to `max` units of the role, each with its own
 * lease, audit entry and attempt, claimed in one write transaction in queue order. Fewer (or
 * none) when fewer wait; guardians, rejections and the OMEGA release apply to each as in a
 * single checkout.
 */
export async function checkoutMany(ctx: EngineContext, instance: string, raw: unknown): Promise<CheckedOutUnit[]> {
  return checkoutSpan(
    ctx,
    (max) =>
      prepare(
        ctx,
        instance,
        () => {
          const input = parseInput(checkoutManyInput, raw, "work.checkoutMany");
          return { role: input.role, actorId: input.actorId };
        },
        max,
      ),
    typeof (raw as { max?: unknown })?.max === "number" ? (raw as { max: number }).max : 1,
  );
}

async function checkoutSpan(
  ctx: EngineContext,
  prepared: (max: number) => Promise<Ready | null>,
  max: number,
): Promise<CheckedOutUnit[]> {
  const began = spanClock();
  let ready: Ready | null;
  try {
    ready = await prepared(max);
  } catch (error) {
    failedSpan("chameleon.checkout", error, began);
    throw error;
  }
  if (ready === null) return [];
  return inSpan(
    "chameleon.checkout",
    async (span) => {
      setInstance(span, ready.graph);
      if (span.isRecording()) span.setAttribute(ATTR.role, ready.role.apiName);
      const units = await take(ctx, ready, max);
      if (span.isRecording()) {
        span.setAttribute(ATTR.outcome, units.length > 0 ? "taken" : "empty");
        const unit = units[0];
        if (unit && units.length === 1) {
          span.setAttributes({
            [ATTR.uowId]: unit.uowId,
            [ATTR.interaction]: unit.interaction,
            [ATTR.attempt]: unit.attempt,
          });
        } else if (units.length > 1) {
          span.setAttribute(ATTR.units, units.length);
        }
      }
      return units;
    },
    began,
  );
}

/** What a checkout found before it writes: null when nothing waits for the role (and no unit was chosen). */
interface Ready {
  graph: RuntimeGraph;
  input: z.infer<typeof checkoutInput>;
  role: RuntimeRole;
  status: UOWStatus;
  actorId: string;
  memory: MemoryEntry[];
  /** Per INBOUND interaction holding units of the role's status (available now or in backoff), their top priority. */
  levels: Levels;
  /** What the gate's own statement claimed at the top priority (hot path gateAndClaim), with its time; else null. */
  claimed: { at: Date; units: UnitRow[] } | null;
}

async function prepare(
  ctx: EngineContext,
  instance: string,
  parse: () => z.infer<typeof checkoutInput>,
  max: number,
): Promise<Ready | null> {
  // The instance first: a call on an instance that is not there is a NotFoundError whatever its input.
  const graph = await ctx.graphs.get(instance);
  const input = parse();
  const role = findRole(graph, input.role);
  const status = pulledStatus(role);
  if (status === null) {
    throw new ValidationError(
      role.type === "ALPHA"
        ? `role '${role.apiName}' is ALPHA: it creates units with work.start and takes none`
        : `role '${role.apiName}' is a SIGMA gateway: it runs its nested workflow by itself`,
    );
  }
  const actor = await findActor(ctx.store.db, graph, input.actorId);
  const interactionIds = role.inbound.map((c) => c.interaction.id);
  const system = actor.type === "SYSTEM";
  // SYSTEM needs no assignment, and does the work of OMEGA and TAU only.
  const refused = () => new ForbiddenError(`actor '${actor.name}' has no active assignment to role '${role.apiName}'`);
  if (system && role.type !== "OMEGA" && role.type !== "TAU") throw refused();
  const { gate, memory, claimed } = await openCheckout(ctx, graph, role, status, actor.actorId, system, {
    interactionIds,
    atOnce: input.uowId === undefined && claimsWithoutLooking(role) ? max : null,
  });
  if (!system && gate.assignment !== "ACTIVE") throw refused();
  // A paused role takes nothing: a plain read, so a checkout that read it just before a pause
  // committed may still take one unit.
  const paused = gate.instancePaused
    ? `instance '${graph.instanceName}' is paused`
    : gate.rolePaused
      ? `role '${role.apiName}' of instance '${graph.instanceName}' is paused`
      : null;
  if (paused !== null) {
    if (input.uowId === undefined) return null;
    throw new ConflictError(`${paused}: unit ${input.uowId} cannot be checked out until it is resumed`);
  }
  const levels: Levels = new Map();
  gate.levels.forEach((level, i) => {
    if (level !== null) levels.set(interactionIds[i]!, level);
  });
  if (input.uowId === undefined && levels.size === 0 && !claimed?.units.length) return null;
  return { graph, input, role, status, actorId: actor.actorId, memory, levels, claimed };
}

/**
 * Checkout's reads before its writes: the gate (assignment, pauses, the top priority waiting in
 * each INBOUND interaction) and the memory the actor will be served. Where the store has
 * gateAndClaim and the checkout claims heads without looking (`atOnce`: up to that many), the
 * claim at the top priority is made in the same statement, one round trip for a whole
 * checkout; it claims nothing unless the gate lets the actor in. Otherwise plain reads side by
 * side on a pool: an empty queue needs no write transaction (on SQLite that would hold the one
 * write lock other processes wait for), and the memory the actor will be served does not depend
 * on which unit it gets.
 */
async function openCheckout(
  ctx: EngineContext,
  graph: RuntimeGraph,
  role: RuntimeRole,
  status: UOWStatus,
  actorId: string,
  system: boolean,
  how: { interactionIds: string[]; atOnce: number | null },
): Promise<{ gate: Gate; memory: MemoryEntry[]; claimed: Ready["claimed"] }> {
  const { db, dialect } = ctx.store;
  const gateAndClaim = dialect.hotPath.gateAndClaim?.bind(dialect.hotPath);
  if (how.atOnce !== null && gateAndClaim) {
    const limit = how.atOnce;
    const at = ctx.now();
    const opened = await retryTransient(dialect, () =>
      gateAndClaim(db, {
        instanceId: graph.instanceId,
        interactionId: how.interactionIds[0]!,
        roleId: role.id,
        status,
        actorId,
        system,
        at,
        limit,
        leaseTokens: Array.from({ length: limit }, () => newLeaseToken(at)),
      }),
    );
    return { gate: opened.gate, memory: servedEntries(opened.memory), claimed: { at, units: opened.units } };
  }
  const [gate, memory] = await Promise.all([
    dialect.hotPath.checkoutGate(db, {
      instanceId: graph.instanceId,
      roleId: role.id,
      actorId: system ? null : actorId,
      interactionIds: how.interactionIds,
      status,
      omega: role.type === "OMEGA",
    }),
    memoryFor(ctx.store, role.id, actorId),
  ]);
  return { gate, memory, claimed: null };
}

async function take(ctx: EngineContext, ready: Ready, max: number): Promise<CheckedOutUnit[]> {
  const { graph, input, role, status, actorId, memory, levels } = ready;
  if (input.uowId !== undefined) {
    const uowId = input.uowId;
    return [await runStep(ctx, graph, (step) => takeChosen(step, role, status, actorId, memory, uowId))];
  }
  if (claimsWithoutLooking(role)) return claimAtOnce(ctx, ready, max);
  let from: From | null = null;
  for (let passedOver = 0; ;) {
    const outcome = await runStep(ctx, graph, (step) =>
      takeHeads(step, role, status, actorId, memory, from, levels, max),
    );
    // A batch that took some units ends at the first one passed over: the next call goes on from there.
    if (outcome.taken.length > 0 || outcome.passedOver === null) return outcome.taken;
    // Passed over: look further without a transaction, then claim what passes as a head.
    passedOver += 1;
    if (passedOver > SCAN_BUDGET) return [];
    const scan = await scanForTakeable(ctx, role, status, keyOf(outcome.passedOver), SCAN_BUDGET - passedOver);
    passedOver += scan.passedOver;
    if (!scan.found) return [];
    from = { ...keyOf(scan.found), inclusive: true };
  }
}

/**
 * Whether a checkout of this role takes the head of its queue without looking at it: one
 * INBOUND interaction whose guardians need no attributes (none, or PASS_THRU), and not OMEGA
 * (whose set must have come back). Then a claim is one atomic operation of the store
 * (claimAndLog, on PostgreSQL one statement) and needs no transaction of the engine.
 */
function claimsWithoutLooking(role: RuntimeRole): boolean {
  return (
    role.type !== "OMEGA" &&
    role.inbound.length === 1 &&
    role.inbound[0]!.guardians.every((g) => g.type === "PASS_THRU")
  );
}

/**
 * The claim of claimsWithoutLooking: up to `max` heads, priority by priority from the highest
 * waiting, each with its lease and CHECKOUT entry. What a step does after its commit follows:
 * the served memory marked, the event stream told, the observers told.
 */
async function claimAtOnce(ctx: EngineContext, ready: Ready, max: number): Promise<CheckedOutUnit[]> {
  const { graph, role, status, actorId, memory, levels, claimed } = ready;
  const { db, dialect } = ctx.store;
  const interaction = role.inbound[0]!.interaction;
  const memoryIds = JSON.stringify(memory.filter((m) => m.shared).map((m) => m.memoryId));
  const taken: UnitRow[] = [...(claimed?.units ?? [])];
  const at = claimed?.at ?? ctx.now();
  try {
    await claimLevels();
  } catch (error) {
    // What was claimed is committed: handed out, not left held under leases nobody knows.
    if (taken.length === 0) throw error;
  }
  if (taken.length === 0) return [];
  for (const unit of taken) ctx.held.remember(unit, role.id);
  // Bookkeeping after the commit: a mark not written now is written at a later checkout.
  await markServed(db, memory, at).catch(() => {});
  await announceCommitted(ctx, graph.instanceId);
  if (ctx.observers.size > 0) {
    ctx.observers.tell(
      graph.instanceName,
      taken.map((unit) => ({
        kind: "checkout" as const,
        role: role.apiName,
        waitedSeconds: secondsBetween(unit.entered_interaction_at, at),
      })),
    );
  }
  return taken.map((unit) => checkedOut(ctx, graph, role, unit, visibleAttributes(stateOf(unit)), memory, at));

  async function claimLevels(): Promise<void> {
    let level = levels.get(interaction.id) ?? null;
    // The gate's statement claimed at the top priority already: the next level follows, if any is wanted.
    if (claimed && level !== null)
      level = taken.length < max ? await nextLevel(db, [interaction.id], status, role, level) : null;
    for (; level !== null && taken.length < max;) {
      const limit = max - taken.length;
      const priority = level;
      const units = await retryTransient(dialect, () =>
        dialect.hotPath.claimAndLog(db, {
          instanceId: graph.instanceId,
          interactionId: interaction.id,
          status,
          priority,
          at,
          from: null,
          omega: false,
          limit,
          actorId,
          roleId: role.id,
          leaseTokens: Array.from({ length: limit }, () => newLeaseToken(at)),
          memoryIds,
        }),
      );
      taken.push(...units);
      if (units.length < limit) level = await nextLevel(db, [interaction.id], status, role, level);
    }
  }
}

/**
 * One write transaction: up to `max` units at or after `from`, locked, checked and claimed in
 * queue order; PENDING units refused on the way go down the Ate path. A unit passed over ends
 * the step, so that the queue behind it is read outside the transaction.
 */
async function takeHeads(
  step: Step,
  role: RuntimeRole,
  status: UOWStatus,
  actorId: string,
  memory: MemoryEntry[],
  from: From | null,
  levels: Levels,
  max: number,
): Promise<HeadsOutcome> {
  const taken: CheckedOutUnit[] = [];
  const claims: Claim[] = [];
  const done = async (passedOver: UnitRow | null): Promise<HeadsOutcome> => {
    await writeClaims(step, actorId, claims);
    if (taken.length > 0) await markServed(step.trx, memory, step.at);
    return { taken, passedOver };
  };
  for (let rejected = 0; rejected <= MAX_REJECTIONS_PER_CHECKOUT && taken.length < max;) {
    const wanted = max - taken.length;
    const heads = await claimHeads(step, role, status, from, levels, wanted);
    for (const unit of heads) {
      if (role.type === "OMEGA" && !(await setIsReleased(step.trx, unit))) return done(unit);
      const attributes = visibleAttributes(stateOf(unit));
      const verdict = guardVerdict(role, unit, attributes, step.at);
      if (!verdict.pass) {
        // EPSILON, TAU and OMEGA take units already on their path: a guardian only filters.
        if (status !== "PENDING") return done(unit);
        await placeUnit(step, unit, role.workflow.errors, {
          move: "reject",
          actorId,
          role,
          event: "REJECT",
          details: {
            guardian: verdict.guardian ?? null,
            condition: verdict.condition ?? null,
            reason: verdict.reason ?? "rejected by an INBOUND guardian",
          },
        });
        step.observed?.push({ kind: "failure", role: role.apiName, reason: "rejected" });
        rejected += 1;
        continue; // the refused unit has left the queue: the next head is behind it
      }
      taken.push(await claim(step, role, actorId, unit, attributes, memory, claims));
    }
    // Fewer heads than asked for: the queue (up to now) is read to its end.
    if (heads.length < wanted) break;
    // The next read of the queue must not find these units waiting still.
    await writeClaims(step, actorId, claims);
  }
  return done(null);
}

/** The chosen unit, claimed under its lock if the role may take it now; a ConflictError saying why not otherwise. */
async function takeChosen(
  step: Step,
  role: RuntimeRole,
  status: UOWStatus,
  actorId: string,
  memory: MemoryEntry[],
  uowId: string,
): Promise<CheckedOutUnit> {
  const unit = await lockUnit(step, uowId);
  const refuse = (why: string) =>
    new ConflictError(
      `unit ${unit.uow_id} cannot be checked out by role '${role.apiName}': ${why}; nothing was changed`,
    );
  const interaction = step.graph.interactions.get(unit.current_interaction_id);
  if (!role.inbound.some((c) => c.interaction.id === unit.current_interaction_id)) {
    throw refuse(`it waits in '${interaction?.apiName ?? "?"}', not in one of the role's INBOUND interactions`);
  }
  if (unit.status === "ACTIVE") throw refuse("it is taken (ACTIVE, held by another lease)");
  if (unit.status !== status) throw refuse(`it is ${unit.status}, and the role takes ${status} units`);
  if (unit.available_at !== null && unit.available_at.getTime() > step.at.getTime()) {
    throw refuse(`it waits for its retry until ${unit.available_at.toISOString()}`);
  }
  if (role.type === "OMEGA" && (unit.parent_id !== null || !(await setIsReleased(step.trx, unit)))) {
    throw refuse("it is not a base unit whose set Cerberus released");
  }
  const attributes = visibleAttributes(stateOf(unit));
  const verdict = guardVerdict(role, unit, attributes, step.at);
  if (!verdict.pass) {
    throw refuse(`refused by its INBOUND guardian (${verdict.reason ?? "rejected"})`);
  }
  const claims: Claim[] = [];
  const taken = await claim(step, role, actorId, unit, attributes, memory, claims);
  await writeClaims(step, actorId, claims);
  await markServed(step.trx, memory, step.at);
  return taken;
}

function guardVerdict(role: RuntimeRole, unit: UnitRow, attributes: JsonObject, at: Date) {
  const inbound = role.inbound.find((c) => c.interaction.id === unit.current_interaction_id)!;
  return passesAll(inbound.guardians, conditionScope(unit, attributes, at.getTime()));
}

/**
 * Plain reads, in queue order after `after`: the first unit the role would take (its guardians
 * pass and, for OMEGA, its set is released), passing over at most `budget` units before it, and
 * how many were passed over. Nothing is locked; the caller claims the unit found as a head.
 */
async function scanForTakeable(
  ctx: EngineContext,
  role: RuntimeRole,
  status: UOWStatus,
  after: QueueKey,
  budget: number,
): Promise<{ found: UnitRow | null; passedOver: number }> {
  const db = ctx.store.db;
  const now = ctx.now();
  const interactionIds = role.inbound.map((c) => c.interaction.id);
  let passedOver = 0;
  let level: number | null = after.priority;
  let cursor: From | null = { ...after, inclusive: false };
  while (level !== null) {
    const query = takeable(
      db
        .selectFrom("units_of_work")
        .selectAll()
        .where("current_interaction_id", "in", interactionIds)
        .where("status", "=", status)
        .where("priority", "=", level)
        .where("available_at", "<=", now),
      role,
    );
    const batch = await (cursor ? query.where(startingAt(cursor)) : query)
      .orderBy("available_at")
      .orderBy("uow_id")
      .limit(Math.min(SCAN_BATCH, budget - passedOver + 1))
      .execute();
    for (const unit of batch) {
      const attributes = visibleAttributes(stateOf(unit));
      if (guardVerdict(role, unit, attributes, now).pass && (role.type !== "OMEGA" || (await setIsReleased(db, unit))))
        return { found: unit, passedOver };
      passedOver += 1;
      if (passedOver > budget) return { found: null, passedOver };
    }
    if (batch.length === SCAN_BATCH) {
      cursor = { ...keyOf(batch[batch.length - 1]!), inclusive: false };
    } else {
      // This priority is read to its end (up to now): on with the next lower one present.
      level = await nextLevel(db, interactionIds, status, role, level);
      cursor = null;
    }
  }
  return { found: null, passedOver };
}

/**
 * `(available_at, uow_id) >= from` (or `>`) within one priority, written so that the index
 * serves it as a range on every engine.
 */
function startingAt(from: From) {
  return (eb: ExpressionBuilder<InstanceDatabase, "units_of_work">) =>
    eb.and([
      eb("available_at", ">=", from.at),
      eb.or([eb("available_at", ">", from.at), eb("uow_id", from.inclusive ? ">=" : ">", from.uowId)]),
    ]);
}

/** The highest priority below `below` (any, when null) of the units of `status` in those interactions, or null. */
async function nextLevel(
  db: Kysely<InstanceDatabase>,
  interactionIds: string[],
  status: UOWStatus,
  role: RuntimeRole,
  below: number | null,
): Promise<number | null> {
  let query = takeable(
    db
      .selectFrom("units_of_work")
      .select("priority")
      .where("current_interaction_id", "in", interactionIds)
      .where("status", "=", status)
      .where("priority", "is not", null),
    role,
  );
  if (below !== null) query = query.where("priority", "<", below);
  const row = await query.orderBy("priority", "desc").limit(1).executeTakeFirst();
  return row?.priority ?? null;
}

/**
 * What a role may take beyond its interactions and status: OMEGA only base units whose children
 * have all come back (head 2 of Cerberus, checked again under the lock by setIsReleased).
 */
function takeable<QB extends SelectQueryBuilder<InstanceDatabase, "units_of_work", object>>(
  query: QB,
  role: RuntimeRole,
): QB {
  return role.type === "OMEGA"
    ? (query.where("parent_id", "is", null).whereRef("finished_child_count", "=", "child_count") as QB)
    : query;
}

/**
 * Up to `limit` units of `status` (at or after `from`) across the role's INBOUND interactions,
 * in queue order, locked for this step. In each interaction, one indexed range read per
 * priority present, from the highest that the hint `levels` found down, until `limit` are
 * found. Rows locked here beyond the `limit` taken stay waiting; their lock ends with the step.
 */
async function claimHeads(
  step: Step,
  role: RuntimeRole,
  status: UOWStatus,
  from: From | null,
  levels: Levels,
  limit: number,
): Promise<UnitRow[]> {
  const found: UnitRow[] = [];
  for (const component of role.inbound) {
    const top = levels.get(component.interaction.id);
    if (top === undefined) continue;
    let level: number | null = from ? Math.min(top, from.priority) : top;
    let here = 0;
    while (level !== null && here < limit) {
      const heads = await step.ctx.store.dialect.hotPath.claimHeads(step.trx, {
        interactionId: component.interaction.id,
        status,
        priority: level,
        at: step.at,
        from: from && level === from.priority ? from : null,
        omega: role.type === "OMEGA",
        limit: limit - here,
      });
      found.push(...heads);
      here += heads.length;
      if (here >= limit) break;
      // Not enough available at this priority (in backoff, or taken): the next lower one present.
      level = await nextLevel(step.trx, [component.interaction.id], status, role, level);
    }
  }
  if (role.inbound.length > 1) found.sort((a, b) => (comesFirst(a, b) ? -1 : comesFirst(b, a) ? 1 : 0));
  return found.slice(0, limit);
}

/** Queue order: higher priority first, then available longest, then by id. */
function comesFirst(a: UnitRow, b: UnitRow): boolean {
  const [x, y] = [keyOf(a), keyOf(b)];
  if (x.priority !== y.priority) return x.priority > y.priority;
  const d = x.at.getTime() - y.at.getTime();
  return d < 0 || (d === 0 && x.uowId < y.uowId);
}

/**
 * The three heads of Cerberus (ENGINE.md section 6) for a base unit in OMEGA's interaction:
 * it is there (the query), every child has come back and counting them agrees, and every
 * unit of the set is COMPLETED or FINALIZED.
 */
async function setIsReleased(db: Kysely<InstanceDatabase>, base: UnitRow): Promise<boolean> {
  if (base.child_count === 0) return true;
  const counts = await db
    .selectFrom("units_of_work")
    .select((eb) => [
      eb.fn.countAll<number>().as("children"),
      eb.fn.sum<number>(eb.case().when("status", "in", ["COMPLETED", "FINALIZED"]).then(1).else(0).end()).as("done"),
    ])
    .where("parent_id", "=", base.uow_id)
    .executeTakeFirstOrThrow();
  const children = Number(counts.children);
  return children === base.child_count && base.finished_child_count === children && Number(counts.done) === children;
}

async function claim(
  step: Step,
  role: RuntimeRole,
  actorId: string,
  unit: UnitRow,
  attributes: JsonObject,
  memory: MemoryEntry[],
  claims: Claim[],
): Promise<CheckedOutUnit> {
  assertTransition(unit.uow_id, unit.status, "ACTIVE", "checkout");
  const leaseToken = newLeaseToken(step.at);
  // Written with the other claims of the step in one statement (writeClaims); the row in hand
  // is what the step knows of the unit from here on.
  const attempt = unit.attempt + 1;
  Object.assign(unit, {
    status: "ACTIVE",
    locked_by_actor_id: actorId,
    lease_token: leaseToken,
    last_heartbeat_at: step.at,
    attempt,
    updated_at: step.at,
  });
  claims.push({ uowId: unit.uow_id, leaseToken });
  step.ctx.held.remember(unit, role.id);
  let set: SetMember[] | undefined;
  if (role.type === "OMEGA") {
    set = await releasedSet(step, unit, attributes);
    step.logs.push({
      uowId: unit.uow_id,
      actorId,
      roleId: role.id,
      interactionId: unit.current_interaction_id,
      event: "SYNC_RELEASE",
      details: { children: unit.child_count },
    });
  }
  const interaction = step.graph.interactions.get(unit.current_interaction_id)!;
  step.logs.push({
    uowId: unit.uow_id,
    actorId,
    roleId: role.id,
    interactionId: interaction.id,
    event: "CHECKOUT",
    details: {
      attempt,
      memory: memory.filter((m) => m.shared).map((m) => m.memoryId),
      ...(set ? { set: set.map((m) => m.uowId) } : {}),
    },
  });
  step.observed?.push({
    kind: "checkout",
    role: role.apiName,
    waitedSeconds: secondsBetween(unit.entered_interaction_at, step.at),
  });
  return { ...checkedOut(step.ctx, step.graph, role, unit, attributes, memory, step.at), ...(set ? { set } : {}) };
}

/** What the actor receives for a unit it claimed at `at` (the row as claimed: ACTIVE, its lease, its new attempt). */
function checkedOut(
  ctx: EngineContext,
  graph: RuntimeGraph,
  role: RuntimeRole,
  unit: UnitRow,
  attributes: JsonObject,
  memory: MemoryEntry[],
  at: Date,
): CheckedOutUnit {
  return {
    uowId: unit.uow_id,
    leaseToken: unit.lease_token!,
    role: role.apiName,
    interaction: graph.interactions.get(unit.current_interaction_id)!.apiName,
    workflow: role.workflow.name,
    parentId: unit.parent_id,
    attempt: unit.attempt,
    leaseExpiresAt: leaseExpiry(role, ctx.settings, at),
    form: formOf(role.config),
    attributes,
    memory,
  };
}

/** Writes the claims made so far in one statement, and forgets them. */
async function writeClaims(step: Step, actorId: string, claims: Claim[]): Promise<void> {
  if (claims.length === 0) return;
  await step.ctx.store.dialect.hotPath.markClaimed(step.trx, { actorId, at: step.at, units: claims.splice(0) });
}

async function releasedSet(step: Step, base: UnitRow, baseAttributes: JsonObject): Promise<SetMember[]> {
  const children = await step.trx
    .selectFrom("units_of_work")
    .select(["uow_id", "status", "current_attributes"])
    .where("parent_id", "=", base.uow_id)
    .orderBy("created_at")
    .orderBy("uow_id")
    .execute();
  return [
    { uowId: base.uow_id, parentId: null, status: "ACTIVE", attributes: baseAttributes },
    ...children.map((c) => ({
      uowId: c.uow_id,
      parentId: base.uow_id,
      status: c.status,
      attributes: visibleAttributes(stateOf(c)),
    })),
  ];
}
