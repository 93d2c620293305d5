/**
 * A worker process for the concurrency and crash tests, run with `node --import tsx`.
 * Argument: one JSON object.
 *  - mode "race": takes Sorter, Worker and End work of a Lab instance until it has found none
 *    for a while; splits every base unit whose `n` is a multiple of 10 into 3 children.
 *  - mode "hold": checks out `hold` units of the Sorter and prints their leases, then waits to
 *    be killed.
 * Prints one JSON line per event on stdout.
 */
import { openChameleon } from "../../src/chameleon.js";

interface Args {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  actor: string;
  mode: "race" | "hold";
  hold?: number;
  leaseTimeoutSeconds?: number;
}

const args = JSON.parse(process.argv[2]!) as Args;
const ch = await openChameleon({
  templatesUrl: args.templatesUrl,
  instancesUrl: args.instancesUrl,
  leaseTimeoutSeconds: args.leaseTimeoutSeconds,
});
const say = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + "\n");
const { instance, actor } = args;
let nonce = 0;
const stamp = () => `${process.pid}:${++nonce}`;

if (args.mode === "hold") {
  const leases = [];
  for (let i = 0; i < (args.hold ?? 1); i++) {
    const u = await ch.work.checkout(instance, { role: "Sorter", actorId: actor });
    if (u) leases.push({ uowId: u.uowId, leaseToken: u.leaseToken });
  }
  say({ held: leases });
  setInterval(() => {}, 1000); // wait for SIGKILL
} else {
  let idle = 0;
  const done = { Sorter: 0, Worker: 0, End: 0 };
  while (idle < 40) {
    let worked = false;
    const sorted = await ch.work.checkout(instance, { role: "Sorter", actorId: actor });
    if (sorted) {
      const n = Number(sorted.attributes.n);
      const children =
        n % 10 === 0 ? [1, 2, 3].map((i) => ({ attributes: { kind: "work", line: i, keep: true } })) : undefined;
      await ch.work.submit(instance, {
        uowId: sorted.uowId,
        leaseToken: sorted.leaseToken,
        actorId: actor,
        attributes: { sorted_by: stamp() },
        children,
      });
      done.Sorter++;
      worked = true;
    }
    const job = await ch.work.checkout(instance, { role: "Worker", actorId: actor });
    if (job) {
      await ch.work.submit(instance, {
        uowId: job.uowId,
        leaseToken: job.leaseToken,
        actorId: actor,
        attributes: { worked_by: stamp() },
      });
      done.Worker++;
      worked = true;
    }
    const set = await ch.work.checkout(instance, { role: "End", actorId: actor });
    if (set) {
      await ch.work.submit(instance, {
        uowId: set.uowId,
        leaseToken: set.leaseToken,
        actorId: actor,
        attributes: { closed_by: stamp() },
      });
      done.End++;
      worked = true;
    }
    idle = worked ? 0 : idle + 1;
    if (!worked) await new Promise((r) => setTimeout(r, 25));
  }
  say({ done });
  await ch.close();
}
