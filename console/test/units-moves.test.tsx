// @vitest-environment happy-dom
/**
 * The operator's bulk moves on the Units page, against a stand-in server: Retry of the ticked
 * units asks for the target among the instance's retry targets, counts them with a dry run and
 * names that count in the confirmation before it moves them; Release of every unit the filters
 * choose says when none can be released, and sends nothing more.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ComponentType } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

afterEach(cleanup);

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const posted: Record<string, unknown>[] = [];

const unit = (uowId: string) => ({
  uowId,
  parentId: null,
  workflow: "Retryable",
  status: "FAILED",
  interaction: "Errors",
  childCount: 0,
  finishedChildCount: 0,
  attempt: 0,
  heldBy: null,
  leaseExpiresAt: null,
  enteredInteractionAt: new Date().toISOString(),
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  attributes: { n: 1 },
});

/** The few routes the page calls, answered as the server answers them. */
async function server(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  if (url.pathname === "/session") return json({ kind: "admin", operator: "olga", actor: null });
  if (url.pathname === "/instances/ops/work") return json([unit(A), unit(B)]);
  if (url.pathname === "/instances/ops") {
    return json({
      instanceId: "i",
      name: "ops",
      status: "ACTIVE",
      deploymentDate: new Date().toISOString(),
      description: null,
      masterWorkflowId: "w",
      workflows: [
        { localWorkflowId: "w", name: "Retryable", version: 1, isMaster: true, retryTargets: ["Todo", "Review"] },
      ],
      roles: [],
      actors: [],
    });
  }
  if (url.pathname === "/instances/ops/bulk" && request.method === "POST") {
    const body = (await request.json()) as { move: string; dryRun?: boolean; filter: { uowIds?: string[] } };
    posted.push(body);
    const chosen = body.move === "release" ? [] : (body.filter.uowIds ?? []);
    return json({
      move: body.move,
      dryRun: body.dryRun === true,
      count: chosen.length,
      uowIds: chosen,
      more: false,
      nextAfter: null,
      results: body.dryRun ? [] : chosen.map((uowId) => ({ uowId, outcome: "moved", status: "PENDING" })),
      moved: body.dryRun ? 0 : chosen.length,
      skipped: 0,
      refused: 0,
    });
  }
  return new Response(JSON.stringify({ error: "NotFoundError", message: url.pathname }), { status: 404 });
}

let Units: ComponentType;
let SessionProvider: ComponentType<{ children: React.ReactNode }>;

beforeAll(async () => {
  // The API client takes fetch when it is made: stand the server in first.
  vi.stubGlobal("fetch", (input: Request) => server(input));
  sessionStorage.setItem("chameleon.token", "cho_test");
  ({ Units } = await import("../src/pages/Units.js"));
  ({ SessionProvider } = await import("../src/session.js"));
});

function page(path: string) {
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/instances/:id/units" element={<Units />} />
          </Routes>
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}

describe("the Units page's bulk moves", () => {
  it("retries the ticked units into a chosen target after a confirmation that names the dry run's count", async () => {
    posted.length = 0;
    page("/instances/ops/units");
    fireEvent.click(await screen.findByLabelText(`Select ${A}`));
    fireEvent.click(screen.getByLabelText(`Select ${B}`));
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Retry selected (2)" })).toHaveProperty("disabled", false),
    );
    fireEvent.click(screen.getByRole("button", { name: "Retry selected (2)" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toMatch(/Retry 2 units\? Each failed unit is sent to Todo/);
    fireEvent.change(screen.getByLabelText("Send to"), { target: { value: "Review" } });
    await waitFor(() => expect(screen.getByRole("dialog").textContent).toMatch(/sent to Review/));
    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "mail is back" } });
    fireEvent.click(screen.getByRole("button", { name: "Retry 2 units" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Retried 2 of 2."));
    expect(posted).toEqual([
      { move: "retry", filter: { uowIds: [A, B] }, max: 1000, to: "Todo", dryRun: true },
      { move: "retry", filter: { uowIds: [A, B] }, max: 1000, to: "Review", dryRun: true },
      { move: "retry", filter: { uowIds: [A, B] }, max: 1000, to: "Review", reason: "mail is back" },
    ]);
  });

  it("offers every unit the filters choose when none is ticked, and sends no move when none can be taken", async () => {
    posted.length = 0;
    page("/instances/ops/units?status=FAILED");
    await screen.findByLabelText(`Select ${A}`);
    fireEvent.click(screen.getByRole("button", { name: "Release all matching" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent).toMatch(/No unit of this selection can be released now/);
    expect(screen.getByRole("button", { name: "Release 0 units" })).toHaveProperty("disabled", true);
    expect(posted).toEqual([{ move: "release", filter: { status: "FAILED" }, max: 1000, dryRun: true }]);
  });
});
