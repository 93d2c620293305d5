/**
 * A task: the unit's attributes, history, parent and children, the memory its role is served;
 * for its actor the moves Claim, Submit, Report failure and Release. While the page holds the
 * claim it keeps the lease alive; a claim lost meanwhile is said plainly, with who has it now.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { api, ApiError, unwrap } from "../api/client.js";
import { useGraph } from "../api/overview.js";
import { useHeld, useHistory, useUnit } from "../api/queries.js";
import { AttributeForm, type Issue } from "../components/AttributeForm.js";
import { Graph } from "../components/Graph.js";
import { History } from "../components/History.js";
import { Live } from "../components/Live.js";
import { Operate } from "../components/Operate.js";
import { due, time, value } from "../format.js";
import { useSession } from "../session.js";

/** How often a held lease is renewed while the page is open (well inside the shortest lease). */
const HEARTBEAT_MS = 30_000;

export function Task() {
  const { session } = useSession();
  const params = useParams();
  const uow = params.uow!;
  const actor = session?.actor ?? null;
  const instance = actor?.instanceId ?? params.id!;
  const unit = useUnit(instance, uow);
  const history = useHistory(instance, uow);
  const graph = useGraph(instance, uow);

  if (unit.error) {
    return (
      <section>
        <h1>Task</h1>
        <p className="error" role="alert">
          {unit.error.message}
        </p>
        {actor !== null && (
          <p>
            <Link to="/inbox">Back to your inbox</Link>
          </p>
        )}
      </section>
    );
  }
  if (unit.isPending) return <p>Loading…</p>;
  const u = unit.data;
  const base = actor !== null ? "/work" : `/instances/${encodeURIComponent(instance)}/work`;
  return (
    <section className="task">
      <h1>
        {u.interaction} <span className="muted">{u.workflow}</span> {actor === null && <Live instance={instance} />}
      </h1>
      <dl className="facts">
        <dt>Unit</dt>
        <dd>{u.uowId}</dd>
        <dt>Status</dt>
        <dd>{u.status}</dd>
        <dt>Held by</dt>
        <dd>
          {u.heldBy === null
            ? "nobody"
            : `${u.heldBy}${u.leaseExpiresAt ? `, lease until ${time(u.leaseExpiresAt)}` : ""}`}
        </dd>
        <dt>Attempt</dt>
        <dd>{u.attempt}</dd>
        <dt>Priority</dt>
        <dd>{u.priority}</dd>
        {new Date(u.availableAt).getTime() > new Date(u.enteredInteractionAt).getTime() && (
          <>
            <dt>Retry from</dt>
            <dd>{time(u.availableAt)}</dd>
          </>
        )}
        {u.dueAt !== null && (
          <>
            <dt>Due</dt>
            <dd className={u.overdue ? "overdue" : undefined}>
              {time(u.dueAt)} ({due(u)})
            </dd>
          </>
        )}
        {u.parentId !== null && (
          <>
            <dt>Parent</dt>
            <dd>
              <Link to={`${base}/${u.parentId}`}>{u.parentId}</Link>
            </dd>
          </>
        )}
        {u.nestedCopy !== null && (
          <>
            <dt>Nested copy</dt>
            <dd>
              <Link to={`${base}/${u.nestedCopy}`}>{u.nestedCopy}</Link>{" "}
              <span className="muted">runs the nested workflow</span>
            </dd>
          </>
        )}
        {u.nestedOriginal !== null && (
          <>
            <dt>Copy of</dt>
            <dd>
              <Link to={`${base}/${u.nestedOriginal}`}>{u.nestedOriginal}</Link>{" "}
              <span className="muted">waits in the gateway</span>
            </dd>
          </>
        )}
        {u.childCount > 0 && (
          <>
            <dt>Children</dt>
            <dd>
              {u.finishedChildCount} of {u.childCount} back:{" "}
              {u.children.map((c) => (
                <Link key={c} to={`${base}/${c}`} className="child">
                  {c.slice(-8)}
                </Link>
              ))}
            </dd>
          </>
        )}
      </dl>
      {actor !== null ? (
        <Work instance={instance} unit={u} me={actor.actorName} roles={actor.roles.map((r) => r.name)} />
      ) : (
        <>
          <Attributes attributes={u.attributes} />
          <Operate instance={instance} unit={u} />
        </>
      )}
      <h2>Where it is</h2>
      {graph.error ? (
        <p className="error">{graph.error.message}</p>
      ) : (
        <Graph svg={graph.data} label={`The blueprint, with this unit's place marked (${u.interaction})`} />
      )}
      <h2>History</h2>
      {history.data ? <History entries={history.data} details={actor === null} /> : <p>Loading…</p>}
    </section>
  );
}

function Attributes({ attributes }: { attributes: Record<string, unknown> }) {
  const entries = Object.entries(attributes);
  return (
    <>
      <h2>Attributes</h2>
      {entries.length === 0 ? (
        <p className="empty">No attributes.</p>
      ) : (
        <dl className="attributes">
          {entries.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{value(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}

type UnitData = NonNullable<ReturnType<typeof useUnit>["data"]>;

/** The actor's side: claim, then submit, report a failure or release, with the lease kept alive. */
function Work({ instance, unit, me, roles }: { instance: string; unit: UnitData; me: string; roles: string[] }) {
  const [search] = useSearchParams();
  const queries = useQueryClient();
  const held = useHeld(instance);
  /** The lease this page ended itself (submitted, failed, released): no longer ours, and not lost either. */
  const [ended, setEnded] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const found = held.data?.find((h) => h.uowId === unit.uowId) ?? null;
  const mine = found !== null && found.leaseToken !== ended ? found : null;
  const role = mine?.role ?? search.get("role") ?? roles[0] ?? "";
  const [issues, setIssues] = useState<Issue[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [failing, setFailing] = useState(false);
  const [failure, setFailure] = useState("");
  /** The lease this page took or found: set while we believe we hold the unit. */
  const [claimed, setClaimed] = useState<string | null>(null);

  const refresh = () =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ["unit", instance, unit.uowId] }),
      queries.invalidateQueries({ queryKey: ["history", instance, unit.uowId] }),
      queries.invalidateQueries({ queryKey: ["held", instance] }),
      queries.invalidateQueries({ queryKey: ["work", instance] }),
    ]);

  // A claim found on the server (a reload, another tab) is this page's too.
  if (mine !== null && claimed !== mine.leaseToken) setClaimed(mine.leaseToken);
  // A claim this page had, that is no longer ours: say what became of it.
  const lost = claimed !== null && claimed !== ended && held.data !== undefined && mine === null;
  const lostText = !lost
    ? null
    : unit.heldBy !== null && unit.heldBy !== me
      ? `This task was reassigned to ${unit.heldBy}. Your claim on it has ended.`
      : unit.status === "PENDING"
        ? "Your claim on this task has ended (released, or its lease ran out): it waits again."
        : `This task is no longer yours: it is ${unit.status} in ${unit.interaction}.`;

  const memory = useQuery({
    queryKey: ["memory", instance, role],
    enabled: role !== "",
    queryFn: async () =>
      unwrap(await api.GET("/instances/{id}/memory", { params: { path: { id: instance }, query: { role } } })),
  });

  // Keep the claim alive while the page is open; a refused heartbeat shows as a lost claim.
  const leaseToken = mine?.leaseToken ?? null;
  const uowId = unit.uowId;
  useEffect(() => {
    if (leaseToken === null) return;
    const timer = setInterval(() => {
      void api
        .POST("/instances/{id}/work/{uow}/heartbeat", {
          params: { path: { id: instance, uow: uowId } },
          body: { leaseToken },
        })
        .then(() =>
          Promise.all([
            queries.invalidateQueries({ queryKey: ["held", instance] }),
            queries.invalidateQueries({ queryKey: ["unit", instance, uowId] }),
          ]),
        );
    }, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [instance, uowId, leaseToken, queries]);

  const act = useMutation({
    mutationFn: async (move: () => Promise<unknown>) => move(),
    onMutate: () => {
      setIssues([]);
      setNotice(null);
      setDone(null);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 400)
        setIssues(error.issues.length > 0 ? error.issues : [{ path: "", message: error.message }]);
      else if (error instanceof ApiError && error.status === 409) setNotice(error.message);
      else setNotice(error instanceof Error ? error.message : String(error));
    },
    onSettled: () => refresh(),
  });
  const path = { id: instance, uow: unit.uowId };

  const claim = () =>
    act.mutate(async () => {
      const got = unwrap(
        await api.POST("/instances/{id}/checkout", {
          params: { path: { id: instance } },
          body: { role, uowId: unit.uowId },
        }),
      );
      if (got !== null) setClaimed(got.leaseToken);
    });

  return (
    <>
      {done !== null && (
        <p className="done" role="status">
          {done}
        </p>
      )}
      {lostText !== null && (
        <p className="notice" role="status">
          {lostText}
        </p>
      )}
      {notice !== null && (
        <p className="error" role="alert">
          {notice}
        </p>
      )}
      <Attributes attributes={unit.attributes} />
      {mine === null ? (
        <>
          {unit.heldBy === null &&
            (unit.status === "PENDING" || unit.status === "FAILED" || unit.status === "TIMEOUT") && (
              <p>
                <button type="button" onClick={claim} disabled={act.isPending || role === ""}>
                  Claim
                </button>{" "}
                <span className="muted">as {role}</span>
              </p>
            )}
        </>
      ) : (
        <>
          <h2>Your task, as {mine.role}</h2>
          <p className="muted">Your claim is kept while this page is open (lease until {time(mine.leaseExpiresAt)}).</p>
          <AttributeForm
            key={mine.leaseToken}
            form={unit.form}
            attributes={unit.attributes}
            issues={issues}
            busy={act.isPending}
            onSubmit={(attributes, reasoning) =>
              act.mutate(async () => {
                const moved = unwrap(
                  await api.POST("/instances/{id}/work/{uow}/submit", {
                    params: { path },
                    body: { leaseToken: mine.leaseToken, attributes, ...(reasoning === "" ? {} : { reasoning }) },
                  }),
                );
                setEnded(mine.leaseToken);
                setDone(`Submitted: the unit is ${moved.status} in ${moved.interaction}.`);
              })
            }
          />
          <div className="moves">
            <button type="button" className="secondary" onClick={() => setFailing(!failing)} aria-expanded={failing}>
              Report failure
            </button>
            <button
              type="button"
              className="secondary"
              disabled={act.isPending}
              onClick={() =>
                act.mutate(async () => {
                  unwrap(
                    await api.POST("/instances/{id}/work/{uow}/release", {
                      params: { path },
                      body: { leaseToken: mine.leaseToken },
                    }),
                  );
                  setEnded(mine.leaseToken);
                  setDone("Released: the task waits for someone else.");
                })
              }
            >
              Release
            </button>
          </div>
          {failing && (
            <form
              className="failure"
              onSubmit={(e) => {
                e.preventDefault();
                act.mutate(async () => {
                  const moved = unwrap(
                    await api.POST("/instances/{id}/work/{uow}/fail", {
                      params: { path },
                      body: { leaseToken: mine.leaseToken, error: failure },
                    }),
                  );
                  setEnded(mine.leaseToken);
                  setFailing(false);
                  setDone(`Failure reported: the unit is ${moved.status} in ${moved.interaction}.`);
                });
              }}
            >
              <label htmlFor="failure">What went wrong</label>
              <textarea id="failure" rows={2} value={failure} onChange={(e) => setFailure(e.target.value)} required />
              <button type="submit" disabled={failure.trim() === "" || act.isPending}>
                Report failure
              </button>
            </form>
          )}
        </>
      )}
      {role !== "" && (
        <>
          <h2>Memory of {role}</h2>
          {memory.data === undefined || memory.data.length === 0 ? (
            <p className="empty">Nothing remembered yet.</p>
          ) : (
            <dl className="attributes">
              {memory.data.map((m) => (
                <div key={m.memoryId}>
                  <dt>
                    {m.key} {m.shared ? <span className="muted">shared</span> : null}
                  </dt>
                  <dd>{value(m.value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </>
      )}
    </>
  );
}
