/**
 * A person's work in the console, in a real browser: sign in with an actor token, find the
 * invoice line waiting for approval with its amount in the inbox, claim it, fill in the
 * role's form with a reasoning, submit; the line leaves the inbox and its history names the
 * person and their reasoning. A wrong token gets a plain sign-in error; a unit of another
 * role (the AI agent's invoice) is refused in plain words.
 */
import { describe, expect, it } from "vitest";
import { invoiceHandlers } from "../../src/demo/handlers.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { useHttp } from "../http/support.js";
import { browserSkipReason, screenshot, useBrowser } from "./browser.js";

const consoleEngines = engines.filter((e) => e.name === "sqlite" || e.name === "postgres");

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== null) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const engine of consoleEngines) {
  const skip = engine.skipReason ?? browserSkipReason;
  describe.skipIf(skip !== null)(`the console for a person on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const b = useBrowser();

    it("takes a person from sign-in through the inbox to a submitted approval", { timeout: 90_000 }, async () => {
      const inst = uniqueName("console_person");
      await h.ch.instances.create({
        workflow: "Invoice_Approval",
        name: inst,
        actors: [
          { name: "robot", type: "AI_AGENT", identityKey: "robot", roles: ["Intake", "Splitter", "Line_Checker"] },
          { name: "Ada Lovelace", type: "HUMAN", identityKey: "ada@example.com", roles: ["Approver"] },
          { name: "Bob", type: "HUMAN", identityKey: "bob@example.com", roles: ["Approver"] },
        ],
      });
      const { Splitter, Line_Checker } = invoiceHandlers({ failureRate: 0 });
      const worker = h.ch.worker({
        instanceId: inst,
        handlers: { Splitter: Splitter!, Line_Checker: Line_Checker! },
        pollIntervalMs: 20,
      });
      await worker.start();
      try {
        const invoice = await h.ch.work.start(inst, {
          actorId: "robot",
          attributes: {
            number: "INV-7",
            vendor: "ACME",
            currency: "EUR",
            total: 19_510,
            lines: [
              { sku: "PUMP-9", price: 6_000, qty: 2 },
              { sku: "BOLT-1", price: 10, qty: 1 },
              { sku: "VALVE-3", price: 7_500, qty: 1 },
            ],
          },
        });
        const [line, other] = await until("two lines to wait for approval", async () => {
          const rows = await h.ch.work.list(inst, { role: "Approver" });
          return rows.length === 2 ? rows : null;
        });
        const { token } = await h.ch.actors.issueToken(inst, "Ada Lovelace");

        const { page, foreign } = await b.page();
        await page.goto(`${api.base}/`);
        expect(new URL(page.url()).pathname).toBe("/ui/");
        await page.getByLabel("Token").fill("chm_not-a-real-token");
        await page.getByRole("button", { name: "Sign in" }).click();
        await expect(page.getByRole("alert").textContent()).resolves.toMatch(
          /not accepted: it is unknown or was revoked/,
        );

        await page.getByLabel("Token").fill(token);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { name: "Inbox" }).waitFor();
        const approver = page.getByRole("region", { name: /Approver/ });
        const row = approver.getByRole("row").filter({ hasText: "12000" });
        await row.waitFor();
        await expect(approver.getByRole("heading").textContent()).resolves.toMatch(/Approver\s*2 waiting/);
        expect(await approver.getByRole("columnheader").allTextContents()).toContain("amount");
        await screenshot(page, "inbox");
        // On a phone-width screen the page fits: wide tables scroll inside themselves.
        const phone = await b.page({ width: 390, height: 844 });
        await phone.page.goto(`${api.base}/ui/`);
        await phone.page.getByLabel("Token").fill(token);
        await phone.page.getByRole("button", { name: "Sign in" }).click();
        await phone.page.getByRole("row").filter({ hasText: "12000" }).waitFor();
        // (a string: this file is compiled without the DOM types)
        expect(await phone.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
        await screenshot(phone.page, "inbox-phone");

        await row.getByRole("link").click();
        await page.getByRole("button", { name: "Claim" }).click();
        await page.getByRole("heading", { name: "Your task, as Approver" }).waitFor();
        // The blueprint with the unit's place marked, drawn by the server from the instance.
        await page.getByRole("img", { name: /this unit's place marked \(Approvals\)/ }).waitFor();
        // The role's form, with its labels.
        await page.getByLabel("Note for the reconciler").fill("pump is on the order");
        await page.getByLabel("Approve this line? (required)").check();
        await page.getByLabel("Reasoning").fill("the pump was ordered in March");
        await screenshot(page, "task");
        await page.getByRole("button", { name: "Submit" }).click();
        await page.getByRole("heading", { name: "History" }).waitFor();
        await expect(page.getByRole("status").textContent()).resolves.toBe(
          "Submitted: the unit is COMPLETED in Reconciliation.",
        );
        const submitRow = page.getByRole("row").filter({ hasText: "SUBMIT" }).filter({ hasText: "Ada Lovelace" });
        await submitRow.waitFor();
        expect(await submitRow.textContent()).toMatch(/Ada Lovelace.*the pump was ordered in March/);

        const after = await h.ch.work.get(inst, line!.uowId);
        expect(after.attributes).toMatchObject({ approved: true, note: "pump is on the order" });
        await page.getByRole("link", { name: "Inbox" }).click();
        await approver.getByRole("row").filter({ hasText: "7500" }).waitFor();
        await approver.getByRole("row").filter({ hasText: "12000" }).waitFor({ state: "detached" });
        await expect(approver.getByRole("heading").textContent()).resolves.toMatch(/Approver\s*1 waiting/);

        // A claim taken from her while the page is open is said plainly.
        await approver.getByRole("row").filter({ hasText: "7500" }).getByRole("link").click();
        await page.getByRole("button", { name: "Claim" }).click();
        await page.getByRole("heading", { name: "Your task, as Approver" }).waitFor();
        await h.ch.work.reassign(inst, { uowId: other!.uowId, actorId: "Bob", by: "olga", reason: "Ada is away" });
        await expect(
          page
            .getByText("This task was reassigned to Bob. Your claim on it has ended.")
            .textContent({ timeout: 15_000 }),
        ).resolves.toBeTruthy();
        expect(await page.getByRole("button", { name: "Submit" }).count()).toBe(0);
        // The invoice itself is the robot's work, in no role of hers: a link to it says so plainly.
        await page.goto(`${api.base}/ui/work/${invoice.uowId}`);
        await expect(page.getByRole("alert").textContent()).resolves.toMatch(
          /actor 'Ada Lovelace' may read only the units of its roles and the units it has acted on/,
        );
        await screenshot(page, "task-not-hers");
        await page.getByRole("link", { name: "Back to your inbox" }).click();
        await page.getByRole("heading", { name: "Inbox" }).waitFor();
        expect(foreign).toEqual([]);
      } finally {
        await worker.stop();
      }
    });
  });
}
