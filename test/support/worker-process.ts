/**
 * A worker process for multi-process tests, run with `node --import tsx`: runs the worker with
 * the demo invoice handlers until it receives SIGTERM, then stops gracefully and prints what
 * it processed as one JSON line.
 */

const args = JSON.parse(process.argv[2]!) as {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  sweepIntervalMs?: number;
  /** The worker's batchSize (default 1: one unit per checkout and submit). */
  batchSize?: number;
};
const processed: { role: string; uowId: string }[] = [];
const errors: string[] = [];
let stop: (() => Promise<void>) | null = null;
// Asked to stop while still waiting for the database (a supervisor's restart during a server
// restart): stop as soon as the worker is up, and still exit 0.
let stopAsked = false;
process.on("SIGTERM", () => {
  stopAsked = true;
  void stop?.();
});
// Imported only once the handler above is in place: a stop asked while the engine's modules
// still load must not kill the process by the signal's default action.
const { openChameleon } = await import("../../src/chameleon.js");
const { invoiceHandlers } = await import("../../src/demo/handlers.js");
const ch = await openChameleon({
  templatesUrl: args.templatesUrl,
  instancesUrl: args.instancesUrl,
  leaseTimeoutSeconds: 10,
  humanLeaseTimeoutSeconds: 10,
  // Started while the server restarts, it waits for it as `chameleon worker` does.
  waitForStoreSeconds: 60,
});
const worker = ch.worker({
  instanceId: args.instance,
  handlers: invoiceHandlers({ seed: 11, failureRate: 0.1 }),
  concurrency: (args.batchSize ?? 1) > 1 ? 8 : 4,
  batchSize: args.batchSize ?? 1,
  pollIntervalMs: 20,
  sweepIntervalMs: args.sweepIntervalMs ?? 1000,
});
worker.on("processed", (p) => processed.push({ role: p.role, uowId: p.uowId }));
worker.on("failed", (p) => processed.push({ role: p.role, uowId: p.uowId }));
worker.on("error", (e) => errors.push(e.message));
await worker.start();
process.stdout.write(JSON.stringify({ started: true }) + "\n");
stop = async () => {
  await worker.stop();
  process.stdout.write(JSON.stringify({ processed, errors }) + "\n");
  await ch.close();
  process.exit(0);
};
if (stopAsked) void stop();
