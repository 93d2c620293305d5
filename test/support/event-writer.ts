/**
 * A writer process for the event stream tests, run with `node --import tsx`. Argument: one JSON
 * object { templatesUrl, instancesUrl, instance, units }. Starts `units` units of the instance,
 * one to five per transaction (one GENESIS entry each), then prints { started } and exits.
 */
import { openChameleon } from "../../src/chameleon.js";

interface Args {
  templatesUrl: string;
  instancesUrl: string;
  instance: string;
  units: number;
}

const args = JSON.parse(process.argv[2]!) as Args;
const ch = await openChameleon({ templatesUrl: args.templatesUrl, instancesUrl: args.instancesUrl });
let started = 0;
let i = 0;
while (started < args.units) {
  const n = Math.min(args.units - started, (i++ % 5) + 1);
  const batch = Array.from({ length: n }, (_, k) => ({ attributes: { writer: process.pid, n: started + k } }));
  if (n === 1) await ch.work.start(args.instance, batch[0]);
  else await ch.work.startMany(args.instance, batch);
  started += n;
}
process.stdout.write(JSON.stringify({ started }) + "\n");
await ch.close();
