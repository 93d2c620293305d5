/**
 * Who the bearer token is: what a client (the console) needs after sign-in to choose its
 * pages, without guessing from refusals. An actor token learns its instance and its roles.
 */
import type { Chameleon } from "../../chameleon.js";
import { route, type Registrar } from "../route.js";
import { SessionReply } from "../schemas.js";

export function sessionRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "GET",
      url: "/session",
      operationId: "getSession",
      access: "any",
      tags: ["operations"],
      summary: "Who this token is: the admin, an operator (admin or viewer), or an actor with its instance and roles",
      response: SessionReply,
      handler: async ({ caller: who }) => {
        const caller = who!; // not public: the authentication hook has set it
        if (caller.kind !== "actor") return { kind: caller.kind, operator: caller.operator, actor: null };
        const instance = await ch.instances.get(caller.instanceId);
        const roleNames = new Set(instance.actors.find((a) => a.actorId === caller.actorId)?.roles ?? []);
        return {
          kind: "actor" as const,
          operator: null,
          actor: {
            instanceId: caller.instanceId,
            instanceName: caller.instanceName,
            actorId: caller.actorId,
            actorName: caller.actorName,
            roles: instance.roles
              .filter((r) => roleNames.has(r.name))
              .map((r) => ({ name: r.name, type: r.type, workflow: r.workflow })),
          },
        };
      },
    }),
  ];
}
