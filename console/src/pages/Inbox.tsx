/**
 * A person's inbox: first the tasks they hold, then, per role, the units waiting for it (and
 * those someone else took), with the attribute columns that matter, a condition filter and a
 * sort. Columns are chosen per role (kept in this browser); by default the units' first plain
 * attributes.
 */
import { useState } from "react";
import { Link } from "react-router";
import { useHeld, useWorkList, type UnitRow } from "../api/queries.js";
import { UnitTable } from "../components/UnitTable.js";
import { age, allKeys, defaultColumns, value } from "../format.js";
import { useActor } from "../session.js";

/** Roles whose units a person takes from an inbox (ALPHA starts work, it takes none). */
const TAKES_WORK = new Set(["BETA", "HUMAN", "AI_AGENT", "AUTO", "EPSILON", "TAU", "OMEGA"]);

export function Inbox() {
  const actor = useActor();
  const held = useHeld(actor.instanceId);
  const roles = actor.roles.filter((r) => TAKES_WORK.has(r.type));
  return (
    <section>
      <h1>Inbox</h1>
      <h2>My tasks</h2>
      {held.isPending ? (
        <p>Loading…</p>
      ) : held.error ? (
        <p className="error">{held.error.message}</p>
      ) : held.data.length === 0 ? (
        <p className="empty">You hold no task. Claim one below.</p>
      ) : (
        <ul className="held-list">
          {held.data.map((u) => (
            <li key={u.uowId}>
              <Link to={`/work/${u.uowId}?role=${encodeURIComponent(u.role)}`}>
                {u.role}:{" "}
                {Object.entries(u.attributes)
                  .slice(0, 3)
                  .map(([k, v]) => `${k} ${value(v)}`)
                  .join(", ") || u.uowId}
              </Link>{" "}
              <span className="muted">lease until {new Date(u.leaseExpiresAt).toLocaleTimeString()}</span>
            </li>
          ))}
        </ul>
      )}
      {roles.length === 0 && <p className="empty">None of your roles takes work from an inbox.</p>}
      {roles.map((r) => (
        <RoleInbox key={r.name} instance={actor.instanceId} role={r.name} me={actor.actorName} />
      ))}
    </section>
  );
}

const PAGE = 50;

/** The columns chosen for a role's inbox in this browser, or null for the default. */
function useColumns(instance: string, role: string): [string[] | null, (columns: string[] | null) => void] {
  const key = `chameleon.columns.${instance}.${role}`;
  const [columns, setColumns] = useState<string[] | null>(() => {
    const kept = localStorage.getItem(key);
    return kept === null ? null : (JSON.parse(kept) as string[]);
  });
  return [
    columns,
    (next) => {
      if (next === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(next));
      setColumns(next);
    },
  ];
}

function RoleInbox({ instance, role, me }: { instance: string; role: string; me: string }) {
  const [where, setWhere] = useState("");
  const [applied, setApplied] = useState("");
  const [order, setOrder] = useState<"asc" | "desc">("asc");
  const list = useWorkList(instance, {
    role,
    includeHeld: "true",
    attributes: "*",
    limit: String(PAGE),
    sort: "enteredInteractionAt",
    order,
    ...(applied === "" ? {} : { where: applied }),
  });
  const rows: UnitRow[] = list.data?.rows ?? [];
  const waiting = rows.filter((u) => u.heldBy === null).length;
  const [chosen, choose] = useColumns(instance, role);
  const columns = chosen ?? defaultColumns(rows, 6);
  const id = `role-${role.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <section className="role-inbox" aria-labelledby={id}>
      <h2 id={id}>
        {role}{" "}
        <span className="count">
          {waiting}
          {list.data?.hasMore ? "+" : ""} waiting
        </span>
      </h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(where.trim());
        }}
      >
        <label htmlFor={`${id}-where`}>Filter</label>
        <input
          id={`${id}-where`}
          value={where}
          placeholder="amount > 5000 and vendor == 'ACME'"
          onChange={(e) => setWhere(e.target.value)}
        />
        <button type="submit">Apply</button>
        <label htmlFor={`${id}-order`}>Sort</label>
        <select id={`${id}-order`} value={order} onChange={(e) => setOrder(e.target.value as "asc" | "desc")}>
          <option value="asc">oldest first</option>
          <option value="desc">newest first</option>
        </select>
      </form>
      <details className="columns">
        <summary>Columns</summary>
        <fieldset>
          <legend className="visually-hidden">Columns of {role}</legend>
          {allKeys(rows).map((key) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                checked={columns.includes(key)}
                onChange={(e) => choose(e.target.checked ? [...columns, key] : columns.filter((c) => c !== key))}
              />
              {key}
            </label>
          ))}
          <button type="button" className="quiet" onClick={() => choose(null)}>
            Default columns
          </button>
        </fieldset>
      </details>
      {list.error ? (
        <p className="error" role="alert">
          {list.error.message}
        </p>
      ) : list.isPending ? (
        <p>Loading…</p>
      ) : (
        <UnitTable
          rows={rows}
          columns={columns}
          me={me}
          caption={`Units for ${role}`}
          empty={applied === "" ? "Nothing waits for this role." : "No unit matches the filter."}
          href={(u) => `/work/${u.uowId}?role=${encodeURIComponent(role)}`}
        />
      )}
      {rows.length > 0 && (
        <p className="muted">
          Oldest waiting:{" "}
          {age(rows.reduce((a, b) => (a.enteredInteractionAt < b.enteredInteractionAt ? a : b)).enteredInteractionAt)}
        </p>
      )}
    </section>
  );
}
