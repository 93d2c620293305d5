/**
 * The engine's time is the instance database's: a process whose own clock is 60 s fast
 * neither reclaims a fresh lease nor writes its skewed time into heartbeats, lease expiry or
 * audit entries. On SQLite the database lives on the machine and its clock is the process's,
 * so the skew test runs on the servers.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";

const support = (file: string) => fileURLToPath(new URL(`../support/${file}`, import.meta.url));

/** Runs test/support/skewed-process.ts with its wall clock `skewMs` ahead; resolves with its JSON line. */
function runSkewed(arg: unknown, skewMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", support("skewed-clock.ts"), support("skewed-process.ts"), JSON.stringify(arg)],
      { env: { ...process.env, SKEW_MS: String(skewMs) }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`skewed process exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim()) as Record<string, unknown>);
    });
  });
}

const SKEW_MS = 60_000;
const LEASE_SECONDS = 30;
/** How far apart the test's clock and the engine's may be: the database runs on this machine. */
const CLOSE_MS = 5_000;

for (const engine of engines.filter((e) => e.name !== "sqlite")) {
  describe.skipIf(engine.skipReason !== null)(`the engine's clock on ${engine.name}`, () => {
    const h = useChameleon(engine, { leaseTimeoutSeconds: LEASE_SECONDS });

    it("a process whose clock is 60 s fast keeps a fresh lease and writes the database's time", async () => {
      const I = (
        await h.ch.instances.create({
          workflow: "Minimal",
          name: uniqueName("clock"),
          actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
        })
      ).instanceId;
      const { uowId } = await h.ch.work.start(I, { attributes: { n: 1 } });
      const held = (await h.ch.work.checkout(I, { role: "Work", actorId: "ann" }))!;

      const out = await runSkewed(
        {
          templatesUrl: h.fresh.templatesUrl,
          instancesUrl: h.fresh.instancesUrl,
          instance: I,
          uowId,
          leaseToken: held.leaseToken,
          actorId: "ann",
          leaseTimeoutSeconds: LEASE_SECONDS,
        },
        SKEW_MS,
      );
      const now = Date.now();
      // The child's own clock really was fast.
      expect(Date.parse(out.processNow as string) - now).toBeGreaterThan(SKEW_MS - CLOSE_MS);

      expect(out.swept).toEqual({ reclaimed: 0, timedOut: 0, failures: [] });
      const unit = await h.ch.work.get(I, uowId);
      expect(unit).toMatchObject({ status: "ACTIVE" });
      expect(Math.abs(Date.parse(out.leaseExpiresAt as string) - (now + LEASE_SECONDS * 1000))).toBeLessThan(CLOSE_MS);
      const row = await h.ch.stores.instances.db
        .selectFrom("units_of_work")
        .select(["lease_token", "last_heartbeat_at"])
        .where("uow_id", "=", uowId)
        .executeTakeFirstOrThrow();
      expect(row.lease_token).toBe(held.leaseToken);
      expect(Math.abs(row.last_heartbeat_at!.getTime() - now)).toBeLessThan(CLOSE_MS);

      const history = await h.ch.work.history(I, out.started as string);
      expect(history.map((e) => e.event)).toContain("GENESIS");
      for (const entry of history) expect(Math.abs(entry.timestamp.getTime() - now)).toBeLessThan(CLOSE_MS);
      const started = await h.ch.stores.instances.db
        .selectFrom("units_of_work")
        .select(["created_at", "entered_interaction_at"])
        .where("uow_id", "=", out.started as string)
        .executeTakeFirstOrThrow();
      expect(Math.abs(started.created_at.getTime() - now)).toBeLessThan(CLOSE_MS);
      expect(Math.abs(started.entered_interaction_at.getTime() - now)).toBeLessThan(CLOSE_MS);
    });
  });
}
