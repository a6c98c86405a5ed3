import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, reloadUntil, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * The flow in a real browser on two real nodes: a KZ registry officer requests a transfer
 * (A5.2), the KZ competent authority consents, the AM competent authority confirms the facility
 * clearance (A5.3), the KZ registry officer dispatches, the AM side takes the carrier in with the
 * Armenian marking beside the Kazakh one (A6.1, A2.2) and the signed receipt notice closes it (A5.6).
 */
// Each step may wait for the other node (see reloadUntil): room for that on a loaded machine.
describe("browser: the transfer of Article 5 across two nodes", { timeout: 300_000 }, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let kzPage: Page;
  let amPage: Page;
  let kz: string;
  let am: string;
  let carrierTitle = "";
  let carrierNumber = "";
  let carrierPath = "";

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

  it("shows each node in its Party's language on the login page", async () => {
    await kzPage.goto(kz);
    await expect(kzPage.locator("h2#login-title").textContent()).resolves.toBe("Жүйеге кіру");
    await screenshot(kzPage, "01-kz-login-kk");
    await amPage.goto(am);
    await expect(amPage.locator("h2#login-title").textContent()).resolves.toBe("Մուտք համակարգ");
    await screenshot(amPage, "02-am-login-hy");
  });

  it("works with the keyboard alone: sign in, skip to the content, log out", async () => {
    await amPage.goto(am);
    await amPage.locator("input[name=username]").waitFor();
    const focused = () =>
      amPage.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? "");
    for (let i = 0; i < 6 && (await focused()) !== "username"; i++) await amPage.keyboard.press("Tab");
    expect(await focused()).toBe("username");
    await amPage.keyboard.type("am-user");
    await amPage.keyboard.press("Tab");
    expect(await focused()).toBe("password");
    await amPage.keyboard.type(DEMO_PASSWORD);
    await amPage.keyboard.press("Enter");
    await amPage.getByTestId("who").waitFor();
    await amPage.keyboard.press("Tab");
    const skip = await amPage.evaluate(() => document.activeElement?.className ?? "");
    expect(skip).toBe("skip-link");
    await amPage.keyboard.press("Enter");
    expect(await amPage.evaluate(() => document.activeElement?.id)).toBe("main");
    await amPage.getByTestId("logout").focus();
    await amPage.keyboard.press("Enter");
    await amPage.locator("input[name=username]").waitFor();
  });

  it("A5.2: a KZ registry officer opens a top-secret carrier (banners top and bottom) and requests its transfer", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await screenshot(kzPage, "03-kz-registry-officer-dashboard");
    await kzPage.goto(`${kz}/#/registry`);
    // A paper document: it travels by courier, and the AM registry officer takes it in on arrival.
    const row = kzPage
      .getByTestId("registry-table")
      .locator("tbody tr", { hasText: "Шекаралық байланыс торабының" })
      .first();
    await row.waitFor();
    await screenshot(kzPage, "04-kz-registry");
    const carrierReads: string[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === "GET" && /^\/api\/carriers\/[^/]+$/.test(new URL(request.url()).pathname))
        carrierReads.push(request.url());
    };
    kzPage.on("request", onRequest);
    await row.locator("a").first().click();
    await kzPage.getByTestId("marking-banner-top").waitFor();
    await kzPage.waitForLoadState("networkidle");
    kzPage.off("request", onRequest);
    // One view, one read, so one access decision in the audit log (A4.2): the node serves React's
    // production build (a development build runs each effect twice and read the carrier twice).
    expect(carrierReads).toHaveLength(1);
    carrierPath = new URL(kzPage.url()).hash;
    carrierNumber = (await kzPage.locator(".carrier-title .nowrap").textContent()) ?? "";
    carrierTitle = (
      (await kzPage.locator("dl[data-testid=carrier-meta] dd").nth(2).textContent()) ?? ""
    ).trim();
    for (const position of ["top", "bottom"]) {
      const banner = kzPage.getByTestId(`marking-banner-${position}`);
      await expect(banner.textContent()).resolves.toContain("ӨТЕ ҚҰПИЯ");
      await expect(banner.textContent()).resolves.toContain("ՀՈՒՅԺ ԳԱՂՏՆԻ");
    }
    await screenshot(kzPage, "05-kz-carrier-kk");
    await kzPage.getByTestId("request-transfer").click();
    await kzPage.getByTestId("transfer-contract").selectOption({ index: 1 });
    await kzPage.getByTestId("transfer-receiver").selectOption({ index: 1 });
    await screenshot(kzPage, "06-kz-transfer-request-form");
    await kzPage.getByTestId("transfer-submit").click();
    await kzPage.getByTestId("transfer-card").first().waitFor();
    await expect(kzPage.getByTestId("transfer-state").first().textContent()).resolves.toBe("Сұралды");
    // The registry officer may not consent: the server's permission map shows no such button.
    expect(await kzPage.getByTestId("transfer-action-consent").count()).toBe(0);
    await screenshot(kzPage, "07-kz-transfer-requested");
  });

  it("A5.2, A5.3: the KZ competent authority sees the consent waiting and consents", async () => {
    await signIn(kzPage, kz, "kz-authority", DEMO_PASSWORD);
    const waiting = kzPage.getByTestId("dash-consents");
    await waiting.locator("li").first().waitFor();
    await screenshot(kzPage, "08-kz-authority-dashboard");
    await kzPage.goto(`${kz}/#/transfers`);
    await kzPage.getByTestId("transfer-action-consent").click();
    // A written decision is asked once more before it goes.
    await kzPage.getByTestId("transfer-action-consent-yes").click();
    await reloadUntil(
      kzPage,
      async () => (await kzPage.getByTestId("transfer-state").first().textContent()) !== "Сұралды",
    );
    await screenshot(kzPage, "09-kz-authority-consented");
  });

  it("A5.3: the AM competent authority confirms the receiving body's facility clearance", async () => {
    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/transfers`);
    await reloadUntil(amPage, async () => (await amPage.getByTestId("transfer-action-confirm").count()) > 0);
    // The card names who acts next: this competent authority, on the receiving body (A5.3).
    const next = (await amPage.getByTestId("transfer-next").first().textContent()) ?? "";
    expect(next).toMatch(/^Իրավասու մարմինը \(Հայաստանի Հանրապետություն\)/);
    expect(next).toContain("հոդ. 5.3");
    await screenshot(amPage, "10-am-authority-confirm");
    await amPage.getByTestId("transfer-action-confirm").click();
    await amPage.getByTestId("transfer-action-confirm-yes").click();
    await reloadUntil(
      amPage,
      async () => (await amPage.getByTestId("transfer-action-confirm").count()) === 0,
    );
  });

  it("A5.6: the KZ registry officer dispatches once both gates are passed", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/transfers`);
    await reloadUntil(kzPage, async () => (await kzPage.getByTestId("transfer-action-dispatch").count()) > 0);
    await kzPage.getByTestId("transfer-action-dispatch").click();
    // A paper document: the state courier, with the seal numbers and waybill of its parcel.
    await kzPage.getByTestId("dispatch-channel").selectOption("state-courier");
    await kzPage.getByTestId("dispatch-seals").fill("S-1041, S-1042");
    await kzPage.getByTestId("dispatch-waybill").fill("W-2025-0077");
    await screenshot(kzPage, "10a-kz-dispatch-form");
    await kzPage.getByTestId("dispatch-submit").click();
    await reloadUntil(
      kzPage,
      async () => (await kzPage.getByTestId("transfer-action-dispatch").count()) === 0,
    );
  });

  it("A6.1, A2.2, A5.6: the AM registry officer sees the carrier arrive with the Armenian marking beside the Kazakh one and sends the receipt", async () => {
    await signIn(amPage, am, "am-registry", DEMO_PASSWORD);
    // The carrier is a paper document: its dispatch record arrives first, with its seals.
    await amPage.goto(`${am}/#/transfers`);
    await reloadUntil(amPage, async () => (await amPage.getByTestId("transfer-action-receive").count()) > 0);
    await expect(amPage.getByTestId("transfer-seals").first().textContent()).resolves.toBe("S-1041, S-1042");
    await screenshot(amPage, "11a-am-transfer-on-its-way");
    await amPage.getByTestId("transfer-action-receive").click();
    // Taken in only once the officer confirms the seals intact (A5.6; a broken seal is a breach, A11.1).
    await amPage.getByTestId("take-in-seals-intact").check();
    await screenshot(amPage, "11b-am-take-in-form");
    await amPage.getByTestId("take-in-submit").click();
    await reloadUntil(
      amPage,
      async () => (await amPage.getByTestId("transfer-action-receive").count()) === 0,
    );
    await amPage.goto(`${am}/#/registry`);
    const row = amPage.getByTestId("registry-table").locator("tbody tr", { hasText: carrierTitle });
    await reloadUntil(amPage, async () => (await row.count()) > 0);
    await screenshot(amPage, "11-am-registry-received");
    await row.locator("a").first().click();
    const banner = amPage.getByTestId("marking-banner-top");
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain("ӨТЕ ҚҰПИЯ");
    await expect(banner.textContent()).resolves.toContain("ՀՈՒՅԺ ԳԱՂՏՆԻ");
    const markings = amPage.getByTestId("carrier-markings");
    await expect(markings.textContent()).resolves.toContain("Өте құпия");
    await expect(markings.textContent()).resolves.toContain("Հույժ գաղտնի");
    await screenshot(amPage, "12-am-carrier-received-hy");
    await amPage.goto(`${am}/#/transfers`);
    await amPage.getByTestId("transfer-card").first().waitFor();
    await screenshot(amPage, "13-am-transfers-received");
  });

  it("A5.6: the KZ side sees the transfer closed by the receipt notice", async () => {
    await kzPage.goto(`${kz}/#/transfers`);
    await reloadUntil(
      kzPage,
      async () => (await kzPage.locator("[data-testid=transfer-card][data-state=acknowledged]").count()) > 0,
    );
    // The closed transfer names the carrier's number in the Armenian registry, from the receipt.
    const closed = kzPage.locator("[data-testid=transfer-card][data-state=acknowledged]").first();
    await expect(closed.getByTestId("transfer-other-registration").textContent()).resolves.toMatch(/^AM-/);
    await screenshot(kzPage, "14-kz-transfer-closed");
  });

  it("A6.5, A6.7: the AM registry officer asks the originator's consent to copy; KZ grants it in writing; AM copies", async () => {
    await signIn(amPage, am, "am-registry", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/registry`);
    const row = amPage.getByTestId("registry-table").locator("tbody tr", { hasText: carrierTitle }).first();
    await row.waitFor();
    await row.locator("a").first().click();
    await amPage.getByTestId("ask-consent").click();
    await amPage.getByTestId("consent-action").selectOption("copy");
    await amPage
      .getByTestId("consent-reason")
      .fill("Երկրորդ աշխատանքային օրինակ փորձարկման լաբորատորիայի համար");
    await screenshot(amPage, "14a-am-ask-consent");
    await amPage.getByTestId("consent-submit").click();
    await amPage.getByTestId("consent-card").first().waitFor();
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.getByTestId("dash-consents").locator("li").first().waitFor();
    await kzPage.goto(`${kz}/#/consents`);
    await reloadUntil(kzPage, async () => (await kzPage.getByTestId("consent-step-grant").count()) > 0);
    await screenshot(kzPage, "14b-kz-consent-to-decide");
    await kzPage.getByTestId("consent-step-grant").click();
    await screenshot(kzPage, "14b2-kz-consent-asked-once-more");
    await kzPage.getByTestId("consent-step-grant-yes").click();
    await reloadUntil(kzPage, async () => (await kzPage.getByTestId("consent-step-grant").count()) === 0);
    await amPage.goto(`${am}/#/consents`);
    await reloadUntil(amPage, async () => (await amPage.getByTestId("consent-step-perform").count()) > 0);
    await amPage.getByTestId("consent-step-perform").click();
    await reloadUntil(
      amPage,
      async () => (await amPage.locator("[data-testid=consent-card][data-state=used]").count()) > 0,
    );
    await screenshot(amPage, "14c-am-consent-used");
    await amPage.goto(`${am}/#/registry`);
    const copies = amPage.getByTestId("registry-table").locator("tbody tr", { hasText: carrierTitle });
    await reloadUntil(amPage, async () => (await copies.count()) === 2);
  });

  it("switching languages changes labels and the banner caption, never the Parties' markings", async () => {
    // The registry officer keeps the record of the dispatched carrier (A6.2).
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/${carrierPath}`);
    const caption = kzPage.getByTestId("marking-caption").first();
    await caption.waitFor();
    const seen: Record<string, string> = {};
    for (const [lang, nav, level] of [
      ["ru", "Реестр", "Совершенно секретно"],
      ["hy", "Գրանցամատյան", "Հույժ գաղտնի"],
      ["en", "Registry", "Top secret"],
      ["kk", "Тізілім", "Өте құпия"],
    ] as const) {
      await kzPage.getByTestId("language-switch").selectOption(lang);
      await expect(kzPage.locator("nav.app-nav").textContent()).resolves.toContain(nav);
      const text = (await caption.textContent()) ?? "";
      expect(text).toContain(level);
      expect(await kzPage.getByTestId("carrier-level").textContent()).toContain(level);
      const banner = (await kzPage.getByTestId("marking-banner-top").textContent()) ?? "";
      expect(banner).toContain("ӨТЕ ҚҰПИЯ");
      expect(banner).toContain("ՀՈՒՅԺ ԳԱՂՏՆԻ");
      seen[lang] = text;
      await screenshot(kzPage, `15-kz-carrier-${lang}`);
    }
    expect(new Set(Object.values(seen)).size).toBe(4);
  });

  it("A6.2: a registry officer registers a carrier from the registry page; it is marked in both Parties' markings", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/registry`);
    await kzPage.getByTestId("register-carrier").click();
    await kzPage.getByTestId("register-title").fill("Байланыс торабының жабдықтар тізімі");
    await kzPage.getByTestId("register-level").selectOption("secret");
    await screenshot(kzPage, "15y-kz-register-carrier");
    await kzPage.getByTestId("register-submit").click();
    const banner = kzPage.getByTestId("marking-banner-top");
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain("ҚҰПИЯ");
    await expect(banner.textContent()).resolves.toContain("ԳԱՂՏՆԻ");
    await expect(kzPage.locator(".carrier-title").textContent()).resolves.toContain("Байланыс торабының");
  });

  it("the auditor verifies the audit log from the browser", async () => {
    await signIn(kzPage, kz, "kz-auditor", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/audit`);
    await kzPage.getByTestId("audit-table").waitFor();
    await kzPage.getByTestId("audit-verify").click();
    const result = kzPage.getByTestId("audit-verify-result");
    await kzPage.locator("[data-testid=audit-verify-result], [data-testid=error]").first().waitFor();
    expect(
      await kzPage.getByTestId("error").count(),
      (await kzPage.getByTestId("error").allTextContents()).join(),
    ).toBe(0);
    await expect(result.getAttribute("class")).resolves.toBe("ok");
    await screenshot(kzPage, "15z-kz-audit-verified");
  });

  it("A4.2: a user below the level sees no trace of the carrier", async () => {
    await signIn(kzPage, kz, "kz-user-low", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/registry`);
    await kzPage.getByTestId("registry-table").waitFor();
    const table = (await kzPage.getByTestId("registry-table").textContent()) ?? "";
    expect(table).not.toContain(carrierNumber);
    expect(table).not.toContain(carrierTitle);
    await screenshot(kzPage, "16-kz-low-registry");
    await kzPage.goto(`${kz}/${carrierPath}`);
    const denied = kzPage.getByTestId("error");
    await denied.waitFor();
    const deniedText = await denied.textContent();
    await screenshot(kzPage, "17-kz-low-carrier-denied");
    await kzPage.goto(`${kz}/#/carriers/00000000-0000-4000-8000-000000000000`);
    await kzPage.waitForFunction(
      (previous) => document.querySelector("[data-testid=error]")?.textContent === previous,
      deniedText,
    );
    expect(await kzPage.content()).not.toContain(carrierTitle);
  });

  it("A6.4: KZ lowers the level of its carrier; at AM the received carrier and its copy are re-marked", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/${carrierPath}`);
    await kzPage.getByTestId("change-level").click();
    await kzPage.getByTestId("level-form").locator("select").selectOption("secret");
    await kzPage.getByTestId("level-form").locator("button[type=submit]").click();
    await reloadUntil(kzPage, async () =>
      ((await kzPage.getByTestId("marking-banner-top").textContent()) ?? "").includes("ҚҰПИЯ │"),
    );
    await signIn(amPage, am, "am-registry", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/registry`);
    const rows = amPage.getByTestId("registry-table").locator("tbody tr", { hasText: carrierTitle });
    await reloadUntil(amPage, async () => {
      const texts = await rows.allTextContents();
      return texts.length === 2 && texts.every((t) => t.includes("Գաղտնի") && !t.includes("Հույժ"));
    });
    await screenshot(amPage, "18-am-registry-remarked");
  });
});
