/** A unit's audit trail: who did what, when, as which role, and why. */
import type { HistoryEntry } from "../api/queries.js";
import { time } from "../format.js";

/** `details`: also each entry's details (an operator's full timeline: who moved it and why). */
export function History({ entries, details = false }: { entries: HistoryEntry[]; details?: boolean }) {
  return (
    <table className="history">
      <caption className="visually-hidden">History</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Event</th>
          <th scope="col">Actor</th>
          <th scope="col">Role</th>
          <th scope="col">Interaction</th>
          <th scope="col">Reasoning</th>
          {details && <th scope="col">Details</th>}
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.logId}>
            <td>{time(e.timestamp)}</td>
            <td>{e.event}</td>
            <td>
              {e.actorName} <span className="muted">{e.actorType}</span>
            </td>
            <td>{e.role ?? ""}</td>
            <td>{e.interaction ?? ""}</td>
            <td>{e.reasoning ?? ""}</td>
            {details && <td className="details">{e.details === null ? "" : JSON.stringify(e.details)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
