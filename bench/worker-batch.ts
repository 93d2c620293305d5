/**
 * The worker's batchSize, measured: one worker drains the chain blueprint (four steps per unit,
 * then OMEGA with SYSTEM) on one engine, with trivial handlers, and prints steps/s.
 * Run `node --import tsx bench/worker-batch.ts [sqlite|postgres|mysql] [units] [batchSize] [concurrency]`.
 */
import { openChameleon } from "../src/chameleon.js";
import { chainBlueprint } from "./blueprints.js";
import { engines } from "../test/support/engines.js";

const engine = (process.argv[2] ?? "sqlite") as "sqlite" | "postgres" | "mysql";
const units = Number(process.argv[3] ?? 1000);
const batchSize = Number(process.argv[4] ?? 1);
const concurrency = Number(process.argv[5] ?? 16);
const STEPS = 4;
const fresh = await engines.find((e) => e.name === engine)!.fresh();
const ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
try {
  await ch.templates.importYaml(chainBlueprint("Chain", STEPS));
  const roles = Array.from({ length: STEPS }, (_, i) => `S${i + 1}`);
  const inst = await ch.instances.create({
    workflow: "Chain",
    name: "worker-batch",
    actors: [{ name: "p", type: "AI_AGENT", identityKey: "p", roles }],
  });
  for (let i = 0; i < units; i += 500) {
    await ch.work.startMany(
      inst.instanceId,
      Array.from({ length: Math.min(500, units - i) }, (_, j) => ({ attributes: { n: i + j, tag: "bench" } })),
    );
  }
  const handlers = Object.fromEntries(roles.map((role) => [role, () => ({ attributes: { [role]: true } })]));
  const worker = ch.worker({
    instanceId: inst.instanceId,
    handlers,
    batchSize,
    concurrency,
    pollIntervalMs: 5,
    sweepIntervalMs: 0,
  });
  let steps = 0;
  worker.on("processed", () => steps++);
  worker.on("error", (e) => console.error(e.message));
  const started = performance.now();
  await worker.start();
  const total = units * (STEPS + 1); // four steps and the OMEGA finalize per unit
  while (steps < total) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  console.log(
    JSON.stringify({ engine, units, batchSize, concurrency, steps, steps_per_s: Math.round(steps / seconds) }),
  );
} finally {
  await ch.close();
  await fresh.drop();
}
