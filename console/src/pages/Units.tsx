/**
 * An instance's units for an operator: filtered (status, role, interaction, holder, a condition
 * over the attributes), a page at a time, with bulk Cancel of a selection (after a
 * confirmation that names the count). A viewer sees the same list without the moves.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client.js";
import { useWorkList, type WorkListQuery } from "../api/queries.js";
import { UnitTable } from "../components/UnitTable.js";
import { defaultColumns } from "../format.js";
import { useSession } from "../session.js";

const STATUSES = ["PENDING", "ACTIVE", "COMPLETED", "FAILED", "TIMEOUT", "FINALIZED"] as const;
const PAGE = 50;
const FILTERS = ["status", "role", "interaction", "heldBy", "where"] as const;
type Filter = (typeof FILTERS)[number];

export function Units() {
  const id = useParams().id!;
  const { session } = useSession();
  const mayMove = session?.kind === "admin";
  const [search, setSearch] = useSearchParams();
  const filters = Object.fromEntries(
    FILTERS.map((f) => [f, search.get(f) ?? ""]).filter(([, v]) => v !== ""),
  ) as Partial<Record<Filter, string>>;
  const [draft, setDraft] = useState<Partial<Record<Filter, string>>>(filters);
  const [pages, setPages] = useState<string[]>([]); // the `after` of each page shown before this one
  const after = pages.at(-1);
  const query: WorkListQuery = {
    ...(filters as WorkListQuery),
    attributes: "*",
    limit: String(PAGE),
    ...(after === undefined ? {} : { after }),
  };
  const list = useWorkList(id, query);
  const rows = list.data?.rows ?? [];
  const columns = defaultColumns(rows, 4);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const queries = useQueryClient();

  const cancel = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/instances/{id}/bulk/cancel", {
          params: { path: { id } },
          body: { uowIds: [...selected], reason },
        }),
      ),
    onSuccess: (results) => {
      const failed = results.filter((r) => !r.ok);
      setOutcome(
        `Cancelled ${results.length - failed.length} of ${results.length}.` +
          (failed.length === 0
            ? ""
            : ` Not cancelled: ${failed.map((f) => `${f.uowId.slice(-8)} (${f.error?.message})`).join("; ")}`),
      );
      setSelected(new Set());
      setConfirming(false);
      setReason("");
      void queries.invalidateQueries({ queryKey: ["work", id] });
    },
    onError: (error) => setOutcome(error.message),
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (draft[f]?.trim()) next.set(f, draft[f]!.trim());
    setPages([]);
    setSelected(new Set());
    setSearch(next);
  }
  const toggle = (uow: string) => {
    const next = new Set(selected);
    if (next.has(uow)) next.delete(uow);
    else next.add(uow);
    setSelected(next);
  };
  const field = (f: Filter, label: string, placeholder = "") => (
    <div className="field">
      <label htmlFor={`filter-${f}`}>{label}</label>
      <input
        id={`filter-${f}`}
        value={draft[f] ?? ""}
        placeholder={placeholder}
        onChange={(e) => setDraft({ ...draft, [f]: e.target.value })}
      />
    </div>
  );

  return (
    <section>
      <h2>Units</h2>
      <form className="filters wide" onSubmit={apply}>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={draft.status ?? ""}
            onChange={(e) => setDraft({ ...draft, status: e.target.value })}
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        {field("role", "Waiting for role")}
        {field("interaction", "Interaction")}
        {field("heldBy", "Held by")}
        {field("where", "Condition", "amount > 5000 and vendor == 'ACME'")}
        <button type="submit">Filter</button>
      </form>
      {outcome !== null && (
        <p className="done" role="status">
          {outcome}
        </p>
      )}
      {mayMove && (
        <div className="moves">
          <button
            type="button"
            className="secondary"
            disabled={selected.size === 0}
            onClick={() => setConfirming(true)}
          >
            Cancel selected ({selected.size})
          </button>
        </div>
      )}
      {confirming && (
        <form
          className="confirm"
          role="dialog"
          aria-labelledby="confirm-title"
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutate();
          }}
        >
          <p id="confirm-title">
            Cancel {selected.size} unit{selected.size === 1 ? "" : "s"}? Each is finalized as cancelled, and this cannot
            be undone.
          </p>
          <label htmlFor="cancel-reason">Reason</label>
          <input id="cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
          <div className="moves">
            <button type="submit" disabled={reason.trim() === "" || cancel.isPending}>
              Cancel {selected.size} unit{selected.size === 1 ? "" : "s"}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep them
            </button>
          </div>
        </form>
      )}
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
          caption={`Units of ${id}`}
          empty="No unit matches."
          showPlace
          href={(u) => `/instances/${encodeURIComponent(id)}/work/${u.uowId}`}
          {...(mayMove ? { selection: { selected, toggle } } : {})}
        />
      )}
      <div className="moves">
        <button
          type="button"
          className="secondary"
          disabled={pages.length === 0}
          onClick={() => setPages(pages.slice(0, -1))}
        >
          Previous page
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!list.data?.hasMore}
          onClick={() => setPages([...pages, list.data!.nextAfter!])}
        >
          Next page
        </button>
      </div>
    </section>
  );
}
