/** Health and operations. */
import type { Chameleon } from "../../chameleon.js";
import { route, type Registrar } from "../route.js";
import { HealthReply, SweepBody, SweepReply } from "../schemas.js";

export function adminRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "GET",
      url: "/health",
      operationId: "getHealth",
      access: "public",
      tags: ["operations"],
      summary: "Liveness: the server answers (no token needed)",
      response: HealthReply,
      handler: async () => ({ status: "ok" as const }),
    }),
    route({
      method: "POST",
      url: "/admin/sweep",
      operationId: "sweep",
      access: "admin",
      tags: ["operations"],
      summary: "Reclaim expired leases and time out stale units now (the server also sweeps every few seconds)",
      body: SweepBody,
      response: SweepReply,
      handler: ({ body }) => ch.sweep(body.instanceId),
    }),
  ];
}
