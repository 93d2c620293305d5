/** Checkout's plain read (hot-path.ts): the assignment, both pauses and the top priority per INBOUND interaction, in one statement. */
import { runSql, type Gate, type GateQuery } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { preparedMemoized } from "./prepared.js";

const OMEGA_TAKES = " and parent_id is null and finished_child_count = child_count";

/** The top priority of each interaction as the last entry of one index prefix, as on PostgreSQL (postgres/checkout-gate.ts). */
const gateSql = preparedMemoized((shape: string) => {
  const [count, omega] = shape.split(":");
  const levels = Array.from(
    { length: Number(count) },
    (_, i) =>
      `(select priority from units_of_work where current_interaction_id = ? and status = ? and priority is not null${omega === "omega" ? OMEGA_TAKES : ""} order by priority desc limit 1) as level_${i}`,
  );
  return `select
  (select status from local_actor_role_assignments where actor_id = ? and role_id = ?) as assignment,
  (select paused_at is not null from local_roles where role_id = ?) as role_paused,
  (select status = 'PAUSED' from instance_context where instance_id = ?) as instance_paused${levels.map((l) => `,\n  ${l}`).join("")}`;
});

export async function checkoutGate(db: AnyKysely, q: GateQuery): Promise<Gate> {
  const text = gateSql(`${q.interactionIds.length}:${q.omega ? "omega" : "any"}`);
  const [row] = await runSql<Record<string, unknown>>(db, text, [
    q.actorId,
    q.roleId,
    q.roleId,
    q.instanceId,
    ...q.interactionIds.flatMap((id) => [id, q.status]),
  ]);
  return {
    assignment: (row!.assignment as string | null) ?? null,
    rolePaused: Number(row!.role_paused) === 1,
    instancePaused: Number(row!.instance_paused) === 1,
    levels: q.interactionIds.map((_, i) => (row![`level_${i}`] === null ? null : Number(row![`level_${i}`]))),
  };
}
