/**
 * Run with a skewed wall clock (test/support/skewed-clock.ts): sweeps, heartbeats the lease it
 * is given and starts a unit, then prints what the engine answered and what this process
 * believes the time is, as one JSON line.
 */
import { openChameleon } from "../../src/chameleon.js";

const args = JSON.parse(process.argv[2]!) as {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  uowId: string;
  leaseToken: string;
  actorId: string;
  leaseTimeoutSeconds: number;
};
const ch = await openChameleon({
  templatesUrl: args.templatesUrl,
  instancesUrl: args.instancesUrl,
  leaseTimeoutSeconds: args.leaseTimeoutSeconds,
});
try {
  const swept = await ch.sweep(args.instance);
  const beat = await ch.work.heartbeat(args.instance, {
    uowId: args.uowId,
    leaseToken: args.leaseToken,
    actorId: args.actorId,
  });
  const started = await ch.work.start(args.instance, { attributes: { from: "skewed" } });
  process.stdout.write(
    JSON.stringify({
      swept,
      leaseExpiresAt: beat.leaseExpiresAt.toISOString(),
      started: started.uowId,
      processNow: new Date().toISOString(),
    }) + "\n",
  );
} finally {
  await ch.close();
}
