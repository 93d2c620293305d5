/**
 * Data steps of migrations. Each is safe to run again after it was cut short: it only fills
 * rows that are still empty.
 */
import { UNIT_PRIORITY } from "../schema/enums.js";
import type { AnyKysely } from "./dialects/dialect.js";
import type { Tier } from "./url.js";

const BATCH = 500;

/**
 * Migration 3: units_of_work.current_attributes from the latest version of each key in
 * uow_attributes, in batches of units in id order.
 */
export async function fillCurrentAttributes(db: AnyKysely, tier: Tier): Promise<void> {
  if (tier !== "instances") return;
  for (let after: string | null = null; ;) {
    let query = db.selectFrom("units_of_work").select("uow_id").where("current_attributes", "is", null);
    if (after !== null) query = query.where("uow_id", ">", after);
    const units: { uow_id: string }[] = await query.orderBy("uow_id").limit(BATCH).execute();
    if (units.length === 0) return;
    const ids = units.map((u) => u.uow_id);
    // Values arrive decoded (the store's result plugin decodes json columns by name).
    const rows: { uow_id: string; key: string; value: unknown; version: number }[] = await db
      .selectFrom("uow_attributes")
      .select(["uow_id", "key", "value", "version"])
      .where("uow_id", "in", ids)
      .orderBy("uow_id")
      .orderBy("key")
      .orderBy("version")
      .execute();
    const current = new Map<string, Record<string, { value: unknown; version: number }>>(ids.map((id) => [id, {}]));
    for (const r of rows) current.get(r.uow_id)![r.key] = { value: r.value, version: r.version };
    for (const [uowId, attributes] of current) {
      await db
        .updateTable("units_of_work")
        .set({ current_attributes: JSON.stringify(attributes) })
        .where("uow_id", "=", uowId)
        .where("current_attributes", "is", null)
        .execute();
    }
    after = ids[ids.length - 1]!;
  }
}

/**
 * Migration 7: every unit is available from its arrival in its interaction (nothing was in
 * backoff before retries existed) and has the default priority. Units waiting at the upgrade
 * get no deadline (due_at stays empty): their roles' due_seconds count from the next arrival.
 */
export async function fillAvailability(db: AnyKysely, tier: Tier): Promise<void> {
  if (tier !== "instances") return;
  await db
    .updateTable("units_of_work")
    .set((eb) => ({ available_at: eb.ref("entered_interaction_at") }))
    .where("available_at", "is", null)
    .execute();
  await db
    .updateTable("units_of_work")
    .set({ priority: UNIT_PRIORITY.default })
    .where("priority", "is", null)
    .execute();
}
