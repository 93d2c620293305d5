/**
 * Built-in handlers that stand in for the people, AI agents and code of the example
 * blueprints, so the demo (and the tests) can run them end to end. They are deterministic:
 * what a handler decides depends only on the unit's attributes and the seed.
 */
import type { Handler } from "../worker/worker.js";
import type { JsonObject } from "../schema/json.js";
import { fate } from "./data.js";

export interface DemoOptions {
  seed?: number;
  /** Share of invoice lines whose check fails (default 0.04). */
  failureRate?: number;
  /** Simulated work per step, in ms (default 0). */
  workMs?: number;
}

const pause = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : undefined);

export function invoiceHandlers(opts: DemoOptions = {}): Record<string, Handler> {
  const seed = opts.seed ?? 1;
  const failureRate = opts.failureRate ?? 0.04;
  const workMs = opts.workMs ?? 0;
  return {
    Splitter: async ({ attributes }) => {
      await pause(workMs);
      const lines = (attributes.lines as JsonObject[]) ?? [];
      return {
        children: lines.map((line, i) => ({
          attributes: { ...line, line: i + 1, invoice: attributes.number ?? null },
        })),
        reasoning: `one child per line (${lines.length})`,
      };
    },
    Line_Checker: async ({ attributes, attempt }) => {
      await pause(workMs);
      const amount = Number(attributes.price) * Number(attributes.qty);
      // A line fails its first check by fate; a check after remediation passes.
      if (
        attempt === 1 &&
        !attributes.remediated &&
        fate(`${attributes.invoice}/${attributes.line}`, seed) < failureRate
      ) {
        throw new Error(`line ${attributes.line} of ${attributes.invoice}: the price differs from the purchase order`);
      }
      return { attributes: { checked: true, amount }, reasoning: `price ${attributes.price} x qty ${attributes.qty}` };
    },
    Approver: async ({ attributes }) => {
      await pause(workMs);
      const amount = Number(attributes.amount);
      const approved = amount <= 40_000;
      return {
        attributes: { approved, approved_by: "demo approver" },
        reasoning: approved ? `${amount} is within the approval limit` : `${amount} is over the limit of 40000`,
        learn: [{ key: "approval_limit", value: 40_000, shared: true }],
      };
    },
    Fixer: async ({ attributes }) => {
      await pause(workMs);
      return {
        attributes: { remediated: true },
        reasoning: `repaired ${attributes.invoice ?? attributes.number ?? "unit"}`,
      };
    },
    Reconciler: async ({ set }) => {
      await pause(workMs);
      const lines = (set ?? []).slice(1);
      const total = lines.reduce((sum, m) => sum + (Number(m.attributes.amount) || 0), 0);
      return {
        attributes: { reconciled_total: total, lines_closed: lines.length },
        reasoning: `${lines.length} lines reconciled`,
      };
    },
  };
}

export function orderHandlers(opts: DemoOptions = {}): Record<string, Handler> {
  const seed = opts.seed ?? 1;
  const workMs = opts.workMs ?? 0;
  return {
    Picker: async ({ attributes }) => {
      await pause(workMs);
      return { attributes: { picked: true, items: Number(attributes.items ?? 1) } };
    },
    Packer: async ({ attributes }) => {
      await pause(workMs);
      return { attributes: { parcels: Math.max(1, Math.ceil(Number(attributes.items ?? 1) / 3)) } };
    },
    Carrier: async ({ attributes }) => {
      await pause(workMs);
      const code = Math.floor(fate(String(attributes.order), seed) * 1e6);
      return { attributes: { carrier: "Demo Express", tracking: `DX${String(code).padStart(6, "0")}` } };
    },
    Ship_Fixer: async () => ({ attributes: { repacked: true } }),
    Order_Fixer: async () => ({ attributes: { refunded: true } }),
  };
}
