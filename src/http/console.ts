/**
 * The web console, served from the package's built files (`dist/console`, made by `npm run
 * build`) under /ui/. Its files need no token: a browser cannot send a bearer header when it
 * navigates; the app then sends the token it keeps on every API call. Every path under /ui/
 * that is not a file is the app's page (a reload of /ui/work/U), so pages never collide with
 * API routes. The pages may load nothing but this server's own files.
 */
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { existsSync, statSync } from "node:fs";
import { join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the build puts the console, from this file in src/http or dist/http alike. */
export const CONSOLE_DIR = fileURLToPath(new URL("../../dist/console/", import.meta.url));

const POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:", // the graph: the server's SVG shown as an image
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function registerConsole(app: FastifyInstance, dir: string = CONSOLE_DIR): Promise<void> {
  const built = existsSync(join(dir, "index.html"));
  // Cache headers are this file's: the page must be asked again, the hashed assets never.
  if (built) await app.register(fastifyStatic, { root: dir, serve: false, cacheControl: false });
  const page = (reply: FastifyReply) =>
    reply.header("cache-control", "no-cache").header("content-security-policy", POLICY).sendFile("index.html");
  const notBuilt = (reply: FastifyReply) =>
    reply
      .code(404)
      .send({ error: "NotFoundError", message: "the console is not built into this package: run npm run build" });
  const hidden = { hide: true } as Record<string, unknown>;

  app.get("/", { config: { access: "public" }, schema: hidden }, async (_request, reply) => reply.redirect("/ui/"));
  app.get("/ui", { config: { access: "public" }, schema: hidden }, async (_request, reply) => reply.redirect("/ui/"));
  app.get<{ Params: { "*": string } }>(
    "/ui/*",
    { config: { access: "public" }, schema: hidden },
    async (request, reply) => {
      if (!built) return notBuilt(reply);
      const wanted = normalize(request.params["*"] ?? "");
      const inside = wanted !== "" && !wanted.startsWith("..") && !wanted.includes(`${sep}..`);
      if (inside && isFile(join(dir, wanted))) {
        // Built assets carry a content hash in their names: they never change.
        const immutable = wanted.startsWith(`assets${sep}`);
        reply.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
        return reply.sendFile(wanted);
      }
      return page(reply);
    },
  );
}
