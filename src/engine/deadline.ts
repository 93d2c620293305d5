/**
 * Deadlines (docs/engine.md, "Deadlines"): a role's `due_seconds` counts from the moment a unit
 * enters an interaction the role takes from; where several roles take from one interaction,
 * the earliest deadline counts. Every due time the engine writes is computed here, so that
 * anything that moves a deadline (a pause that stops its clock) has one place to change.
 */
import { dueSecondsOf } from "../blueprint/role-settings.js";
import type { RuntimeInteraction, RuntimeRole } from "./graph.js";

/** The consuming role whose deadline counts in this interaction and its seconds, or null when none declares one. */
export function deadlineOf(interaction: RuntimeInteraction): { role: RuntimeRole; seconds: number } | null {
  if (interaction.kind !== "queue") return null;
  let best: { role: RuntimeRole; seconds: number } | null = null;
  for (const c of interaction.consumers) {
    const seconds = dueSecondsOf(c.role.config);
    if (seconds !== null && (best === null || seconds < best.seconds)) best = { role: c.role, seconds };
  }
  return best;
}

/** The due time of a unit that enters `interaction` at `enteredAt`, or null without a deadline. */
export function dueAt(interaction: RuntimeInteraction, enteredAt: Date): Date | null {
  const deadline = deadlineOf(interaction);
  return deadline === null ? null : new Date(enteredAt.getTime() + deadline.seconds * 1000);
}
