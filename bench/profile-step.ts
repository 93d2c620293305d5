/**
 * The anatomy of one workflow step, for profiling: one process checks out and submits units of
 * the chain blueprint on one engine, and prints steps/s and this process's CPU time per step.
 * Run under `node --cpu-prof --import tsx bench/profile-step.ts [sqlite|postgres|mysql] [units] [batch]`.
 */
import { openChameleon } from "../src/chameleon.js";
import { chainBlueprint } from "./blueprints.js";
import { engines } from "../test/support/engines.js";
import { serverCpuUs } from "./server-cpu.js";

const engine = (process.argv[2] ?? "sqlite") as "sqlite" | "postgres" | "mysql";
const units = Number(process.argv[3] ?? 2000);
const batch = Number(process.argv[4] ?? 1);
const STEPS = 4;
const fresh = await engines.find((e) => e.name === engine)!.fresh();
const ch = await openChameleon({ templatesUrl: fresh.templatesUrl, instancesUrl: fresh.instancesUrl });
try {
  await ch.templates.importYaml(chainBlueprint("Chain", STEPS));
  const roles = Array.from({ length: STEPS }, (_, i) => `S${i + 1}`);
  const inst = await ch.instances.create({
    workflow: "Chain",
    name: "profile",
    actors: [{ name: "p", type: "AI_AGENT", identityKey: "p", roles }],
  });
  for (let i = 0; i < units; i += 500) {
    await ch.work.startMany(
      inst.instanceId,
      Array.from({ length: Math.min(500, units - i) }, (_, j) => ({ attributes: { n: i + j, tag: "bench" } })),
    );
  }
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const serverBefore = serverCpuUs(engine, fresh.instancesUrl);
  let done = 0;
  for (const role of roles) {
    for (;;) {
      if (batch === 1) {
        const unit = await ch.work.checkout(inst.instanceId, { role, actorId: "p" });
        if (!unit) break;
        await ch.work.submit(inst.instanceId, {
          uowId: unit.uowId,
          leaseToken: unit.leaseToken,
          actorId: "p",
          attributes: { [role]: done },
        });
        done++;
        continue;
      }
      const held = await ch.work.checkoutMany(inst.instanceId, { role, actorId: "p", max: batch });
      if (held.length === 0) break;
      const results = await ch.work.submitMany(
        inst.instanceId,
        held.map((unit) => ({
          uowId: unit.uowId,
          leaseToken: unit.leaseToken,
          actorId: "p",
          attributes: { [role]: done },
        })),
      );
      done += results.filter((r) => r.ok).length;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time of this process per step: what the step costs the client, however busy the machine is.
  const cpuUsPerStep = Math.round((cpu.user + cpu.system) / done);
  const serverAfter = serverCpuUs(engine, fresh.instancesUrl);
  const serverUs = serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore;
  console.log(
    JSON.stringify({
      engine,
      batch,
      steps: done,
      steps_per_s: Math.round(done / seconds),
      cpu_us_per_step: cpuUsPerStep,
      server_cpu_us_per_step: serverUs === null ? null : Math.round(serverUs / done),
    }),
  );
} finally {
  await ch.close();
  await fresh.drop();
}
