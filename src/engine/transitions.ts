/**
 * The one table of allowed status moves (ENGINE.md section 5). Every operation asks it
 * before it writes; anything not listed is refused with a ConflictError that names the
 * unit, its status and the attempted move.
 */
import { ConflictError } from "../errors.js";
import type { UOWStatus } from "../schema/enums.js";

export type Move =
  | "create" // genesis, a child, a SIGMA copy: placed where its first route leads
  | "checkout"
  | "reject" // an INBOUND guardian refused it at checkout
  | "stale" // the sweep found it waiting too long
  | "route" // a submit or a nested return moved it along a component
  | "fail" // reported failure, or no eligible route
  | "reclaim" // the sweep took back an expired lease
  | "finalize" // OMEGA finalized its set
  | "cancel"
  | "reassign" // an operator handed a held unit to another actor of its role
  | "admin-retry" // an operator sent a failed unit back along an OUTBOUND component of EPSILON
  | "retry" // a retryable failure: back to wait in its interaction, not before its backoff ends
  | "deadline"; // the sweep found it past its role's due time, waiting or held

type From = UOWStatus | null;

interface Row {
  from: From;
  to: UOWStatus;
  move: Move;
  when: string;
}

export const TRANSITIONS: readonly Row[] = [
  {
    from: null,
    to: "PENDING",
    move: "create",
    when: "genesis, a child, or a SIGMA copy placed in an ordinary interaction",
  },
  // A new unit follows its first route like any other: these arrivals are the same as a submit's.
  { from: null, to: "COMPLETED", move: "create", when: "a child routed straight into a Cerberus interaction" },
  { from: null, to: "FAILED", move: "create", when: "a new unit with no eligible route (the Ate path)" },
  { from: null, to: "TIMEOUT", move: "create", when: "a new unit routed into the INBOUND interaction of TAU" },
  { from: null, to: "ACTIVE", move: "create", when: "a new unit routed into a SIGMA gateway, held by SYSTEM" },
  {
    from: "PENDING",
    to: "ACTIVE",
    move: "checkout",
    when: "checkout by a processing role after its INBOUND guardians passed",
  },
  { from: "FAILED", to: "ACTIVE", move: "checkout", when: "checkout by EPSILON" },
  { from: "TIMEOUT", to: "ACTIVE", move: "checkout", when: "checkout by TAU" },
  {
    from: "COMPLETED",
    to: "ACTIVE",
    move: "checkout",
    when: "checkout by OMEGA of a base unit whose set Cerberus released",
  },
  { from: "PENDING", to: "FAILED", move: "reject", when: "an INBOUND guardian rejected it at checkout" },
  { from: "PENDING", to: "TIMEOUT", move: "stale", when: "it waited longer than stale_token_limit_seconds" },
  {
    from: "PENDING",
    to: "TIMEOUT",
    move: "deadline",
    when: "the sweep found it waiting past the due time of a role that takes from its interaction",
  },
  {
    from: "ACTIVE",
    to: "TIMEOUT",
    move: "deadline",
    when: "the sweep found it held past the due time of a role that takes from its interaction: the lease ends",
  },
  {
    from: "ACTIVE",
    to: "PENDING",
    move: "retry",
    when: "a retryable failure with attempts left: back where it was checked out from, not before its backoff ends",
  },
  { from: "ACTIVE", to: "PENDING", move: "route", when: "submit routed it to an ordinary interaction" },
  { from: "ACTIVE", to: "FAILED", move: "route", when: "submit routed it into the INBOUND interaction of EPSILON" },
  { from: "ACTIVE", to: "TIMEOUT", move: "route", when: "submit routed it into the INBOUND interaction of TAU" },
  { from: "ACTIVE", to: "ACTIVE", move: "route", when: "submit routed it into a SIGMA gateway: held by SYSTEM" },
  { from: "ACTIVE", to: "COMPLETED", move: "route", when: "submit routed it into an interaction guarded by CERBERUS" },
  { from: "ACTIVE", to: "FAILED", move: "fail", when: "the actor reported failure, or no eligible route" },
  { from: "ACTIVE", to: "FAILED", move: "reclaim", when: "the lease expired on the last allowed attempt" },
  { from: "ACTIVE", to: "PENDING", move: "reclaim", when: "the lease expired: back where it was checked out from" },
  { from: "ACTIVE", to: "FAILED", move: "reclaim", when: "the lease expired: back where it was checked out from" },
  { from: "ACTIVE", to: "TIMEOUT", move: "reclaim", when: "the lease expired: back where it was checked out from" },
  { from: "ACTIVE", to: "COMPLETED", move: "reclaim", when: "the lease expired: back where it was checked out from" },
  {
    from: "ACTIVE",
    to: "ACTIVE",
    move: "reassign",
    when: "an operator handed a held unit to another actor of its role: a new lease, the old one refused",
  },
  {
    from: "FAILED",
    to: "PENDING",
    move: "admin-retry",
    when: "an operator sent a failed unit into an interaction EPSILON has an OUTBOUND component to",
  },
  { from: "ACTIVE", to: "FINALIZED", move: "finalize", when: "OMEGA submitted the base unit" },
  { from: "COMPLETED", to: "FINALIZED", move: "finalize", when: "a child of the set OMEGA finalized" },
  ...(["PENDING", "ACTIVE", "COMPLETED", "FAILED", "TIMEOUT"] as const).map((from): Row => ({
    from,
    to: "FINALIZED",
    move: "cancel",
    when: "work.cancel: giving up, outcome recorded",
  })),
];

const allowed = new Set(TRANSITIONS.map((t) => `${t.from}>${t.to}>${t.move}`));

export function isAllowed(from: From, to: UOWStatus, move: Move): boolean {
  return allowed.has(`${from}>${to}>${move}`);
}

/** Throws unless the table allows `move` from `from` to `to` for this unit. */
export function assertTransition(uowId: string, from: From, to: UOWStatus, move: Move): void {
  if (!isAllowed(from, to, move)) {
    throw new ConflictError(`unit ${uowId} is ${from ?? "new"}: the move '${move}' to ${to} is not allowed`);
  }
}
