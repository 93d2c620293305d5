/**
 * An instance at a glance, for an operator: the blueprint graph with the units waiting, held
 * and failed on each interaction; the same per interaction in a table (an interaction opens
 * its units); throughput over the last hour; the recent failures with their reasons.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { api, unwrap } from "../api/client.js";
import { useGraph, useOverview } from "../api/overview.js";
import { PauseControls } from "../components/PauseControls.js";
import { useSession } from "../session.js";
import { Graph } from "../components/Graph.js";
import { Sparkline } from "../components/Sparkline.js";
import { Table } from "../components/Table.js";
import { duration, time } from "../format.js";

export function Overview() {
  const id = useParams().id!;
  const overview = useOverview(id);
  const graph = useGraph(id);
  const { session } = useSession();
  const queries = useQueryClient();
  const pause = useMutation({
    mutationFn: async (change: { role: string | null; pause: boolean; reason: string }) =>
      unwrap(
        await api.POST(change.pause ? "/instances/{id}/pause" : "/instances/{id}/resume", {
          params: { path: { id } },
          body: {
            ...(change.role === null ? {} : { role: change.role }),
            ...(change.reason === "" ? {} : { reason: change.reason }),
          },
        }),
      ),
    // Read past the server's two-second overview cache, so the change shows at once.
    onSettled: async () =>
      queries.setQueryData(
        ["overview", id],
        unwrap(
          await api.GET("/instances/{id}/overview", {
            params: { path: { id }, query: { maxAgeSeconds: "0", finalizedMaxAgeSeconds: "5" } },
          }),
        ),
      ),
  });
  const units = (query: Record<string, string>) =>
    `/instances/${encodeURIComponent(id)}/units?${new URLSearchParams(query)}`;
  if (overview.error) return <p className="error">{overview.error.message}</p>;
  if (overview.isPending) return <p>Loading…</p>;
  const o = overview.data;
  const heldCount = (h: { count: number }[]) => h.reduce((n, x) => n + x.count, 0);
  return (
    <section className="overview">
      <PauseControls
        instancePaused={o.instance.paused}
        roles={o.roles}
        canChange={session?.kind === "admin"}
        busy={pause.isPending}
        onChange={(change) => pause.mutate(change)}
      />
      {pause.error && <p className="error">{pause.error.message}</p>}
      <div className="totals">
        {(["PENDING", "ACTIVE", "COMPLETED", "FAILED", "TIMEOUT", "FINALIZED"] as const).map((s) => (
          <Link key={s} to={units({ status: s })} className="total">
            <span className="n" data-status={s}>
              {o.totals.byStatus[s]}
            </span>
            <span className="label">{s}</span>
          </Link>
        ))}
        <div className="total">
          <Sparkline values={o.totals.finalizedPerMinute} label="Finalized per minute" />
          <span className="label">{o.totals.finalizedLastHour} finalized in the last hour</span>
        </div>
      </div>
      <div className="overview-grid">
        <div>
          <h2>Interactions</h2>
          <Table
            caption="Units per interaction"
            rows={o.interactions}
            rowKey={(i) => `${i.workflow}/${i.name}`}
            rowData={(i) => ({ "data-interaction": i.name })}
            columns={[
              {
                label: "Interaction",
                cell: (i) => (
                  <>
                    <Link to={units({ interaction: i.name })}>{i.name}</Link> <span className="muted">{i.kind}</span>
                  </>
                ),
              },
              { label: "Workflow", cell: (i) => i.workflow },
              { label: "Waiting", cell: (i) => i.waiting, numeric: true, data: { "data-count": "waiting" } },
              {
                label: "Oldest",
                cell: (i) => (i.oldestWaitingSeconds === null ? "" : duration(i.oldestWaitingSeconds)),
              },
              {
                label: "Held",
                cell: (i) => (
                  <span title={i.held.map((h) => `${h.actorName} ${h.count}`).join(", ")}>{heldCount(i.held)}</span>
                ),
                numeric: true,
                data: { "data-count": "held" },
              },
              {
                label: "Failed (1 h)",
                cell: (i) => i.failuresLastHour,
                numeric: true,
                data: { "data-count": "failed" },
              },
              {
                label: "Finalized / min",
                cell: (i) =>
                  i.kind === "cerberus" ? (
                    <Sparkline
                      values={i.finalizedPerMinute}
                      label={`${i.name} finalized per minute`}
                      width={100}
                      height={20}
                    />
                  ) : (
                    ""
                  ),
              },
            ]}
          />
        </div>
        <div>
          <h2>Graph</h2>
          {graph.error ? (
            <p className="error">{graph.error.message}</p>
          ) : (
            <Graph svg={graph.data} label={`The blueprint of ${o.instance.name}, with the units on each interaction`} />
          )}
        </div>
      </div>
      <h2>Recent failures</h2>
      {o.recentFailures.length === 0 ? (
        <p className="empty">No failure in the last hour.</p>
      ) : (
        <Table
          caption="Recent failures"
          className="history"
          rows={o.recentFailures}
          rowKey={(f) => `${f.uowId}-${f.at}`}
          columns={[
            { label: "Time", cell: (f) => time(f.at) },
            {
              label: "Unit",
              cell: (f) => <Link to={`/instances/${encodeURIComponent(id)}/work/${f.uowId}`}>{f.uowId.slice(-8)}</Link>,
            },
            { label: "Role", cell: (f) => f.role ?? "" },
            { label: "Interaction", cell: (f) => f.interaction ?? "" },
            { label: "By", cell: (f) => f.actorName },
            { label: "Reason", cell: (f) => f.reason },
          ]}
        />
      )}
      <p className="muted">Counted at {time(o.generatedAt)}.</p>
    </section>
  );
}
