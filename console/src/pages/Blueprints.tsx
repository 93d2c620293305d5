/**
 * The stored blueprints for an operator: each workflow with its versions; import a YAML file,
 * with the validation errors shown by rule number and line (and nothing stored).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError, unwrap } from "../api/client.js";
import { time } from "../format.js";
import { Graph } from "../components/Graph.js";
import { Table } from "../components/Table.js";
import { useSession } from "../session.js";

interface Problem {
  rule?: number;
  line?: number;
  path: string;
  message: string;
}

export function Blueprints() {
  const { session } = useSession();
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ["templates"], queryFn: async () => unwrap(await api.GET("/templates")) });
  const [yaml, setYaml] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [shown, setShown] = useState<{ name: string; version: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const importing = useMutation({
    mutationFn: async () => unwrap(await api.POST("/templates", { body: { yaml } })),
    onMutate: () => {
      setProblems([]);
      setMessage(null);
    },
    onSuccess: (result) => {
      setMessage(
        result.workflows
          .map((w) => `${w.name} version ${w.version} ${w.created ? "stored" : "unchanged (already stored)"}`)
          .join("; "),
      );
      void queries.invalidateQueries({ queryKey: ["templates"] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.issues.length > 0) setProblems(error.issues as Problem[]);
      else setMessage(error.message);
    },
  });
  const byName = new Map<string, { version: number; createdAt: string; workflowId: string }[]>();
  for (const t of list.data ?? []) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);

  function submit(event: FormEvent) {
    event.preventDefault();
    importing.mutate();
  }
  async function readFile(file: File | undefined) {
    if (file !== undefined) setYaml(await file.text());
  }

  return (
    <section>
      <h1>Blueprints</h1>
      {list.error && <p className="error">{list.error.message}</p>}
      <Table
        caption="Stored blueprints"
        rows={[...byName]}
        rowKey={([name]) => name}
        columns={[
          { label: "Workflow", cell: ([name]) => name },
          {
            label: "Versions",
            cell: ([, versions]) =>
              versions
                .map((v) => v.version)
                .sort((a, b) => a - b)
                .join(", "),
          },
          {
            label: "Show",
            cell: ([name, versions]) => (
              <span className="assign">
                {versions
                  .map((v) => v.version)
                  .sort((a, b) => a - b)
                  .map((version) => (
                    <button
                      key={version}
                      type="button"
                      className="quiet small"
                      aria-label={`Show ${name} version ${version}`}
                      onClick={() => setShown({ name, version })}
                    >
                      v{version}
                    </button>
                  ))}
              </span>
            ),
          },
          {
            label: "Latest stored",
            cell: ([, versions]) => {
              const latest = versions.reduce((a, b) => (a.version > b.version ? a : b));
              return `${latest.version} · ${time(latest.createdAt)}`;
            },
          },
        ]}
      />
      {shown !== null && <Version name={shown.name} version={shown.version} />}
      {session?.kind === "admin" && (
        <form className="import" onSubmit={submit}>
          <h2>Import a blueprint</h2>
          <div className="field">
            <label htmlFor="blueprint-file">YAML file</label>
            <input
              id="blueprint-file"
              type="file"
              accept=".yml,.yaml,application/yaml,text/yaml"
              onChange={(e) => void readFile(e.target.files?.[0])}
            />
          </div>
          <div className="field">
            <label htmlFor="blueprint-yaml">Blueprint YAML</label>
            <textarea id="blueprint-yaml" rows={10} value={yaml} onChange={(e) => setYaml(e.target.value)} />
          </div>
          <button type="submit" disabled={yaml.trim() === "" || importing.isPending}>
            Import
          </button>
          {message !== null && (
            <p className="done" role="status">
              {message}
            </p>
          )}
          {problems.length > 0 && (
            <div role="alert">
              <p className="error">
                Not imported: the blueprint breaks {problems.length} rule{problems.length === 1 ? "" : "s"}. Nothing was
                stored.
              </p>
              <Table
                caption="Validation errors"
                className="history"
                rows={problems.map((p, i) => ({ ...p, i }))}
                rowKey={(p) => String(p.i)}
                columns={[
                  { label: "Rule", cell: (p) => p.rule ?? "", numeric: true },
                  { label: "Line", cell: (p) => p.line ?? "", numeric: true },
                  { label: "Where", cell: (p) => p.path },
                  { label: "Problem", cell: (p) => p.message },
                ]}
              />
            </div>
          )}
        </form>
      )}
    </section>
  );
}

/** One stored version: its graph and its canonical YAML, as the server exports them. */
function Version({ name, version }: { name: string; version: number }) {
  const path = { name };
  const query = { version: String(version) };
  const graph = useQuery({
    queryKey: ["template-graph", name, version],
    queryFn: async () =>
      unwrap(
        await api.GET("/templates/{name}/graph", {
          params: { path, query: { ...query, format: "svg" } },
          parseAs: "text",
        }),
      ) as string,
  });
  const yaml = useQuery({
    queryKey: ["template-yaml", name, version],
    queryFn: async () =>
      unwrap(await api.GET("/templates/{name}/export", { params: { path, query }, parseAs: "text" })) as string,
  });
  return (
    <section className="overview-grid" aria-label={`${name} version ${version}`}>
      <div>
        <h2>
          {name} version {version}
        </h2>
        {yaml.error ? (
          <p className="error">{yaml.error.message}</p>
        ) : (
          <pre className="yaml">{yaml.data ?? "Loading…"}</pre>
        )}
      </div>
      <div>
        <h2>Graph</h2>
        {graph.error ? (
          <p className="error">{graph.error.message}</p>
        ) : (
          <Graph svg={graph.data} label={`The graph of ${name} version ${version}`} />
        )}
      </div>
    </section>
  );
}
