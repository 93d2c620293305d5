/** Role memory: what an actor of a role is served, and writing entries (admin). */
import type { Chameleon } from "../../chameleon.js";
import { route, type Registrar } from "../route.js";
import { InstanceParams, MemoryPutBody, MemoryPutReply, MemoryQuery, MemoryReply } from "../schemas.js";

export function memoryRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "GET",
      url: "/instances/:id/memory",
      operationId: "getMemory",
      access: "instance",
      tags: ["memory"],
      summary: "The memory an actor of a role is served: shared entries overlaid by its own",
      description: "With the admin token, name the actor in `actorId`; an actor token reads its own.",
      params: InstanceParams,
      querystring: MemoryQuery,
      response: MemoryReply,
      handler: ({ instance, query, actor }) => ch.memory.get(instance, { ...query, actorId: actor(query.actorId) }),
    }),
    route({
      method: "PUT",
      url: "/instances/:id/memory",
      operationId: "putMemory",
      access: "admin",
      tags: ["memory"],
      summary: "Write a memory entry: shared by the role, or an actor's own with actorId",
      params: InstanceParams,
      body: MemoryPutBody,
      status: 201,
      response: MemoryPutReply,
      handler: ({ instance, body }) => ch.memory.put(instance, body),
    }),
  ];
}
