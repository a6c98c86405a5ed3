import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantNeedToKnow } from "../../src/app/carriers/grant-need-to-know.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { type Browser, launchBrowser, SCREENSHOTS, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * The registry officer's acts on a carrier in the browser (A6.1, A6.2, A6.5, A6.6, A4.2), in two
 * languages: destruction asks twice, naming the carrier and its marking, and refusing the second
 * ask leaves the carrier intact; a refusal shows its article and the message in the user's language.
 */

const DOCS = resolve(import.meta.dirname, "../../docs/ui-screenshots");

describe("browser: carrier actions (A6.1, A6.2, A6.5, A6.6, A4.2)", { timeout: 300_000 }, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let page: Page;
  let kz = "";

  const stateOf = async (id: string) =>
    (
      await nodes.kz.ctx.db
        .selectFrom("carriers")
        .select(["state", "registration_number", "marking"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).state;

  const newCarrier = async (title: string) => {
    const row = await registerCarrier(nodes.kz.ctx, {
      actor: "kz-registry",
      kind: "paper-document",
      title,
      level: "secret",
      sheets: 3,
    });
    return { id: row.id, number: row.registration_number, marking: row.marking };
  };

  const open = async (id: string) => {
    await page.evaluate((to) => {
      window.location.hash = `#/carriers/${encodeURIComponent(to)}`;
    }, id);
    await page.getByTestId("carrier-actions").waitFor();
  };

  const switchLanguage = async (lang: string) => {
    await page.getByTestId("language-switch").selectOption(lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  };

  beforeAll(async () => {
    nodes = await startDemoNodes();
    kz = nodes.kz.url;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signIn(page, kz, "kz-registry", DEMO_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await nodes?.close();
  });

  it("A4.2 [kk, ru]: a carrier's page view is one access entry; switching the language reads it no more", async () => {
    await switchLanguage("kk");
    const c = await newCarrier("Тіл ауыстыру анықтамасы");
    const path = `/api/carriers/${c.id}`;
    const reads: string[] = [];
    const onRequest = (request: { method(): string; url(): string }) => {
      if (request.method() === "GET" && new URL(request.url()).pathname === path) reads.push(request.url());
    };
    page.on("request", onRequest);
    try {
      await open(c.id);
      await switchLanguage("ru");
      await page.waitForFunction(
        () =>
          document.querySelector("[data-testid=carrier-actions] h2")?.textContent === "Действия регистратуры",
      );
      await switchLanguage("kk");
      // Leave the page: any read the switches started was sent before the registry's list loads.
      await page.evaluate(() => {
        window.location.hash = "#/registry";
      });
      await page.getByTestId("registry-table").waitFor();
    } finally {
      page.off("request", onRequest);
    }
    expect(reads).toHaveLength(1);
    const decided = await nodes.kz.ctx.db
      .selectFrom("audit_entries")
      .select("outcome")
      .where("event_type", "=", "carrier.access-decided")
      .where("object", "=", `carrier:${c.id}`)
      .execute();
    expect(decided).toHaveLength(1);
  });

  for (const lang of ["kk", "hy"] as const) {
    it(`A1.8, A6.6 [${lang}]: destruction asks twice naming the carrier and its marking; refusing the second ask leaves it intact`, async () => {
      await switchLanguage(lang);
      const c = await newCarrier(`Жойылатын анықтама ${lang}`);
      await open(c.id);
      await page.getByTestId("action-destroy").click();
      await page.getByTestId("destroy-start").click();
      const first = page.getByTestId("destroy-ask-1");
      await expect(first.locator("legend").textContent()).resolves.toContain(c.number);
      await expect(first.locator("legend").textContent()).resolves.toContain(c.marking);
      await page.getByTestId("destroy-yes-1").click();
      const second = page.getByTestId("destroy-ask-2");
      await expect(second.locator("legend").textContent()).resolves.toContain(c.number);
      await expect(second.locator("legend").textContent()).resolves.toContain(c.marking);
      await screenshot(page, `carrier-actions-destroy-${lang}`);
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(
        join(SCREENSHOTS, `carrier-actions-destroy-${lang}.png`),
        join(DOCS, `carrier-actions-${lang}.png`),
      );
      // Refused at the second ask: nothing is sent, the carrier stays.
      await page.getByTestId("destroy-no-2").click();
      await page.getByTestId("destroy-start").waitFor();
      expect(await stateOf(c.id)).toBe("registered");
      // Asked twice and confirmed twice: destroyed, and no act on it is offered any more.
      await page.getByTestId("destroy-start").click();
      await page.getByTestId("destroy-yes-1").click();
      await page.getByTestId("destroy-yes-2").click();
      await page.getByTestId("carrier-actions").waitFor({ state: "detached" });
      expect(await stateOf(c.id)).toBe("destroyed");
    });
  }

  it("A6.5, A6.1 [kk]: a copy is made from the dialog and its page opens with the next copy number", async () => {
    await switchLanguage("kk");
    const c = await newCarrier("Көшірілетін анықтама");
    await open(c.id);
    await page.getByTestId("action-copy").click();
    await expect(page.getByTestId("copy-form").textContent()).resolves.toContain(c.number);
    await page.getByTestId("copy-submit").click();
    await page.waitForFunction((from) => !window.location.hash.includes(from), c.id);
    await page.getByTestId("carrier-meta").waitFor();
    const copies = await nodes.kz.ctx.db
      .selectFrom("carriers")
      .select(["copy_number"])
      .where("registration_number", "=", c.number)
      .orderBy("copy_number")
      .execute();
    expect(copies.map((r) => r.copy_number)).toEqual([1, 2]);
  });

  it("A6.1 [hy]: a derived carrier marked below its source is refused with A6.1 and the message in Armenian; nothing is registered", async () => {
    await switchLanguage("hy");
    // A top-secret source: a derived carrier at secret would be marked below it (A6.1).
    const source = await registerCarrier(nodes.kz.ctx, {
      actor: "kz-registry",
      kind: "paper-document",
      title: "Գաղտնի աղբյուր",
      level: "top-secret",
      sheets: 2,
    });
    const before = await nodes.kz.ctx.db.selectFrom("carriers").select("id").execute();
    await open(source.id);
    await page.getByTestId("action-derive").click();
    await page.getByTestId("derive-kind").selectOption("paper-document");
    await page.getByTestId("derive-title").fill("Քաղվածք");
    await page.getByTestId("derive-level").selectOption("secret");
    await page.getByTestId("derive-sheets").fill("1");
    await page.getByTestId("derive-submit").click();
    const error = page.getByTestId("error");
    await error.waitFor();
    await expect(error.getAttribute("data-code")).resolves.toBe("MARKING_BELOW_SOURCE");
    const text = (await error.textContent()) ?? "";
    // The article as Armenian writes it, never the raw ID or code.
    expect(text).toContain("հոդ. 6.1");
    expect(text).not.toContain("A6.1");
    expect(text).not.toContain("MARKING_BELOW_SOURCE");
    expect(text).toMatch(/[\u0531-\u058F]{3}/);
    const after = await nodes.kz.ctx.db.selectFrom("carriers").select("id").execute();
    expect(after.length).toBe(before.length);
  });

  it("A4.2 [hy]: need-to-know is withdrawn after the second ask, and the person is offered no more", async () => {
    await switchLanguage("hy");
    const c = await newCarrier("Իմանալու անհրաժեշտության հետկանչ");
    await grantNeedToKnow(nodes.kz.ctx, { actor: "kz-registry", carrier: c.id, persons: ["kz-user"] });
    await open(c.id);
    await page.getByTestId("action-withdraw").click();
    await page.getByTestId("withdraw-person").selectOption({ label: "Мәдина Омарова" });
    await page.getByTestId("withdraw-submit").click();
    await page.getByTestId("withdraw-submit-ask").waitFor();
    await screenshot(page, "carrier-actions-withdraw-hy");
    await page.getByTestId("withdraw-submit-yes").click();
    // Nobody holds a grant any more: the withdrawal is not offered.
    await page.getByTestId("action-withdraw").waitFor({ state: "detached" });
    const grants = await nodes.kz.ctx.db
      .selectFrom("carrier_need_to_know")
      .select("person_id")
      .where("carrier_id", "=", c.id)
      .execute();
    expect(grants).toEqual([]);
  });

  it("A6.2, A1.11 [kk]: custody passes to the other body of this Party after the second ask", async () => {
    await switchLanguage("kk");
    const c = await newCarrier("Басқа ұйымға берілетін анықтама");
    await open(c.id);
    await page.getByTestId("action-custody").click();
    const db = nodes.kz.ctx.db;
    const from = await db
      .selectFrom("carriers")
      .select("custodian_organisation_id")
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    const target = await db
      .selectFrom("organisations")
      .select(["id", "name"])
      .where("kind", "=", "authorized-body")
      .where("id", "!=", from.custodian_organisation_id)
      .executeTakeFirstOrThrow();
    await page.getByTestId("custody-to").selectOption(target.id);
    await page.getByTestId("custody-submit").click();
    await page.getByTestId("custody-submit-yes").click();
    // Handed over, the carrier is in the other body's registry: its dialog closes.
    await page.getByTestId("custody-form").waitFor({ state: "detached" });
    const row = await db
      .selectFrom("carriers")
      .select("custodian_organisation_id")
      .where("id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(row.custodian_organisation_id).toBe(target.id);
  });
});
