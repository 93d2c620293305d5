import type { Command } from "commander";

export function registerWork(_program: Command): void {}
