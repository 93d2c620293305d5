/**
 * A role's lease settings and form (rules 15 and 16) at run time, on each engine: the lease
 * each role's checkout, heartbeat and work.held answer and the sweep reclaims by, the HUMAN
 * default of a working day, max_attempts per role, and a form checked at submit (library and
 * HTTP) and returned by checkout, held and get.
 */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { TestClock } from "../support/lab.js";
import { useHttp } from "../http/support.js";

const BLUEPRINT = `
workflow: { name: Role_Settings }
roles:
  - { name: Start, type: ALPHA }
  - { name: Fast, type: BETA, strategy: HOMOGENEOUS, config: { lease_seconds: 60, max_attempts: 1 } }
  - { name: Plain, type: BETA, strategy: HOMOGENEOUS }
  - name: Desk
    type: HUMAN
    strategy: HOMOGENEOUS
    config:
      form:
        - { key: approved, type: boolean, label: Approve?, required: true }
        - { key: amount, type: number, required: true }
        - { key: decision, type: choice, choices: [pay, hold], default: pay }
        - { key: note, type: text }
  - { name: Finish, type: OMEGA }
  - { name: Repair, type: EPSILON }
  - { name: Watch, type: TAU }
interactions:
  - { name: Fast_Q }
  - { name: Plain_Q }
  - { name: Desk_Q }
  - { name: Done }
  - { name: Errors }
  - { name: Stale }
components:
  - { name: Start_Fast, role: Start, interaction: Fast_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: 'lane == "fast"' } } }
  - { name: Start_Plain, role: Start, interaction: Plain_Q, direction: OUTBOUND, guardian: { type: DIRECTIONAL_FILTER, config: { condition: 'lane == "plain"' } } }
  - { name: Start_Desk, role: Start, interaction: Desk_Q, direction: OUTBOUND }
  - { name: Fast_In, role: Fast, interaction: Fast_Q, direction: INBOUND }
  - { name: Fast_Out, role: Fast, interaction: Done, direction: OUTBOUND }
  - { name: Plain_In, role: Plain, interaction: Plain_Q, direction: INBOUND }
  - { name: Plain_Out, role: Plain, interaction: Done, direction: OUTBOUND }
  - { name: Desk_In, role: Desk, interaction: Desk_Q, direction: INBOUND }
  - { name: Desk_Out, role: Desk, interaction: Done, direction: OUTBOUND }
  - { name: Finish_In, role: Finish, interaction: Done, direction: INBOUND, guardian: { type: CERBERUS } }
  - { name: Repair_In, role: Repair, interaction: Errors, direction: INBOUND, guardian: { type: PASS_THRU } }
  - { name: Repair_Out, role: Repair, interaction: Done, direction: OUTBOUND }
  - { name: Watch_In, role: Watch, interaction: Stale, direction: INBOUND }
  - { name: Watch_Out, role: Watch, interaction: Errors, direction: OUTBOUND }
`;

const DESK_FORM = [
  { key: "approved", type: "boolean", label: "Approve?", required: true },
  { key: "amount", type: "number", required: true },
  { key: "decision", type: "choice", choices: ["pay", "hold"], default: "pay" },
  { key: "note", type: "text" },
];
const HOUR = 3_600;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== null)(`role lease settings and forms on ${engine.name}`, () => {
    const clock = new TestClock();
    const h = useChameleon(engine, { clock: clock.now, leaseTimeoutSeconds: 300, maxAttempts: 3 });
    const api = useHttp(h);

    const newInstance = async () => {
      await h.ch.templates.importYaml(BLUEPRINT);
      const { instanceId } = await h.ch.instances.create({
        workflow: "Role_Settings",
        name: uniqueName("roles"),
        actors: [{ name: "ops", type: "HUMAN", identityKey: "ops", roles: ["Start", "Fast", "Plain", "Desk"] }],
      });
      const start = async (attributes: Record<string, unknown>) =>
        (await h.ch.work.start(instanceId, { attributes, actorId: "ops" })).uowId;
      const checkout = async (role: string) => (await h.ch.work.checkout(instanceId, { role, actorId: "ops" }))!;
      return { instanceId, start, checkout };
    };
    /** The test clock `seconds` from now, as the engine reads it (the database clock's offset is a few ms at most). */
    const at = (seconds: number) => ({
      asymmetricMatch: (d: unknown) => d instanceof Date && Math.abs(d.getTime() - (clock.ms + seconds * 1000)) < 1000,
      toString: () => `about ${new Date(clock.ms + seconds * 1000).toISOString()}`,
    });

    it("each role's lease: checkout, heartbeat and held answer it, and the sweep reclaims by it", async () => {
      const { instanceId: I, start, checkout } = await newInstance();
      const fast = await start({ lane: "fast" });
      const plain = await start({ lane: "plain" });
      const desk = await start({ lane: "desk" });
      expect(await checkout("Fast")).toMatchObject({ uowId: fast, leaseExpiresAt: at(60), form: null });
      expect(await checkout("Plain")).toMatchObject({ uowId: plain, leaseExpiresAt: at(300) });
      const deskUnit = await checkout("Desk");
      // A HUMAN role without lease_seconds holds its unit for a working day.
      expect(deskUnit).toMatchObject({ uowId: desk, leaseExpiresAt: at(8 * HOUR) });
      const held = await h.ch.work.held(I, { actorId: "ops" });
      expect(Object.fromEntries(held.map((u) => [u.role, u.leaseExpiresAt]))).toEqual({
        Fast: at(60),
        Plain: at(300),
        Desk: at(8 * HOUR),
      });

      clock.advance(59);
      expect((await h.ch.sweep(I)).reclaimed).toBe(0);
      clock.advance(2);
      // Only Fast's 60 s ran out; its max_attempts of 1 fails the unit on its first expiry.
      expect(await h.ch.sweep(I)).toEqual({ reclaimed: 1, timedOut: 0, failures: [] });
      expect(await h.ch.work.get(I, fast)).toMatchObject({ status: "FAILED", interaction: "Errors" });
      expect(await h.ch.work.get(I, plain)).toMatchObject({ status: "ACTIVE" });

      const beat = await h.ch.work.heartbeat(I, { uowId: desk, leaseToken: deskUnit.leaseToken, actorId: "ops" });
      expect(beat.leaseExpiresAt).toEqual(at(8 * HOUR));

      clock.advance(240); // 301 s after Plain's checkout: the engine-wide 300 s ran out
      expect(await h.ch.sweep(I)).toEqual({ reclaimed: 1, timedOut: 0, failures: [] });
      // The default max_attempts (3) puts Plain's unit back for another attempt.
      expect(await h.ch.work.get(I, plain)).toMatchObject({ status: "PENDING", interaction: "Plain_Q", attempt: 1 });

      clock.advance(8 * HOUR - 241); // one second before the lease of the heartbeat (at 61 s) runs out
      expect((await h.ch.sweep(I)).reclaimed).toBe(0);
      expect(await h.ch.work.get(I, desk)).toMatchObject({ status: "ACTIVE" });
      clock.advance(2);
      expect((await h.ch.sweep(I)).reclaimed).toBe(1);
      expect(await h.ch.work.get(I, desk)).toMatchObject({ status: "PENDING", interaction: "Desk_Q", attempt: 1 });
    });

    it("max_attempts is the role's: a role's own limit fails the unit, another role's default puts it back", async () => {
      const { instanceId: I, start, checkout } = await newInstance();
      const plain = await start({ lane: "plain" });
      for (let attempt = 1; attempt <= 3; attempt++) {
        expect(await checkout("Plain")).toMatchObject({ uowId: plain, attempt });
        clock.advance(301);
        expect((await h.ch.sweep(I)).reclaimed).toBe(1);
        const status = attempt < 3 ? "PENDING" : "FAILED";
        expect(await h.ch.work.get(I, plain)).toMatchObject({ status });
      }
      const last = (await h.ch.work.history(I, plain)).at(-1);
      expect(last).toMatchObject({ event: "RECLAIM", details: { reason: "the lease expired on attempt 3 of 3" } });
      const fast = await start({ lane: "fast" });
      await checkout("Fast");
      clock.advance(61);
      await h.ch.sweep(I);
      expect((await h.ch.work.history(I, fast)).at(-1)).toMatchObject({
        event: "RECLAIM",
        details: { reason: "the lease expired on attempt 1 of 1" },
      });
    });

    it("a submit that misses a required field or gives a wrong type is refused naming the field, and writes nothing", async () => {
      const { instanceId: I, start, checkout } = await newInstance();
      const id = await start({ lane: "desk", amount: 120 });
      expect((await h.ch.work.get(I, id)).form).toEqual(DESK_FORM); // waiting for Desk
      const unit = await checkout("Desk");
      expect(unit.form).toEqual(DESK_FORM);
      expect((await h.ch.work.held(I, { actorId: "ops" }))[0]?.form).toEqual(DESK_FORM);
      expect((await h.ch.work.get(I, id)).form).toEqual(DESK_FORM);
      const lease = { uowId: id, leaseToken: unit.leaseToken, actorId: "ops" };
      const before = await h.ch.work.history(I, id);

      const missing = h.ch.work.submit(I, { ...lease, attributes: { note: "fine" } });
      await expect(missing).rejects.toThrow(ValidationError);
      await expect(missing).rejects.toThrow("attributes.approved is required by the form of role 'Desk'");
      const wrong = await h.ch.work
        .submit(I, { ...lease, attributes: { approved: "yes", amount: "12", decision: "later" } })
        .catch((e: unknown) => e);
      expect(wrong).toBeInstanceOf(ValidationError);
      expect((wrong as ValidationError).issues.map((i) => i.path)).toEqual([
        "attributes.approved",
        "attributes.amount",
        "attributes.decision",
      ]);
      expect((wrong as ValidationError).issues[2]?.message).toMatch(/must be one of "pay", "hold"/);
      const cleared = h.ch.work.submit(I, { ...lease, attributes: { approved: true, amount: null } });
      await expect(cleared).rejects.toThrow("attributes.amount is required");
      expect(await h.ch.work.get(I, id)).toMatchObject({ status: "ACTIVE", attributes: { lane: "desk", amount: 120 } });
      expect(await h.ch.work.history(I, id)).toEqual(before);

      // `amount` is already on the unit: the required field is present.
      const done = await h.ch.work.submit(I, { ...lease, attributes: { approved: true, decision: "hold" } });
      expect(done).toMatchObject({ status: "COMPLETED", interaction: "Done" });
    });

    it("over HTTP: checkout carries leaseExpiresAt and the form; a wrong submit is a 400 naming the field", async () => {
      const { instanceId: I, start } = await newInstance();
      const id = await start({ lane: "desk" });
      const token = (await h.ch.actors.issueToken(I, "ops")).token;
      const unit = await api.call<{ leaseToken: string; leaseExpiresAt: string; form: unknown }>(
        "POST",
        `/instances/${I}/checkout`,
        { token, body: { role: "Desk" } },
      );
      expect(unit.status, unit.text).toBe(200);
      expect(unit.body.form).toEqual(DESK_FORM);
      expect(Math.abs(Date.parse(unit.body.leaseExpiresAt) - (clock.ms + 8 * HOUR * 1000))).toBeLessThan(1000);
      const got = await api.call<{ form: unknown }>("GET", `/instances/${I}/work/${id}`, { token });
      expect(got.body.form).toEqual(DESK_FORM);
      const refused = await api.call<{ error: string; issues: { path: string }[] }>(
        "POST",
        `/instances/${I}/work/${id}/submit`,
        { token, body: { leaseToken: unit.body.leaseToken, attributes: { approved: true, amount: "ten" } } },
      );
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.issues.map((i) => i.path)).toEqual(["attributes.amount"]);
      expect(await h.ch.work.get(I, id)).toMatchObject({ status: "ACTIVE", attributes: { lane: "desk" } });
      const submitted = await api.call("POST", `/instances/${I}/work/${id}/submit`, {
        token,
        body: { leaseToken: unit.body.leaseToken, attributes: { approved: false, amount: 10 } },
      });
      expect(submitted.status, submitted.text).toBe(200);
    });
  });
}
