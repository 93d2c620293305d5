/** A unit's audit trail: who did what, when, as which role, and why. */
import type { HistoryEntry } from "../api/queries.js";
import { time } from "../format.js";
import { Table, type Column } from "./Table.js";

const COLUMNS: Column<HistoryEntry>[] = [
  { label: "Time", cell: (e) => time(e.timestamp) },
  { label: "Event", cell: (e) => e.event },
  {
    label: "Actor",
    cell: (e) => (
      <>
        {e.actorName} <span className="muted">{e.actorType}</span>
      </>
    ),
  },
  { label: "Role", cell: (e) => e.role ?? "" },
  { label: "Interaction", cell: (e) => e.interaction ?? "" },
  { label: "Reasoning", cell: (e) => e.reasoning ?? "" },
];

const DETAILS: Column<HistoryEntry> = {
  label: "Details",
  cell: (e) => (e.details === null ? "" : JSON.stringify(e.details)),
  className: "details",
};

/** `details`: also each entry's details (an operator's full timeline: who moved it and why). */
export function History({ entries, details = false }: { entries: HistoryEntry[]; details?: boolean }) {
  return (
    <Table
      caption="History"
      className="history"
      columns={details ? [...COLUMNS, DETAILS] : COLUMNS}
      rows={entries}
      rowKey={(e) => String(e.logId)}
    />
  );
}
