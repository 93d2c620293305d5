#!/usr/bin/env node
import { runCli } from "./program.js";

const code = await runCli(process.argv.slice(2));
// A command that finished but set an exit code (refused units of a bulk move, sweep failures) keeps it.
process.exitCode = code !== 0 ? code : (process.exitCode ?? 0);
