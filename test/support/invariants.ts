/**
 * The invariants of an instance, read straight from the instance store: every unit's status
 * and place agree with its last log entry that moved it; children counts agree with
 * child_count; attribute versions of each key run 1..n without gaps; an ACTIVE unit has a
 * lease, unless SYSTEM holds it in a SIGMA gateway; a unit is available no earlier than it
 * arrived, its priority is 0 to 9, and its due time is the one its interaction's roles give.
 */
import { dueAt } from "../../src/engine/deadline.js";
import type { Chameleon } from "../../src/chameleon.js";

const MOVING_EVENTS = new Set([
  "GENESIS",
  "SPAWN",
  "SUBMIT",
  "FAIL",
  "REJECT",
  "TIMEOUT",
  "RECLAIM",
  "CHECKOUT",
  "FINALIZE",
  "CANCEL",
]);

export async function invariantViolations(ch: Chameleon, instanceId: string): Promise<string[]> {
  const db = ch.stores.instances.db;
  const graph = await ch.engine.graphs.get(instanceId);
  const problems: string[] = [];
  const units = await db.selectFrom("units_of_work").selectAll().where("instance_id", "=", graph.instanceId).execute();
  const logs = await db
    .selectFrom("interaction_logs")
    .select(["uow_id", "event", "details", "log_id"])
    .where("instance_id", "=", graph.instanceId)
    .orderBy("log_id")
    .execute();
  const lastMove = new Map<string, (typeof logs)[number]>();
  const cancelled = new Set<string>();
  for (const l of logs) {
    if (MOVING_EVENTS.has(l.event)) lastMove.set(l.uow_id, l);
    if (l.event === "CANCEL") cancelled.add(l.uow_id);
  }
  for (const u of units) {
    const last = lastMove.get(u.uow_id);
    if (!last) {
      problems.push(`unit ${u.uow_id} has no log entry that placed it`);
      continue;
    }
    const details = (last.details ?? {}) as { status?: string; to?: string };
    const expected =
      details.status ??
      (last.event === "CHECKOUT"
        ? "ACTIVE"
        : last.event === "FINALIZE" || last.event === "CANCEL"
          ? "FINALIZED"
          : undefined);
    if (expected !== u.status)
      problems.push(
        `unit ${u.uow_id} is ${u.status} but its last move (${last.event} #${last.log_id}) says ${expected}`,
      );
    const where = graph.interactions.get(u.current_interaction_id)!.apiName;
    if (details.to !== undefined && details.to !== where) {
      problems.push(`unit ${u.uow_id} is in ${where} but its last move (${last.event}) sent it to ${details.to}`);
    }
    if (u.status === "ACTIVE" && u.lease_token === null) {
      const held =
        u.locked_by_actor_id === graph.systemActorId &&
        graph.interactions.get(u.current_interaction_id)!.kind === "gateway";
      if (!held) problems.push(`unit ${u.uow_id} is ACTIVE without a lease outside a gateway`);
    }
    if (u.status !== "ACTIVE" && (u.lease_token !== null || u.locked_by_actor_id !== null)) {
      problems.push(`unit ${u.uow_id} is ${u.status} but still has a lease or holder`);
    }
    if (u.available_at === null || u.available_at.getTime() < u.entered_interaction_at.getTime()) {
      problems.push(`unit ${u.uow_id} is available at ${u.available_at?.toISOString()}, before it arrived`);
    }
    if (u.priority === null || !Number.isInteger(u.priority) || u.priority < 0 || u.priority > 9) {
      problems.push(`unit ${u.uow_id} has priority ${u.priority}`);
    }
    // Only a store upgraded with units in flight has units without the deadline they would get now.
    const due = dueAt(graph.interactions.get(u.current_interaction_id)!, u.entered_interaction_at);
    if (u.due_at !== null && u.due_at.getTime() !== due?.getTime()) {
      problems.push(`unit ${u.uow_id} is due ${u.due_at.toISOString()}, not ${due?.toISOString() ?? "never"}`);
    }
  }
  for (const parent of units.filter((u) => u.parent_id === null)) {
    const children = units.filter((c) => c.parent_id === parent.uow_id);
    if (children.length !== parent.child_count) {
      problems.push(`unit ${parent.uow_id} has child_count ${parent.child_count} but ${children.length} children`);
    }
    if (parent.finished_child_count > parent.child_count) {
      problems.push(
        `unit ${parent.uow_id} counts ${parent.finished_child_count} of ${parent.child_count} children back`,
      );
    }
    if (!cancelled.has(parent.uow_id)) {
      const back = children.filter((c) => c.status === "COMPLETED" || c.status === "FINALIZED").length;
      if (back !== parent.finished_child_count) {
        problems.push(
          `unit ${parent.uow_id} has finished_child_count ${parent.finished_child_count} but ${back} children came back`,
        );
      }
    }
  }
  const versions = await db
    .selectFrom("uow_attributes")
    .select(["uow_id", "key", "version", "value"])
    .where("instance_id", "=", graph.instanceId)
    .orderBy("uow_id")
    .orderBy("key")
    .orderBy("version")
    .execute();
  const seen = new Map<string, number>();
  for (const v of versions) {
    const k = `${v.uow_id}/${v.key}`;
    const expected = (seen.get(k) ?? 0) + 1;
    if (v.version !== expected) problems.push(`attribute ${k} has version ${v.version} after ${expected - 1}`);
    seen.set(k, v.version);
  }
  // The latest values kept on the unit's row are the last version of each key in the history.
  const latest = new Map<string, Record<string, { value: unknown; version: number }>>();
  for (const v of versions) {
    const entry = latest.get(v.uow_id) ?? {};
    entry[v.key] = { value: v.value, version: v.version };
    latest.set(v.uow_id, entry);
  }
  for (const u of units) {
    const expected = latest.get(u.uow_id) ?? {};
    if (JSON.stringify(sortKeys(u.current_attributes)) !== JSON.stringify(sortKeys(expected))) {
      problems.push(`unit ${u.uow_id}: current_attributes disagree with the latest versions of its history`);
    }
  }
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
