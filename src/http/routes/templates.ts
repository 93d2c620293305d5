/** Blueprints: import (YAML, or JSON `{ yaml }`) and list. Admin only. */
import type { Chameleon } from "../../chameleon.js";
import { ValidationError } from "../../errors.js";
import { route, type Registrar } from "../route.js";
import { BlueprintYaml, ImportReply, ImportTemplateBody, TemplateList } from "../schemas.js";

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
  ];
}
