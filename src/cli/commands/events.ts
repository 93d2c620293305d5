/** `chameleon events INSTANCE`: the instance's audit entries, and with --follow those still to come. */
import type { Command } from "commander";
import type { InstanceEvent } from "../../engine/events.js";
import { collect, globals, withChameleon } from "../io.js";

const when = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

export function formatEvent(e: InstanceEvent): string {
  const where = [e.role ?? "", e.interaction ?? ""].filter(Boolean).join(" @ ");
  return [when(e.timestamp), e.event, e.actorName, where, e.uowId, e.details === null ? "" : JSON.stringify(e.details)]
    .filter((part) => part !== "")
    .join("  ");
}

export function registerEvents(program: Command): void {
  program
    .command("events")
    .description(
      "The audit entries of an instance, oldest first, one a line (NDJSON with --json, each with its cursor); --follow waits for new ones, written by any process",
    )
    .argument("<instance>", "instance name or id")
    .option("--follow", "keep printing entries as they are written, until interrupted")
    .option("--after <cursor>", "start after the entry with this cursor (from an earlier --json line or the last line)")
    .option("--unit <uow>", "only the entries of this unit")
    .option("--event <event>", "only entries of this event (GENESIS, CHECKOUT, SUBMIT, ...); repeat for more", collect)
    .action(
      async (
        instance: string,
        opts: { follow?: boolean; after?: string; unit?: string; event?: string[] },
        cmd: Command,
      ) => {
        const json = globals(cmd).json === true;
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        let last: string | null = opts.after ?? null;
        try {
          await withChameleon(cmd, async (ch) => {
            const stream = ch.events(instance, {
              follow: opts.follow === true,
              signal: abort.signal,
              ...(opts.after === undefined ? {} : { after: opts.after }),
              ...(opts.unit === undefined ? {} : { uowId: opts.unit }),
              ...(opts.event === undefined ? {} : { events: opts.event }),
            });
            for await (const e of stream) {
              process.stdout.write((json ? JSON.stringify(e) : formatEvent(e)) + "\n");
              last = e.cursor;
            }
          });
        } finally {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
        }
        // Where to go on from, for people (the JSON lines carry their cursors).
        if (!json && last !== null) process.stderr.write(`resume with: --after ${last}\n`);
      },
    );
}
