/**
 * Who reads what (docs/engine.md): an actor reads the units of its roles and the units it has
 * acted on, lists only its roles' units or its own, follows only the entries of its roles, and
 * sees of the overview only its roles; an operator (no reader) reads everything. Through the
 * library, and over HTTP with actor tokens, on every engine.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError } from "../../src/errors.js";
import type { InstanceEvent } from "../../src/engine/events.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { useHttp } from "../http/support.js";

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`who reads what on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    let inst: string;
    /** Started by Brief, drafted by the writer: now waiting for the critic. */
    let drafted: string;
    /** Started by the system, waiting for the writer: no critic or briefer has touched it. */
    let untouched: string;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      inst = (
        await h.ch.instances.create({
          workflow: "Draft_Review",
          name: uniqueName("visibility"),
          actors: [
            { name: "Bria", type: "HUMAN", identityKey: "bria@example.com", roles: ["Brief"] },
            { name: "writer", type: "AI_AGENT", identityKey: "writer", roles: ["Writer"] },
            { name: "critic", type: "AI_AGENT", identityKey: "critic", roles: ["Critic"] },
          ],
        })
      ).instanceId;
      drafted = (await h.ch.work.start(inst, { actorId: "Bria", attributes: { topic: "tides" } })).uowId;
      const held = await h.ch.work.checkout(inst, { role: "Writer", actorId: "writer", uowId: drafted });
      await h.ch.work.submit(inst, {
        uowId: drafted,
        actorId: "writer",
        leaseToken: held!.leaseToken,
        attributes: { draft: "The tides turn twice a day." },
        reasoning: "kept it short, as the brief asked",
      });
      untouched = (await h.ch.work.start(inst, { attributes: { topic: "secret plans" } })).uowId;
      for (const actor of ["Bria", "writer", "critic"]) {
        tokens[actor] = (await h.ch.actors.issueToken(inst, actor)).token;
      }
    });

    const refused = async (read: Promise<unknown>, pattern: RegExp) => {
      const error = await read.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as Error).message).toMatch(pattern);
    };

    it("reads a unit waiting for one of its roles, or one it acted on; not another role's", async () => {
      // The critic's role waits for the draft: it reads the unit whole, the writer's reasoning too.
      const asCritic = await h.ch.work.history(inst, drafted, { reader: "critic" });
      expect(asCritic.map((e) => [e.event, e.actorName])).toEqual([
        ["GENESIS", "Bria"],
        ["CHECKOUT", "writer"],
        ["SUBMIT", "writer"],
      ]);
      expect(asCritic[2]!.reasoning).toBe("kept it short, as the brief asked");
      // The writer and Bria acted on it: they still read it where it went.
      expect((await h.ch.work.get(inst, drafted, { reader: "writer" })).attributes.draft).toBeTruthy();
      expect((await h.ch.work.get(inst, drafted, { reader: "Bria" })).interaction).toBe("To_Review");
      // The unit waiting for the writer: the writer reads it, the critic and Bria do not.
      expect((await h.ch.work.get(inst, untouched, { reader: "writer" })).attributes.topic).toBe("secret plans");
      for (const reader of ["critic", "Bria"]) {
        await refused(h.ch.work.get(inst, untouched, { reader }), /may read only the units of its roles/);
        await refused(h.ch.work.history(inst, untouched, { reader }), new RegExp(untouched));
        await refused(h.ch.work.attributeHistory(inst, untouched, { reader }), /acted on/);
        await refused(h.ch.instances.graph(inst, { uow: untouched, reader }), /acted on/);
        await refused(h.ch.events(inst, { uowId: untouched, reader, follow: false }).open(), /acted on/);
      }
      // Without a reader, the library reads as an operator.
      expect((await h.ch.work.get(inst, untouched)).uowId).toBe(untouched);
    });

    it("lists only its roles' units or the units it holds", async () => {
      const mine = await h.ch.work.list(inst, { role: "Critic", reader: "critic" });
      expect(mine.map((u) => u.uowId)).toEqual([drafted]);
      await refused(h.ch.work.list(inst, { reader: "critic" }), /lists only the units of its roles \(role: Critic\)/);
      await refused(h.ch.work.list(inst, { role: "Writer", reader: "critic" }), /role: Critic/);
      await refused(h.ch.work.list(inst, { status: "PENDING", reader: "Bria" }), /role: Brief/);
      expect([...(await h.ch.work.list(inst, { heldBy: "critic", reader: "critic" }))]).toEqual([]);
      expect(await h.ch.work.list(inst, {})).toHaveLength(2);
    });

    it("follows only the entries of its roles, of its roles' interactions and its own", async () => {
      const read = async (reader?: string) => {
        const out: InstanceEvent[] = [];
        for await (const e of h.ch.events(inst, { follow: false, ...(reader ? { reader } : {}) })) out.push(e);
        return out;
      };
      // A stream that does not follow ends at what is settled (on MariaDB, entries of the last
      // moments may wait for the settle window): read again until the setup's entries are there.
      const settled = async (reader: string | undefined, done: (e: InstanceEvent[]) => boolean) => {
        for (let i = 0; ; i++) {
          const got = await read(reader);
          if (done(got) || i >= 60) return got;
          await new Promise((r) => setTimeout(r, 500));
        }
      };
      const all = await settled(undefined, (e) => e.some((x) => x.uowId === untouched));
      const critic = await settled("critic", (e) => e.some((x) => x.event === "SUBMIT"));
      const writer = await settled("writer", (e) => e.some((x) => x.uowId === untouched));
      // The critic sees the draft arriving in To_Review, nothing of the unit still with the writer.
      expect(critic.map((e) => [e.event, e.uowId])).toEqual([["SUBMIT", drafted]]);
      expect(writer.map((e) => e.uowId)).toContain(untouched);
      expect(writer.length).toBeLessThan(all.length + 1);
      expect(all.filter((e) => e.uowId === untouched).map((e) => e.event)).toEqual(["GENESIS"]);
      expect(critic.every((e) => e.role === "Critic" || e.interaction === "To_Review")).toBe(true);
    });

    it("sees of the overview only its roles, their interactions and their failures", async () => {
      const whole = await h.ch.instances.overview(inst, { maxAgeSeconds: 0 });
      const own = await h.ch.instances.overview(inst, { maxAgeSeconds: 0, reader: "critic" });
      expect(whole.roles.map((r) => r.name)).toContain("Writer");
      expect(own.roles.map((r) => r.name)).toEqual(["Critic"]);
      expect(own.interactions.map((i) => i.name)).toEqual(["To_Review"]);
      expect(own.interactions[0]!.waiting).toBe(1);
      expect(own.totals.units).toBe(whole.totals.units);
    });

    it("over HTTP, an actor token reads as its actor; the admin reads everything", async () => {
      const as = (actor: string) => ({ token: tokens[actor]! });
      const denied = await api.call<{ error: string; message: string }>(
        "GET",
        `/instances/${inst}/work/${untouched}`,
        as("critic"),
      );
      expect(denied.status).toBe(403);
      expect(denied.body.message).toMatch(/actor 'critic' may read only the units of its roles/);
      for (const path of [`/work/${untouched}/history`, `/work/${untouched}/attributes/history`]) {
        expect((await api.call("GET", `/instances/${inst}${path}`, as("Bria"))).status).toBe(403);
      }
      expect((await api.call("GET", `/instances/${inst}/graph?uow=${untouched}`, as("critic"))).status).toBe(403);
      expect((await api.call("GET", `/instances/${inst}/work`, as("critic"))).status).toBe(403);
      const inbox = await api.call<{ uowId: string }[]>("GET", `/instances/${inst}/work?role=Critic`, as("critic"));
      expect(inbox.body.map((u) => u.uowId)).toEqual([drafted]);
      const history = await api.call<{ event: string }[]>(
        "GET",
        `/instances/${inst}/work/${drafted}/history`,
        as("critic"),
      );
      expect(history.status).toBe(200);
      const overview = await api.call<{ roles: { name: string }[] }>(
        "GET",
        `/instances/${inst}/overview?maxAgeSeconds=0`,
        as("critic"),
      );
      expect(overview.body.roles.map((r) => r.name)).toEqual(["Critic"]);
      expect((await api.call("GET", `/instances/${inst}/work/${untouched}`)).status).toBe(200);
      expect((await api.call<unknown[]>("GET", `/instances/${inst}/work`)).body).toHaveLength(2);
    });
  });
}
