import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, reloadUntil, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * A contract between the Parties' bodies in a real browser on the two demo nodes (A1.13, A7.1,
 * A4.1.4): KZ's demo contract, concluded and activated at the KZ node, is held at the AM node as KZ
 * sent it; KZ's registry officer suspends it (asked once more) and AM's page follows; resumed, both
 * show it active again. AM cannot change a contract it holds from KZ: it offers no action.
 */
describe("browser: a contract held at both nodes", { timeout: 420_000 }, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let kzPage: Page;
  let amPage: Page;
  let kz: string;
  let am: string;
  const NUMBER = "KZ-AM/2025-01";
  const card = (page: Page) => page.locator(`[data-testid=contract][data-number="${NUMBER}"]`);
  const stateAt = async (page: Page) => (await card(page).getAttribute("data-state")) ?? "";

  beforeAll(async () => {
    nodes = await startDemoNodes();
    browser = await launchBrowser();
    kz = nodes.kz.url;
    am = nodes.am.url;
    kzPage = await browser.context.newPage();
    amPage = await browser.context.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await nodes?.close();
  });

  it("A1.13, A7.1: KZ's active contract is held at AM as KZ sent it, with KZ's participants, and AM offers no change", async () => {
    await signIn(amPage, am, "am-registry", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/contracts`);
    await reloadUntil(amPage, async () => (await card(amPage).count()) > 0);
    expect(await stateAt(amPage)).toBe("active");
    await expect(card(amPage).getByTestId("contract-held-from").textContent()).resolves.toContain("KZ");
    expect((await card(amPage).getByTestId("contract-peer-participants").textContent()) ?? "").not.toBe("");
    expect(await card(amPage).getByTestId("contract-actions").count()).toBe(0);
    await card(amPage).scrollIntoViewIfNeeded();
    await screenshot(amPage, "contracts-am-held-from-kz-hy");
  });

  it("A4.1.4, A7.1: KZ suspends it, asked once more; AM's page follows; resumed, both show it active", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/contracts`);
    await card(kzPage).waitFor();
    expect(await stateAt(kzPage)).toBe("active");
    await card(kzPage).getByTestId("contract-suspend").click();
    await card(kzPage).getByTestId("contract-confirm").waitFor();
    await screenshot(kzPage, "contracts-kz-suspend-asked-kk");
    await card(kzPage).getByTestId("contract-confirm-yes").click();
    await kzPage.locator(`[data-testid=contract][data-number="${NUMBER}"][data-state=suspended]`).waitFor();
    await reloadUntil(amPage, async () => (await stateAt(amPage)) === "suspended");
    await screenshot(amPage, "contracts-am-suspended-hy");

    await card(kzPage).getByTestId("contract-resume").click();
    await card(kzPage).getByTestId("contract-confirm-yes").click();
    await kzPage.locator(`[data-testid=contract][data-number="${NUMBER}"][data-state=active]`).waitFor();
    await reloadUntil(amPage, async () => (await stateAt(amPage)) === "active");
  });

  it("A7.1, A1.13: KZ amends the active contract through the form, asked once more; AM shows the added item and the new version", async () => {
    const ITEM = "Антенна жүйесінің сызбалары / Чертежи антенной системы";
    const versionAt = async (page: Page) => Number(await card(page).getAttribute("data-version"));
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/contracts`);
    await card(kzPage).waitFor();
    const before = await versionAt(kzPage);
    expect(before).toBeGreaterThan(0);
    await card(kzPage).getByTestId("contract-amend").click();
    const form = card(kzPage).getByTestId("contract-amend-form");
    await form.waitFor();
    // The clauses come with their current text, ready to edit.
    expect(await form.getByTestId("amend-clause-third-party-ban").inputValue()).toContain("ст. 4.1.5");
    await form.getByTestId("amend-add-item").click();
    await form.getByTestId("amend-item-description").fill(ITEM);
    await form.getByTestId("amend-item-level").selectOption("secret");
    await form.scrollIntoViewIfNeeded();
    await screenshot(kzPage, "contracts-kz-amend-form-kk");
    await form.getByTestId("contract-amend-next").click();
    const confirm = form.getByTestId("contract-amend-confirm");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(ITEM);
    await screenshot(kzPage, "contracts-kz-amend-confirm-kk");
    await confirm.getByTestId("contract-amend-send").click();
    await card(kzPage).getByTestId("contract-amended").waitFor();
    await kzPage
      .locator(`[data-testid=contract][data-number="${NUMBER}"][data-version="${before + 1}"]`)
      .waitFor();
    expect(await card(kzPage).getByTestId("contract-item").filter({ hasText: ITEM }).count()).toBe(1);

    await amPage.goto(`${am}/#/contracts`);
    await reloadUntil(
      amPage,
      async () => (await card(amPage).count()) > 0 && (await versionAt(amPage)) === before + 1,
    );
    const held = card(amPage).getByTestId("contract-item").filter({ hasText: ITEM });
    expect(await held.count()).toBe(1);
    expect(await held.getAttribute("data-level")).toBe("secret");
    expect(await card(amPage).getByTestId("contract-version").textContent()).toContain(String(before + 1));
    await screenshot(amPage, "contracts-am-amended-hy");
  });
});
