/**
 * A table of units with chosen attribute columns, age, attempt and holder; each row opens the
 * unit's page. Used by the inbox (per role) and, for operators, the unit lists.
 */
import { Link } from "react-router";
import type { UnitRow } from "../api/queries.js";
import { age, value } from "../format.js";

export interface UnitTableProps {
  rows: UnitRow[];
  columns: string[];
  /** The page of a unit. */
  href(row: UnitRow): string;
  caption: string;
  /** The holder to call "you". */
  me?: string;
  empty: string;
}

export function UnitTable({ rows, columns, href, caption, me, empty }: UnitTableProps) {
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <table className="units">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Unit</th>
          {columns.map((c) => (
            <th scope="col" key={c}>
              {c}
            </th>
          ))}
          <th scope="col">Age</th>
          <th scope="col">Attempt</th>
          <th scope="col">Held by</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.uowId} className={row.heldBy !== null ? "held" : undefined}>
            <td>
              <Link to={href(row)} title={row.uowId}>
                {row.uowId.slice(-8)}
              </Link>
            </td>
            {columns.map((c) => (
              <td key={c} className={typeof row.attributes?.[c] === "number" ? "number" : undefined}>
                {value(row.attributes?.[c])}
              </td>
            ))}
            <td>{age(row.enteredInteractionAt)}</td>
            <td className="number">{row.attempt}</td>
            <td>{row.heldBy === null ? "" : row.heldBy === me ? "you" : row.heldBy}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
