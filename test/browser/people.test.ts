import { join } from "node:path";
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningNode, startNodeServer } from "../../src/api/run-node.ts";
import { ensureWebBuilt } from "../../src/api/web-assets.ts";
import { ensureDemoNode } from "../../src/cli/commands/demo.ts";
import { makeTempDir } from "../support/databases.ts";
import { type Browser, launchBrowser, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD } from "./support/demo-nodes.ts";

/**
 * A person's standing and sign-in account in a real browser on the KZ demo node (A1.11, A4.2): the
 * competent authority suspends a clearance, asked once more; the administrator resets a password
 * and the person, signing in with the one-time password, must set their own before anything else;
 * then they enrol an authenticator from the QR code's otpauth:// URI and confirm it with a code.
 * One node is enough (nothing here goes to the other Party), so none is connected.
 */
describe("browser: people's standing and accounts", { timeout: 420_000 }, () => {
  let root: string;
  let node: RunningNode;
  let browser: Browser;
  let page: Page;
  let base: string;
  const row = (name: string) => page.locator("[data-testid=person]", { hasText: name });

  beforeAll(async () => {
    root = makeTempDir("kelisim-browser-people-");
    const dataDir = join(root, "kz");
    await ensureDemoNode(dataDir, "KZ", () => {});
    const webRoot = await ensureWebBuilt({ quiet: true });
    node = await startNodeServer({
      location: { dataDir },
      host: "127.0.0.1",
      port: 0,
      demo: true,
      fastHashing: true,
      webRoot,
    });
    base = node.url;
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await node?.close();
  });

  it("A1.11: the competent authority suspends a clearance after a confirm that says what happens", async () => {
    await signIn(page, base, "kz-authority", DEMO_PASSWORD);
    await page.goto(`${base}/#/people`);
    const user = row("Мәдина Омарова");
    await user.waitFor();
    expect(await user.getAttribute("data-suspended")).toBe("false");
    // An officer of the competent authority changes clearances, not roles or passwords.
    expect(await user.getByTestId("person-reset-password").count()).toBe(0);
    await user.getByTestId("person-clearance-suspend").click();
    const confirm = user.getByTestId("person-confirm");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain("Мәдина Омарова");
    await user.getByTestId("person-reason").fill("inquiry");
    await screenshot(page, "people-suspend-asked-kk");
    await user.getByTestId("person-confirm-yes").click();
    await page.locator("[data-testid=person][data-suspended=true]", { hasText: "Мәдина Омарова" }).waitFor();
    await user.getByTestId("person-suspended").waitFor();
    await user.getByTestId("person-clearance-reinstate").waitFor();
    await page.getByTestId("logout").click();
  });

  it("A4.2: the administrator resets a password; the one-time password signs in only to set a new one", async () => {
    await signIn(page, base, "kz-admin", DEMO_PASSWORD);
    await page.goto(`${base}/#/people`);
    const person = row("Гүлнар Бекова");
    await person.getByTestId("person-reset-password").click();
    expect(await person.getByTestId("person-confirm").textContent()).toContain("Гүлнар Бекова");
    await person.getByTestId("person-confirm-yes").click();
    const oneTime = ((await page.getByTestId("one-time-password-value").textContent()) ?? "").trim();
    expect(oneTime).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
    await screenshot(page, "people-one-time-password-kk");
    await page.getByTestId("one-time-password-done").click();
    await page.getByTestId("logout").click();

    await page.locator("input[name=username]").fill("kz-registry-2");
    await page.locator("input[name=password]").fill(oneTime);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("login-new-password").waitFor();
    expect(await page.getByTestId("who").count()).toBe(0);
    await page.locator("input[name=new-password]").fill("a password of my own");
    await page.locator("input[name=new-password-repeat]").fill("a password of my own");
    await screenshot(page, "login-new-password-kk");
    await page.getByTestId("login-submit").click();
    await page.getByTestId("who").waitFor();
    expect(await page.getByTestId("who").textContent()).toContain("Гүлнар Бекова");
  });

  it("A4.2: the person enrols an authenticator from the shown otpauth:// URI and confirms it with a code", async () => {
    await page.getByTestId("account-link").click();
    const section = page.getByTestId("totp-section");
    await section.waitFor();
    expect(await section.getAttribute("data-enrolled")).toBe("false");
    await page.getByTestId("totp-start").click();
    await page.getByTestId("totp-qr").waitFor();
    const uri = ((await page.getByTestId("totp-uri").textContent()) ?? "").trim();
    expect(uri.startsWith("otpauth://totp/")).toBe(true);
    const secret = new URL(uri).searchParams.get("secret") ?? "";
    await screenshot(page, "account-totp-qr-kk");
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
    await page.getByTestId("totp-code").fill(totp.generate());
    await page.getByTestId("totp-confirm").click();
    await page.getByTestId("totp-done").waitFor();
    await page.locator("[data-testid=totp-section][data-enrolled=true]").waitFor();
  });
});
