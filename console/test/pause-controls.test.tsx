// @vitest-environment happy-dom
/**
 * Pause and resume on the overview: the paused state of the instance and its roles, buttons
 * for an admin only (none for SIGMA gateways), and the reason sent with the change.
 */
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PauseControls } from "../src/components/PauseControls.js";

afterEach(cleanup);

const ROLES = [
  { name: "Start", type: "ALPHA", paused: null },
  { name: "Work", type: "BETA", paused: { since: "2026-12-01T10:00:00.000Z", by: "olga", reason: "supplier down" } },
  { name: "Gate", type: "SIGMA", paused: null },
];

describe("PauseControls", () => {
  it("shows what is paused and sends the admin's pause or resume with the reason", () => {
    const onChange = vi.fn();
    render(<PauseControls instancePaused={null} roles={ROLES} canChange busy={false} onChange={onChange} />);
    expect(screen.getByText(/The instance runs/)).toBeTruthy();
    expect(screen.getByText(/paused by olga .*: supplier down/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Gate/ })).toBeNull();
    fireEvent.change(screen.getByLabelText("Reason (kept in the instance's history)"), {
      target: { value: "month-end" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Pause instance" }));
    expect(onChange).toHaveBeenLastCalledWith({ role: null, pause: true, reason: "month-end" });
    fireEvent.click(screen.getByRole("button", { name: "Resume Work" }));
    expect(onChange).toHaveBeenLastCalledWith({ role: "Work", pause: false, reason: "month-end" });
  });

  it("shows a viewer the paused instance without buttons", () => {
    render(
      <PauseControls
        instancePaused={{ since: "2026-12-01T10:00:00.000Z", by: "olga", reason: null }}
        roles={ROLES}
        canChange={false}
        busy={false}
        onChange={() => {}}
      />,
    );
    expect(screen.getByText(/The instance is paused by olga/)).toBeTruthy();
    expect(screen.queryAllByRole("button")).toHaveLength(0);
  });
});
