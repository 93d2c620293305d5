/**
 * One process of the steps/s measurement: checks out and submits units of the chain blueprint
 * (downstream steps first) with `concurrency` loops until none is left, then prints how many
 * steps it did.
 */
import { openChameleon } from "../src/chameleon.js";

const { templatesUrl, instancesUrl, instance, actor, steps, concurrency } = JSON.parse(process.argv[2]!) as {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  actor: string;
  steps: number;
  concurrency: number;
};
const ch = await openChameleon({ templatesUrl, instancesUrl });
const roles = Array.from({ length: steps }, (_, i) => `S${steps - i}`);
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdin.destroy(); // the go signal came; an open stdin would keep the process alive
let done = 0;
/** One of `concurrency` loops, each a checkout-then-submit at a time, like a worker's slots. */
async function loop() {
  let idle = 0;
  while (idle < 3) {
    let worked = false;
    for (const role of roles) {
      const unit = await ch.work.checkout(instance, { role, actorId: actor });
      if (!unit) continue;
      await ch.work.submit(instance, {
        uowId: unit.uowId,
        leaseToken: unit.leaseToken,
        actorId: actor,
        attributes: { [role]: done },
      });
      done++;
      worked = true;
    }
    idle = worked ? 0 : idle + 1;
  }
}
await Promise.all(Array.from({ length: concurrency }, loop));
process.stdout.write(JSON.stringify({ done }) + "\n");
await ch.close();
