/**
 * A table of units with chosen attribute columns, age, attempt and holder; each row opens the
 * unit's page. Used by the inbox (per role) and the operators' unit list (with the unit's
 * place, its priority and due time, and a selection box). An overdue row is marked.
 */
import { Link } from "react-router";
import type { UnitRow } from "../api/queries.js";
import { age, due, value } from "../format.js";
import { Table, type Column } from "./Table.js";

export interface UnitTableProps {
  rows: UnitRow[];
  columns: string[];
  /** The page of a unit. */
  href(row: UnitRow): string;
  caption: string;
  /** The holder to call "you". */
  me?: string;
  empty: string;
  /** Status, interaction, priority and due columns (a list over several interactions). */
  showPlace?: boolean;
  /** A selection box per row. */
  selection?: { selected: ReadonlySet<string>; toggle(uowId: string): void };
}

export function UnitTable({ rows, columns, href, caption, me, empty, showPlace, selection }: UnitTableProps) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  const all: Column<UnitRow>[] = [
    ...(selection === undefined
      ? []
      : [
          {
            label: "Select",
            hideLabel: true,
            cell: (u: UnitRow) => (
              <input
                type="checkbox"
                aria-label={`Select ${u.uowId}`}
                checked={selection.selected.has(u.uowId)}
                onChange={() => selection.toggle(u.uowId)}
              />
            ),
          },
        ]),
    {
      label: "Unit",
      cell: (u) => (
        <Link to={href(u)} title={u.uowId}>
          {u.uowId.slice(-8)}
        </Link>
      ),
    },
    ...(showPlace
      ? [
          { label: "Status", cell: (u: UnitRow) => u.status },
          { label: "Where", cell: (u: UnitRow) => u.interaction },
        ]
      : []),
    ...columns.map((c): Column<UnitRow> => ({
      label: c,
      cell: (u) => value(u.attributes?.[c]),
      numeric: (u) => typeof u.attributes?.[c] === "number",
    })),
    { label: "Age", cell: (u) => age(u.enteredInteractionAt) },
    { label: "Attempt", cell: (u) => u.attempt, numeric: true },
    { label: "Held by", cell: (u) => (u.heldBy === null ? "" : u.heldBy === me ? "you" : u.heldBy) },
    ...(showPlace
      ? [
          { label: "Priority", cell: (u: UnitRow) => u.priority, numeric: true },
          { label: "Due", cell: (u: UnitRow) => due(u) },
        ]
      : []),
  ];
  return (
    <Table
      caption={caption}
      columns={all}
      rows={rows}
      rowKey={(u) => u.uowId}
      rowClass={(u) => (u.overdue ? "overdue" : u.heldBy !== null && selection === undefined ? "held" : undefined)}
    />
  );
}
