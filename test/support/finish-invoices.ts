/** Runs an instance of the invoice example with a worker until `invoices` base units are FINALIZED (or a minute passes). */
import type { Chameleon } from "../../src/chameleon.js";
import { invoiceHandlers } from "../../src/demo/handlers.js";

/** The invoices (base units) FINALIZED when the worker stopped: all of them, unless it ran out of time. */
export async function finishInvoices(
  ch: Chameleon,
  instanceId: string,
  invoices: number,
  seed: number,
  timeoutMs = 60_000,
): Promise<number> {
  const worker = ch.worker({ instanceId, handlers: invoiceHandlers({ seed, failureRate: 0 }), pollIntervalMs: 5 });
  await worker.start();
  const deadline = Date.now() + timeoutMs;
  let finalized = 0;
  try {
    while (Date.now() < deadline) {
      const bases = (await ch.work.list(instanceId)).filter((u) => u.parentId === null);
      finalized = bases.filter((u) => u.status === "FINALIZED").length;
      if (finalized === invoices) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await worker.stop();
  }
  return finalized;
}
