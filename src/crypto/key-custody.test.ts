// A4.1.1, A6.2, A1.8: where the audit signing key and the content wrapping key are read from, and
// the refusal of a key inside the data directory (symlinks resolved).
import { mkdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/support/databases.ts";
import { refuseKeysInDataDir } from "../app/node/key-custody.ts";
import {
  AUDIT_SIGNING_KEY_FILE_ENV,
  auditSigningKeyPath,
  ensureAuditSigningKey,
  loadAuditSigner,
} from "../audit/signing-key.ts";
import { DomainError } from "../domain/errors.ts";
import {
  CONTENT_WRAP_KEY_ENV,
  CONTENT_WRAP_KEY_FILE_ENV,
  contentWrapKeyPath,
  ensureContentWrapKey,
  loadContentWrapKey,
} from "./at-rest/wrap-key.ts";

const dirs: string[] = [];
const temp = () => {
  const dir = makeTempDir("kelisim-custody-");
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const errorOf = (work: () => unknown): DomainError | null => {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return null;
};

const node = { party: "KZ", nodeId: "n-1" };

describe("key custody (A4.1.1, A6.2, A1.8)", () => {
  it("A1.8: a *_FILE outside the data directory is where the key is made and read; a value variable comes first", () => {
    const dataDir = temp();
    const keys = temp();
    const env = {
      [CONTENT_WRAP_KEY_FILE_ENV]: join(keys, "wrap.key"),
      [AUDIT_SIGNING_KEY_FILE_ENV]: join(keys, "audit.key"),
    };
    ensureContentWrapKey(dataDir, env);
    ensureAuditSigningKey(dataDir, node, env);
    expect(loadContentWrapKey(dataDir, env).key).toHaveLength(32);
    expect(loadAuditSigner(dataDir, node, env).name).toBe("kelisim/KZ/n-1");
    expect(errorOf(() => loadContentWrapKey(dataDir, {}))?.code).toBe("CONTENT_KEY_UNAVAILABLE");
    const value = Buffer.alloc(32, 7).toString("base64");
    expect(
      loadContentWrapKey(dataDir, { ...env, [CONTENT_WRAP_KEY_ENV]: value }).key.toString("base64"),
    ).toBe(value);
    expect(refuseKeysInDataDir(dataDir, env).contentWrapKey).toMatchObject({
      kind: "file",
      inDataDir: false,
    });
  });

  it("A4.1.1, A1.8: keys in the data directory, a *_FILE inside it or a symlink into it are refused with NODE_KEY_IN_DATA_DIR", () => {
    const dataDir = temp();
    const outside = temp();
    ensureContentWrapKey(dataDir, {});
    ensureAuditSigningKey(dataDir, node, {});
    const both = errorOf(() => refuseKeysInDataDir(dataDir, {}));
    expect(both?.code).toBe("NODE_KEY_IN_DATA_DIR");
    expect(both?.articles).toEqual(["A4.1.1", "A6.2", "A1.8"]);
    expect(both?.details.keys).toEqual([
      `audit signing key (${auditSigningKeyPath(dataDir)})`,
      `content wrapping key (${contentWrapKeyPath(dataDir)})`,
    ]);
    const inside = { [CONTENT_WRAP_KEY_FILE_ENV]: contentWrapKeyPath(dataDir) };
    expect(errorOf(() => loadContentWrapKey(dataDir, inside))?.code).toBe("NODE_KEY_IN_DATA_DIR");
    symlinkSync(contentWrapKeyPath(dataDir), join(outside, "link.key"));
    const viaLink = { [CONTENT_WRAP_KEY_FILE_ENV]: join(outside, "link.key") };
    expect(errorOf(() => loadContentWrapKey(dataDir, viaLink))?.code).toBe("NODE_KEY_IN_DATA_DIR");
    // The data directory reached through a symlink: still inside.
    symlinkSync(dataDir, join(outside, "data-link"));
    const viaDirLink = { [CONTENT_WRAP_KEY_FILE_ENV]: join(outside, "data-link", "keys", "node-wrap.key") };
    expect(errorOf(() => loadContentWrapKey(dataDir, viaDirLink))?.code).toBe("NODE_KEY_IN_DATA_DIR");
    // Moved out and named: allowed.
    mkdirSync(join(outside, "keys"));
    renameSync(contentWrapKeyPath(dataDir), join(outside, "keys", "node-wrap.key"));
    renameSync(auditSigningKeyPath(dataDir), join(outside, "keys", "audit.key"));
    const moved = {
      [CONTENT_WRAP_KEY_FILE_ENV]: join(outside, "keys", "node-wrap.key"),
      [AUDIT_SIGNING_KEY_FILE_ENV]: join(outside, "keys", "audit.key"),
    };
    expect(errorOf(() => refuseKeysInDataDir(dataDir, moved))).toBeNull();
  });
});
