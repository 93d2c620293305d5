/**
 * The stored blueprints for an operator: each workflow with its versions; import a YAML file,
 * with the validation errors shown by rule number and line (and nothing stored).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError, unwrap } from "../api/client.js";
import { time } from "../format.js";
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
            label: "Latest stored",
            cell: ([, versions]) => {
              const latest = versions.reduce((a, b) => (a.version > b.version ? a : b));
              return `${latest.version} · ${time(latest.createdAt)}`;
            },
          },
        ]}
      />
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
