/**
 * An operator in the console, in a real browser: the instances, an instance's units filtered
 * by a condition, a bulk cancel of two chosen units after a confirmation naming the count; a
 * unit's page with its attribute versions and the admin moves; the actors page issuing a token
 * shown once; pause and resume from the overview. A viewer token sees the lists without the moves.
 */
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { makeInvoices } from "../../src/demo/data.js";
import { example } from "../support/fixtures.js";
import { startTsProcess } from "../support/processes.js";
import { engines } from "../support/engines.js";
import { uniqueName, useChameleon } from "../support/fixtures.js";
import { ADMIN, useHttp } from "../http/support.js";
import { browserSkipReason, screenshot, useBrowser } from "./browser.js";

/** Waits until the element's text passes, reading it again and again (the page polls the server). */
async function untilText(locator: Locator, passes: (text: string) => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  let last = "";
  while (Date.now() < end) {
    last = (await locator.textContent()) ?? "";
    if (passes(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out: the text stayed '${last}'`);
}

const consoleEngines = engines.filter((e) => e.name === "sqlite" || e.name === "postgres");

for (const engine of consoleEngines) {
  const skip = engine.skipReason ?? browserSkipReason;
  describe.skipIf(skip !== null)(`the console for an operator on ${engine.name}`, () => {
    const h = useChameleon(engine);
    const api = useHttp(h);
    const b = useBrowser();

    it("filters units, bulk-cancels two after confirming, and moves one held unit", { timeout: 90_000 }, async () => {
      const inst = uniqueName("console_ops");
      await h.ch.instances.create({
        workflow: "Minimal",
        name: inst,
        actors: [
          { name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] },
          { name: "bob", type: "HUMAN", identityKey: "bob", roles: ["Work"] },
        ],
      });
      const ids: string[] = [];
      for (const amount of [100, 9000, 9500, 50]) {
        ids.push((await h.ch.work.start(inst, { actorId: "ann", attributes: { amount, vendor: "ACME" } })).uowId);
      }
      const { page, foreign } = await b.page();
      await page.goto(`${api.base}/ui/`);
      await page.getByLabel("Token").fill(ADMIN);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Instances" }).waitFor();
      // Each instance with its units by status.
      await untilText(page.locator(`tr[data-instance="${inst}"] td[data-status="PENDING"]`), (t) => t === "4");
      await page.getByRole("link", { name: inst }).click();
      await page.getByRole("heading", { name: "Interactions" }).waitFor(); // an instance opens on its overview
      await page.getByRole("link", { name: "Units", exact: true }).click();
      await page.getByRole("heading", { name: "Units" }).waitFor();

      await page.getByLabel("Condition").fill("amount > 5000");
      await page.getByRole("button", { name: "Filter" }).click();
      const rows = page.getByRole("table").getByRole("row");
      await rows.filter({ hasText: "9500" }).waitFor();
      expect(await rows.count()).toBe(3); // the header and the two big ones
      await page.getByLabel(`Select ${ids[1]}`).check();
      await page.getByLabel(`Select ${ids[2]}`).check();
      await page.getByRole("button", { name: "Cancel selected (2)" }).click();
      await screenshot(page, "units");
      const dialog = page.getByRole("dialog");
      await expect(dialog.textContent()).resolves.toMatch(/Cancel 2 units\? .*cannot be undone/);
      await dialog.getByLabel("Reason").fill("duplicates of INV-7");
      await dialog.getByRole("button", { name: "Cancel 2 units" }).click();
      await expect(page.getByRole("status").textContent()).resolves.toBe("Cancelled 2 of 2.");
      for (const id of [ids[1]!, ids[2]!]) {
        const unit = await h.ch.work.get(inst, id);
        expect(unit.status).toBe("FINALIZED");
        const last = (await h.ch.work.history(inst, id)).at(-1)!;
        expect(last.details).toMatchObject({ by: "admin", reason: "duplicates of INV-7" });
      }
      expect((await h.ch.work.get(inst, ids[0]!)).status).toBe("PENDING");

      // A held unit: reassigned from its page, with the reason in the audit log.
      await h.ch.work.checkout(inst, { role: "Work", actorId: "ann", uowId: ids[0] });
      await page.goto(`${api.base}/ui/instances/${inst}/work/${ids[0]}`);
      await page.getByRole("heading", { name: "Operator moves" }).waitFor();
      await page.getByLabel("Reason (kept in the audit log)").fill("ann is away");
      await page.getByLabel("Reassign to").selectOption("bob");
      await page.getByRole("button", { name: "Reassign" }).click();
      await expect(page.getByRole("status").textContent()).resolves.toBe("Reassigned to bob.");
      expect((await h.ch.work.get(inst, ids[0]!)).heldBy).toBe("bob");
      await page.getByRole("row").filter({ hasText: "amount" }).first().waitFor();
      await screenshot(page, "unit");

      // Actors: a token is shown once.
      await page.goto(`${api.base}/ui/instances/${inst}/actors`);
      await page.getByRole("button", { name: "Issue a token for bob" }).click();
      const shown = await page.locator("code.token").textContent();
      expect(shown).toMatch(/^chm_/);
      expect((await h.ch.actors.resolveToken(shown!))?.actorName).toBe("bob");
      expect(foreign).toEqual([]);
    });

    it("pauses a role and the instance from the overview, and resumes them", { timeout: 90_000 }, async () => {
      const inst = uniqueName("console_pause");
      await h.ch.instances.create({
        workflow: "Minimal",
        name: inst,
        actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
      });
      const { page, foreign } = await b.page();
      await page.goto(`${api.base}/ui/instances/${inst}/overview`);
      await page.getByLabel("Token").fill(ADMIN);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByLabel("Reason (kept in the instance's history)").fill("month-end");
      await page.getByRole("button", { name: "Pause Work" }).click();
      await untilText(page.locator('li[data-role="Work"]'), (t) => /paused by admin/.test(t));
      expect((await h.ch.instances.get(inst)).paused.roles).toMatchObject([
        { role: "Work", by: "admin", reason: "month-end" },
      ]);
      await page.getByRole("button", { name: "Pause instance" }).click();
      await untilText(page.locator("p.pause-state"), (t) => /The instance is paused by admin/.test(t));
      expect((await h.ch.instances.get(inst)).status).toBe("PAUSED");
      await page.getByRole("button", { name: "Resume instance" }).click();
      await untilText(page.locator("p.pause-state"), (t) => /The instance runs/.test(t));
      await page.getByRole("button", { name: "Resume Work" }).click();
      await untilText(page.locator('li[data-role="Work"]'), (t) => /runs/.test(t));
      expect((await h.ch.instances.get(inst)).paused).toEqual({ instance: null, roles: [] });
      expect(foreign).toEqual([]);
    });

    it(
      "shows the overview move live when a worker in another process takes the waiting units",
      { timeout: 90_000 },
      async () => {
        const inst = uniqueName("console_live");
        await h.ch.instances.create({
          workflow: "Invoice_Approval",
          name: inst,
          actors: [
            { name: "mail", type: "AI_AGENT", identityKey: "mail", roles: ["Intake", "Splitter"] },
            { name: "checker", type: "AI_AGENT", identityKey: "checker", roles: ["Line_Checker"] },
            { name: "ada", type: "HUMAN", identityKey: "ada", roles: ["Approver"] },
            { name: "fixer", type: "AI_AGENT", identityKey: "fixer", roles: ["Fixer"] },
          ],
        });
        for (const invoice of makeInvoices(6, 5)) {
          await h.ch.work.start(inst, { actorId: "mail", attributes: { ...invoice } });
        }
        const { page, foreign } = await b.page();
        await page.goto(`${api.base}/ui/instances/${inst}/overview`);
        await page.getByLabel("Token").fill(ADMIN);
        await page.getByRole("button", { name: "Sign in" }).click();
        const waitingInInbox = page.locator('tr[data-interaction="Inbox"] td[data-count="waiting"]');
        await expect(waitingInInbox.textContent()).resolves.toBe("6");
        await page.locator("img.graph").waitFor();

        const worker = startTsProcess("./worker-process.ts", {
          templatesUrl: h.fresh.templatesUrl,
          instancesUrl: h.fresh.instancesUrl,
          instance: inst,
        });
        try {
          await worker.firstLine;
          // The page is not reloaded: the counts follow what the other process does.
          await untilText(waitingInInbox, (t) => t === "0");
          await untilText(page.locator('.total .n[data-status="FINALIZED"]'), (t) => Number(t) >= 6);
          await screenshot(page, "overview");
        } finally {
          worker.child.kill("SIGTERM");
          await worker.exited;
        }
        expect(foreign).toEqual([]);
      },
    );

    it(
      "imports a blueprint, and shows a broken one's errors by rule and line, storing nothing",
      { timeout: 60_000 },
      async () => {
        const { page } = await b.page();
        await page.goto(`${api.base}/ui/blueprints`);
        await page.getByLabel("Token").fill(ADMIN);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { name: "Blueprints" }).waitFor();
        await page.getByRole("cell", { name: "Invoice_Approval", exact: true }).waitFor();
        const before = (await h.ch.templates.list()).length;
        const broken = example("minimal.yml")
          .replace("name: Minimal", "name: Broken_Console")
          .replace(
            "{ name: Work_Out, role: Work, interaction: Done,",
            "{ name: Work_Out, role: Work, interaction: Nowhere,",
          );
        await page.getByLabel("Blueprint YAML").fill(broken);
        await page.getByRole("button", { name: "Import" }).click();
        const alert = page.getByRole("alert");
        await alert.getByRole("row").nth(1).waitFor();
        const cells = await alert.getByRole("row").nth(1).getByRole("cell").allTextContents();
        expect(cells[1]).toBe("19"); // the line of Work_Out
        expect(Number(cells[0])).toBeGreaterThanOrEqual(0);
        expect(cells[3]).toMatch(/Nowhere/);
        expect((await h.ch.templates.list()).length).toBe(before);
        await page
          .getByLabel("Blueprint YAML")
          .fill(example("minimal.yml").replace("name: Minimal", "name: Good_Console"));
        await page.getByRole("button", { name: "Import" }).click();
        await expect(page.getByRole("status").textContent()).resolves.toBe("Good_Console version 1 stored");
        await page.getByRole("cell", { name: "Good_Console", exact: true }).waitFor();
        // A stored version: its exported YAML and its graph.
        await page.getByRole("button", { name: "Show Good_Console version 1" }).click();
        await untilText(page.locator("pre.yaml"), (t) => /name: Good_Console/.test(t));
        await page.getByRole("img", { name: "The graph of Good_Console version 1" }).waitFor();
      },
    );

    it("links a unit waiting in a SIGMA gateway to its nested copy, and back", { timeout: 60_000 }, async () => {
      const inst = uniqueName("console_nested");
      await h.ch.instances.create({
        workflow: "Order_Fulfilment",
        name: inst,
        actors: [{ name: "pat", type: "AI_AGENT", identityKey: "pat", roles: ["Order_Desk", "Picker"] }],
      });
      const { uowId } = await h.ch.work.start(inst, { actorId: "pat", attributes: { order: 7 } });
      const picked = await h.ch.work.checkout(inst, { role: "Picker", actorId: "pat", uowId });
      await h.ch.work.submit(inst, { uowId, leaseToken: picked!.leaseToken, actorId: "pat" });
      const copy = (await h.ch.work.get(inst, uowId)).nestedCopy!;
      expect(copy).toBeTruthy();
      const { page } = await b.page();
      await page.goto(`${api.base}/ui/instances/${inst}/work/${uowId}`);
      await page.getByLabel("Token").fill(ADMIN);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("link", { name: copy }).click();
      await page.getByText("waits in the gateway").waitFor();
      await page.getByRole("heading", { name: /To_Pack/ }).waitFor();
      await page.getByRole("link", { name: uowId }).click();
      await page.getByText("runs the nested workflow").waitFor();
    });

    it("shows a viewer the lists without the moves", { timeout: 60_000 }, async () => {
      const inst = uniqueName("console_view");
      await h.ch.instances.create({
        workflow: "Minimal",
        name: inst,
        actors: [{ name: "ann", type: "HUMAN", identityKey: "ann", roles: ["Start", "Work"] }],
      });
      const started = await h.ch.work.start(inst, { actorId: "ann", attributes: { amount: 1 } });
      const { token } = await h.ch.operators.issueToken({ name: "vic", scope: "viewer" });
      const { page } = await b.page();
      await page.goto(`${api.base}/ui/instances/${inst}/units`);
      await page.getByLabel("Token").fill(token);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("vic (viewer)").waitFor();
      await page.goto(`${api.base}/ui/instances/${inst}/units`);
      await page.getByRole("link", { name: started.uowId.slice(-8) }).waitFor();
      expect(await page.getByRole("button", { name: /Cancel selected/ }).count()).toBe(0);
      await page.getByRole("link", { name: started.uowId.slice(-8) }).click();
      await page.getByRole("heading", { name: "Attribute versions" }).waitFor();
      expect(await page.getByRole("heading", { name: "Operator moves" }).count()).toBe(0);
      await page.goto(`${api.base}/ui/instances/${inst}/actors`);
      await page.getByRole("cell", { name: "ann" }).first().waitFor();
      expect(await page.getByRole("button", { name: /Issue a token/ }).count()).toBe(0);
    });
  });
}
