/**
 * The one place where pausing stops the clocks of waiting units and resuming starts them
 * again. The stale clock of an interaction (its `stale_token_limit_seconds`, counted from each
 * unit's `entered_interaction_at`) stands still while its instance is paused or any role that
 * takes from it is paused; the sweep leaves the units of a stopped interaction where they are.
 * When the clock starts again, every unit in the interaction (waiting, or held and so perhaps
 * coming back) gets its `entered_interaction_at` moved forward so that the pause does not
 * count: a unit that had waited X s before the pause has waited X s at the resume, and one
 * that arrived during the pause has waited 0 s. Units keep their order in line, except that
 * those which arrived during the pause all stand at the resume (then by uow_id).
 *
 * A unit's due time (deadline.ts) counts from the same entry time, so it moves with it here:
 * a pause stops the stale clock and the due clock alike.
 */
import { sql, type Expression } from "kysely";
import type { Trx } from "./context.js";
import type { RuntimeGraph, RuntimeInteraction } from "./graph.js";
import type { SqlDialect } from "../store/dialects/dialect.js";
import { deadlineOf, dueAt } from "./deadline.js";

/** What is paused, as pause.ts and resume.ts see it under the instance's lock. */
export interface Paused {
  instance: boolean;
  roleIds: ReadonlySet<string>;
}

/** Whether the stale clock of this interaction stands still. */
export function clockStopped(interaction: RuntimeInteraction, paused: Paused): boolean {
  return paused.instance || interaction.consumers.some((c) => paused.roleIds.has(c.role.id));
}

/**
 * Brings every interaction's clock in line with what is paused now: stops the ones that must
 * stand still (clock_stopped_at = at) and starts the others that stood still, moving their
 * units' clocks forward by the pause. Runs in the pause's or resume's transaction, which
 * holds the instance's row lock, so two of them never settle one instance at once.
 */
export async function settleClocks(
  trx: Trx,
  dialect: SqlDialect,
  graph: RuntimeGraph,
  paused: Paused,
  at: Date,
): Promise<void> {
  const rows = await trx
    .selectFrom("local_interactions")
    .select(["interaction_id", "clock_stopped_at"])
    .where("interaction_id", "in", [...graph.interactions.keys()])
    .execute();
  const toStop: string[] = [];
  for (const row of rows) {
    const interaction = graph.interactions.get(row.interaction_id)!;
    const stop = clockStopped(interaction, paused);
    if (stop && row.clock_stopped_at === null) toStop.push(row.interaction_id);
    if (!stop && row.clock_stopped_at !== null) await restartClock(trx, dialect, interaction, row.clock_stopped_at, at);
  }
  if (toStop.length > 0) {
    await trx
      .updateTable("local_interactions")
      .set({ clock_stopped_at: at })
      .where("interaction_id", "in", toStop)
      .execute();
  }
}

/**
 * Moves the clocks of the interaction's live units past the pause [stoppedAt, at]; the clock
 * runs again. A unit's due time moves with its entry time (deadline.ts computes both alike).
 * Two statements whatever the number of units, one for those that waited before the pause and
 * one for those that arrived during it, in the resume's transaction.
 */
async function restartClock(
  trx: Trx,
  dialect: SqlDialect,
  interaction: RuntimeInteraction,
  stoppedAt: Date,
  at: Date,
): Promise<void> {
  const pauseMs = Math.max(0, at.getTime() - stoppedAt.getTime());
  const deadline = deadlineOf(interaction);
  /**
   * Gives the live units on one side of the pause's start a new entry time. Availability is
   * the later of the new entry and a retry's not-before; the due time (of the units that have
   * one) is the new entry plus the deadline. Every value is computed from the row as it was:
   * MySQL assigns SET items left to right, each seeing the ones before, so the entry time,
   * which the others read, is assigned last.
   */
  const moveEntries = (entered: "before" | "during", entry: Expression<Date>, due: Expression<Date> | null) =>
    trx
      .updateTable("units_of_work")
      .set((eb) => ({
        available_at: eb.case().when("available_at", ">", entry).then(eb.ref("available_at")).else(entry).end(),
        ...(due === null
          ? {}
          : { due_at: eb.case().when("due_at", "is", null).then(eb.ref("due_at")).else(due).end() }),
        updated_at: at,
        entered_interaction_at: entry,
      }))
      .where("current_interaction_id", "=", interaction.id)
      .where("status", "in", ["PENDING", "ACTIVE"])
      .where("entered_interaction_at", entered === "before" ? "<" : ">=", stoppedAt)
      .execute();
  // Arrived during the pause: they have waited nothing yet. First, since the others, once
  // moved, may have entered after the pause began.
  const dueNow = dueAt(interaction, at);
  await moveEntries("during", sql<Date>`${at}`, dueNow === null ? null : sql<Date>`${dueNow}`);
  // Waiting before the pause: moved by the whole pause, so their order in line stays.
  await moveEntries(
    "before",
    dialect.shiftedTimestamp("entered_interaction_at", pauseMs),
    deadline === null ? null : dialect.shiftedTimestamp("entered_interaction_at", pauseMs + deadline.seconds * 1000),
  );
  await trx
    .updateTable("local_interactions")
    .set({ clock_stopped_at: null })
    .where("interaction_id", "=", interaction.id)
    .execute();
}
