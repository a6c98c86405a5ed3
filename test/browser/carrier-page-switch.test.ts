import type { Page, Request, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCarriers } from "../../src/app/carriers/list-carriers.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { type Browser, launchBrowser, screenshot, signIn } from "./support/browser.ts";
import { DEMO_PASSWORD, type DemoNodes, startDemoNodes } from "./support/demo-nodes.ts";

/**
 * A carrier's content and marking never outlive the carrier on screen (A1.5, A6.1): when the carrier
 * in the address changes, nothing of the previous carrier is shown under the new one's banner, and a
 * response that arrives for a carrier no longer on screen is dropped.
 */

type Shown = { id: string; number: string; text: string; level: string; marking: string };

// The Parties' markings as the banner shows them (the originator's first, then the equivalent one).
const TOP_SECRET_MARKING = "ӨТЕ ҚҰПИЯ │ ՀՈՒՅԺ ԳԱՂՏՆԻ";
const SECRET_MARKING = "ҚҰПИЯ │ ԳԱՂՏՆԻ";
const SECRET_TEXT =
  "Жиілікті жоспарлау кестесі, B-учаскесі: арналар 3–7.\n(Сынақ мазмұны — нақты мәліметтер жоқ.)";

type Leak = { banner: string | undefined; title: string | undefined };

/**
 * Watches the page from now on and keeps every state in which `text` (one carrier's content) is on
 * the page while a banner shows `level` (another carrier's level): `leaks(page)` reads them.
 */
async function watchForLeak(page: Page, text: string, level: string): Promise<void> {
  await page.evaluate(
    ({ text, level }) => {
      const w = window as unknown as { __leaks: Leak[]; __leakObserver?: MutationObserver };
      w.__leakObserver?.disconnect();
      w.__leaks = [];
      const check = () => {
        const banners = [...document.querySelectorAll<HTMLElement>("[data-testid^=marking-banner-]")];
        if (banners.some((b) => b.dataset.level === level) && document.body.textContent?.includes(text)) {
          w.__leaks.push({
            banner: banners[0]?.textContent ?? undefined,
            title: document.querySelector(".carrier-title")?.textContent ?? undefined,
          });
        }
      };
      w.__leakObserver = new MutationObserver(check);
      w.__leakObserver.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      check();
    },
    { text, level },
  );
}

function leaks(page: Page): Promise<Leak[]> {
  return page.evaluate(() => (window as unknown as { __leaks: Leak[] }).__leaks);
}

function goToCarrier(page: Page, id: string): Promise<void> {
  return page.evaluate((to) => {
    window.location.hash = `#/carriers/${encodeURIComponent(to)}`;
  }, id);
}

/** Waits until the page shows carrier `c`: its number in the title and its level on both banners. */
async function waitForCarrier(page: Page, c: Shown): Promise<void> {
  await page.waitForFunction(
    ({ number, level }) =>
      document.querySelector(".carrier-title .nowrap")?.textContent === number &&
      ["top", "bottom"].every(
        (p) =>
          document.querySelector<HTMLElement>(`[data-testid=marking-banner-${p}]`)?.dataset.level === level,
      ),
    { number: c.number, level: c.level },
  );
}

/** Opens carrier `c` from the dashboard, so that nothing of an earlier visit is on the page. */
async function openCarrier(page: Page, base: string, c: Shown): Promise<void> {
  await page.goto(`${base}/#/`);
  await page.getByTestId("who").waitFor();
  await goToCarrier(page, c.id);
  await waitForCarrier(page, c);
}

async function expectBannersOf(page: Page, c: Shown): Promise<void> {
  for (const position of ["top", "bottom"]) {
    const banner = page.getByTestId(`marking-banner-${position}`);
    await expect(banner.getAttribute("data-level")).resolves.toBe(c.level);
    await expect(banner.locator(".marking-texts").textContent()).resolves.toBe(c.marking);
  }
}

async function showContent(page: Page, c: Shown): Promise<void> {
  await page.getByTestId("show-content").click();
  await page.waitForFunction(
    (text) => document.querySelector("[data-testid=carrier-content]")?.textContent === text,
    c.text,
  );
}

describe("browser: a carrier page shows only the carrier in the address (A1.5, A6.1)", {
  timeout: 300_000,
}, () => {
  let nodes: DemoNodes;
  let browser: Browser;
  let page: Page;
  let kz = "";
  let topSecret: Shown;
  let secret: Shown;

  beforeAll(async () => {
    nodes = await startDemoNodes();
    kz = nodes.kz.url;
    const ctx = nodes.kz.ctx;
    // The demo world's top-secret electronic file, of the contract whose participants may read it (A4.2).
    const listed = await listCarriers(ctx, {
      actor: "kz-user",
      level: "top-secret",
      kind: "electronic-file",
    });
    const a = listed.carriers.find((c) => c.has_content === 1);
    if (!a) throw new Error("the KZ demo world has no top-secret carrier with content");
    // The demo world has no secret carrier with text: one of the same contract, so kz-user may read both.
    const b = await registerCarrier(ctx, {
      actor: "kz-registry",
      kind: "electronic-file",
      title: "Жиілікті жоспарлау кестесі, B-учаскесі",
      level: "secret",
      contract: "KZ-AM/2025-01",
      content: new TextEncoder().encode(SECRET_TEXT),
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signIn(page, kz, "kz-user", DEMO_PASSWORD);
    const response = await browser.context.request.get(`${kz}/api/carriers/${a.id}/content`);
    expect(response.ok()).toBe(true);
    const aText = ((await response.json()) as { text: string | null }).text;
    if (!aText) throw new Error("the top-secret demo carrier has no text content");
    topSecret = {
      id: a.id,
      number: a.registration_number,
      text: aText,
      level: "top-secret",
      marking: TOP_SECRET_MARKING,
    };
    secret = {
      id: b.id,
      number: b.registration_number,
      text: SECRET_TEXT,
      level: "secret",
      marking: SECRET_MARKING,
    };
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await nodes?.close();
  });

  it("A1.5, A6.1: from a top-secret carrier's content to a secret carrier, none of the top-secret text stays under the SECRET banner", async () => {
    await openCarrier(page, kz, topSecret);
    await showContent(page, topSecret);
    await expectBannersOf(page, topSecret);
    await watchForLeak(page, topSecret.text, secret.level);
    await goToCarrier(page, secret.id);
    await waitForCarrier(page, secret);
    expect(await page.locator("body").textContent()).not.toContain(topSecret.text);
    await expectBannersOf(page, secret);
    // The new carrier's content is shown only when asked for, as on any first visit.
    await expect(page.getByTestId("carrier-content").count()).resolves.toBe(0);
    await expect(page.getByTestId("show-content").count()).resolves.toBe(1);
    await screenshot(page, "carrier-switch-top-secret-to-secret");
    expect(await leaks(page)).toEqual([]);
  });

  it("A1.5, A6.1: from a secret carrier's content to a top-secret carrier, none of the secret text stays under the TOP SECRET banner", async () => {
    await openCarrier(page, kz, secret);
    await showContent(page, secret);
    await watchForLeak(page, secret.text, topSecret.level);
    await goToCarrier(page, topSecret.id);
    await waitForCarrier(page, topSecret);
    expect(await page.locator("body").textContent()).not.toContain(secret.text);
    await expectBannersOf(page, topSecret);
    await expect(page.getByTestId("carrier-content").count()).resolves.toBe(0);
    await screenshot(page, "carrier-switch-secret-to-top-secret");
    expect(await leaks(page)).toEqual([]);
  });

  it("A1.5, A6.1: the top-secret content asked for before the switch and answered after it never shows under the secret carrier", async () => {
    await openCarrier(page, kz, topSecret);
    const contentPath = `/api/carriers/${encodeURIComponent(topSecret.id)}/content`;
    const isHeld = (request: Request) => new URL(request.url()).pathname === contentPath;
    // The top-secret content request is held until the secret carrier is on screen.
    let holdRoute: (route: Route) => void = () => {};
    const held = new Promise<Route>((resolve) => {
      holdRoute = resolve;
    });
    const matches = (url: URL) => url.pathname === contentPath;
    await page.route(matches, (route) => holdRoute(route));
    let settle: (outcome: string) => void = () => {};
    const settled = new Promise<string>((resolve) => {
      settle = resolve;
    });
    const onFinished = (request: Request) => {
      if (isHeld(request)) settle("answered");
    };
    const onFailed = (request: Request) => {
      if (isHeld(request)) settle("dropped by the page");
    };
    page.on("requestfinished", onFinished);
    page.on("requestfailed", onFailed);
    try {
      await watchForLeak(page, topSecret.text, secret.level);
      await page.getByTestId("show-content").click();
      const route = await held;
      await goToCarrier(page, secret.id);
      await waitForCarrier(page, secret);
      // The late answer: the page may have given up the request already (then there is none to give).
      await route.continue().catch(() => {});
      const outcome = await settled;
      // Whatever became of it, the secret carrier's own content is what shows when asked for.
      await page.locator("[data-testid=show-content], [data-testid=carrier-content]").first().waitFor();
      if ((await page.getByTestId("show-content").count()) > 0)
        await page.getByTestId("show-content").click();
      await page.getByTestId("carrier-content").waitFor();
      await expectBannersOf(page, secret);
      expect(await page.getByTestId("carrier-content").textContent(), outcome).toBe(secret.text);
      expect(await page.locator("body").textContent()).not.toContain(topSecret.text);
      expect(await leaks(page)).toEqual([]);
    } finally {
      page.off("requestfinished", onFinished);
      page.off("requestfailed", onFailed);
      await page.unroute(matches);
    }
  });

  it("A1.5, A6.1: the top-secret record answered after the switch never replaces the secret carrier on screen", async () => {
    await page.goto(`${kz}/#/`);
    await page.getByTestId("who").waitFor();
    const recordPath = `/api/carriers/${encodeURIComponent(topSecret.id)}`;
    const isHeld = (request: Request) => new URL(request.url()).pathname === recordPath;
    let holdRoute: (route: Route) => void = () => {};
    const held = new Promise<Route>((resolve) => {
      holdRoute = resolve;
    });
    const matches = (url: URL) => url.pathname === recordPath;
    await page.route(matches, (route) => holdRoute(route));
    let settle: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const onDone = (request: Request) => {
      if (isHeld(request)) settle();
    };
    page.on("requestfinished", onDone);
    page.on("requestfailed", onDone);
    try {
      await watchForLeak(page, topSecret.number, secret.level);
      await goToCarrier(page, topSecret.id);
      const route = await held;
      await goToCarrier(page, secret.id);
      await waitForCarrier(page, secret);
      await route.continue().catch(() => {});
      await settled;
      // The next answer of the node, after the late one: the page has had its chance to show it.
      await page.getByTestId("show-content").click();
      await page.getByTestId("carrier-content").waitFor();
      await expectBannersOf(page, secret);
      await expect(page.locator(".carrier-title .nowrap").textContent()).resolves.toBe(secret.number);
      expect(await page.locator("body").textContent()).not.toContain(topSecret.text);
      expect(await leaks(page)).toEqual([]);
    } finally {
      page.off("requestfinished", onDone);
      page.off("requestfailed", onDone);
      await page.unroute(matches);
    }
  });
});
