import type { Command } from "commander";

export function registerActor(_program: Command): void {}
