/** Blueprints: import (YAML, or JSON `{ yaml }`), list, versions, export and graph. Admin (and viewer for reads). */
import type { Chameleon } from "../../chameleon.js";
import { ValidationError } from "../../errors.js";
import { route, type Registrar } from "../route.js";
import {
  BlueprintYaml,
  GRAPH_MEDIA_TYPES,
  ImportReply,
  ImportTemplateBody,
  TemplateExportQuery,
  TemplateGraphQuery,
  TemplateList,
  TemplateParams,
  TemplateVersions,
  TextReply,
} from "../schemas.js";

const YAML_REPLY_TYPE = "application/yaml; charset=utf-8";

/** The media types read as blueprint YAML text. */
export const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];

export function templateRoutes(ch: Chameleon): Registrar[] {
  return [
    route({
      method: "POST",
      url: "/templates",
      operationId: "importTemplate",
      access: "admin",
      tags: ["templates"],
      summary: "Import a blueprint",
      description:
        'The body is the blueprint YAML with `Content-Type: application/yaml`, or JSON `{ "yaml": "..." }`. ' +
        "Every workflow of the blueprint is stored, or none is; an unchanged one stores nothing (`created: false`).",
      bodyByType: {
        "application/json": ImportTemplateBody,
        ...Object.fromEntries(YAML_TYPES.map((t) => [t, BlueprintYaml])),
      },
      response: ImportReply,
      handler: async ({ body }: { body: unknown }) => {
        if (typeof body === "string") return ch.templates.importYaml(body);
        if (body !== null && typeof body === "object" && typeof (body as { yaml?: unknown }).yaml === "string") {
          return ch.templates.importYaml((body as { yaml: string }).yaml);
        }
        throw ValidationError.single(
          "body",
          'body: send the blueprint YAML with Content-Type: application/yaml, or JSON { "yaml": "..." }',
        );
      },
    }),
    route({
      method: "GET",
      url: "/templates",
      operationId: "listTemplates",
      access: "admin",
      tags: ["templates"],
      summary: "List every stored blueprint version",
      response: TemplateList,
      handler: () => ch.templates.list(),
    }),
    route({
      method: "GET",
      url: "/templates/:name/versions",
      operationId: "listTemplateVersions",
      access: "admin",
      tags: ["templates"],
      summary: "List the stored versions of one workflow, oldest first",
      params: TemplateParams,
      response: TemplateVersions,
      handler: ({ params }) => ch.templates.versions(params.name),
    }),
    route({
      method: "GET",
      url: "/templates/:name/export",
      operationId: "exportTemplate",
      access: "admin",
      tags: ["templates"],
      summary: "Export one version of a workflow as blueprint YAML (application/yaml)",
      description: "The newest version unless `version` names one. The YAML imports back to the same structure.",
      params: TemplateParams,
      querystring: TemplateExportQuery,
      response: TextReply,
      responseTypes: [YAML_REPLY_TYPE],
      handler: async ({ params, query, reply }) => {
        const yaml = await ch.templates.exportYaml(params.name, versionOf(query.version));
        void reply.type(YAML_REPLY_TYPE);
        return yaml;
      },
    }),
    route({
      method: "GET",
      url: "/templates/:name/graph",
      operationId: "getTemplateGraph",
      access: "admin",
      tags: ["templates"],
      summary: "Draw one version of a workflow: SVG, DOT or Mermaid",
      description:
        "The newest version unless `version` names one. `format`: svg (default, image/svg+xml, rendered by Graphviz), " +
        "dot (text/vnd.graphviz) or mermaid (text/plain).",
      params: TemplateParams,
      querystring: TemplateGraphQuery,
      response: TextReply,
      responseTypes: Object.values(GRAPH_MEDIA_TYPES),
      handler: async ({ params, query, reply }) => {
        const format = query.format ?? "svg";
        const text = await ch.templates.graph(params.name, { format, version: versionOf(query.version) });
        void reply.type(GRAPH_MEDIA_TYPES[format]);
        return text;
      },
    }),
  ];
}

const versionOf = (text: string | undefined) => (text === undefined ? undefined : Number(text));
