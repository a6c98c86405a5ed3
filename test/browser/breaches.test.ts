import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breachTexts } from "../../web/src/locales/breach.ts";
import { type Browser, launchBrowser, reloadUntil, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * Article 11 in a real browser on two real nodes: a physical carrier sent from KZ arrives at AM with
 * a broken seal; the AM registry officer takes it in from the take-in screen saying so, which
 * records a breach, holds the carrier in quarantine and notifies the KZ competent authority at once
 * (A11.1). The AM competent authority sees the case with each step's clock, starts the
 * investigation, reports the results and records the damage assessment and settlement, which
 * closes it (A11.2); the KZ competent authority sees the notified case follow.
 */
describe("browser: a breach of Article 11 across two nodes", { timeout: 420_000 }, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let kzPage: Page;
  let amPage: Page;
  let kz: string;
  let am: string;
  const hy = breachTexts.hy;
  const kk = breachTexts.kk;
  const what = "S-1042 կնիքը վնասված է, ծանրոցը բացված է եզրով";

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

  /** No text key of the breach pages shows untranslated. */
  async function noRawKeys(page: Page): Promise<void> {
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).not.toMatch(/\bbreach\.[a-zA-Z]/);
    expect(text).not.toMatch(/results-reported|\bsettle\b|\binvestigate\b/);
  }

  it("A5.2–A5.6: a top-secret paper document is sent from KZ to AM by state courier", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/registry`);
    const row = kzPage
      .getByTestId("registry-table")
      .locator("tbody tr", { hasText: "Шекаралық байланыс торабының" })
      .first();
    await row.waitFor();
    await row.locator("a").first().click();
    await kzPage.getByTestId("request-transfer").click();
    await kzPage.getByTestId("transfer-contract").selectOption({ index: 1 });
    await kzPage.getByTestId("transfer-receiver").selectOption({ index: 1 });
    await kzPage.getByTestId("transfer-submit").click();
    await kzPage.getByTestId("transfer-card").first().waitFor();

    await signIn(kzPage, kz, "kz-authority", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/transfers`);
    await kzPage.getByTestId("transfer-action-consent").click();
    await kzPage.getByTestId("transfer-action-consent-yes").click();
    await reloadUntil(
      kzPage,
      async () => (await kzPage.getByTestId("transfer-action-consent").count()) === 0,
    );

    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/transfers`);
    await reloadUntil(amPage, async () => (await amPage.getByTestId("transfer-action-confirm").count()) > 0);
    await amPage.getByTestId("transfer-action-confirm").click();
    await amPage.getByTestId("transfer-action-confirm-yes").click();
    await reloadUntil(
      amPage,
      async () => (await amPage.getByTestId("transfer-action-confirm").count()) === 0,
    );

    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/transfers`);
    await reloadUntil(kzPage, async () => (await kzPage.getByTestId("transfer-action-dispatch").count()) > 0);
    await kzPage.getByTestId("transfer-action-dispatch").click();
    await kzPage.getByTestId("dispatch-channel").selectOption("state-courier");
    await kzPage.getByTestId("dispatch-seals").fill("S-1041, S-1042");
    await kzPage.getByTestId("dispatch-waybill").fill("W-2025-0091");
    await kzPage.getByTestId("dispatch-submit").click();
    await reloadUntil(
      kzPage,
      async () => (await kzPage.getByTestId("transfer-action-dispatch").count()) === 0,
    );
  });

  it("A5.6, A11.1: the AM registry officer takes it in with a broken seal; the page says a breach was recorded (Armenian)", async () => {
    await signIn(amPage, am, "am-registry", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/transfers`);
    await reloadUntil(amPage, async () => (await amPage.getByTestId("transfer-action-receive").count()) > 0);
    await amPage.getByTestId("transfer-action-receive").click();
    await amPage.getByTestId("take-in-seals-broken").check();
    await amPage.getByTestId("take-in-breach-what").fill(what);
    await expect(amPage.getByTestId("take-in-submit").textContent()).resolves.toBe(hy.takeIn.submitBroken);
    await screenshot(amPage, "breaches-take-in-hy");
    await amPage.getByTestId("take-in-submit").click();
    const recorded = amPage.getByTestId("take-in-breach-recorded");
    await recorded.waitFor();
    await expect(recorded.textContent()).resolves.toContain(hy.takeIn.recorded);
    expect(await amPage.getByTestId("error").count()).toBe(0);
    await screenshot(amPage, "breaches-take-in-recorded-hy");
    // Registered, but held in quarantine and flagged in the registry (A11.1).
    await amPage.goto(`${am}/#/registry`);
    const row = amPage
      .getByTestId("registry-table")
      .locator("tbody tr", { hasText: "Шекаралық байланыс торабының" })
      .first();
    await row.waitFor();
    await expect(row.getByTestId("carrier-quarantined").textContent()).resolves.toBe(hy.quarantined);
    await expect(row.getByTestId("carrier-breach-flag").textContent()).resolves.toBe(hy.flagShort);
    await screenshot(amPage, "breaches-registry-quarantined-hy");
    await row.locator("a").first().click();
    await amPage.getByTestId("marking-banner-top").waitFor();
    await expect(amPage.getByTestId("carrier-quarantined").textContent()).resolves.toBe(hy.quarantined);
    await screenshot(amPage, "breaches-carrier-quarantined-hy");
  });

  it("A11.1: the AM competent authority sees the case with its clocks, and the carrier in quarantine", async () => {
    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    // The dashboard keeps a place for breach steps past their targets (none yet: the clocks run).
    const overdue = amPage.getByTestId("dash-breaches-overdue");
    await overdue.waitFor();
    await expect(overdue.locator("h2").textContent()).resolves.toContain(hy.overdueSteps);
    await amPage.goto(`${am}/#/breaches`);
    const row = amPage.getByTestId("breach-row").first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(what);
    await expect(row.textContent()).resolves.toContain(hy.steps.notice);
    await expect(row.textContent()).resolves.toContain(hy.quarantined);
    await noRawKeys(amPage);
    await screenshot(amPage, "breaches-list-hy");
    await row.getByTestId("breach-open").click();
    const view = amPage.getByTestId("breach-case");
    await view.waitFor();
    await expect(amPage.getByTestId("breach-what-shown").textContent()).resolves.toBe(what);
    const steps = amPage.getByTestId("breach-step");
    expect(await steps.count()).toBeGreaterThanOrEqual(3);
    await expect(amPage.getByTestId("breach-steps").textContent()).resolves.toContain(hy.steps.investigation);
    await expect(amPage.getByTestId("breach-carrier-mark").first().textContent()).resolves.toBe(
      hy.quarantined,
    );
    // A2.1, A6.1: the case names a top-secret carrier, so it is marked top and bottom with the
    // originator's marking and the equivalent, from the case's own answer.
    for (const position of ["top", "bottom"]) {
      const banner = (await amPage.getByTestId(`marking-banner-${position}`).textContent()) ?? "";
      expect(banner).toContain("ӨТЕ ҚҰПИЯ");
      expect(banner).toContain("ՀՈՒՅԺ ԳԱՂՏՆԻ");
    }
    // The notice went at once: once the outbox reports it delivered, the notice step is done.
    await reloadUntil(
      amPage,
      async () =>
        (await amPage.locator("[data-testid=breach-step][data-step=notice][data-done='1']").count()) > 0,
    );
    await noRawKeys(amPage);
    await screenshot(amPage, "breaches-case-hy");
  });

  it("A11.1: the other Party's competent authority sees the notified case (Kazakh)", async () => {
    await signIn(kzPage, kz, "kz-authority", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/breaches`);
    await reloadUntil(kzPage, async () => (await kzPage.getByTestId("breach-row").count()) > 0);
    const row = kzPage.getByTestId("breach-row").first();
    await expect(row.getAttribute("data-direction")).resolves.toBe("in");
    await expect(row.textContent()).resolves.toContain(what);
    await expect(row.textContent()).resolves.toContain(kk.direction.in);
    await noRawKeys(kzPage);
    await screenshot(kzPage, "breaches-kz-notified-kk");
  });

  it("A11.1: a KZ registry officer reports a breach from the form; a refusal names its article in Kazakh", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/breaches`);
    await kzPage.getByTestId("breach-report").click();
    await kzPage.getByTestId("breach-what").fill("Жұмыс дәптерінің бір парағы жоқ");
    await kzPage.getByTestId("breach-how-found").fill("Тоқсандық тексеру кезінде");
    await kzPage.getByTestId("breach-carriers").fill("KZ-1999-999999");
    await screenshot(kzPage, "breaches-report-form-kk");
    await kzPage.getByTestId("breach-submit").click();
    const refusal = kzPage.getByTestId("error");
    await refusal.waitFor();
    const refusalText = (await refusal.textContent()) ?? "";
    // The server's message in the user's language, with the articles it applies.
    expect(refusalText).toMatch(/[А-Яа-яӘәҒғҚқҢңӨөҰұҮүІі]/);
    await screenshot(kzPage, "breaches-report-refused-kk");
    // Only this Party's information and no carrier: no notice owed, straight to the investigation.
    await kzPage.getByTestId("breach-carriers").fill("");
    await kzPage.getByTestId("breach-submit").click();
    const view = kzPage.getByTestId("breach-case");
    await view.waitFor();
    await expect(kzPage.getByTestId("breach-what-shown").textContent()).resolves.toBe(
      "Жұмыс дәптерінің бір парағы жоқ",
    );
    expect(await kzPage.locator("[data-testid=breach-step][data-step=notice]").count()).toBe(0);
    // The investigation is the competent authority's: the registry officer has no step to take.
    expect(await kzPage.locator("[data-testid^=breach-action-]").count()).toBe(0);
    await noRawKeys(kzPage);
    await screenshot(kzPage, "breaches-reported-own-kk");
  });

  it("A11.1, A11.2: the AM competent authority investigates, reports the results, settles and closes", async () => {
    await amPage.getByTestId("breach-action-investigate").click();
    await amPage.getByTestId("breach-action-investigate-yes").click();
    await amPage.getByTestId("breach-action-results").waitFor();
    await amPage.getByTestId("breach-action-results").click();
    await amPage
      .getByTestId("breach-results-text")
      .fill("Կնիքը վնասվել է տեղափոխման ընթացքում, բովանդակությանը մուտք չի եղել");
    await amPage.getByTestId("breach-submit-results").click();
    await amPage.getByTestId("breach-action-settle").waitFor();
    await amPage.getByTestId("breach-action-settle").click();
    await amPage.getByTestId("breach-damage-text").fill("Վնաս չի պատճառվել");
    await amPage.getByTestId("breach-settlement-text").fill("Փոխհատուցում չի պահանջվում");
    await screenshot(amPage, "breaches-settle-form-hy");
    await amPage.getByTestId("breach-submit-settle").click();
    await amPage.locator("[data-testid=breach-case][data-state=closed]").waitFor();
    expect(await amPage.getByTestId("error").count()).toBe(0);
    await expect(amPage.getByTestId("breach-case-state").textContent()).resolves.toBe(hy.states.closed);
    await screenshot(amPage, "breaches-case-closed-hy");
    // The same view in Russian and English: labels change, nothing shows untranslated.
    for (const [lang, closed] of [
      ["ru", breachTexts.ru.states.closed],
      ["en", breachTexts.en.states.closed],
    ] as const) {
      await amPage.getByTestId("language-switch").selectOption(lang);
      await expect(amPage.getByTestId("breach-case-state").textContent()).resolves.toBe(closed);
      await noRawKeys(amPage);
    }
    await screenshot(amPage, "breaches-case-closed-en");
    await amPage.getByTestId("language-switch").selectOption("hy");
  });

  it("A11.1, A11.2: the KZ competent authority sees the results and the closure arrive", async () => {
    await signIn(kzPage, kz, "kz-authority", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/breaches`);
    await reloadUntil(
      kzPage,
      async () => (await kzPage.locator("[data-testid=breach-row][data-state=closed]").count()) > 0,
    );
    await kzPage
      .locator("[data-testid=breach-row][data-direction=in]")
      .getByTestId("breach-open")
      .first()
      .click();
    await kzPage.getByTestId("breach-case").waitFor();
    await expect(kzPage.getByTestId("breach-case-state").textContent()).resolves.toBe(kk.states.closed);
    await expect(kzPage.getByTestId("breach-results-shown").textContent()).resolves.toContain("Կնիքը");
    // The investigation was the other Party's: nothing to act on here.
    expect(await kzPage.locator("[data-testid^=breach-action-]").count()).toBe(0);
    // Closed: the flag on the KZ carrier is lifted.
    await expect(kzPage.getByTestId("breach-carrier-mark").first().textContent()).resolves.toBe(
      kk.flagLifted,
    );
    await noRawKeys(kzPage);
    await screenshot(kzPage, "breaches-kz-case-closed-kk");
  });
});
