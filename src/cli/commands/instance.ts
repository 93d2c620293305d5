import type { Command } from "commander";

export function registerInstance(_program: Command): void {}
