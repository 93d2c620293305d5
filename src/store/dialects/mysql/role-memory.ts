/** The memory checkout serves (hot-path.ts): the role's shared entries and the actor's own, not toxic, by key. */
import { runSql, type MemoryRow } from "../hot-path.js";
import type { AnyKysely } from "../dialect.js";
import { prepared } from "./prepared.js";

const ROLE_MEMORY = prepared(`select memory_id, \`key\`, value, actor_id, last_accessed_at from local_role_attributes
where role_id = ? and is_toxic = false and (actor_id is null or actor_id = ?)
order by \`key\``);

export function roleMemory(db: AnyKysely, q: { roleId: string; actorId: string }): Promise<MemoryRow[]> {
  return runSql<MemoryRow>(db, ROLE_MEMORY, [q.roleId, q.actorId]);
}
