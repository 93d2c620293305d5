/**
 * Pause and resume on the operator's overview: whether the instance and each role are paused
 * (by whom, since when, why), and, for an admin, a button to pause or resume each, with the
 * reason that goes into the instance's history. Only roles that can be paused are listed.
 */
import { useState } from "react";
import { time } from "../format.js";

export interface Paused {
  since: string;
  by: string;
  reason: string | null;
}

export interface PauseControlsProps {
  instancePaused: Paused | null;
  roles: { name: string; type: string; paused: Paused | null }[];
  /** An admin may pause and resume; a viewer only sees the state. */
  canChange: boolean;
  busy: boolean;
  /** role null: the instance. */
  onChange(change: { role: string | null; pause: boolean; reason: string }): void;
}

const pausedText = (p: Paused) => `paused by ${p.by} since ${time(p.since)}${p.reason ? `: ${p.reason}` : ""}`;

export function PauseControls({ instancePaused, roles, canChange, busy, onChange }: PauseControlsProps) {
  const [reason, setReason] = useState("");
  // The engine runs SIGMA gateways, and ALPHA is the master's one starting point.
  const pausable = roles.filter((r) => r.type !== "SIGMA");
  const button = (role: string | null, paused: Paused | null, label: string) =>
    canChange && (
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() => onChange({ role, pause: paused === null, reason: reason.trim() })}
      >
        {paused === null ? "Pause" : "Resume"} {label}
      </button>
    );
  return (
    <section className="pause" aria-labelledby="pause-title">
      <h2 id="pause-title">Pause and resume</h2>
      <p className="pause-state" data-paused={instancePaused !== null}>
        {instancePaused === null ? "The instance runs." : `The instance is ${pausedText(instancePaused)}.`}{" "}
        {button(null, instancePaused, "instance")}
      </p>
      {canChange && (
        <div className="field">
          <label htmlFor="pause-reason">Reason (kept in the instance's history)</label>
          <input id="pause-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      <ul className="pause-roles">
        {pausable.map((r) => (
          <li key={r.name} data-role={r.name} data-paused={r.paused !== null}>
            {r.name} <span className="muted">{r.type}</span>: {r.paused === null ? "runs" : pausedText(r.paused)}{" "}
            {button(r.name, r.paused, r.name)}
          </li>
        ))}
      </ul>
    </section>
  );
}
