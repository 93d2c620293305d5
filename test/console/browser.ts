/**
 * Debian's Chromium driven by playwright-core (no browser is downloaded): one browser per
 * suite, a fresh context per test. Where Chromium is missing the suites are skipped with the
 * reason, except in CI (`CI` set), where `.ci/run` installs it and its absence is a failure.
 */
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const browserSkipReason: string | null =
  existsSync(CHROMIUM) || process.env.CI ? null : `${CHROMIUM} is not installed (apt-get install -y chromium)`;

/**
 * Where the screenshots go: the README's own folder with CHAMELEON_UPDATE_SCREENSHOTS=1 (so a
 * test run does not rewrite tracked files), else a folder of this run (they are taken all the
 * same: a page that cannot be drawn fails).
 */
export const SCREENSHOTS = process.env.CHAMELEON_UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL("../../docs/screenshots/", import.meta.url))
  : `${mkdtempSync(join(tmpdir(), "chameleon-screens-"))}/`;

export interface BrowserHarness {
  browser: Browser;
  /** A fresh context (its own sessionStorage) at 1280×800, with requests to other hosts recorded. */
  page(options?: {
    width?: number;
    height?: number;
  }): Promise<{ page: Page; context: BrowserContext; foreign: string[] }>;
}

export function useBrowser(): BrowserHarness {
  const h = {} as BrowserHarness;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    h.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    h.page = async (options = {}) => {
      const context = await h.browser.newContext({
        viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      });
      contexts.push(context);
      const page = await context.newPage();
      const foreign: string[] = [];
      page.on("request", (request) => {
        const url = new URL(request.url());
        // data: and blob: URLs are made by the page itself (the graph is a blob of the server's SVG).
        if (url.protocol === "data:" || url.protocol === "blob:") return;
        if (url.hostname !== "127.0.0.1") foreign.push(request.url());
      });
      return { page, context, foreign };
    };
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h.browser?.close();
  });
  return h;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });
}
