/**
 * The README's library example, run as written (its store URLs from the environment) on every
 * engine: its units end FINALIZED. And the worker's warning when an actor holds an OMEGA role
 * the worker has no handler for (so that the SYSTEM actor leaves its units alone).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openChameleon, type Chameleon } from "../../src/index.js";
import { engines, type FreshStores } from "../support/engines.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The first ts block of README.md's "Library" section, as it is there. */
function readmeLibraryExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Library\n"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("README.md has no ts block under ## Library");
  return block[1]!;
}

function runTs(file: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), file], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`the README's library example on ${engine.name}`, () => {
    let fresh: FreshStores;
    let dir: string;
    beforeAll(async () => {
      fresh = await engine.fresh();
      // Inside the package, so that `import "chameleon-workflow"` finds it (dist/, built before the suite).
      dir = mkdtempSync(join(ROOT, "test", ".readme-"));
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await fresh?.drop();
    });

    it("runs as written and finalizes its units", { timeout: 120_000 }, async () => {
      const file = join(dir, "library-example.ts");
      writeFileSync(file, readmeLibraryExample());
      const result = await runTs(file, {
        CHAMELEON_TEMPLATES_URL: fresh.templatesUrl,
        CHAMELEON_INSTANCES_URL: fresh.instancesUrl,
      });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
      try {
        const units = await ch.work.list("my-deployment");
        expect(units.map((u) => u.status)).toEqual(["FINALIZED", "FINALIZED"]);
      } finally {
        await ch.close();
      }
    });
  });

  describe.skipIf(engine.skipReason !== null)(
    `a worker without a handler for an assigned OMEGA role on ${engine.name}`,
    () => {
      let fresh: FreshStores;
      let ch: Chameleon;
      beforeAll(async () => {
        fresh = await engine.fresh();
        ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
        await ch.templates.importYaml(readFileSync(join(ROOT, "examples/minimal.yml"), "utf8"));
      });
      afterAll(async () => {
        await ch?.close();
        await fresh?.drop();
      });

      it("warns once, naming the role and the actor", { timeout: 60_000 }, async () => {
        const { instanceId } = await ch.instances.create({
          workflow: "Minimal",
          name: "finish-assigned",
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work", "Finish"] }],
        });
        const worker = ch.worker({
          instanceId,
          handlers: { Work: () => ({}) },
          pollIntervalMs: 10,
          sweepIntervalMs: 0,
        });
        const warnings: { role: string; message: string }[] = [];
        worker.on("warning", (w) => warnings.push(w));
        await worker.start();
        await ch.work.start(instanceId, { attributes: {}, actorId: "ann" });
        // The unit waits for ann in Finish: the worker did Work, and SYSTEM did not take Finish.
        for (let i = 0; i < 100 && (await ch.work.list(instanceId, { status: "COMPLETED" })).length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        await worker.stop();
        expect((await ch.work.list(instanceId)).map((u) => u.status)).toEqual(["COMPLETED"]);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]!.role).toBe("Finish");
        expect(warnings[0]!.message).toMatch(
          /^role 'Finish' \(OMEGA\) is assigned to 'ann' and this worker has no handler/,
        );
      });

      it("says nothing when nobody is assigned to the role", { timeout: 60_000 }, async () => {
        const { instanceId } = await ch.instances.create({
          workflow: "Minimal",
          name: "finish-free",
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann@example.com", roles: ["Start", "Work"] }],
        });
        const worker = ch.worker({ instanceId, handlers: { Work: () => ({}) }, sweepIntervalMs: 0 });
        const warnings: unknown[] = [];
        worker.on("warning", (w) => warnings.push(w));
        await worker.start();
        await worker.stop();
        expect(warnings).toEqual([]);
      });
    },
  );
}
