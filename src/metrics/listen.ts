/**
 * The worker's metrics endpoint (`chameleon worker --metrics-port`): a plain HTTP server that
 * answers GET /metrics with the registry's text and 404 to anything else. It takes no token:
 * it listens on 127.0.0.1 unless told otherwise, and says nothing about units beyond counts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChameleonMetrics } from "./registry.js";

export interface MetricsServer {
  /** The port it listens on (the one given, or the one picked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

export async function listenForMetrics(metrics: ChameleonMetrics, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: GET /metrics\n");
      return;
    }
    metrics.text().then(
      (text) =>
        response
          .writeHead(200, { "content-type": metrics.contentType })
          .end(request.method === "HEAD" ? undefined : text),
      (error: unknown) =>
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
