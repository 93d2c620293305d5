/**
 * A worker process for multi-process tests, run with `node --import tsx`: runs the worker with
 * the demo invoice handlers until it receives SIGTERM, then stops gracefully and prints what
 * it processed as one JSON line.
 */
import { openChameleon } from "../../src/chameleon.js";
import { invoiceHandlers } from "../../src/demo/handlers.js";

const args = JSON.parse(process.argv[2]!) as {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  sweepIntervalMs?: number;
};
const ch = await openChameleon({
  templatesUrl: args.templatesUrl,
  instancesUrl: args.instancesUrl,
  leaseTimeoutSeconds: 10,
  humanLeaseTimeoutSeconds: 10,
});
const processed: { role: string; uowId: string }[] = [];
const errors: string[] = [];
const worker = ch.worker({
  instanceId: args.instance,
  handlers: invoiceHandlers({ seed: 11, failureRate: 0.1 }),
  concurrency: 4,
  pollIntervalMs: 20,
  sweepIntervalMs: args.sweepIntervalMs ?? 1000,
});
worker.on("processed", (p) => processed.push({ role: p.role, uowId: p.uowId }));
worker.on("failed", (p) => processed.push({ role: p.role, uowId: p.uowId }));
worker.on("error", (e) => errors.push(e.message));
await worker.start();
process.stdout.write(JSON.stringify({ started: true }) + "\n");
process.on("SIGTERM", () => {
  void worker.stop().then(async () => {
    process.stdout.write(JSON.stringify({ processed, errors }) + "\n");
    await ch.close();
    process.exit(0);
  });
});
