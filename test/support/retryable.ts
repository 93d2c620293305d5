/** A workflow whose EPSILON may send units back to work (an admin retry's target), and its actors. */
import type { Chameleon } from "../../src/chameleon.js";

/** Minimal, with EPSILON routing a fixed unit back to Todo (a queue) and the rest to Done (Cerberus). */
export const RETRYABLE = `
workflow: { name: Retryable }
roles:
  - { name: Start, type: ALPHA }
  - { name: Work, type: BETA, strategy: HOMOGENEOUS }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: Todo }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Out, role: Start, interaction: Todo, direction: OUTBOUND }
  - { name: Work_In, role: Work, interaction: Todo, direction: INBOUND }
  - { name: Work_Out, role: Work, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Back, role: Repair, interaction: Todo, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: "fixed == true" } } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

export const RETRY_ACTORS = [
  { name: "Ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Repair"] },
  { name: "Bob", type: "HUMAN", identityKey: "bob@example.com", roles: ["Work"] },
];

/** A unit of `inst` sent down the Ate path by a failure of its Work step: FAILED in Errors. */
export async function failedUnit(ch: Chameleon, inst: string, attributes: Record<string, unknown>): Promise<string> {
  const { uowId } = await ch.work.start(inst, { attributes });
  const held = await ch.work.checkout(inst, { role: "Work", actorId: "Ann", uowId });
  await ch.work.fail(inst, { uowId, leaseToken: held!.leaseToken, actorId: "Ann", error: "the mail server was down" });
  return uowId;
}
