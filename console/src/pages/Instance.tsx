/** One instance, for an operator: its overview, units and actors, each a page of its own. */
import { NavLink, Outlet, useParams } from "react-router";
import { Live } from "../components/Live.js";
import { useInstance } from "../api/queries.js";

export function Instance() {
  const id = useParams().id!;
  const instance = useInstance(id);
  const base = `/instances/${encodeURIComponent(id)}`;
  return (
    <section>
      <h1>
        {instance.data?.name ?? id}{" "}
        {instance.data && <span className="muted">{instance.data.workflows.find((w) => w.isMaster)?.name}</span>}{" "}
        <Live instance={id} />
      </h1>
      <nav className="tabs" aria-label="Instance">
        <NavLink to={`${base}/overview`}>Overview</NavLink>
        <NavLink to={`${base}/units`}>Units</NavLink>
        <NavLink to={`${base}/actors`}>Actors</NavLink>
      </nav>
      <Outlet />
    </section>
  );
}
