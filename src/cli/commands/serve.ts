import type { Command } from "commander";

/** `chameleon serve`: to be written. */
export function registerServe(_program: Command): void {}
