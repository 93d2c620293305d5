/** A Chameleon on fresh databases of one engine, with the example blueprints imported. */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { openChameleon, type Chameleon, type ChameleonOptions } from "../../src/chameleon.js";
import type { FreshStores, TestEngine } from "./engines.js";

export const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

export function example(file: string): string {
  return readFileSync(`${EXAMPLES_DIR}${file}`, "utf8");
}

export const exampleFiles = () => readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".yml"));

export interface Harness {
  ch: Chameleon;
  fresh: FreshStores;
}

/**
 * Registers beforeAll/afterAll that open a Chameleon on fresh databases with every example
 * imported; the returned object is filled in once beforeAll has run.
 */
export function useChameleon(engine: TestEngine, options: Partial<ChameleonOptions> = {}): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.fresh = await engine.fresh();
    h.ch = await openChameleon({ templatesUrl: h.fresh.templatesUrl, instancesUrl: h.fresh.instancesUrl, ...options });
    for (const file of exampleFiles()) await h.ch.templates.importYaml(example(file));
  });
  afterAll(async () => {
    await h.ch?.close();
    await h.fresh?.drop();
  });
  return h;
}

let counter = 0;
/** A name no other test of this run uses. */
export const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${++counter}`;
