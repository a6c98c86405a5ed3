// Test support: Debian's Chromium driven by playwright-core, with a fresh profile per run, and
// screenshots kept as test artefacts in test-results/screenshots/.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.KELISIM_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = resolve(import.meta.dirname, "../../../test-results/screenshots");

export type Browser = { context: BrowserContext; close(): Promise<void> };

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "kelisim-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1366, height: 850 },
    locale: "en-GB",
  });
  // A page or a click may wait on a node busy with the other tests of a loaded 2-core machine.
  context.setDefaultTimeout(90_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as `test-results/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the login form (demo accounts: no one-time code in demo mode). */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/#/`);
  const logout = page.getByTestId("logout");
  if (await logout.isVisible().catch(() => false)) {
    await logout.click();
  }
  await page.locator("input[name=username]").fill(username);
  await page.locator("input[name=password]").fill(password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("who").waitFor();
}

/** Reloads `page` until `locator` shows (the other node's message arrives asynchronously). */
export async function reloadUntil(
  page: Page,
  check: () => Promise<boolean>,
  patienceMs = 150_000,
): Promise<void> {
  // Patience, not a timed assertion: the other node's message arrives through the outbox relay, which
  // on a loaded 2-core machine can take far longer than on a quiet one.
  const giveUpAt = Date.now() + patienceMs;
  while (Date.now() < giveUpAt) {
    if (await check()) return;
    await page.waitForTimeout(500);
    // Check only once the page has loaded its data: a check made while the reloaded page is still
    // fetching sees an empty page, and on a busy machine every reload would be checked too early.
    await page.reload({ waitUntil: "networkidle" });
  }
  if (await check()) return;
  throw new Error(`the expected state did not appear within ${patienceMs / 1000} s`);
}

/** Opens a page from the main menu by its label, from under "More" when it did not fit on the line. */
export async function openFromMenu(page: Page, label: string): Promise<void> {
  const nav = page.locator("nav.app-nav");
  const link = nav.getByRole("link", { name: label, exact: true });
  if (!(await link.isVisible())) await nav.getByTestId("nav-more").locator("summary").click();
  const href = (await link.getAttribute("href")) ?? "";
  await link.click();
  // The page is the menu's once the address is its own and the link is marked current.
  await page.waitForFunction((h) => window.location.hash === h, href);
  await nav.locator(`a[href="${href}"][aria-current="page"]`).waitFor({ state: "attached" });
}
