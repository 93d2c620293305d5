/** The instances an operator runs: each with its units by status and its throughput over the last hour. */
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, unwrap } from "../api/client.js";
import { useOverview } from "../api/overview.js";
import { Sparkline } from "../components/Sparkline.js";
import { time } from "../format.js";

const STATUSES = ["PENDING", "ACTIVE", "COMPLETED", "FAILED", "TIMEOUT", "FINALIZED"] as const;

export function Instances() {
  const list = useQuery({ queryKey: ["instances"], queryFn: async () => unwrap(await api.GET("/instances")) });
  return (
    <section>
      <h1>Instances</h1>
      {list.error && <p className="error">{list.error.message}</p>}
      {list.data && list.data.length === 0 && (
        <p className="empty">No instance yet: create one with chameleon instance create.</p>
      )}
      {list.data && list.data.length > 0 && (
        <table className="units">
          <caption className="visually-hidden">Instances</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Deployed</th>
              {STATUSES.map((s) => (
                <th scope="col" key={s}>
                  {s}
                </th>
              ))}
              <th scope="col">Finalized per minute (1 h)</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((i) => (
              <InstanceRow
                key={i.instanceId}
                id={i.instanceId}
                name={i.name}
                status={i.status}
                deployed={i.deploymentDate}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function InstanceRow({ id, name, status, deployed }: { id: string; name: string; status: string; deployed: string }) {
  const overview = useOverview(id, 30_000);
  const o = overview.data;
  return (
    <tr data-instance={name}>
      <td>
        <Link to={`/instances/${encodeURIComponent(name)}`}>{name}</Link>
      </td>
      <td>{status}</td>
      <td>{time(deployed)}</td>
      {STATUSES.map((s) => (
        <td key={s} className="number" data-status={s}>
          {o ? o.totals.byStatus[s] : ""}
        </td>
      ))}
      <td>{o ? <Sparkline values={o.totals.finalizedPerMinute} label={`${name}: finalized per minute`} /> : ""}</td>
    </tr>
  );
}
