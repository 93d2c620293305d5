/**
 * An instance's actors for an operator: each with its roles; add an actor, assign and revoke
 * roles, issue a token (shown once, never again). A viewer sees the list only.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useParams } from "react-router";
import { api, unwrap } from "../api/client.js";
import { useInstance } from "../api/queries.js";
import { useSession } from "../session.js";

export function Actors() {
  const id = useParams().id!;
  const { session } = useSession();
  const mayChange = session?.kind === "admin";
  const instance = useInstance(id);
  const queries = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const [token, setToken] = useState<{ actor: string; token: string } | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ["instance", id] });
  const change = useMutation({
    mutationFn: async (move: () => Promise<string>) => move(),
    onMutate: () => setMessage(null),
    onSuccess: (text) => setMessage(text),
    onError: (error) => setMessage(error.message),
    onSettled: refresh,
  });

  if (instance.error) return <p className="error">{instance.error.message}</p>;
  if (instance.isPending) return <p>Loading…</p>;
  const { actors, roles } = instance.data;
  const assignable = roles.map((r) => r.name);

  return (
    <section>
      <h2>Actors</h2>
      {message !== null && (
        <p className="done" role="status">
          {message}
        </p>
      )}
      {token !== null && (
        <div className="notice" role="status">
          <p>Token for {token.actor}, shown this once (it is stored hashed and cannot be shown again):</p>
          <code className="token">{token.token}</code>
        </div>
      )}
      <table className="units">
        <caption className="visually-hidden">Actors of {id}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Identity</th>
            <th scope="col">Roles</th>
            {mayChange && <th scope="col">Token</th>}
          </tr>
        </thead>
        <tbody>
          {actors.map((a) => (
            <tr key={a.actorId}>
              <td>{a.name}</td>
              <td>{a.type}</td>
              <td>{a.identityKey}</td>
              <td>
                <ul className="roles">
                  {a.roles.map((r) => (
                    <li key={r}>
                      {r}
                      {mayChange && a.type !== "SYSTEM" && (
                        <button
                          type="button"
                          className="quiet small"
                          aria-label={`Revoke ${r} from ${a.name}`}
                          onClick={() =>
                            change.mutate(async () => {
                              unwrap(
                                await api.DELETE("/instances/{id}/actors/{actor}/roles/{role}", {
                                  params: { path: { id, actor: a.actorId, role: r } },
                                }),
                              );
                              return `Revoked ${r} from ${a.name}.`;
                            })
                          }
                        >
                          Revoke
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
                {mayChange && a.type !== "SYSTEM" && (
                  <Assign
                    actor={a.name}
                    roles={assignable.filter((r) => !a.roles.includes(r))}
                    onAssign={(role) =>
                      change.mutate(async () => {
                        unwrap(
                          await api.PUT("/instances/{id}/actors/{actor}/roles/{role}", {
                            params: { path: { id, actor: a.actorId, role } },
                          }),
                        );
                        return `Assigned ${role} to ${a.name}.`;
                      })
                    }
                  />
                )}
              </td>
              {mayChange && (
                <td>
                  {a.type !== "SYSTEM" && (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Issue a token for ${a.name}`}
                      onClick={() =>
                        change.mutate(async () => {
                          const issued = unwrap(
                            await api.POST("/instances/{id}/actors/{actor}/tokens", {
                              params: { path: { id, actor: a.actorId } },
                            }),
                          );
                          setToken({ actor: a.name, token: issued.token });
                          return `Issued a token for ${a.name}.`;
                        })
                      }
                    >
                      Issue token
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {mayChange && (
        <AddActor
          roles={assignable}
          onAdd={(body, name) =>
            change.mutate(async () => {
              unwrap(await api.POST("/instances/{id}/actors", { params: { path: { id } }, body }));
              return `Added ${name}.`;
            })
          }
        />
      )}
    </section>
  );
}

function Assign({ actor, roles, onAssign }: { actor: string; roles: string[]; onAssign(role: string): void }) {
  const [role, setRole] = useState("");
  if (roles.length === 0) return null;
  const id = `assign-${actor.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <span className="assign">
      <label htmlFor={id} className="visually-hidden">
        Role to assign to {actor}
      </label>
      <select id={id} value={role} onChange={(e) => setRole(e.target.value)}>
        <option value="">(role)</option>
        {roles.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <button type="button" className="quiet small" disabled={role === ""} onClick={() => onAssign(role)}>
        Assign
      </button>
    </span>
  );
}

type ActorBody = { name: string; type: "HUMAN" | "AI_AGENT"; identityKey: string; roles?: string[] };

function AddActor({ roles, onAdd }: { roles: string[]; onAdd(body: ActorBody, name: string): void }) {
  const [name, setName] = useState("");
  const [type, setType] = useState<"HUMAN" | "AI_AGENT">("HUMAN");
  const [identity, setIdentity] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  function submit(event: FormEvent) {
    event.preventDefault();
    onAdd({ name: name.trim(), type, identityKey: identity.trim(), roles: chosen }, name.trim());
    setName("");
    setIdentity("");
    setChosen([]);
  }
  return (
    <form className="add-actor" onSubmit={submit}>
      <h3>Add an actor</h3>
      <div className="field">
        <label htmlFor="actor-name">Name</label>
        <input id="actor-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="actor-type">Type</label>
        <select id="actor-type" value={type} onChange={(e) => setType(e.target.value as "HUMAN" | "AI_AGENT")}>
          <option value="HUMAN">person (HUMAN)</option>
          <option value="AI_AGENT">AI agent (AI_AGENT)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="actor-identity">Identity (e-mail, agent key)</label>
        <input id="actor-identity" value={identity} onChange={(e) => setIdentity(e.target.value)} required />
      </div>
      <fieldset>
        <legend>Roles</legend>
        {roles.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(r)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, r] : chosen.filter((c) => c !== r))}
            />
            {r}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={name.trim() === "" || identity.trim() === ""}>
        Add actor
      </button>
    </form>
  );
}
