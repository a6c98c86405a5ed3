import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantNeedToKnow } from "../../src/app/carriers/grant-need-to-know.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import { type Browser, launchBrowser, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * A4.4 in a real browser on the demo nodes: a new person of the KZ node, cleared and given
 * need-to-know on a carrier, signs in and sees first, before anything else, the obligations they
 * take on under the law of Kazakhstan, in the node's language; the server shows them no carrier
 * meanwhile. They tick that they read it, acknowledge, and then see the registry with that carrier.
 */
describe("browser: obligations acknowledged before the first access", { timeout: 420_000 }, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let page: Page;
  let kz: string;
  let carrier: { id: string; registrationNumber: string };

  beforeAll(async () => {
    nodes = await startDemoNodes();
    browser = await launchBrowser();
    kz = nodes.kz.url;
    page = await browser.context.newPage();
    const ctx = nodes.kz.ctx;
    const body = await ctx.db
      .selectFrom("people")
      .select("organisation_id")
      .where("handle", "=", "kz-registry")
      .executeTakeFirstOrThrow();
    const person = await registerPerson(ctx, {
      actor: "admin",
      organisation: body.organisation_id,
      handle: "kz-newcomer",
      name: "Жаңа Қызметкер",
      roles: ["cleared-user"],
    });
    const year = new Date().getUTCFullYear();
    await grantPersonalClearance(ctx, {
      actor: "kz-authority",
      person: "kz-newcomer",
      level: "top-secret",
      validFrom: `${year - 1}-01-01`,
      validTo: `${year + 1}-12-31`,
    });
    const secret = await ctx.db
      .selectFrom("carriers")
      .select(["id", "registration_number"])
      .where("level", "=", "secret")
      .where("custodian_organisation_id", "=", body.organisation_id)
      .executeTakeFirstOrThrow();
    carrier = { id: secret.id, registrationNumber: secret.registration_number };
    await grantNeedToKnow(ctx, { actor: "kz-registry", carrier: carrier.id, persons: ["kz-newcomer"] });
    await nodes.kz.auth.createAccount({
      personId: person.id,
      username: "kz-newcomer",
      password: DEMO_PASSWORD,
      isDemo: true,
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await nodes?.close();
  });

  it("A4.4: the new person sees the obligations first, acknowledges them, then sees the registry", async () => {
    await signIn(page, kz, "kz-newcomer", DEMO_PASSWORD);
    const obligations = page.getByTestId("obligations-page");
    await obligations.waitFor();
    // Before anything else: no navigation, and the server answers an empty registry meanwhile.
    expect(await page.locator("nav.app-nav").count()).toBe(0);
    const before = await page.evaluate(async () => (await fetch("/api/carriers")).json());
    expect(before.items).toEqual([]);
    const kk = nodes.kz.ctx.pack.parties.find((p) => p.code === "KZ")!.obligations;
    await expect(obligations.locator("h1").textContent()).resolves.toBe(kk.title.kk);
    await expect(page.getByTestId("obligations-text").textContent()).resolves.toContain(
      "Қазақстан Республикасының мемлекеттік құпиялар туралы заңнамасында",
    );
    const button = page.getByTestId("obligations-acknowledge");
    expect(await button.isDisabled()).toBe(true);
    await page.getByTestId("obligations-read").check();
    expect(await button.isDisabled()).toBe(false);
    await screenshot(page, "obligations-kz-kk");
    await button.click();

    await page.locator("nav.app-nav").waitFor();
    await page.goto(`${kz}/#/registry`);
    await page.locator(`a[href="#/carriers/${carrier.id}"]`).waitFor();
    await expect(page.getByTestId("registry-table").textContent()).resolves.toContain(
      carrier.registrationNumber,
    );
    const recorded = await nodes.kz.ctx.db
      .selectFrom("obligations_acknowledgements")
      .innerJoin("people", "people.id", "obligations_acknowledgements.person_id")
      .select(["version", "language"])
      .where("people.handle", "=", "kz-newcomer")
      .execute();
    expect(recorded).toEqual([{ version: kk.version, language: "kk" }]);
  });

  it("A4.4: the People page tells the administrator who acknowledged, and when", async () => {
    await signIn(page, kz, "kz-admin", DEMO_PASSWORD);
    await page.goto(`${kz}/#/people`);
    const row = page.locator("tr", { hasText: "Жаңа Қызметкер" });
    await row.getByTestId("person-obligations").waitFor();
    expect(await row.getByTestId("person-obligations").getAttribute("data-acknowledged")).toBe("true");
    await screenshot(page, "obligations-people-column-kk");
  });
});
