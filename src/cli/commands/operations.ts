import type { Command } from "commander";

export function registerOperations(_program: Command): void {}
