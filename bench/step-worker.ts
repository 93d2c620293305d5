/**
 * One process of the steps/s measurement: checks out and submits units of the chain blueprint
 * (downstream steps first) with `concurrency` loops until none is left, then prints how many
 * steps it did. With `batch` > 1 each loop claims up to `batch` units of a role at once
 * (work.checkoutMany) and submits them together (work.submitMany).
 *
 * With `durationMs` it runs for that long instead, waiting briefly when the queues are empty
 * (the measuring process keeps starting units), and prints its resident set size at the go
 * signal, every tenth of the run and at the end too: the memory check of a long run.
 */
import { openChameleon } from "../src/chameleon.js";

const { templatesUrl, instancesUrl, instance, actor, steps, concurrency, batch, durationMs } = JSON.parse(
  process.argv[2]!,
) as {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  actor: string;
  steps: number;
  concurrency: number;
  batch?: number;
  durationMs?: number;
};
const perClaim = batch ?? 1;
const ch = await openChameleon({ templatesUrl, instancesUrl });
const roles = Array.from({ length: steps }, (_, i) => `S${steps - i}`);
const rssMb = () => Math.round((process.memoryUsage.rss() / 2 ** 20) * 10) / 10;
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.destroy(); // the go signal came; an open stdin would keep the process alive
const rssAtGo = rssMb();
const cpuAtGo = process.cpuUsage();
const deadline = durationMs === undefined ? null : performance.now() + durationMs;
const rssSamples: number[] = [];
// Sampled from the loops, not by a timer: on SQLite a busy loop never yields to timers.
let nextSample = durationMs === undefined ? Infinity : performance.now() + durationMs / 10;
let done = 0;
/** Checkouts that found nothing to claim: the cost of polling queues that are empty or taken. */
let empty = 0;

/** One step of `role`: the units done, 0 when none waited. */
async function step(role: string): Promise<number> {
  if (perClaim === 1) {
    const unit = await ch.work.checkout(instance, { role, actorId: actor });
    if (!unit) return 0;
    await ch.work.submit(instance, {
      uowId: unit.uowId,
      leaseToken: unit.leaseToken,
      actorId: actor,
      attributes: { [role]: done },
    });
    return 1;
  }
  const held = await ch.work.checkoutMany(instance, { role, actorId: actor, max: perClaim });
  if (held.length === 0) return 0;
  const answers = await ch.work.submitMany(
    instance,
    held.map((unit) => ({
      uowId: unit.uowId,
      leaseToken: unit.leaseToken,
      actorId: actor,
      attributes: { [role]: done },
    })),
  );
  const refused = answers.find((a) => !a.ok);
  if (refused && !refused.ok) throw new Error(`submitMany refused ${refused.uowId}: ${refused.error.message}`);
  return answers.length;
}

/** One of `concurrency` loops, each a checkout-then-submit at a time, like a worker's slots. */
async function loop() {
  let idle = 0;
  for (;;) {
    if (deadline === null ? idle >= 3 : performance.now() >= deadline) return;
    if (performance.now() >= nextSample) {
      rssSamples.push(rssMb());
      nextSample += durationMs! / 10;
    }
    let worked = false;
    for (const role of roles) {
      const n = await step(role);
      done += n;
      if (n === 0) empty++;
      worked ||= n > 0;
    }
    idle = worked ? 0 : idle + 1;
    // A long run waits for the units the measuring process keeps starting.
    if (!worked && deadline !== null) await new Promise((r) => setTimeout(r, 20));
  }
}
await Promise.all(Array.from({ length: concurrency }, loop));
const cpu = process.cpuUsage(cpuAtGo);
const cpu_us = cpu.user + cpu.system;
const report =
  deadline === null
    ? { done, cpu_us, empty }
    : { done, cpu_us, empty, rss_start_mb: rssAtGo, rss_end_mb: rssMb(), rss_samples_mb: rssSamples };
process.stdout.write(JSON.stringify(report) + "\n");
await ch.close();
