/**
 * An instance's units for an operator: filtered (status, role, interaction, holder, a condition
 * over the attributes), a page at a time, with bulk Cancel, Release and Retry of the units
 * ticked, or of every unit the filters choose when none is ticked: a dry run counts what the
 * move would take, and the confirmation names that count (and, for Retry, the interaction the
 * units go to, one of those EPSILON routes to). A viewer sees the same list without the moves.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client.js";
import { useInstance, useWorkList, type WorkListQuery } from "../api/queries.js";
import type { paths } from "../api/schema.js";
import { UnitTable } from "../components/UnitTable.js";
import { defaultColumns } from "../format.js";
import { useSession } from "../session.js";

const STATUSES = ["PENDING", "ACTIVE", "COMPLETED", "FAILED", "TIMEOUT", "FINALIZED"] as const;
/** Units one move takes at most (the server's ceiling per call). */
const MAX = 1000;
type BulkBody = NonNullable<paths["/instances/{id}/bulk"]["post"]["requestBody"]>["content"]["application/json"];
type BulkFilter = BulkBody["filter"];
type Move = BulkBody["move"];
const MOVES: Record<Move, { verb: string; past: string; done: string }> = {
  cancel: { verb: "Cancel", past: "cancelled", done: "Cancelled" },
  release: { verb: "Release", past: "released", done: "Released" },
  retry: { verb: "Retry", past: "retried", done: "Retried" },
};
const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

function confirmText(move: Move, count: number, target: string): string {
  if (count === 0) return `No unit of this selection can be ${MOVES[move].past} now.`;
  switch (move) {
    case "cancel":
      return `Cancel ${units(count)}? Each is finalized as cancelled, and this cannot be undone.`;
    case "release":
      return `Release ${units(count)}? Each goes back where it was checked out from; its holder's lease is refused.`;
    case "retry":
      return `Retry ${units(count)}? Each failed unit is sent to ${target} and worked again from its first attempt.`;
  }
}
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
  const [confirming, setConfirming] = useState<Move | null>(null);
  const [reason, setReason] = useState("");
  const [target, setTarget] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const queries = useQueryClient();
  const instance = useInstance(id);
  const targets = [...new Set((instance.data?.workflows ?? []).flatMap((w) => w.retryTargets))];
  // The units a move takes: the ones ticked, else every unit the filters choose (at least one filter).
  const selection: BulkFilter | null =
    selected.size > 0 ? { uowIds: [...selected] } : Object.keys(filters).length > 0 ? (filters as BulkFilter) : null;
  const bulk = (move: Move, dryRun: boolean) => ({
    move,
    filter: selection!,
    max: MAX,
    ...(move === "retry" ? { to: target } : {}),
    ...(dryRun ? { dryRun: true } : { reason }),
  });
  const post = async (body: BulkBody) =>
    unwrap(await api.POST("/instances/{id}/bulk", { params: { path: { id } }, body }));
  // What the move would take now: its count is what the confirmation asks about.
  const dryRun = useQuery({
    // Not under ["work", id]: the live page marks those stale at every event, and the count
    // must not change under the reader's eyes (the move reports what changed meanwhile).
    queryKey: ["bulk-dry-run", id, confirming, target, selection],
    queryFn: () => post(bulk(confirming!, true)),
    enabled: confirming !== null && selection !== null && (confirming !== "retry" || target !== ""),
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });

  const run = useMutation({
    mutationFn: () => post(bulk(confirming!, false)),
    onSuccess: (report) => {
      const skipped = report.results.filter((r) => r.outcome === "skipped");
      const refused = report.results.filter((r) => r.outcome === "refused");
      setOutcome(
        `${MOVES[report.move].done} ${report.moved} of ${report.count}.` +
          (skipped.length === 0 ? "" : ` Skipped ${skipped.length} that changed meanwhile.`) +
          (refused.length === 0
            ? ""
            : ` Not moved: ${refused.map((f) => `${f.uowId.slice(-8)} (${f.error?.message})`).join("; ")}`) +
          (report.more ? " More units match: run it again." : ""),
      );
      setSelected(new Set());
      setConfirming(null);
      setReason("");
      void queries.invalidateQueries({ queryKey: ["work", id] });
    },
    onError: (error) => setOutcome(error.message),
  });
  const open = (move: Move) => {
    setOutcome(null);
    if (move === "retry" && !targets.includes(target)) setTarget(targets[0] ?? "");
    setConfirming(move);
  };
  const scope = selected.size > 0 ? `selected (${selected.size})` : "all matching";

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
          {(Object.keys(MOVES) as Move[]).map((move) => (
            <button
              key={move}
              type="button"
              className="secondary"
              disabled={selection === null || (move === "retry" && targets.length === 0)}
              title={move === "retry" && targets.length === 0 ? "No workflow here sends failed units back" : undefined}
              onClick={() => open(move)}
            >
              {MOVES[move].verb} {scope}
            </button>
          ))}
        </div>
      )}
      {confirming === "retry" && (
        <div className="field">
          <label htmlFor="retry-target">Send to</label>
          <select id="retry-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            {targets.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
      )}
      {confirming !== null && dryRun.isFetching && <p role="status">Counting the units…</p>}
      {confirming !== null && dryRun.error && (
        <p className="error" role="alert">
          {dryRun.error.message}
        </p>
      )}
      {confirming !== null && dryRun.data && !dryRun.isFetching && (
        <form
          className="confirm"
          role="dialog"
          aria-labelledby="confirm-title"
          onSubmit={(e) => {
            e.preventDefault();
            run.mutate();
          }}
        >
          <p id="confirm-title">
            {confirmText(confirming, dryRun.data.count, target)}
            {selected.size > dryRun.data.count &&
              ` (${selected.size - dryRun.data.count} of the ${selected.size} selected cannot be ${MOVES[confirming].past}.)`}
            {dryRun.data.more && ` More than ${MAX} match: this takes the first ${MAX}.`}
          </p>
          <label htmlFor="move-reason">Reason</label>
          <input id="move-reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
          <div className="moves">
            <button type="submit" disabled={reason.trim() === "" || dryRun.data.count === 0 || run.isPending}>
              {MOVES[confirming].verb} {units(dryRun.data.count)}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
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
