import type { Page } from "playwright-core";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAgreementPack } from "../../src/agreements/load-pack.ts";
import { agreementTexts } from "../../web/src/locales/agreement.ts";
import { hy as hyAll } from "../../web/src/locales/hy.ts";
import { kk as kkAll } from "../../web/src/locales/kk.ts";
import { protocolTexts } from "../../web/src/locales/protocols.ts";
import { type Browser, launchBrowser, reloadUntil, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * Article 15 in a real browser on two real nodes, as `npm start` makes them (in force since the
 * demo's two notices of completed procedures, A15.1): the KZ competent authority sees the agreement
 * in force and its date, in Kazakh; a termination dated before the entry into force is refused
 * naming A15.2 and changes nothing; a termination dated today goes to the AM competent authority as
 * a signed message (A15.2), shown sent and then received with its receipt time; at the AM node, in
 * Armenian, the agreement is termination-notified by KZ and ends six calendar months after the
 * receipt; KZ withdraws its notice before it takes effect (the pack's policy, A15.2) and both nodes
 * are back in force.
 */
describe("browser: the agreement's life of Article 15 across two nodes", { timeout: 420_000 }, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let kzPage: Page;
  let amPage: Page;
  let kz: string;
  let am: string;
  const kk = agreementTexts.kk;
  const hy = agreementTexts.hy;
  const year = new Date().getUTCFullYear();
  // The demo records the last notice of completed procedures as received on 15 December last year.
  const inForceOn = `${year - 1}-12-15`;
  let kzZone = "";
  let amZone = "";
  /** Today on a Party's calendar, as the form takes it in Kazakh and Armenian (DD.MM.YYYY). */
  const typedToday = (zone: string) =>
    Temporal.Now.plainDateISO(zone).toString().split("-").reverse().join(".");
  const dotted = (iso: string) => iso.split("-").reverse().join(".");

  beforeAll(async () => {
    const pack = await loadAgreementPack("kz-am-2025");
    kzZone = pack.parties.find((p) => p.code === "KZ")!.timeZone;
    amZone = pack.parties.find((p) => p.code === "AM")!.timeZone;
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

  /** No text key or machine word of the agreement page shows untranslated. */
  async function noRawKeys(page: Page): Promise<void> {
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).not.toMatch(/\bagreement\.[a-zA-Z]/);
    expect(text).not.toMatch(
      /in-force|termination-notified|partly-notified|procedures-completed|termination-withdrawal|before-effect/,
    );
  }

  const status = (page: Page) => page.getByTestId("agreement-status");
  const row = (page: Page, kind: string, direction = "out") =>
    page.locator(`[data-testid=agreement-notice-row][data-kind=${kind}][data-direction=${direction}]`);

  /** Fills the notice form and sends it after the second question; answers the POST's status. */
  async function sendNotice(page: Page, kind: string, dated: string, reference: string): Promise<number> {
    const form = page.getByTestId("agreement-notify-form");
    await form.waitFor();
    await page.getByTestId("agreement-kind").selectOption(kind);
    await page.getByTestId("agreement-dated").fill(dated);
    await page.getByTestId("agreement-reference").fill(reference);
    await page.getByTestId("agreement-submit").click();
    // A notice goes at once and stays on record: the page asks once more before it posts.
    await page.getByTestId("agreement-confirm").waitFor();
    const answer = page.waitForResponse(
      (r) => r.url().endsWith("/api/agreement/notices") && r.request().method() === "POST",
    );
    await page.getByTestId("agreement-confirm-yes").click();
    return (await answer).status();
  }

  const carrierTitle = "Р-2025 радиостанциясының тактикалық-техникалық сипаттамалары";

  it("A5.2–A5.7: while the agreement is in force, a KZ electronic carrier is transferred to AM", async () => {
    await signIn(kzPage, kz, "kz-registry", DEMO_PASSWORD);
    await kzPage.goto(`${kz}/#/registry`);
    const carrier = kzPage
      .getByTestId("registry-table")
      .locator("tbody tr", { hasText: carrierTitle })
      .first();
    await carrier.waitFor();
    await carrier.locator("a").first().click();
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
    await kzPage.getByTestId("dispatch-channel").selectOption("agreed-electronic");
    await kzPage.getByTestId("dispatch-submit").click();
    // An electronic carrier is taken in by the AM node as it arrives; the receipt closes the transfer.
    await reloadUntil(
      kzPage,
      async () => (await kzPage.locator("[data-testid=transfer-card][data-state=acknowledged]").count()) > 0,
    );
  });

  it("A15.1: the KZ competent authority sees the agreement in force and its date (Kazakh)", async () => {
    await signIn(kzPage, kz, "kz-authority", DEMO_PASSWORD);
    await expect(kzPage.locator("nav a[href='#/agreement']").textContent()).resolves.toBe(
      kkAll.nav.agreement,
    );
    await kzPage.goto(`${kz}/#/agreement`);
    await status(kzPage).waitFor();
    await expect(status(kzPage).getAttribute("data-status")).resolves.toBe("in-force");
    await expect(status(kzPage).textContent()).resolves.toBe(kk.statuses["in-force"]);
    const date = kzPage.getByTestId("agreement-in-force-on");
    await expect(date.getAttribute("data-date")).resolves.toBe(inForceOn);
    await expect(date.textContent()).resolves.toBe(dotted(inForceOn));
    await expect(kzPage.getByTestId("agreement-termination").textContent()).resolves.toBe(kk.noTermination);
    await expect(kzPage.getByTestId("agreement-withdrawal-rule").textContent()).resolves.toBe(
      kk.withdrawal["before-effect"],
    );
    expect(await kzPage.getByTestId("agreement-notice-row").count()).toBe(0);
    // Its own notice of completed procedures is given: the form offers only the termination.
    const kinds = await kzPage.getByTestId("agreement-kind").locator("option").allTextContents();
    expect(kinds).toEqual([kk.kinds.termination]);
    await kzPage.getByTestId("agreement-outstanding").waitFor();
    await noRawKeys(kzPage);
    await screenshot(kzPage, "agreement-in-force-kk");
  });

  it("A15.2: a termination dated 01.01.2020 is refused naming A15.2 and changes nothing (Kazakh)", async () => {
    const code = await sendNotice(kzPage, "termination", "01.01.2020", "№ 01-1/2020");
    expect(code).toBe(403);
    const refusal = kzPage.getByTestId("error");
    await refusal.waitFor();
    await expect(refusal.getAttribute("data-code")).resolves.toBe("AGREEMENT_NOTICE_BACKDATED");
    const text = (await refusal.textContent()) ?? "";
    expect(text).toContain("15.2-бап");
    // The server's message in the user's language.
    expect(text).toMatch(/[А-Яа-яӘәҒғҚқҢңӨөҰұҮүІі]/);
    await screenshot(kzPage, "agreement-backdated-refused-kk");
    await kzPage.reload({ waitUntil: "networkidle" });
    await status(kzPage).waitFor();
    await expect(status(kzPage).getAttribute("data-status")).resolves.toBe("in-force");
    expect(await kzPage.getByTestId("agreement-notice-row").count()).toBe(0);
    await expect(
      kzPage.getByTestId("agreement-termination").getAttribute("data-terminates-on"),
    ).resolves.toBe("");
  });

  it("A15.2: a termination dated today is sent, then received by AM with its receipt time (Kazakh)", async () => {
    await kzPage.getByTestId("agreement-notify-form").waitFor();
    await kzPage.getByTestId("agreement-kind").selectOption("termination");
    await kzPage.getByTestId("agreement-dated").fill(typedToday(kzZone));
    await kzPage.getByTestId("agreement-reference").fill("№ 12-3/456");
    await kzPage.getByTestId("agreement-submit").click();
    const ask = kzPage.getByTestId("agreement-confirm");
    await ask.waitFor();
    await expect(ask.textContent()).resolves.toContain(kk.form.confirm);
    await screenshot(kzPage, "agreement-termination-confirm-kk");
    const answer = kzPage.waitForResponse(
      (r) => r.url().endsWith("/api/agreement/notices") && r.request().method() === "POST",
    );
    await kzPage.getByTestId("agreement-confirm-yes").click();
    const response = await answer;
    expect(response.status()).toBe(201);
    // As sent: on its way, not yet in effect (it counts from the other Party's receipt).
    const sent = (await response.json()) as {
      status: string;
      notices: { kind: string; state: string; receivedAt: string | null }[];
    };
    expect(sent.status).toBe("in-force");
    expect(sent.notices).toEqual([
      expect.objectContaining({ kind: "termination", state: "sent", receivedAt: null }),
    ]);
    await row(kzPage, "termination").waitFor();
    expect(["sent", "received"]).toContain(await row(kzPage, "termination").getAttribute("data-state"));
    await expect(row(kzPage, "termination").textContent()).resolves.toContain(kk.kinds.termination);
    await screenshot(kzPage, "agreement-termination-sent-kk");

    await reloadUntil(
      kzPage,
      async () =>
        (await row(kzPage, "termination")
          .getAttribute("data-state")
          .catch(() => null)) === "received",
    );
    const received =
      (await row(kzPage, "termination").getByTestId("agreement-notice-received").textContent()) ?? "";
    expect(received).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
    await expect(
      row(kzPage, "termination").getByTestId("agreement-notice-state").textContent(),
    ).resolves.toBe(kk.states.received);
    await expect(row(kzPage, "termination").textContent()).resolves.toContain("№ 12-3/456");
    // Applied at the receipt's instant here too: the same termination date on both nodes.
    await expect(status(kzPage).getAttribute("data-status")).resolves.toBe("termination-notified");
    await expect(status(kzPage).textContent()).resolves.toBe(kk.statuses["termination-notified"]);
    await noRawKeys(kzPage);
    await screenshot(kzPage, "agreement-termination-received-kk");
  });

  let terminatesOn = "";

  it("A15.2: at the AM node the agreement is termination-notified by KZ and ends six months after receipt (Armenian)", async () => {
    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/agreement`);
    await reloadUntil(
      amPage,
      async () =>
        (await status(amPage)
          .getAttribute("data-status")
          .catch(() => null)) === "termination-notified",
    );
    await expect(status(amPage).textContent()).resolves.toBe(hy.statuses["termination-notified"]);
    const termination = amPage.getByTestId("agreement-termination");
    await expect(termination.getAttribute("data-notified-by")).resolves.toBe("KZ");
    const receivedAt = (await termination.getAttribute("data-received-at")) ?? "";
    // A15.2: six calendar months after the day of receipt on the receiver's (AM) calendar.
    const expected = Temporal.Instant.from(receivedAt)
      .toZonedDateTimeISO(amZone)
      .toPlainDate()
      .add({ months: 6 })
      .toString();
    terminatesOn = (await termination.getAttribute("data-terminates-on")) ?? "";
    expect(terminatesOn).toBe(expected);
    const text = (await termination.textContent()) ?? "";
    expect(text).toContain(hyAll.party.KZ);
    expect(text).toContain(dotted(expected));
    const incoming = row(amPage, "termination", "in");
    await expect(incoming.getAttribute("data-state")).resolves.toBe("received");
    await expect(incoming.textContent()).resolves.toContain(hy.kinds.termination);
    await expect(incoming.textContent()).resolves.toContain(hy.direction.in);
    // The notice is KZ's to withdraw, not AM's; AM has nothing to send now.
    expect(await amPage.getByTestId("agreement-notify-form").count()).toBe(0);
    await amPage.getByTestId("agreement-outstanding").waitFor();
    await noRawKeys(amPage);
    await screenshot(amPage, "agreement-termination-notified-hy");
    // The same date at the sending node: both apply the notice at the receipt's instant.
    await expect(
      kzPage.getByTestId("agreement-termination").getAttribute("data-terminates-on"),
    ).resolves.toBe(terminatesOn);
  });

  it("A15.2: KZ withdraws its termination before it takes effect; both nodes are back in force", async () => {
    await kzPage.reload({ waitUntil: "networkidle" });
    await kzPage.getByTestId("agreement-notify-form").waitFor();
    const kinds = await kzPage.getByTestId("agreement-kind").locator("option").allTextContents();
    expect(kinds).toEqual([kk.kinds["termination-withdrawal"]]);
    const code = await sendNotice(kzPage, "termination-withdrawal", typedToday(kzZone), "№ 12-3/457");
    expect(code).toBe(201);
    await row(kzPage, "termination-withdrawal").waitFor();
    await reloadUntil(
      kzPage,
      async () =>
        (await row(kzPage, "termination-withdrawal")
          .getAttribute("data-state")
          .catch(() => null)) === "received" &&
        (await status(kzPage).getAttribute("data-status")) === "in-force",
    );
    await expect(status(kzPage).textContent()).resolves.toBe(kk.statuses["in-force"]);
    await expect(kzPage.getByTestId("agreement-termination").textContent()).resolves.toBe(kk.noTermination);
    await expect(kzPage.getByTestId("agreement-in-force-on").getAttribute("data-date")).resolves.toBe(
      inForceOn,
    );
    expect(await kzPage.getByTestId("agreement-notice-row").count()).toBe(2);
    // The termination stays on record, marked as withdrawn: it no longer stands (A15.2).
    await expect(
      row(kzPage, "termination").getByTestId("agreement-notice-withdrawn").textContent(),
    ).resolves.toBe(kk.withdrawnNote);
    await noRawKeys(kzPage);
    await screenshot(kzPage, "agreement-withdrawn-kk");

    await reloadUntil(
      amPage,
      async () =>
        (await status(amPage)
          .getAttribute("data-status")
          .catch(() => null)) === "in-force",
    );
    await expect(status(amPage).textContent()).resolves.toBe(hy.statuses["in-force"]);
    await expect(amPage.getByTestId("agreement-termination").textContent()).resolves.toBe(hy.noTermination);
    await expect(row(amPage, "termination-withdrawal", "in").getAttribute("data-state")).resolves.toBe(
      "received",
    );
    await expect(
      row(amPage, "termination", "in").getByTestId("agreement-notice-withdrawn").count(),
    ).resolves.toBe(1);
    await noRawKeys(amPage);
    await screenshot(amPage, "agreement-withdrawn-hy");
  });

  it("A15.3: at AM the KZ carrier received is reported as still under protection, counted by state (Armenian)", async () => {
    const section = amPage.getByTestId("agreement-outstanding");
    await section.getByTestId("agreement-outstanding-at").waitFor();
    await expect(section.locator("h2").textContent()).resolves.toBe(hy.outstanding.title);
    const rows = section.getByTestId("agreement-outstanding-row");
    await expect(rows.count()).resolves.toBe(1);
    const row = rows.first();
    await expect(row.textContent()).resolves.toContain(carrierTitle);
    await expect(row.textContent()).resolves.toContain(hyAll.party.KZ);
    await expect(row.textContent()).resolves.toContain(hyAll.carrierStatus.received);
    await expect(row.locator(".level-badge").textContent()).resolves.toBe("Հույժ գաղտնի");
    await expect(row.getAttribute("data-state")).resolves.toBe("received");
    await expect(section.getByTestId("agreement-outstanding-total").textContent()).resolves.toBe(
      hy.outstanding.total.replace("{{count}}", "1"),
    );
    const counts = section.getByTestId("agreement-outstanding-by-state").locator("li");
    await expect(counts.count()).resolves.toBe(1);
    await expect(counts.first().getAttribute("data-state")).resolves.toBe("received");
    await expect(counts.first().getAttribute("data-count")).resolves.toBe("1");
    await noRawKeys(amPage);
    await screenshot(amPage, "agreement-outstanding-hy");
    // KZ holds nothing of AM's: its report is empty, and says so.
    await expect(kzPage.getByTestId("agreement-outstanding").textContent()).resolves.toContain(
      kk.outstanding.empty,
    );
  });
  it("A14, A15.1: KZ proposes a protocol changing a deadline, AM signs it, both notify: in force at both, version 1", async () => {
    const kkP = protocolTexts.kk;
    const hyP = protocolTexts.hy;
    const protocolRow = (page: Page) => page.locator("[data-testid=protocol-row][data-number='1']");
    const statusOf = async (page: Page) => (await protocolRow(page).getAttribute("data-status")) ?? "";
    await kzPage.goto(`${kz}/#/agreement`);
    await kzPage.getByTestId("protocol-form").waitFor();
    await expect(kzPage.getByTestId("protocol-version").getAttribute("data-version")).resolves.toBe("0");
    await kzPage.getByTestId("protocol-number").fill("1");
    await kzPage.getByTestId("protocol-title").fill("Келісімге өзгерістер енгізу туралы № 1 хаттама");
    await kzPage.getByTestId("protocol-change-kind").selectOption("deadline");
    await kzPage.getByTestId("protocol-deadline").selectOption("visitRequestLead");
    await kzPage.getByTestId("protocol-duration").fill("P2M");
    await kzPage.getByTestId("protocol-add-change").click();
    await expect(kzPage.getByTestId("protocol-changes").textContent()).resolves.toContain(
      `${kkP.deadlines.visitRequestLead}: P2M`,
    );
    await kzPage.getByTestId("protocol-submit").click();
    // A protocol goes to the other Party at once: the page asks once more.
    await kzPage.getByTestId("protocol-confirm").waitFor();
    await kzPage.getByTestId("protocol-confirm-yes").click();
    await kzPage.getByTestId("protocol-sent").waitFor();
    await expect(statusOf(kzPage)).resolves.toBe("proposed");
    await screenshot(kzPage, "protocol-proposed-kk");

    await signIn(amPage, am, "am-authority", DEMO_PASSWORD);
    await amPage.goto(`${am}/#/agreement`);
    await reloadUntil(amPage, async () => (await protocolRow(amPage).count()) > 0);
    await expect(protocolRow(amPage).getByTestId("protocol-status").textContent()).resolves.toContain(
      hyP.statuses.proposed,
    );
    await protocolRow(amPage).getByTestId("protocol-sign").click();
    await protocolRow(amPage).getByTestId("protocol-sign-yes").click();
    await reloadUntil(amPage, async () => (await statusOf(amPage)) === "signed");
    await protocolRow(amPage).getByTestId("protocol-notify").click();
    await protocolRow(amPage).getByTestId("protocol-notify-yes").click();

    await reloadUntil(
      kzPage,
      async () => (await protocolRow(kzPage).getByTestId("protocol-notify").count()) > 0,
    );
    await protocolRow(kzPage).getByTestId("protocol-notify").click();
    await protocolRow(kzPage).getByTestId("protocol-notify-yes").click();
    for (const page of [kzPage, amPage])
      await reloadUntil(page, async () => (await statusOf(page)) === "in-force");
    await expect(kzPage.getByTestId("protocol-version").getAttribute("data-version")).resolves.toBe("1");
    await reloadUntil(
      amPage,
      async () => (await amPage.getByTestId("protocol-version").getAttribute("data-version")) === "1",
    );
    await expect(protocolRow(kzPage).getByTestId("protocol-status").textContent()).resolves.toContain(
      kkP.statuses["in-force"],
    );
    await expect(amPage.getByTestId("protocol-version-row").count()).resolves.toBe(2);
    await noRawKeys(kzPage);
    await screenshot(kzPage, "protocol-in-force-kk");
    await screenshot(amPage, "protocol-in-force-hy");
  });
});
