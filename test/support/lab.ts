/** Helpers for engine scenarios: the Lab blueprint, a movable clock, and checkout-then-submit. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Chameleon } from "../../src/chameleon.js";

export const LAB = readFileSync(fileURLToPath(new URL("../fixtures/lab.yml", import.meta.url)), "utf8");

/** The Lab blueprint under another name, with another child disposition. */
export function labVariant(name: string, disposition: "ARCHIVE" | "PRUNE" | "SELECTIVE"): string {
  return LAB.replace("name: Lab\n", `name: ${name}\n`).replace(
    '{ child_disposition: SELECTIVE, keep_if: "keep == true" }',
    disposition === "SELECTIVE"
      ? '{ child_disposition: SELECTIVE, keep_if: "keep == true" }'
      : `{ child_disposition: ${disposition} }`,
  );
}

export class TestClock {
  ms = Date.UTC(2026, 10, 26, 12, 0, 0);
  readonly now = () => new Date(this.ms);
  advance(seconds: number) {
    this.ms += seconds * 1000;
  }
}

/** Checks out the next unit of a role (expecting one) and submits it. */
export async function step(
  ch: Chameleon,
  instance: string,
  role: string,
  actorId: string,
  submit: Record<string, unknown> = {},
  expectUow?: string,
) {
  const unit = await ch.work.checkout(instance, { role, actorId });
  expect(unit, `a unit for ${role}`).not.toBeNull();
  if (expectUow) expect(unit!.uowId).toBe(expectUow);
  const result = await ch.work.submit(instance, {
    uowId: unit!.uowId,
    leaseToken: unit!.leaseToken,
    actorId,
    ...submit,
  });
  return { unit: unit!, result };
}

export async function events(ch: Chameleon, instance: string, uowId: string): Promise<string[]> {
  return (await ch.work.history(instance, uowId)).map((e) => e.event);
}
