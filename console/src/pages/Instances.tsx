/** The instances an operator runs. (The overview, units, blueprints and actors pages build on this.) */
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, unwrap } from "../api/client.js";
import { time } from "../format.js";

export function Instances() {
  const list = useQuery({ queryKey: ["instances"], queryFn: async () => unwrap(await api.GET("/instances")) });
  return (
    <section>
      <h1>Instances</h1>
      {list.error && <p className="error">{list.error.message}</p>}
      {list.data && (
        <table className="units">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Deployed</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((i) => (
              <tr key={i.instanceId}>
                <td>
                  <Link to={`/instances/${encodeURIComponent(i.name)}`}>{i.name}</Link>
                </td>
                <td>{i.status}</td>
                <td>{time(i.deploymentDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
