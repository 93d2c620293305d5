import type { Command } from "commander";

/** `chameleon mcp`: to be written. */
export function registerMcp(_program: Command): void {}
