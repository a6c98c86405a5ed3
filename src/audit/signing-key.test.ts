import { generateKeyPairSync } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/support/databases.ts";
import { isDomainError } from "../domain/errors.ts";
import { openCheckpoint, signCheckpoint } from "./checkpoint.ts";
import { EMPTY_ROOT } from "./merkle.ts";
import { formatVerifierKey, verifierOf } from "./signed-note.ts";
import {
  AUDIT_SIGNING_KEY_ENV,
  auditSigningKeyPath,
  auditVerifierKeyPath,
  ensureAuditSigningKey,
  loadAuditSigner,
  loadAuditVerifiers,
} from "./signing-key.ts";

const node = { party: "AM", nodeId: "0b8f5e0e-5a43-4f0c-9a3e-2d7c1b6a9e11" };

describe("the node's audit signing key", () => {
  it("is made once at node init (mode 0600), with its verifier key beside it, and signs checkpoints it verifies", () => {
    const dataDir = makeTempDir();
    const vkey = ensureAuditSigningKey(dataDir, node, {});
    expect(statSync(auditSigningKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(auditVerifierKeyPath(dataDir), "utf8").trim()).toBe(vkey);
    expect(ensureAuditSigningKey(dataDir, node, {})).toBe(vkey); // never replaced
    const signer = loadAuditSigner(dataDir, node, {});
    const note = signCheckpoint({ origin: "o", size: 0, root: EMPTY_ROOT }, [signer]);
    expect(openCheckpoint(note, loadAuditVerifiers(dataDir, node, [], {})).size).toBe(0);
  });

  it("can come from the environment (no key file written)", () => {
    const dataDir = makeTempDir();
    const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const env = { [AUDIT_SIGNING_KEY_ENV]: pem };
    const vkey = ensureAuditSigningKey(dataDir, node, env);
    expect(() => statSync(auditSigningKeyPath(dataDir))).toThrow();
    expect(formatVerifierKey(verifierOf(loadAuditSigner(dataDir, node, env)))).toBe(vkey);
  });

  it("refuses a missing or unusable key with AUDIT_CHECKPOINT_INVALID", () => {
    const dataDir = makeTempDir();
    const code = (f: () => unknown) => {
      try {
        f();
        return null;
      } catch (error) {
        return isDomainError(error) ? error.code : String(error);
      }
    };
    expect(code(() => loadAuditSigner(dataDir, node, {}))).toBe("AUDIT_CHECKPOINT_INVALID");
    ensureAuditSigningKey(dataDir, node, {});
    writeFileSync(auditSigningKeyPath(dataDir), "not a key");
    expect(code(() => loadAuditSigner(dataDir, node, {}))).toBe("AUDIT_CHECKPOINT_INVALID");
    expect(code(() => loadAuditVerifiers(dataDir, node, ["garbage"], {}))).toBe("AUDIT_CHECKPOINT_INVALID");
  });
});
