/**
 * Checkout (ENGINE.md section 5): an actor of a role claims the oldest unit it may take
 * across the role's INBOUND interactions, with a fresh lease. The claim is atomic: on
 * PostgreSQL and MySQL/MariaDB the head of each interaction is selected FOR UPDATE SKIP
 * LOCKED, so concurrent workers take different units without waiting; on SQLite the whole
 * step runs in an IMMEDIATE write transaction. A unit refused by an INBOUND guardian goes
 * down the Ate path and the checkout goes on with the next one.
 */
import { ForbiddenError, ValidationError } from "../errors.js";
import type { SelectQueryBuilder } from "kysely";
import type { UOWStatus } from "../schema/enums.js";
import type { InstanceDatabase } from "../schema/tables.js";
import { newId } from "../schema/ids.js";
import type { JsonObject } from "../schema/json.js";
import { stateOf, visibleAttributes } from "./attributes.js";
import { findActor, mayTakeRole } from "./actors.js";
import type { EngineContext } from "./context.js";
import { findRole, pulledStatus, type RuntimeRole } from "./graph.js";
import { passesAll } from "./guards.js";
import { name, parseInput, z } from "./input.js";
import { markServed, memoryFor, type MemoryEntry } from "./memory.js";
import { placeUnit } from "./place.js";
import { conditionScope } from "./route.js";
import { runStep, updateUnit, type Step, type UnitRow } from "./step.js";
import { assertTransition } from "./transitions.js";

const checkoutInput = z.object({ role: name, actorId: name }).strict();

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
  attributes: JsonObject;
  memory: MemoryEntry[];
  /** OMEGA only: every unit of the released set, base first. */
  set?: SetMember[];
}

/** Units refused by guardians in one checkout before it gives up for now. */
const MAX_REJECTIONS_PER_CHECKOUT = 100;

export async function checkout(ctx: EngineContext, instance: string, raw: unknown): Promise<CheckedOutUnit | null> {
  const graph = await ctx.graphs.get(instance);
  const input = parseInput(checkoutInput, raw, "work.checkout");
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
  // Plain reads first, side by side on a pool: an empty queue needs no write transaction (on
  // SQLite that would hold the one write lock other processes wait for), and the memory the
  // actor will be served does not depend on which unit it gets.
  const [allowed, waiting, memory] = await Promise.all([
    mayTakeRole(ctx.store.db, graph, actor, role.id),
    anyWaiting(ctx, role, status),
    memoryFor(ctx.store.db, role.id, actor.actorId),
  ]);
  if (!allowed) throw new ForbiddenError(`actor '${actor.name}' has no active assignment to role '${role.apiName}'`);
  if (!waiting) return null;
  return runStep(ctx, graph, async (step) => {
    const passedOver: string[] = [];
    for (let rejected = 0; rejected <= MAX_REJECTIONS_PER_CHECKOUT;) {
      const unit = await claimHead(step, role, status, passedOver);
      if (!unit) return null;
      if (role.type === "OMEGA" && !(await setIsReleased(step, unit))) {
        passedOver.push(unit.uow_id);
        continue;
      }
      const attributes = visibleAttributes(stateOf(unit));
      const inbound = role.inbound.find((c) => c.interaction.id === unit.current_interaction_id)!;
      const verdict = passesAll(inbound.guardians, conditionScope(unit, attributes, step.at.getTime()));
      if (!verdict.pass) {
        if (status === "PENDING") {
          await placeUnit(step, unit, role.workflow.errors, {
            move: "reject",
            actorId: actor.actorId,
            role,
            event: "REJECT",
            details: {
              guardian: verdict.guardian ?? null,
              condition: verdict.condition ?? null,
              reason: verdict.reason ?? "rejected by an INBOUND guardian",
            },
          });
          rejected += 1;
        }
        // EPSILON, TAU and OMEGA take units already on their path: a guardian only filters.
        passedOver.push(unit.uow_id);
        continue;
      }
      return claim(step, role, actor.actorId, unit, attributes, memory);
    }
    return null;
  });
}

/** Whether any unit the role could take waits in its INBOUND interactions (a hint, not a claim). */
async function anyWaiting(ctx: EngineContext, role: RuntimeRole, status: UOWStatus): Promise<boolean> {
  const query = ctx.store.db
    .selectFrom("units_of_work")
    .select("uow_id")
    .where(
      "current_interaction_id",
      "in",
      role.inbound.map((c) => c.interaction.id),
    )
    .where("status", "=", status);
  return (await takeable(query, role).limit(1).executeTakeFirst()) !== undefined;
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

/** The oldest unit of `status` across the role's INBOUND interactions, locked for this step. */
async function claimHead(
  step: Step,
  role: RuntimeRole,
  status: UOWStatus,
  passedOver: string[],
): Promise<UnitRow | null> {
  let best: UnitRow | null = null;
  for (const component of role.inbound) {
    let query = step.trx
      .selectFrom("units_of_work")
      .selectAll()
      .where("current_interaction_id", "=", component.interaction.id)
      .where("status", "=", status);
    query = takeable(query, role);
    if (passedOver.length > 0) query = query.where("uow_id", "not in", passedOver);
    query = query.orderBy("entered_interaction_at").orderBy("uow_id").limit(1);
    const head = await step.ctx.store.dialect.lockRows(query, "skip-locked").executeTakeFirst();
    if (head && (!best || isOlder(head, best))) best = head;
  }
  return best;
}

function isOlder(a: UnitRow, b: UnitRow): boolean {
  const d = a.entered_interaction_at.getTime() - b.entered_interaction_at.getTime();
  return d < 0 || (d === 0 && a.uow_id < b.uow_id);
}

/**
 * The three heads of Cerberus (ENGINE.md section 6) for a base unit in OMEGA's interaction:
 * it is there (the query), every child has come back and counting them agrees, and every
 * unit of the set is COMPLETED or FINALIZED.
 */
async function setIsReleased(step: Step, base: UnitRow): Promise<boolean> {
  if (base.child_count === 0) return true;
  const counts = await step.trx
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
): Promise<CheckedOutUnit> {
  assertTransition(unit.uow_id, unit.status, "ACTIVE", "checkout");
  const leaseToken = newId();
  await updateUnit(step, unit, {
    status: "ACTIVE",
    locked_by_actor_id: actorId,
    lease_token: leaseToken,
    last_heartbeat_at: step.at,
    attempt: unit.attempt + 1,
  });
  await markServed(step.trx, memory, step.at);
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
      attempt: unit.attempt,
      memory: memory.filter((m) => m.shared).map((m) => m.memoryId),
      ...(set ? { set: set.map((m) => m.uowId) } : {}),
    },
  });
  return {
    uowId: unit.uow_id,
    leaseToken,
    role: role.apiName,
    interaction: interaction.apiName,
    workflow: role.workflow.name,
    parentId: unit.parent_id,
    attempt: unit.attempt,
    attributes,
    memory,
    ...(set ? { set } : {}),
  };
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
