import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser, reloadUntil, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * Article 9 in a real browser on two real nodes: the KZ competent authority requests a visit of two
 * cleared people to an Armenian body (A9.1, A9.2), in Kazakh; a request missing a passport is
 * refused naming the field and A9.2 in the page's language; the AM competent authority approves it,
 * in Armenian; the AM host body's security officer sees the expected visitors and records that each
 * was acquainted with the handling rules (A9.3). Passports never appear in a list.
 */
describe("browser: a visit of Article 9 across two nodes", { timeout: 300_000 }, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let kzPage: Page;
  let amPage: Page;
  let kz: string;
  let am: string;
  let visitId = "";

  // More than one calendar month ahead of the real clock (A9.2): the nodes run on it.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  // Typed day first, as the form asks in Kazakh (DD.MM.YYYY).
  const typed = (iso: string) => iso.split("-").reverse().join(".");
  const startDate = day(50);
  const endDate = day(52);
  const purpose = "Байланыс жабдықтарын бірлесіп сынау бағдарламасын келісу";
  const passports = ["N12345678", "N87654321"];
  const visitors = [
    { name: "Мәдина Омарова", surname: "Омарова", position: "Бас инженер" },
    { name: "Асхат Нұрланов", surname: "Нұрланов", position: "Жетекші маман" },
  ];
  // The first Armenian body of the demo world: am-registry is its registry (security) officer.
  const hostBody = "ռադիոէլեկտրոնային";

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

  async function choosePerson(page: Page, index: number, name: string): Promise<void> {
    const select = page.getByTestId(`visit-visitor-person-${index}`);
    const value = await select.locator("option", { hasText: name }).first().getAttribute("value");
    expect(value).toBeTruthy();
    await select.selectOption(value as string);
  }

  async function fillRequest(page: Page): Promise<void> {
    await page.getByTestId("visit-kind").selectOption("one-time");
    await page.getByTestId("visit-start").fill(typed(startDate));
    await page.getByTestId("visit-end").fill(typed(endDate));
    await page.getByTestId("visit-purpose").fill(purpose);
    await page.getByTestId("visit-topic-title-0").fill("Байланыс торабының сынақ әдістемесі");
    await page.getByTestId("visit-topic-level-0").selectOption("secret");
    await page.getByTestId("visit-bodies").locator("label", { hasText: hostBody }).locator("input").check();
    await page.getByTestId("visit-meet-position-0").fill("Վարչության պետ");
    await page.getByTestId("visit-meet-name-0").fill("Արմեն Դավթյան");
    await page.getByTestId("visit-add-visitor").click();
    for (const [i, v] of visitors.entries()) {
      await choosePerson(page, i, v.name);
      await page.getByTestId(`visit-visitor-position-${i}`).fill(v.position);
      await page.getByTestId(`visit-visitor-birth-date-${i}`).fill(i === 0 ? "12.04.1986" : "03.11.1990");
      await page.getByTestId(`visit-visitor-birth-place-${i}`).fill(i === 0 ? "Алматы" : "Астана");
      await page.getByTestId(`visit-visitor-citizenship-${i}`).fill("Қазақстан Республикасы");
    }
    // The first visitor's passport only: the second is left out on purpose.
    await page.getByTestId("visit-visitor-passport-0").fill(passports[0] as string);
  }

  async function expectNoPassports(page: Page): Promise<void> {
    const text = (await page.locator("main").textContent()) ?? "";
    for (const passport of passports) expect(text).not.toContain(passport);
  }

  it("A9.2: a request missing a passport is refused naming the field and A9.2, in the page's language", async () => {
    await signIn(kzPage, kz, "kz-authority", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/visits`);
    await kzPage.getByTestId("visit-new").click();
    await kzPage.getByTestId("visit-form").waitFor();
    await fillRequest(kzPage);
    await screenshot(kzPage, "visits-01-kz-request-form-kk");
    await kzPage.getByTestId("visit-submit").click();
    const error = kzPage.getByTestId("visit-form").getByTestId("error");
    await error.waitFor();
    await expect(error.getAttribute("data-code")).resolves.toBe("VISIT_REQUEST_INCOMPLETE");
    const kkText = (await error.textContent()) ?? "";
    expect(kkText).toContain("9.2-бап");
    // The refusal says the item in words, never the input path, and the form marks its field.
    expect(kkText).toContain("сапар туралы сұрауда жоқ: 2-келуші: паспорттың сериясы мен нөмірі");
    expect(kkText).not.toContain("visitors[1]");
    await expect(kzPage.getByTestId("visit-visitor-passport-1").getAttribute("aria-invalid")).resolves.toBe(
      "true",
    );
    await expect(
      kzPage.getByTestId("visit-visitor-passport-0").getAttribute("aria-invalid"),
    ).resolves.toBeNull();
    await error.scrollIntoViewIfNeeded();
    await screenshot(kzPage, "visits-02-kz-refused-incomplete-kk");
    // The same refusal in Russian once the page speaks Russian.
    await kzPage.getByTestId("language-switch").selectOption("ru");
    await kzPage.getByTestId("visit-submit").click();
    await kzPage.waitForFunction(() =>
      document
        .querySelector("[data-testid=visit-form] [data-testid=error]")
        ?.textContent?.includes("отсутствует"),
    );
    const ruText = (await error.textContent()) ?? "";
    expect(ruText).toContain("ст. 9.2");
    expect(ruText).toContain("посетитель 2: серия и номер паспорта");
    await kzPage.getByTestId("language-switch").selectOption("kk");
    // Nothing was sent: the list has no visit yet.
    await kzPage.goto(`${kz}/#/visits`);
    await kzPage.locator(".empty, [data-testid=visit-row]").first().waitFor();
    expect(await kzPage.getByTestId("visit-row").count()).toBe(0);
  });

  it("A9.1, A9.2: the KZ competent authority requests the visit of two cleared people to an Armenian body", async () => {
    await kzPage.goto(`${kz}/#/visits/new`);
    await kzPage.getByTestId("visit-form").waitFor();
    await fillRequest(kzPage);
    await kzPage.getByTestId("visit-visitor-passport-1").fill(passports[1] as string);
    await kzPage.getByTestId("visit-submit").click();
    const view = kzPage.getByTestId("visit-view");
    await view.waitFor();
    visitId = decodeURIComponent(new URL(kzPage.url()).hash.replace(/^#\/visits\//, ""));
    expect(visitId).not.toBe("");
    await expect(kzPage.getByTestId("visit-state").textContent()).resolves.toBe(
      "Жіберілді, қабылдаушыны күтуде",
    );
    await expect(kzPage.getByTestId("visit-dates").textContent()).resolves.toBe(
      `${typed(startDate)} — ${typed(endDate)}`,
    );
    const visitorsText = (await kzPage.getByTestId("visit-visitors").textContent()) ?? "";
    for (const v of visitors) expect(visitorsText).toContain(v.surname);
    // The sending competent authority sees the personal data it typed, on the visit's own view.
    await expect(kzPage.getByTestId("visit-personal").textContent()).resolves.toContain(passports[1]);
    await screenshot(kzPage, "visits-03-kz-visit-sent-kk");
    await kzPage.goto(`${kz}/#/visits`);
    await kzPage.getByTestId("visit-row").first().waitFor();
    await expectNoPassports(kzPage);
    await expect(kzPage.getByTestId("visit-row-visitors").first().textContent()).resolves.toContain(
      "Омарова",
    );
    await screenshot(kzPage, "visits-04-kz-list-kk");
  });

  it("A9.2: the AM competent authority sees the request on the Armenian node and approves it", async () => {
    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    // A9.1: the request waits on the authority's dashboard, in its language, linked to the visit.
    await amPage.goto(`${am}/#/`);
    const waiting = amPage.locator(`[data-testid=dash-consents] a[href="#/visits/${visitId}"]`);
    await reloadUntil(amPage, async () => (await waiting.count()) > 0);
    await expect(waiting.textContent()).resolves.toContain("Այցի հայց՝ հաստատել կամ մերժել (հոդ. 9.1): KZ →");
    await screenshot(amPage, "visits-05a-am-dashboard-to-decide-hy");
    await amPage.goto(`${am}/#/visits`);
    const row = amPage.locator(`[data-testid=visit-row][data-id="${visitId}"]`);
    await reloadUntil(amPage, async () => (await row.count()) > 0);
    await expectNoPassports(amPage);
    await expect(row.getByTestId("visit-row-state").textContent()).resolves.toBe(
      "Ստացված է, սպասում է որոշման",
    );
    await screenshot(amPage, "visits-05-am-list-received-hy");
    await row.getByTestId("visit-open").click();
    await amPage.getByTestId("visit-view").waitFor();
    await expect(amPage.getByTestId("visit-personal").textContent()).resolves.toContain(passports[0]);
    await amPage.getByTestId("visit-action-approve").click();
    await screenshot(amPage, "visits-06-am-approve-asked-hy");
    await amPage.getByTestId("visit-action-approve-yes").click();
    await amPage.locator("[data-testid=visit-view][data-state=approved]").waitFor();
    await expect(amPage.getByTestId("visit-state").textContent()).resolves.toBe("Հաստատված");
    await screenshot(amPage, "visits-07-am-approved-hy");
  });

  it("A9.3: the AM host body's security officer sees the expected visitors and records each acquaintance", async () => {
    await signIn(amPage, am, "am-registry", DEMO_PASSWORD);
    // The dashboard says who is expected when, and that nobody was acquainted yet (A9.3).
    await amPage.goto(`${am}/#/`);
    const coming = amPage.locator(`[data-testid=dash-visits-expected] li:has(a[href="#/visits/${visitId}"])`);
    await coming.waitFor();
    await expect(coming.textContent()).resolves.toContain("ծանոթացվել են վարման կանոններին՝ 0/2");
    await expectNoPassports(amPage);
    await screenshot(amPage, "visits-07a-am-host-body-dashboard-hy");
    await amPage.goto(`${am}/#/visits`);
    const row = amPage.locator(`[data-testid=visit-row][data-id="${visitId}"]`);
    await reloadUntil(amPage, async () => (await row.count()) > 0);
    const rowText = (await row.textContent()) ?? "";
    for (const v of visitors) {
      expect(rowText).toContain(v.surname);
      expect(rowText).toContain(v.position);
    }
    await expectNoPassports(amPage);
    await screenshot(amPage, "visits-08-am-host-body-list-hy");
    await row.getByTestId("visit-open").click();
    await amPage.getByTestId("visit-view").waitFor();
    for (const seq of [1, 2]) {
      await amPage.getByTestId(`visit-acquaint-${seq}`).click();
      await amPage.getByTestId(`visit-acquaint-${seq}`).waitFor({ state: "detached" });
    }
    const cells = await amPage.getByTestId("visit-visitor-acquainted").allTextContents();
    expect(cells).toHaveLength(2);
    for (const cell of cells) expect(cell).toMatch(/\d{2}\.\d{2}\.\d{4}/);
    await screenshot(amPage, "visits-09-am-host-body-acquainted-hy");
  });

  it("A9.1, A6.1: the security officer links a carrier of its registry to the topic; the page then bears its marking", async () => {
    const title = "Հաճախականությունների պլանավորման սխեմաներ";
    await amPage.goto(`${am}/#/registry`);
    const carrierRow = amPage.getByTestId("registry-table").locator("tbody tr", { hasText: title }).first();
    await carrierRow.waitFor();
    const number = ((await carrierRow.locator("a").first().textContent()) ?? "").trim();
    expect(number).not.toBe("");
    await amPage.goto(`${am}/#/visits/${encodeURIComponent(visitId)}`);
    await amPage.getByTestId("visit-link-form").waitFor();
    await amPage.getByTestId("visit-link-topic").selectOption("1");
    await amPage.getByTestId("visit-link-carrier").fill(number);
    await amPage.getByTestId("visit-link-submit").click();
    await amPage.getByTestId("visit-topic-carrier").first().waitFor();
    await expect(amPage.getByTestId("visit-topic-carrier").first().textContent()).resolves.toContain(number);
    for (const position of ["top", "bottom"]) {
      const banner = (await amPage.getByTestId(`marking-banner-${position}`).textContent()) ?? "";
      expect(banner).toContain("ԳԱՂՏՆԻ");
      expect(banner).toContain("ҚҰПИЯ");
    }
    await screenshot(amPage, "visits-10-am-topic-carrier-linked-hy");
  });

  it("A9.2: the KZ side sees the host's approval arrive", async () => {
    await kzPage.goto(`${kz}/#/visits`);
    const row = kzPage.locator(`[data-testid=visit-row][data-id="${visitId}"]`);
    await reloadUntil(kzPage, async () => (await row.getAttribute("data-state")) === "approved");
    await expect(row.getByTestId("visit-row-state").textContent()).resolves.toBe("Мақұлданды");
    await expectNoPassports(kzPage);
  });

  it("A9.2: an amendment of the approved request starts as its copy and goes as a whole new request", async () => {
    await kzPage.goto(`${kz}/#/visits/${encodeURIComponent(visitId)}`);
    await kzPage.getByTestId("visit-action-amend").click();
    await kzPage.getByTestId("visit-form").waitFor();
    await kzPage.waitForFunction(
      () =>
        (document.querySelector("[data-testid=visit-visitor-passport-1]") as HTMLInputElement | null)?.value,
    );
    await expect(kzPage.getByTestId("visit-kind").inputValue()).resolves.toBe("amendment");
    await expect(kzPage.getByTestId("visit-amends").inputValue()).resolves.toBe(visitId);
    await expect(kzPage.getByTestId("visit-purpose").inputValue()).resolves.toBe(purpose);
    await expect(kzPage.getByTestId("visit-visitor-passport-1").inputValue()).resolves.toBe(passports[1]);
    await kzPage.getByTestId("visit-end").fill(typed(day(53)));
    await kzPage.getByTestId("visit-submit").click();
    await kzPage.locator("[data-testid=visit-view][data-state=sent]").waitFor();
    expect(decodeURIComponent(new URL(kzPage.url()).hash)).not.toContain(visitId);
    await expect(kzPage.getByTestId("visit-dates").textContent()).resolves.toBe(
      `${typed(startDate)} — ${typed(day(53))}`,
    );
    await screenshot(kzPage, "visits-11-kz-amendment-sent-kk");
  });
});
