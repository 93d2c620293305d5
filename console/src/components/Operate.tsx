/**
 * An operator's view of one unit beyond the task page: the attribute versions, and the admin
 * moves (release a held unit, reassign it to another actor of its role, cancel it), each with
 * the reason that goes into the audit log. A viewer sees the versions only.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api/client.js";
import { time, value } from "../format.js";
import { useInstance, type UnitDetails } from "../api/queries.js";
import { useSession } from "../session.js";
import { Table } from "./Table.js";

export function Operate({ instance, unit }: { instance: string; unit: UnitDetails }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const details = useInstance(instance);
  const [reason, setReason] = useState("");
  const [to, setTo] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const path = { id: instance, uow: unit.uowId };
  const move = useMutation({
    mutationFn: async (run: () => Promise<string>) => run(),
    onMutate: () => setMessage(null),
    onSuccess: (text) => {
      setMessage(text);
      setReason("");
    },
    onError: (error) => setMessage(error.message),
    onSettled: () =>
      Promise.all(
        ["unit", "history", "versions"].map((k) => queries.invalidateQueries({ queryKey: [k, instance, unit.uowId] })),
      ),
  });
  const versions = useQuery({
    queryKey: ["versions", instance, unit.uowId],
    queryFn: async () =>
      unwrap(
        await api.GET("/instances/{id}/work/{uow}/attributes/history", {
          params: { path, query: { limit: "200" } },
        }),
      ),
  });
  const held = unit.heldBy !== null && unit.status === "ACTIVE";
  const others = (details.data?.actors ?? []).filter((a) => a.type !== "SYSTEM" && a.name !== unit.heldBy);
  const finished = unit.status === "FINALIZED";

  return (
    <>
      {session?.kind === "admin" && !finished && (
        <section className="operate" aria-labelledby="operate-title">
          <h2 id="operate-title">Operator moves</h2>
          {message !== null && (
            <p className="done" role="status">
              {message}
            </p>
          )}
          <div className="field">
            <label htmlFor="move-reason">Reason (kept in the audit log)</label>
            <input id="move-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div className="moves">
            {held && (
              <button
                type="button"
                className="secondary"
                disabled={reason.trim() === "" || move.isPending}
                onClick={() =>
                  move.mutate(async () => {
                    const r = unwrap(
                      await api.POST("/instances/{id}/work/{uow}/admin-release", {
                        params: { path },
                        body: { reason },
                      }),
                    );
                    return `Released: the unit is ${r.status} in ${r.interaction}.`;
                  })
                }
              >
                Release
              </button>
            )}
            {held && (
              <span className="assign">
                <label htmlFor="reassign-to">Reassign to</label>
                <select id="reassign-to" value={to} onChange={(e) => setTo(e.target.value)}>
                  <option value="">(actor)</option>
                  {others.map((a) => (
                    <option key={a.actorId} value={a.name}>
                      {a.name}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="secondary"
                  disabled={reason.trim() === "" || to === "" || move.isPending}
                  onClick={() =>
                    move.mutate(async () => {
                      unwrap(
                        await api.POST("/instances/{id}/work/{uow}/reassign", {
                          params: { path },
                          body: { actorId: to, reason },
                        }),
                      );
                      return `Reassigned to ${to}.`;
                    })
                  }
                >
                  Reassign
                </button>
              </span>
            )}
            <button
              type="button"
              className="secondary danger"
              disabled={reason.trim() === "" || move.isPending}
              onClick={() =>
                move.mutate(async () => {
                  const r = unwrap(
                    await api.POST("/instances/{id}/work/{uow}/cancel", { params: { path }, body: { reason } }),
                  );
                  return `Cancelled: the unit is ${r.status}.`;
                })
              }
            >
              Cancel unit
            </button>
          </div>
        </section>
      )}
      <h2>Attribute versions</h2>
      {versions.data === undefined ? (
        <p>Loading…</p>
      ) : (
        <Table
          caption="Attribute versions"
          className="history"
          rows={versions.data}
          rowKey={(v) => v.attributeId}
          columns={[
            { label: "Key", cell: (v) => v.key },
            { label: "Version", cell: (v) => v.version, numeric: true },
            { label: "Value", cell: (v) => value(v.value) },
            { label: "Actor", cell: (v) => v.actorName },
            { label: "Reasoning", cell: (v) => v.reasoning ?? "" },
            { label: "Time", cell: (v) => time(v.createdAt) },
          ]}
        />
      )}
    </>
  );
}
