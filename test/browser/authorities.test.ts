import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorityTexts } from "../../web/src/locales/authority.ts";
import { hy as hyMessages } from "../../web/src/locales/hy.ts";
import {
  type Browser,
  launchBrowser,
  openFromMenu,
  reloadUntil,
  screenshot,
  signIn,
} from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * The competent authorities in a real browser on two real nodes. The AM competent authority, in
 * Armenian, notifies a change of its name (A3.3), asked once more before the letter goes; at the KZ
 * node the Kazakh competent authority reads the letter and finds the new name among the other
 * Party's organisations. KZ sends its regulations with the document attached (A8.2) and AM downloads
 * the very bytes. After a transfer from KZ arrives at AM, the AM competent authority finds it among
 * what it is informed of (A5.5), and "mark all read" empties the unread count.
 */
describe("browser: the competent authorities' letters and notices (A3, A5.5, A6.7, A8)", {
  timeout: 480_000,
}, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let kzPage: Page;
  let amPage: Page;
  let kz: string;
  let am: string;
  const hy = authorityTexts.hy;
  const kk = authorityTexts.kk;
  const newName = "Հայաստանի Հանրապետության պետական անվտանգության ծառայություն";
  const changeTitle = "Իրավասու մարմնի անվանման փոփոխություն";
  const regulationsTitle = "Құпия ақпаратпен жұмыс істеу жөніндегі нұсқаулық, 2026 жылғы басылым";
  // A small document, not text: the bytes must arrive as they left.
  const regulationsDoc = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) % 256));

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

  /** No text key of the page shows untranslated, nor a machine word of the API. */
  async function noRawWords(page: Page): Promise<void> {
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).not.toMatch(/\b(authority|events|consent|transfer)\.[a-zA-Z]/);
    expect(text).not.toMatch(/legislation-change|authority-change|consultation-request|\bregulations\b/);
    expect(text).not.toMatch(/\b(received|sent|refused)\b/);
  }

  /** The page is no wider than the window (1366 px): a wide table scrolls inside its own frame. */
  async function noPageOverflow(page: Page): Promise<void> {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  }

  const letterRow = (page: Page, title: string) =>
    page.getByTestId("letter-row").filter({ has: page.getByTestId("letter-title").getByText(title) });

  it("the Armenian competent authority's menu keeps to one line; the pages beyond it are under More", async () => {
    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    const nav = amPage.locator("nav.app-nav > ul").first();
    const line = await nav.locator(":scope > li").first().boundingBox();
    const whole = await nav.boundingBox();
    expect(line && whole).toBeTruthy();
    expect(whole!.height).toBeLessThan(line!.height * 1.5);
    // The last pages went under More, and open from there.
    await openFromMenu(amPage, "Աուդիտի մատյան");
    await amPage.waitForFunction(() => window.location.hash === "#/audit");
    await expect(amPage.getByTestId("nav-more").locator("summary").getAttribute("class")).resolves.toBe(
      "current",
    );
  });

  it("A3.3: the AM competent authority (Armenian) writes a change of its name, asked once more before it goes", async () => {
    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    await openFromMenu(amPage, hy.nav);
    await expect(amPage.locator("h1").textContent()).resolves.toBe(hy.title);
    await amPage.getByTestId("letter-write").click();
    await amPage.getByTestId("letter-subject").selectOption("authority-change");
    await amPage.getByTestId("letter-title-input").fill(changeTitle);
    await amPage
      .getByTestId("letter-body")
      .fill("Հայտնում ենք, որ իրավասու մարմինը վերանվանվել է։ Գործառույթները մնում են անփոփոխ։");
    await amPage.getByTestId("letter-name").fill(newName);
    await amPage.getByTestId("letter-functions").fill("Անփոփոխ");
    await noPageOverflow(amPage);
    await screenshot(amPage, "authorities-letter-form-hy");
    await amPage.getByTestId("letter-next").click();
    // A letter to the other Party cannot be taken back: asked once more.
    const ask = amPage.getByTestId("letter-confirm");
    await ask.waitFor();
    await expect(ask.locator("legend").textContent()).resolves.toBe(hy.form.confirm);
    await screenshot(amPage, "authorities-letter-confirm-hy");
    await amPage.getByTestId("letter-send-yes").click();
    await amPage.getByTestId("letter-sent").waitFor();
    const row = letterRow(amPage, changeTitle);
    await row.waitFor();
    expect(await row.getAttribute("data-direction")).toBe("out");
    await expect(row.locator("td").first().textContent()).resolves.toBe(
      hy.letters.subjects["authority-change"],
    );
    // Acknowledged by the KZ node: the new name now applies at both.
    await reloadUntil(
      amPage,
      async () => (await row.getAttribute("data-state").catch(() => null)) === "received",
    );
    await expect(row.getByTestId("letter-state").textContent()).resolves.toContain(
      hy.letters.statesOut.received,
    );
    await noRawWords(amPage);
    await noPageOverflow(amPage);
    await screenshot(amPage, "authorities-letter-sent-hy");
  });

  it("A3.3: at the KZ node the Kazakh competent authority reads the letter and sees the new name among the organisations", async () => {
    await signIn(kzPage, kz, "kz-authority", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/authority`);
    const row = letterRow(kzPage, changeTitle);
    await reloadUntil(kzPage, async () => (await row.count()) > 0);
    expect(await row.getAttribute("data-direction")).toBe("in");
    await expect(row.locator("td").first().textContent()).resolves.toBe(
      kk.letters.subjects["authority-change"],
    );
    await expect(row.getByTestId("letter-authority").textContent()).resolves.toContain(newName);
    await expect(row.getByTestId("letter-state").textContent()).resolves.toBe(kk.letters.statesIn.received);
    await expect(row.locator("td").nth(1).textContent()).resolves.toContain("Армения Республикасы");
    await noRawWords(kzPage);
    await screenshot(kzPage, "authorities-letter-received-kk");
    await kzPage.goto(`${kz}/#/organisations`);
    const org = kzPage.locator("main table tbody tr", { hasText: newName });
    await reloadUntil(kzPage, async () => (await org.count()) > 0);
    await screenshot(kzPage, "authorities-organisations-new-name-kk");
  });

  it("A8.2: KZ sends its regulations with a document; AM downloads the very bytes", async () => {
    await kzPage.goto(`${kz}/#/authority`);
    await kzPage.getByTestId("letter-write").click();
    await kzPage.getByTestId("letter-subject").selectOption("regulations");
    await kzPage.getByTestId("letter-title-input").fill(regulationsTitle);
    // Regulations go with their document (A8.2): the form says so before anything is sent.
    await kzPage.getByTestId("letter-file").evaluate((input) => input.removeAttribute("required"));
    await kzPage.getByTestId("letter-next").click();
    await expect(kzPage.getByTestId("letter-problem").textContent()).resolves.toBe(kk.form.fileRequired);
    await kzPage.getByTestId("letter-file").setInputFiles({
      name: "нұсқаулық-2026.bin",
      mimeType: "application/octet-stream",
      buffer: regulationsDoc,
    });
    await kzPage.getByTestId("letter-next").click();
    await screenshot(kzPage, "authorities-regulations-confirm-kk");
    await kzPage.getByTestId("letter-send-yes").click();
    await kzPage.getByTestId("letter-sent").waitFor();
    await letterRow(kzPage, regulationsTitle).waitFor();

    await amPage.goto(`${am}/#/authority`);
    const row = letterRow(amPage, regulationsTitle);
    await reloadUntil(amPage, async () => (await row.count()) > 0);
    await expect(row.locator("td").first().textContent()).resolves.toBe(hy.letters.subjects.regulations);
    const link = row.getByTestId("letter-download");
    await expect(link.textContent()).resolves.toBe("нұсқаулық-2026.bin");
    await noPageOverflow(amPage);
    await screenshot(amPage, "authorities-regulations-received-hy");
    const [download] = await Promise.all([amPage.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("нұсқаулық-2026.bin");
    const path = await download.path();
    expect(Buffer.compare(readFileSync(path), regulationsDoc)).toBe(0);
  });

  it("A5.5: a transfer from KZ arrives at AM; the AM competent authority is informed and marks all read", async () => {
    // A5.2, A5.3, A5.6: an electronic top-secret file goes from KZ to AM.
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/registry`);
    const carrier = kzPage
      .getByTestId("registry-table")
      .locator("tbody tr", { hasText: "Р-2025 радиостанциясының" })
      .first();
    await carrier.waitFor();
    await carrier.locator("a").first().click();
    await kzPage.getByTestId("request-transfer").click();
    // KZ's own contract, which lists the top-secret characteristics of the R-2025 (A7.1 (1)).
    const contract = kzPage.getByTestId("transfer-contract");
    const kzContract = await contract.locator("option", { hasText: "KZ-AM/2025-01" }).getAttribute("value");
    await contract.selectOption(kzContract ?? "");
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
    await kzPage.getByTestId("dispatch-submit").click();
    await reloadUntil(
      kzPage,
      async () => (await kzPage.getByTestId("transfer-action-dispatch").count()) === 0,
    );

    // A5.5: the receiving body keeps its competent authority informed.
    await amPage.goto(`${am}/#/authority`);
    const informed = amPage.locator("[data-testid=notice-row][data-event='transfer.authority-informed']");
    await reloadUntil(amPage, async () => (await informed.count()) > 0);
    const first = informed.first();
    expect(await first.getAttribute("data-unread")).toBe("1");
    await expect(first.locator("td").nth(1).textContent()).resolves.toBe(
      hyMessages.events["transfer_authority-informed"],
    );
    await expect(first.locator("td").nth(2).textContent()).resolves.toBe("հոդ. 5.5");
    await expect(first.locator("td").nth(3).textContent()).resolves.toContain(hy.informed.objects.transfer);
    await expect(first.locator("td").nth(3).textContent()).resolves.toContain(hy.informed.steps.received);
    const unread = Number(await amPage.getByTestId("notices-unread").textContent());
    expect(unread).toBeGreaterThan(0);
    await noRawWords(amPage);
    await noPageOverflow(amPage);
    await screenshot(amPage, "authorities-informed-unread-hy");
    // The dashboard shows the count to the competent authority.
    await amPage.goto(`${am}/#/`);
    await expect(amPage.getByTestId("dash-authority-unread").textContent()).resolves.toBe(String(unread));
    await screenshot(amPage, "authorities-dashboard-hy");

    await amPage.goto(`${am}/#/authority`);
    await amPage.getByTestId("notices-mark-read").click();
    await expect
      .poll(async () => amPage.getByTestId("notices-unread").textContent(), { timeout: 30_000 })
      .toBe("0");
    expect(await amPage.locator("[data-testid=notice-row][data-unread='1']").count()).toBe(0);
    expect(await amPage.getByTestId("notice-row").count()).toBeGreaterThanOrEqual(unread);
    expect(await amPage.getByTestId("notices-mark-read").isDisabled()).toBe(true);
    await screenshot(amPage, "authorities-informed-read-hy");
  });
});
