/**
 * The units this process checked out and still holds, as it claimed them, keyed by lease
 * token: a submit of such a unit from the same process can skip reading it again
 * (submit.ts, "a held unit"). Nothing here is trusted blindly: the submit's write is fenced by
 * the lease token and the row's `updated_at`, so a unit changed meanwhile by anyone (a reclaim,
 * a reassignment, a resume moving its clock, another process) is not written and the submit
 * takes the ordinary path, which reads the row and answers as always. Bounded: the least
 * recently claimed entries go first.
 */
import type { UnitRow } from "./step.js";

/**
 * Entries kept at most: a worker holds far fewer units at once (its loops times its batch). A
 * unit forgotten costs its submit one read, and each entry keeps a row with its attributes.
 */
const MAX_HELD = 2_000;

export interface HeldUnit {
  /** The row as this process last wrote it. */
  row: UnitRow;
  /** The role it was checked out for. */
  roleId: string;
}

export class HeldUnits {
  readonly #byLease = new Map<string, HeldUnit>();

  remember(row: UnitRow, roleId: string): void {
    if (row.lease_token === null) return;
    this.#byLease.set(row.lease_token, { row: { ...row }, roleId });
    if (this.#byLease.size > MAX_HELD) this.#byLease.delete(this.#byLease.keys().next().value!);
  }

  /** The unit held under this lease, forgotten as it is handed out (a submit consumes its lease either way). */
  take(leaseToken: string): HeldUnit | undefined {
    const held = this.#byLease.get(leaseToken);
    this.#byLease.delete(leaseToken);
    return held;
  }

  /** This process wrote the held row again (a heartbeat): the fence moves with it. */
  touch(leaseToken: string, updatedAt: Date, patch: Partial<UnitRow>): void {
    const held = this.#byLease.get(leaseToken);
    if (held) Object.assign(held.row, patch, { updated_at: updatedAt });
  }
}
