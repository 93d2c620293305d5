/** Checkout's plain read (hot-path.ts): the assignment, both pauses and the top priority per INBOUND interaction, in one statement. */
import { memoized, runSql, type Gate, type GateQuery } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";

const OMEGA_TAKES = " and parent_id is null and finished_child_count = child_count";

/**
 * The top priority of each interaction as the last entry of one index prefix (ORDER BY … DESC
 * LIMIT 1 on ix_units_of_work_ready), not max(): without statistics (a table just filled)
 * PostgreSQL planned max() as a scan of every waiting unit through another index.
 */
const gateSql = memoized((shape: string) => {
  const [count, omega] = shape.split(":");
  const levels = Array.from(
    { length: Number(count) },
    (_, i) =>
      `(select priority from units_of_work where current_interaction_id = $${5 + i} and status = $4 and priority is not null${omega === "omega" ? OMEGA_TAKES : ""} order by priority desc limit 1) as level_${i}`,
  );
  return `select
  (select status from local_actor_role_assignments where actor_id = $1 and role_id = $2) as assignment,
  (select paused_at is not null from local_roles where role_id = $2) as role_paused,
  (select status = 'PAUSED' from instance_context where instance_id = $3) as instance_paused${levels.map((l) => `,\n  ${l}`).join("")}`;
});

export async function checkoutGate(db: AnyKysely, q: GateQuery): Promise<Gate> {
  const text = gateSql(`${q.interactionIds.length}:${q.omega ? "omega" : "any"}`);
  const [row] = await runSql<Record<string, unknown>>(db, text, [
    q.actorId,
    q.roleId,
    q.instanceId,
    q.status,
    ...q.interactionIds,
  ]);
  return {
    assignment: (row!.assignment as string | null) ?? null,
    rolePaused: row!.role_paused === true,
    instancePaused: row!.instance_paused === true,
    levels: q.interactionIds.map((_, i) => (row![`level_${i}`] === null ? null : Number(row![`level_${i}`]))),
  };
}
