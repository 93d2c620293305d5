/**
 * The console's build: a single-page app under /ui/, written into the package's dist/console,
 * which `chameleon serve` serves. Every file it loads comes from that server.
 */
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/ui/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    // One small app: no warning about chunk sizes for the React and query libraries.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npx vite --config console/vite.config.ts` beside `chameleon serve` on :3000.
    proxy: Object.fromEntries(
      ["/instances", "/templates", "/session", "/health", "/openapi.json", "/tokens", "/admin"].map((p) => [
        p,
        "http://127.0.0.1:3000",
      ]),
    ),
  },
});
