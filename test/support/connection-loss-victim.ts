/**
 * A process whose database connections are killed from outside (test/store/connection-loss.test.ts),
 * run with `node --import tsx`. It runs at once the three kinds of users of the library: a
 * worker (ch.worker with the invoice handlers), the HTTP server, and a library caller that
 * starts units and reads them back in a loop. It prints `{ port }` once listening, then every
 * 200 ms `{ progress }` with what each has done, and on SIGTERM a last line after stopping.
 * An unhandled 'error' event would end the process with a stack on stderr and no last line.
 */
import type { AddressInfo } from "node:net";
import { openChameleon } from "../../src/chameleon.js";
import { makeInvoices } from "../../src/demo/data.js";
import { invoiceHandlers } from "../../src/demo/handlers.js";
import { createHttpServer } from "../../src/http/server.js";

const args = JSON.parse(process.argv[2]!) as {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  adminToken: string;
};
const ch = await openChameleon({
  templatesUrl: args.templatesUrl,
  instancesUrl: args.instancesUrl,
  leaseTimeoutSeconds: 3,
  humanLeaseTimeoutSeconds: 3,
});

const progress = { processed: 0, workerErrors: 0, started: 0, reads: 0, callerErrors: [] as string[] };
const worker = ch.worker({
  instanceId: args.instance,
  handlers: invoiceHandlers({ seed: 7, failureRate: 0 }),
  concurrency: 3,
  pollIntervalMs: 10,
  sweepIntervalMs: 500,
});
worker.on("processed", () => progress.processed++);
worker.on("failed", () => progress.processed++);
worker.on("error", () => progress.workerErrors++);
await worker.start();

const app = createHttpServer(ch, { adminToken: args.adminToken, sweepIntervalMs: 0 });
await app.listen({ port: 0, host: "127.0.0.1" });

let stopping = false;
const invoices = makeInvoices(100_000, 3);
async function caller(): Promise<void> {
  while (!stopping) {
    try {
      const { uowId } = await ch.work.start(args.instance, { attributes: invoices[progress.started]!, actorId: "bot" });
      progress.started++;
      await ch.work.get(args.instance, uowId);
      await ch.work.history(args.instance, uowId);
      progress.reads++;
    } catch (error) {
      // Each failure must be one of the library's typed errors, never a raw driver error.
      progress.callerErrors.push(`${(error as Error).name}: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
const calling = caller();

const print = (line: unknown) => process.stdout.write(JSON.stringify(line) + "\n");
print({ port: (app.server.address() as AddressInfo).port });
const ticker = setInterval(() => print({ progress }), 200);

process.on("SIGTERM", () => {
  stopping = true;
  clearInterval(ticker);
  void (async () => {
    await calling;
    await worker.stop();
    await app.close();
    await ch.close();
    print({ stopped: true, progress });
    process.exit(0);
  })();
});
