#!/usr/bin/env node
import { runCli } from "./program.js";

// A reader that closes the output early (`| head -2`) wants no more of it: stop quietly, with
// the code so far. Whatever was written to a store was committed before its result was printed.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2));
// A command that finished but set an exit code (refused units of a bulk move, sweep failures) keeps it.
process.exitCode = code !== 0 ? code : (process.exitCode ?? 0);
