/**
 * An instance at a glance, for an operator: the blueprint graph with the units waiting, held
 * and failed on each interaction; the same per interaction in a table (an interaction opens
 * its units); throughput over the last hour; the recent failures with their reasons.
 */
import { Link, useParams } from "react-router";
import { useGraph, useOverview } from "../api/overview.js";
import { Graph } from "../components/Graph.js";
import { Sparkline } from "../components/Sparkline.js";
import { duration, time } from "../format.js";

export function Overview() {
  const id = useParams().id!;
  const overview = useOverview(id);
  const graph = useGraph(id);
  const units = (query: Record<string, string>) =>
    `/instances/${encodeURIComponent(id)}/units?${new URLSearchParams(query)}`;
  if (overview.error) return <p className="error">{overview.error.message}</p>;
  if (overview.isPending) return <p>Loading…</p>;
  const o = overview.data;
  const heldCount = (h: { count: number }[]) => h.reduce((n, x) => n + x.count, 0);
  return (
    <section className="overview">
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
          <table className="units">
            <caption className="visually-hidden">Units per interaction</caption>
            <thead>
              <tr>
                <th scope="col">Interaction</th>
                <th scope="col">Workflow</th>
                <th scope="col">Waiting</th>
                <th scope="col">Oldest</th>
                <th scope="col">Held</th>
                <th scope="col">Failed (1 h)</th>
                <th scope="col">Finalized / min</th>
              </tr>
            </thead>
            <tbody>
              {o.interactions.map((i) => (
                <tr key={`${i.workflow}/${i.name}`} data-interaction={i.name}>
                  <td>
                    <Link to={units({ interaction: i.name })}>{i.name}</Link> <span className="muted">{i.kind}</span>
                  </td>
                  <td>{i.workflow}</td>
                  <td className="number" data-count="waiting">
                    {i.waiting}
                  </td>
                  <td>{i.oldestWaitingSeconds === null ? "" : duration(i.oldestWaitingSeconds)}</td>
                  <td
                    className="number"
                    data-count="held"
                    title={i.held.map((h) => `${h.actorName} ${h.count}`).join(", ")}
                  >
                    {heldCount(i.held)}
                  </td>
                  <td className="number" data-count="failed">
                    {i.failuresLastHour}
                  </td>
                  <td>
                    {i.kind === "cerberus" ? (
                      <Sparkline
                        values={i.finalizedPerMinute}
                        label={`${i.name} finalized per minute`}
                        width={100}
                        height={20}
                      />
                    ) : (
                      ""
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
        <table className="history">
          <caption className="visually-hidden">Recent failures</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Unit</th>
              <th scope="col">Role</th>
              <th scope="col">Interaction</th>
              <th scope="col">By</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {o.recentFailures.map((f) => (
              <tr key={`${f.uowId}-${f.at}`}>
                <td>{time(f.at)}</td>
                <td>
                  <Link to={`/instances/${encodeURIComponent(id)}/work/${f.uowId}`}>{f.uowId.slice(-8)}</Link>
                </td>
                <td>{f.role ?? ""}</td>
                <td>{f.interaction ?? ""}</td>
                <td>{f.actorName}</td>
                <td>{f.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">Counted at {time(o.generatedAt)}.</p>
    </section>
  );
}
