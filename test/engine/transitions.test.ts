import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import { UOWStatus } from "../../src/schema/enums.js";
import { assertTransition, isAllowed, TRANSITIONS, type Move } from "../../src/engine/transitions.js";

describe("the transition table", () => {
  it("allows exactly its rows", () => {
    const moves: Move[] = [
      "create",
      "checkout",
      "reject",
      "stale",
      "route",
      "fail",
      "reclaim",
      "finalize",
      "cancel",
      "reassign",
      "admin-retry",
      "retry",
      "deadline",
    ];
    const rows = new Set(TRANSITIONS.map((t) => `${t.from}>${t.to}>${t.move}`));
    for (const from of [null, ...UOWStatus]) {
      for (const to of UOWStatus) {
        for (const move of moves)
          expect(isAllowed(from, to, move), `${from} ${to} ${move}`).toBe(rows.has(`${from}>${to}>${move}`));
      }
    }
  });

  it("never leaves FINALIZED and never creates a FINALIZED unit", () => {
    expect(TRANSITIONS.filter((t) => t.from === "FINALIZED")).toEqual([]);
    expect(TRANSITIONS.filter((t) => t.from === null && t.to === "FINALIZED")).toEqual([]);
  });

  it("only checkout makes a waiting unit ACTIVE, and only OMEGA's finalize or a cancel makes it FINALIZED", () => {
    for (const t of TRANSITIONS) {
      if (t.to === "ACTIVE" && t.from !== null && t.from !== "ACTIVE") expect(t.move).toBe("checkout");
      if (t.to === "FINALIZED") expect(["finalize", "cancel"]).toContain(t.move);
    }
  });

  it("lets an operator reassign only a held unit, which stays ACTIVE", () => {
    expect(TRANSITIONS.filter((t) => t.move === "reassign").map((t) => [t.from, t.to])).toEqual([["ACTIVE", "ACTIVE"]]);
    expect(() => assertTransition("u-4", "PENDING", "ACTIVE", "reassign")).toThrow(ConflictError);
  });

  it("lets an operator retry only a FAILED unit, into a queue (PENDING)", () => {
    expect(TRANSITIONS.filter((t) => t.move === "admin-retry").map((t) => [t.from, t.to])).toEqual([
      ["FAILED", "PENDING"],
    ]);
    expect(() => assertTransition("u-5", "TIMEOUT", "PENDING", "admin-retry")).toThrow(ConflictError);
  });

  it("retries only a held unit into a queue, and times out by deadline only a waiting or held one", () => {
    expect(TRANSITIONS.filter((t) => t.move === "retry").map((t) => [t.from, t.to])).toEqual([["ACTIVE", "PENDING"]]);
    expect(
      TRANSITIONS.filter((t) => t.move === "deadline")
        .map((t) => [t.from, t.to])
        .sort(),
    ).toEqual([
      ["ACTIVE", "TIMEOUT"],
      ["PENDING", "TIMEOUT"],
    ]);
    expect(() => assertTransition("u-5", "FAILED", "PENDING", "retry")).toThrow(ConflictError);
    expect(() => assertTransition("u-6", "COMPLETED", "TIMEOUT", "deadline")).toThrow(ConflictError);
  });

  it("refuses a move it does not list, naming the unit, its status and the move", () => {
    expect(() => assertTransition("u-1", "FINALIZED", "PENDING", "route")).toThrow(ConflictError);
    expect(() => assertTransition("u-1", "FINALIZED", "PENDING", "route")).toThrow(
      "unit u-1 is FINALIZED: the move 'route' to PENDING is not allowed",
    );
    expect(() => assertTransition("u-2", "PENDING", "COMPLETED", "checkout")).toThrow(
      /unit u-2 is PENDING: the move 'checkout'/,
    );
    expect(() => assertTransition("u-3", "COMPLETED", "PENDING", "reclaim")).toThrow(ConflictError);
  });
});
