/**
 * GET /metrics: the server's Prometheus metrics (docs/observe.md), in the text format. By default
 * it needs a token like every read (an operator's viewer token is the one to give a scraper; an
 * actor token is refused); `metrics: "public"` (`serve --metrics-public`) serves it without one,
 * for a scraper on a private network that sends none.
 */
import type { ChameleonMetrics } from "../../metrics/registry.js";
import { route, type Registrar } from "../route.js";
import { TextReply } from "../schemas.js";

/** The media type of Prometheus's text format, as prom-client writes it. */
export const METRICS_MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function metricsRoutes(metrics: ChameleonMetrics, access: "public" | "operator"): Registrar[] {
  return [
    route({
      method: "GET",
      url: "/metrics",
      operationId: "getMetrics",
      // A GET with access "admin" admits the admin token and operator tokens (a viewer's too), not actor tokens.
      access: access === "public" ? "public" : "admin",
      tags: ["operations"],
      summary: "Prometheus metrics of this server (text format 0.0.4)",
      description:
        "Counters and histograms of the steps this server ran (checkout wait, step duration, steps, failures, reclaims, timeouts, by instance and role), units by instance, interaction and status and the oldest waiting unit's age (read from the instance store, cached a few seconds), open event streams and the database pools. The admin token or an operator token (a viewer token is enough); public when the server was started with --metrics-public. Every metric and label is listed in docs/observe.md.",
      response: TextReply,
      responseTypes: [METRICS_MEDIA_TYPE],
      handler: async ({ reply }) => {
        const text = await metrics.text();
        void reply.type(metrics.contentType);
        return text;
      },
    }),
  ];
}
