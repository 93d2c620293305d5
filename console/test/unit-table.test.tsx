// @vitest-environment happy-dom
/** The unit tables: chosen columns, numbers right-aligned, the holder ("you" for oneself), the default columns. */
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import type { UnitRow } from "../src/api/queries.js";
import { UnitTable } from "../src/components/UnitTable.js";
import { allKeys, defaultColumns } from "../src/format.js";

afterEach(cleanup);

const row = (id: string, attributes: Record<string, unknown>, heldBy: string | null): UnitRow => ({
  uowId: id,
  parentId: null,
  workflow: "W",
  status: heldBy === null ? "PENDING" : "ACTIVE",
  interaction: "Todo",
  childCount: 0,
  finishedChildCount: 0,
  attempt: heldBy === null ? 0 : 1,
  heldBy,
  leaseExpiresAt: null,
  priority: 5,
  availableAt: new Date(Date.now() - 90_000).toISOString(),
  dueAt: null,
  overdue: false,
  enteredInteractionAt: new Date(Date.now() - 90_000).toISOString(),
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  attributes,
});

describe("UnitTable", () => {
  it("shows the chosen columns, the age, the attempt and the holder, each row linking to its unit", () => {
    const rows = [row("u-000000001", { amount: 9000, vendor: "ACME" }, null), row("u-000000002", { amount: 5 }, "ann")];
    render(
      <MemoryRouter>
        <UnitTable
          rows={rows}
          columns={["amount", "vendor"]}
          me="ann"
          caption="Units"
          empty="none"
          href={(u) => `/work/${u.uowId}`}
        />
      </MemoryRouter>,
    );
    const [head, first, second] = screen.getAllByRole("row");
    expect(
      within(head!)
        .getAllByRole("columnheader")
        .map((c) => c.textContent),
    ).toEqual(["Unit", "amount", "vendor", "Age", "Attempt", "Held by"]);
    expect(
      within(first!)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["00000001", "9000", "ACME", "1 min", "0", ""]);
    expect(
      within(second!)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["00000002", "5", "", "1 min", "1", "you"]);
    expect(within(first!).getByRole("link").getAttribute("href")).toBe("/work/u-000000001");
    expect(within(first!).getAllByRole("cell")[1]!.className).toBe("number");
  });

  it("in the operators' list: the place, the priority and the due time, an overdue row marked", () => {
    const late = {
      ...row("u-000000003", {}, null),
      priority: 8,
      dueAt: new Date(Date.now() - 300_000).toISOString(),
      overdue: true,
    };
    const soon = { ...row("u-000000004", {}, "ann"), dueAt: new Date(Date.now() + 7_200_000).toISOString() };
    render(
      <MemoryRouter>
        <UnitTable rows={[late, soon]} columns={[]} caption="Units" empty="none" showPlace href={() => "/"} />
      </MemoryRouter>,
    );
    const [head, first, second] = screen.getAllByRole("row");
    expect(
      within(head!)
        .getAllByRole("columnheader")
        .map((c) => c.textContent),
    ).toEqual(["Unit", "Status", "Where", "Age", "Attempt", "Held by", "Priority", "Due"]);
    expect(
      within(first!)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["00000003", "PENDING", "Todo", "1 min", "0", "", "8", "overdue 5 min"]);
    expect(first!.className).toBe("overdue");
    expect(within(second!).getAllByRole("cell").at(-1)!.textContent).toBe("in 2 h 0 min");
    expect(second!.className).not.toBe("overdue");
  });

  it("says so when there is nothing", () => {
    render(
      <MemoryRouter>
        <UnitTable rows={[]} columns={[]} caption="Units" empty="Nothing waits for this role." href={() => "/"} />
      </MemoryRouter>,
    );
    expect(screen.getByText("Nothing waits for this role.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });
});

describe("default columns", () => {
  it("are the plain keys, alphabetically, at most the count; the chooser offers every key", () => {
    const rows = [
      row("a", { vendor: "x", lines: [1], amount: 1, meta: { a: 1 } }, null),
      row("b", { zeta: true, note: null }, null),
    ];
    expect(defaultColumns(rows, 6)).toEqual(["amount", "vendor", "zeta"]);
    expect(defaultColumns(rows, 2)).toEqual(["amount", "vendor"]);
    expect(allKeys(rows)).toEqual(["amount", "lines", "meta", "note", "vendor", "zeta"]);
  });
});
