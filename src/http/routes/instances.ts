/** Instances, their actors, role assignments and actor tokens. */
import type { Chameleon } from "../../chameleon.js";
import { asReader } from "../auth.js";
import { route, type Registrar } from "../route.js";
import {
  ActorBody,
  ActorParams,
  ActorReply,
  CreateInstanceBody,
  CreatedInstanceReply,
  GRAPH_MEDIA_TYPES,
  InstanceGraphQuery,
  InstanceList,
  InstanceParams,
  InstanceReply,
  OverviewQuery,
  OverviewReply,
  RoleParams,
  TextReply,
  TokenParams,
  TokenReply,
} from "../schemas.js";

export function instanceRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "POST",
      url: "/instances",
      operationId: "createInstance",
      access: "admin",
      tags: ["instances"],
      summary: "Create an instance of a workflow, with its actors",
      body: CreateInstanceBody,
      status: 201,
      response: CreatedInstanceReply,
      handler: ({ body }) => ch.instances.create(body),
    }),
    route({
      method: "GET",
      url: "/instances",
      operationId: "listInstances",
      access: "admin",
      tags: ["instances"],
      summary: "List instances",
      response: InstanceList,
      handler: () => ch.instances.list(),
    }),
    route({
      method: "GET",
      url: "/instances/:id",
      operationId: "getInstance",
      access: "instance",
      tags: ["instances"],
      summary: "Show an instance: workflows, roles, actors and their roles",
      params: InstanceParams,
      response: InstanceReply,
      handler: ({ instance }) => ch.instances.get(instance),
    }),
    route({
      method: "GET",
      url: "/instances/:id/overview",
      operationId: "getInstanceOverview",
      access: "instance",
      tags: ["instances"],
      summary: "Instance overview: units by status, waiting, held, failures and throughput per interaction and role",
      description:
        "Per interaction and per role: units by status, how many wait and the oldest one's age, units held and by whom, " +
        "failures (FAIL and REJECT) and finalized units of the last hour, finalized per minute (60 numbers, oldest first); " +
        "instance totals; the latest failures with their reasons. The server keeps an overview per instance for " +
        "`maxAgeSeconds` (default 2), and counts FINALIZED units apart, at most every `finalizedMaxAgeSeconds` (default 60).",
      params: InstanceParams,
      querystring: OverviewQuery,
      response: OverviewReply,
      handler: ({ instance, query, caller }) =>
        ch.instances.overview(instance, {
          ...asReader(caller),
          ...(query.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: Number(query.maxAgeSeconds) }),
          ...(query.finalizedMaxAgeSeconds === undefined
            ? {}
            : { finalizedMaxAgeSeconds: Number(query.finalizedMaxAgeSeconds) }),
        }),
    }),
    route({
      method: "GET",
      url: "/instances/:id/graph",
      operationId: "getInstanceGraph",
      access: "instance",
      tags: ["instances"],
      summary: "The instance's graph with live counts on each interaction, optionally one unit marked",
      description:
        "Drawn from the instance store (never the template store): the master workflow, the unit's (`uow`) or a " +
        "nested one (`workflow`), each interaction labelled with the overview's counts. `format`: svg (default, " +
        "image/svg+xml), dot (text/vnd.graphviz) or mermaid (text/plain).",
      params: InstanceParams,
      querystring: InstanceGraphQuery,
      response: TextReply,
      responseTypes: Object.values(GRAPH_MEDIA_TYPES),
      handler: async ({ instance, query, reply, caller }) => {
        const format = query.format ?? "svg";
        const text = await ch.instances.graph(instance, {
          format,
          ...asReader(caller),
          ...(query.uow === undefined ? {} : { uow: query.uow }),
          ...(query.workflow === undefined ? {} : { workflow: query.workflow }),
          ...(query.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: Number(query.maxAgeSeconds) }),
        });
        void reply.type(GRAPH_MEDIA_TYPES[format]);
        return text;
      },
    }),
    route({
      method: "POST",
      url: "/instances/:id/actors",
      operationId: "addActor",
      access: "admin",
      tags: ["actors"],
      summary: "Add an actor to an instance",
      params: InstanceParams,
      body: ActorBody,
      status: 201,
      response: ActorReply,
      handler: ({ instance, body }) => ch.actors.add(instance, body),
    }),
    route({
      method: "PUT",
      url: "/instances/:id/actors/:actor/roles/:role",
      operationId: "assignRole",
      access: "admin",
      tags: ["actors"],
      summary: "Assign a role to an actor",
      params: RoleParams,
      status: 204,
      handler: ({ instance, params }) => ch.actors.assign(instance, params.actor, params.role),
    }),
    route({
      method: "DELETE",
      url: "/instances/:id/actors/:actor/roles/:role",
      operationId: "revokeRole",
      access: "admin",
      tags: ["actors"],
      summary: "Revoke an actor's role",
      params: RoleParams,
      status: 204,
      handler: ({ instance, params }) => ch.actors.revoke(instance, params.actor, params.role),
    }),
    route({
      method: "POST",
      url: "/instances/:id/actors/:actor/tokens",
      operationId: "issueActorToken",
      access: "admin",
      tags: ["actors"],
      summary: "Issue a bearer token for an actor",
      description:
        "The token is in this response only; the store keeps its hash. It acts as that actor, in its instance.",
      params: ActorParams,
      status: 201,
      response: TokenReply,
      handler: ({ instance, params }) => ch.actors.issueToken(instance, params.actor),
    }),
    route({
      method: "DELETE",
      url: "/tokens/:tokenId",
      operationId: "revokeToken",
      access: "admin",
      tags: ["actors"],
      summary: "Revoke an actor token",
      params: TokenParams,
      status: 204,
      handler: ({ params }) => ch.actors.revokeToken(params.tokenId),
    }),
  ];
}
