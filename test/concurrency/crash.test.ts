/**
 * A worker killed with SIGKILL while it holds units: after the lease timeout a sweep puts
 * its units back, another worker finishes them once, and a submit with the dead worker's old
 * lease is refused without changing anything.
 */
import { describe, expect, it } from "vitest";
import { ConflictError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { invariantViolations } from "../support/invariants.js";
import { LAB } from "../support/lab.js";
import { startTsProcess } from "../support/processes.js";

const LEASE_SECONDS = 2;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`a worker killed on ${engine.name}`, () => {
    const h = useChameleon(engine, { leaseTimeoutSeconds: LEASE_SECONDS });

    it("loses its units to the sweep, and its late submit is refused", { timeout: 120_000 }, async () => {
      const { ch } = h;
      await ch.templates.importYaml(LAB);
      const inst = await ch.instances.create({
        workflow: "Lab",
        name: uniqueName("crash"),
        actors: [
          { name: "doomed", type: "AI_AGENT", identityKey: "doomed", roles: ["Sorter"] },
          { name: "survivor", type: "AI_AGENT", identityKey: "survivor", roles: ["Sorter"] },
        ],
      });
      const sentAt = new Date(Date.now() + 600_000).toISOString();
      const started = await ch.work.startMany(
        inst.instanceId,
        Array.from({ length: 5 }, (_, n) => ({ attributes: { kind: "done", n, sent_at: sentAt } })),
      );
      const doomed = startTsProcess("../support/race-worker.ts", {
        templatesUrl: h.fresh.templatesUrl,
        instancesUrl: h.fresh.instancesUrl,
        instance: inst.instanceId,
        actor: "doomed",
        mode: "hold",
        hold: 3,
        leaseTimeoutSeconds: LEASE_SECONDS,
      });
      const { held } = (await doomed.firstLine) as { held: { uowId: string; leaseToken: string }[] };
      expect(held).toHaveLength(3);
      doomed.child.kill("SIGKILL");
      expect((await doomed.exited).signal).toBe("SIGKILL");

      // Before the lease runs out the units stay with the dead worker.
      expect((await ch.sweep(inst.instanceId)).reclaimed).toBe(0);
      for (const u of held) expect((await ch.work.get(inst.instanceId, u.uowId)).status).toBe("ACTIVE");
      await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 300));
      expect(await ch.sweep(inst.instanceId)).toEqual({ reclaimed: 3, timedOut: 0, failures: [] });

      const finished: string[] = [];
      for (;;) {
        const u = await ch.work.checkout(inst.instanceId, { role: "Sorter", actorId: "survivor" });
        if (!u) break;
        await ch.work.submit(inst.instanceId, {
          uowId: u.uowId,
          leaseToken: u.leaseToken,
          actorId: "survivor",
          attributes: { by: "survivor" },
        });
        finished.push(u.uowId);
      }
      expect(finished.sort()).toEqual(started.map((s) => s.uowId).sort());

      for (const u of held) {
        const late = ch.work.submit(inst.instanceId, { ...u, actorId: "doomed", attributes: { by: "ghost" } });
        await expect(late).rejects.toThrow(ConflictError);
        const now = await ch.work.get(inst.instanceId, u.uowId);
        expect(now).toMatchObject({ status: "COMPLETED", attributes: { by: "survivor" } });
        const history = await ch.work.history(inst.instanceId, u.uowId);
        expect(history.map((e) => e.event)).toEqual(["GENESIS", "CHECKOUT", "RECLAIM", "CHECKOUT", "SUBMIT"]);
        expect(history.filter((e) => e.event === "SUBMIT")).toHaveLength(1);
      }
      expect(await invariantViolations(ch, inst.instanceId)).toEqual([]);
    });
  });
}
