import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test/support/databases.ts";
import { isDomainError } from "../../domain/errors.ts";
import {
  CONTENT_WRAP_KEY_ENV,
  contentWrapKeyPath,
  ensureContentWrapKey,
  loadContentWrapKey,
  unwrapContentKey,
  wrapContentKey,
} from "./wrap-key.ts";

function codeOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
}

describe("the node's content-key wrapping key", () => {
  it("is created once at node init with mode 0600 and wraps a carrier's key for that carrier only", () => {
    const dataDir = makeTempDir();
    ensureContentWrapKey(dataDir, {});
    expect(statSync(contentWrapKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    const wrapKey = loadContentWrapKey(dataDir, {});
    ensureContentWrapKey(dataDir, {});
    expect(loadContentWrapKey(dataDir, {}).key).toEqual(wrapKey.key); // never replaced
    const contentKey = randomBytes(32);
    const wrapped = wrapContentKey(wrapKey, "carrier-1", contentKey);
    expect(wrapped.indexOf(contentKey)).toBe(-1);
    expect(unwrapContentKey(wrapKey, "carrier-1", wrapped)).toEqual(contentKey);
    expect(codeOf(() => unwrapContentKey(wrapKey, "carrier-2", wrapped))).toBe("CONTENT_KEY_UNAVAILABLE");
  });

  it("can come from KELISIM_CONTENT_WRAP_KEY (no file written), and refuses a malformed or missing key", () => {
    const dataDir = makeTempDir();
    const env = { [CONTENT_WRAP_KEY_ENV]: randomBytes(32).toString("base64") };
    ensureContentWrapKey(dataDir, env);
    expect(existsSync(contentWrapKeyPath(dataDir))).toBe(false);
    expect(loadContentWrapKey(dataDir, env).key.toString("base64")).toBe(env[CONTENT_WRAP_KEY_ENV]);
    expect(codeOf(() => loadContentWrapKey(dataDir, { [CONTENT_WRAP_KEY_ENV]: "c2hvcnQ=" }))).toBe(
      "CONTENT_KEY_UNAVAILABLE",
    );
    expect(codeOf(() => loadContentWrapKey(dataDir, {}))).toBe("CONTENT_KEY_UNAVAILABLE");
  });
});
