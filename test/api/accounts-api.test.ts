// Sign-in accounts through the HTTP API (A4.2): every route tried unauthenticated, by a role that
// may not, and by the one that may. The administrator resets a password (the person's session ends;
// their next sign-in sets a new password before anything else); a person changes their own password
// and enrols a new second factor on their account page; the People list says what the actor may do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp } from "../../src/app/auth/totp.ts";
import { DEMO_PASSWORD } from "../../src/app/demo/demo-world.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };

type PersonRow = {
  id: string;
  name: string;
  actions: { clearance: string[]; removeRoles: string[]; deactivate: boolean; resetPassword: boolean };
  clearanceSuspended: boolean;
};

async function signIn(api: ApiNode, body: Record<string, string>) {
  return api.app.inject({ method: "POST", url: "/api/auth/login", headers: EN, payload: body });
}

function sessionOf(api: ApiNode, response: Awaited<ReturnType<typeof signIn>>, username: string): Session {
  const cookie = response.cookies.find((c) => c.name === api.cookieName);
  if (!cookie) throw new Error("no session cookie");
  return {
    cookie: `${api.cookieName}=${cookie.value}`,
    csrf: (response.json() as { csrfToken: string }).csrfToken,
    username,
  };
}

describe("A4.2: sign-in accounts through the HTTP API [sqlite]", () => {
  let api: ApiNode;
  let admin: Session;
  let authority: Session;
  beforeAll(async () => {
    api = await startApiNode("sqlite", "KZ");
    admin = await login(api, "kz-admin");
    authority = await login(api, "kz-authority");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("answers every account route unauthenticated with SESSION_EXPIRED", async () => {
    for (const [method, url, body] of [
      ["GET", "/api/account", undefined],
      ["PUT", "/api/account/password", { current: "a", next: "b" }],
      ["POST", "/api/account/totp", {}],
      ["POST", "/api/account/totp/confirm", { code: "123456" }],
      ["POST", "/api/people/kz-user/password-reset", {}],
    ] as const) {
      const answer = await call(api, undefined, method, url, body, EN);
      expect(answer.statusCode, url).toBe(401);
      expect(answer.json(), url).toMatchObject({ code: "SESSION_EXPIRED" });
    }
  });

  it("A1.11, A4.2: the People list offers each actor what it may do, and the permission map says who manages people", async () => {
    const people = async (session: Session) =>
      (await call(api, session, "GET", "/api/people", undefined, EN)).json() as PersonRow[];
    const byAdmin = await people(admin);
    const user = byAdmin.find((p) => p.name === "Мәдина Омарова");
    expect(user?.actions).toMatchObject({ clearance: [], deactivate: true, resetPassword: true });
    const byAuthority = (await people(authority)).find((p) => p.id === user?.id);
    expect(byAuthority?.actions).toEqual({
      clearance: ["withdraw", "suspend"],
      removeRoles: [],
      deactivate: false,
      resetPassword: false,
    });
    const session = (await call(api, admin, "GET", "/api/session", undefined, EN)).json() as {
      permissions: Record<string, boolean>;
    };
    expect(session.permissions).toMatchObject({ managePeople: true, changeClearance: false });
  });

  it("A4.2: only the administrator resets a password; the person's session ends and the next sign-in sets a new one first", async () => {
    const user = await login(api, "kz-registry-2");
    const refused = await call(api, authority, "POST", "/api/people/kz-registry-2/password-reset", {}, EN);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "ROLE_FORBIDDEN", articles: ["A4.2"] });
    expect((await call(api, user, "GET", "/api/dashboard", undefined, EN)).statusCode).toBe(200);

    const reset = await call(api, admin, "POST", "/api/people/kz-registry-2/password-reset", {}, EN);
    expect(reset.statusCode).toBe(200);
    expect(reset.headers["cache-control"]).toBe("no-store");
    const { oneTimePassword, username } = reset.json() as { oneTimePassword: string; username: string };
    expect(username).toBe("kz-registry-2");
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(20);
    expect((await call(api, user, "GET", "/api/dashboard", undefined, EN)).statusCode).toBe(401);

    expect((await signIn(api, { username, password: DEMO_PASSWORD })).json()).toMatchObject({
      code: "AUTH_FAILED",
    });
    const asked = await signIn(api, { username, password: oneTimePassword });
    expect(asked.statusCode).toBe(401);
    expect(asked.json()).toMatchObject({ code: "PASSWORD_CHANGE_REQUIRED", articles: ["A4.2"] });
    expect(asked.cookies.find((c) => c.name === api.cookieName)).toBeUndefined();
    const short = await signIn(api, { username, password: oneTimePassword, newPassword: "short" });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: "PASSWORD_TOO_SHORT" });
    expect((short.json() as { message: string }).message).toContain("12");

    const done = await signIn(api, {
      username,
      password: oneTimePassword,
      newPassword: "my own new password",
    });
    expect(done.statusCode).toBe(200);
    const own = sessionOf(api, done, username);
    expect((await call(api, own, "GET", "/api/dashboard", undefined, EN)).statusCode).toBe(200);
    expect((await signIn(api, { username, password: "my own new password" })).statusCode).toBe(200);
  });

  it("A4.2: a person changes their own password with the current one; their other sessions end, this one goes on", async () => {
    const here = await login(api, "kz-auditor");
    const elsewhere = await login(api, "kz-auditor");
    const wrong = await call(
      api,
      here,
      "PUT",
      "/api/account/password",
      { current: "nope", next: "x".repeat(16) },
      EN,
    );
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: "PASSWORD_CURRENT_WRONG" });
    const short = await call(
      api,
      here,
      "PUT",
      "/api/account/password",
      { current: DEMO_PASSWORD, next: "x" },
      EN,
    );
    expect(short.statusCode).toBe(400);
    const done = await call(
      api,
      here,
      "PUT",
      "/api/account/password",
      { current: DEMO_PASSWORD, next: "the auditor's own password" },
      EN,
    );
    expect(done.json()).toEqual({ changed: true, otherSessionsEnded: 1 });
    expect((await call(api, here, "GET", "/api/account", undefined, EN)).statusCode).toBe(200);
    expect((await call(api, elsewhere, "GET", "/api/account", undefined, EN)).statusCode).toBe(401);
    expect((await signIn(api, { username: "kz-auditor", password: DEMO_PASSWORD })).statusCode).toBe(401);
    expect(
      (await signIn(api, { username: "kz-auditor", password: "the auditor's own password" })).statusCode,
    ).toBe(200);
  });

  it("A4.2: a person enrols a second factor: a QR code of a sealed pending secret, proven by a code, then asked at sign-in", async () => {
    const user = await login(api, "kz-user");
    expect((await call(api, user, "GET", "/api/account", undefined, EN)).json()).toMatchObject({
      username: "kz-user",
      totpEnrolled: false,
      totpPending: false,
      passwordMinLength: 12,
    });
    const started = await call(api, user, "POST", "/api/account/totp", {}, EN);
    expect(started.statusCode).toBe(200);
    const { uri, qrSvg } = started.json() as { uri: string; qrSvg: string };
    expect(qrSvg.startsWith("<svg")).toBe(true);
    const secret = new URL(uri).searchParams.get("secret") ?? "";
    expect(secret).not.toBe("");
    const wrong = await call(api, user, "POST", "/api/account/totp/confirm", { code: "000000" }, EN);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: "TOTP_CODE_WRONG" });
    // Demo mode asks no code of an account without a second factor; still none is in use.
    expect((await signIn(api, { username: "kz-user", password: DEMO_PASSWORD })).statusCode).toBe(200);

    const confirmed = await call(
      api,
      user,
      "POST",
      "/api/account/totp/confirm",
      { code: currentTotp(secret) },
      EN,
    );
    expect(confirmed.json()).toEqual({ enrolled: true, replaced: false });
    expect((await call(api, user, "GET", "/api/account", undefined, EN)).json()).toMatchObject({
      totpEnrolled: true,
      totpPending: false,
    });
    // Now the code is asked even in demo mode: without it, no sign-in.
    expect((await signIn(api, { username: "kz-user", password: DEMO_PASSWORD })).statusCode).toBe(401);
    const next = currentTotp(secret, Date.now() + 30_000);
    expect((await signIn(api, { username: "kz-user", password: DEMO_PASSWORD, totp: next })).statusCode).toBe(
      200,
    );
  });
});
