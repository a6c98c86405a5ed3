// A4.1.1, A6.2, A1.8: the node's content wrapping key and audit signing key are replaced without
// re-encrypting content and without breaking the audit chain. After `rotate-wrap-key` carriers
// stored before still open, a new carrier stores and opens, a destruction still erases, and a login's
// TOTP secret still opens; after `rotate-audit-key` `audit verify` passes over checkpoints of both
// keys (database and witness file). Each rotation is an audit entry.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signNodeAuditCheckpoint, verifyNodeAuditLog } from "../../src/app/audit/log-operations.ts";
import { createLogin } from "../../src/app/auth/create-login.ts";
import { loadTotpSealKey, openTotpSecret } from "../../src/app/auth/totp-seal.ts";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { rotateAuditSigningKey } from "../../src/app/node/rotate-audit-key.ts";
import { resealPersonal, rotateContentWrapKey } from "../../src/app/node/rotate-wrap-key.ts";
import { createFlowContext } from "../../src/app/transfer/flow-context.ts";
import { openPersonalData, sealPersonalData } from "../../src/app/visits/personal-data.ts";
import { openCheckpoint } from "../../src/audit/checkpoint.ts";
import { readAuditEntries, readAuditHead } from "../../src/audit/log.ts";
import { parseVerifierKey } from "../../src/audit/signed-note.ts";
import { auditVerifierKeyPath } from "../../src/audit/signing-key.ts";
import { openContentVault, openWrappedKeyWithStore } from "../../src/crypto/at-rest/content-vault.ts";
import {
  CONTENT_WRAP_KEY_FILE_ENV,
  contentWrapKeyPath,
  ensureContentWrapKey,
  loadContentWrapKey,
  wrapContentKey,
} from "../../src/crypto/at-rest/wrap-key.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { makeTempDir } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";
import { seedRegistry } from "./registry-fixture.ts";

const codeOf = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
  return "no error";
};

describe("key rotation (A4.1.1, A6.2, A1.8) [sqlite]", () => {
  let node: TestNode;
  let outside: string;
  beforeAll(async () => {
    node = await createTestNode("sqlite");
    outside = makeTempDir("kelisim-keys-outside-");
    await seedRegistry(node.ctx);
  });
  afterAll(async () => {
    delete process.env[CONTENT_WRAP_KEY_FILE_ENV];
    await node?.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  const dataDir = () => node.location.dataDir;
  const register = (title: string) =>
    registerCarrier(node.ctx, {
      actor: "reg",
      kind: "electronic-file",
      title,
      level: "secret",
      contract: "C-1",
      content: Buffer.from(`content of ${title}`),
    });
  /** The content as a fresh process would read it: the wrapping key loaded from where it is now. */
  const readFresh = (id: string, env: NodeJS.ProcessEnv = {}) =>
    openContentVault({ dataDir: dataDir(), wrapKey: loadContentWrapKey(dataDir(), env) }).readContentBytes(
      node.ctx.db,
      id,
    );
  const entriesOf = async (event: string) =>
    (await readAuditEntries(node.ctx.db, 0, (await readAuditHead(node.ctx.db)).size)).filter(
      (e) => e.event === event,
    );

  it("A1.8, A4.1.1: rotate-wrap-key re-encrypts the key store only; old carriers open, a new one stores and opens, a destruction erases, TOTP still opens; audited", async () => {
    const before = await register("stored before");
    const doomed = await register("destroyed after");
    const login = await createLogin(node.node, { person: "reg", password: "a long enough password 2026" });
    const oldKey = loadContentWrapKey(dataDir(), {});
    const storeBefore = readFileSync(join(dataDir(), "keys", "content-buckets.keys"));
    const blob = await node.ctx.db
      .selectFrom("content_keys")
      .select(["blob_name", "wrapped_key"])
      .where("carrier_id", "=", doomed.id)
      .executeTakeFirstOrThrow();

    const rotated = await rotateContentWrapKey(node.node, { env: {} });

    expect(rotated).toMatchObject({
      oldKeyId: oldKey.id,
      inPlace: true,
      keyFile: contentWrapKeyPath(dataDir()),
    });
    expect(rotated.totpSecrets).toBe(1);
    const newKey = loadContentWrapKey(dataDir(), {});
    expect(newKey.id).toBe(rotated.newKeyId);
    expect(newKey.id).not.toBe(oldKey.id);
    expect(existsSync(`${contentWrapKeyPath(dataDir())}.next`)).toBe(false);
    expect(readFileSync(join(dataDir(), "keys", "content-buckets.keys")).equals(storeBefore)).toBe(false);
    // The blob and the wrapped content key are untouched: only the key store was re-encrypted.
    const after = await node.ctx.db
      .selectFrom("content_keys")
      .select(["blob_name", "wrapped_key"])
      .where("carrier_id", "=", doomed.id)
      .executeTakeFirstOrThrow();
    expect(after.blob_name).toBe(blob.blob_name);
    expect(Buffer.from(after.wrapped_key).equals(Buffer.from(blob.wrapped_key))).toBe(true);
    // Stored before: opens with the new key (fresh vault) and through the node's running vault.
    expect((await readFresh(before.id)).toString()).toBe("content of stored before");
    // A new carrier stores (through the context's vault, which took up the new key) and opens.
    const fresh = await register("stored after");
    expect((await readFresh(fresh.id)).toString()).toBe("content of stored after");
    // A destruction still erases: the destroyed carrier's old wrapped key opens nothing.
    const flows = createFlowContext(node.ctx);
    try {
      const destroyed = await destroyCarrier(flows, { actor: "reg", carrier: doomed.id });
      expect(destroyed.erasure).toMatchObject({ committed: true, complete: true });
    } finally {
      flows.exchange.close();
    }
    expect(
      openWrappedKeyWithStore(
        { dataDir: dataDir(), wrapKey: newKey },
        doomed.id,
        Buffer.from(blob.wrapped_key),
      ),
    ).toBeNull();
    // The sign-in's sealed TOTP secret was re-sealed under the new key.
    const account = await node.ctx.db
      .selectFrom("auth_account")
      .select("totp_secret_sealed")
      .where("person_id", "=", login.personId)
      .executeTakeFirstOrThrow();
    const opened = openTotpSecret(
      loadTotpSealKey(dataDir(), {}),
      login.personId,
      account.totp_secret_sealed ?? "",
    );
    expect(opened).toEqual({ ok: true, secret: login.totpSecret });
    const [entry] = await entriesOf("node.content-wrap-key-rotated");
    expect(entry).toMatchObject({
      outcome: "done",
      articles: ["A4.1.1", "A6.2", "A1.8"],
      data: { oldKeyId: oldKey.id, newKeyId: newKey.id, totpSecrets: 1 },
    });
  });

  it("A1.8: rotate-wrap-key --out writes the new key outside the data directory, refuses one inside, and refuses content keys wrapped by a key the node does not hold (changing nothing)", async () => {
    expect(
      await codeOf(() => rotateContentWrapKey(node.node, { env: {}, out: join(dataDir(), "x.key") })),
    ).toBe("NODE_KEY_ROTATION_REFUSED");
    const carrier = await register("before --out");
    // A content key stored before buckets (migration 0013), wrapped by the current node key directly:
    // re-wrapped into a bucket first, then opens under the new key.
    const legacyKey = randomBytes(32);
    await node.ctx.db
      .insertInto("content_keys")
      .values({
        carrier_id: "legacy-own",
        wrapped_key: wrapContentKey(loadContentWrapKey(dataDir(), {}), "legacy-own", legacyKey),
        wrap_key_id: loadContentWrapKey(dataDir(), {}).id,
        bucket_id: null,
        blob_name: "1".repeat(32),
        size_bytes: 1,
        chunk_size: 4096,
        stored_at: new Date().toISOString(),
      })
      .execute();
    const out = join(outside, "wrap.key");
    const rotated = await rotateContentWrapKey(node.node, { env: {}, out });
    expect(rotated.inPlace).toBe(false);
    expect(rotated.legacyRebucketed).toBe(1);
    const legacyRow = await node.ctx.db
      .selectFrom("content_keys")
      .select(["wrapped_key", "bucket_id"])
      .where("carrier_id", "=", "legacy-own")
      .executeTakeFirstOrThrow();
    expect(legacyRow.bucket_id).not.toBeNull();
    expect(
      openWrappedKeyWithStore(
        { dataDir: dataDir(), wrapKey: loadContentWrapKey(dataDir(), { [CONTENT_WRAP_KEY_FILE_ENV]: out }) },
        "legacy-own",
        Buffer.from(legacyRow.wrapped_key),
      )?.equals(legacyKey),
    ).toBe(true);
    await node.ctx.db.deleteFrom("content_keys").where("carrier_id", "=", "legacy-own").execute();
    expect(readFileSync(out, "utf8").trim()).toBe(rotated.newKeyBase64);
    const env = { [CONTENT_WRAP_KEY_FILE_ENV]: out };
    expect((await readFresh(carrier.id, env)).toString()).toBe("content of before --out");
    // A pre-bucket row (migration 0013) wrapped by a key this node never held: refused, nothing made.
    await node.ctx.db
      .insertInto("content_keys")
      .values({
        carrier_id: "legacy-foreign",
        wrapped_key: Buffer.alloc(60),
        wrap_key_id: "0123456789abcdef",
        bucket_id: null,
        blob_name: "0".repeat(32),
        size_bytes: 1,
        chunk_size: 4096,
        stored_at: new Date().toISOString(),
      })
      .execute();
    const out2 = join(outside, "wrap2.key");
    expect(await codeOf(() => rotateContentWrapKey(node.node, { env, out: out2 }))).toBe(
      "NODE_KEY_ROTATION_REFUSED",
    );
    expect(existsSync(out2)).toBe(false);
    expect(loadContentWrapKey(dataDir(), env).id).toBe(rotated.newKeyId);
    await node.ctx.db.deleteFrom("content_keys").where("carrier_id", "=", "legacy-foreign").execute();
    // From now on this process's node reads the key from the file outside, as a production node would.
    process.env[CONTENT_WRAP_KEY_FILE_ENV] = out;
    expect((await register("after --out")).id).toBeTruthy();
  });

  it("A4.1.1, A6.2: rotate-audit-key: the old key signs the handover, the new key signs after, audit verify passes across the rotation (database and witness file); audited", async () => {
    const at = () => new Date();
    await signNodeAuditCheckpoint(node.node, at());
    await register("between checkpoints");
    await signNodeAuditCheckpoint(node.node, at());
    const oldVkey = readFileSync(auditVerifierKeyPath(dataDir()), "utf8").trim();

    const rotated = await rotateAuditSigningKey(node.node, { env: {} });

    expect(rotated.oldVerifierKey).toBe(oldVkey);
    expect(rotated.newVerifierKey).not.toBe(oldVkey);
    expect(readFileSync(auditVerifierKeyPath(dataDir()), "utf8").trim()).toBe(rotated.newVerifierKey);
    expect(rotated.firstNewSize).toBe(rotated.handoverSize + 1);
    // Later checkpoints are the new key's alone.
    await register("after the rotation");
    const later = await signNodeAuditCheckpoint(node.node, at());
    expect(() => openCheckpoint(later.checkpoint.note, [parseVerifierKey(oldVkey)])).toThrow();
    expect(openCheckpoint(later.checkpoint.note, [parseVerifierKey(rotated.newVerifierKey)]).size).toBe(
      later.checkpoint.size,
    );
    // The handover checkpoint (old key) covers the entry naming the new key.
    const checkpoints = await node.ctx.db.selectFrom("audit_checkpoints").select(["size", "note"]).execute();
    const handover = checkpoints.find((c) => Number(c.size) === rotated.handoverSize);
    expect(openCheckpoint(handover?.note ?? "", [parseVerifierKey(oldVkey)]).size).toBe(rotated.handoverSize);
    const result = await verifyNodeAuditLog(node.node, { env: {} });
    expect(result.ok).toBe(true);
    expect(result.checkpointsVerified).toBeGreaterThanOrEqual(4);
    expect(result.witnesses[0]).toMatchObject({ kind: "file", state: "used" });
    expect(result.witnesses[0]?.checkpoints).toBeGreaterThanOrEqual(4);
    const entries = await entriesOf("audit.signing-key-rotated");
    expect(entries.map((e) => e.data?.phase)).toEqual(["handover", "switched"]);
    expect(entries[0]?.data).toMatchObject({
      oldVerifierKey: oldVkey,
      newVerifierKey: rotated.newVerifierKey,
    });
    expect(entries[0]?.index).toBe(rotated.handoverSize - 1);
  });

  it("A9.2 (1), A1.8: a visitor's sealed personal data re-sealed by the rotation open with the new key as personal-data.ts derives it", () => {
    const a = makeTempDir("kelisim-pd-a-");
    const b = makeTempDir("kelisim-pd-b-");
    const saved = process.env[CONTENT_WRAP_KEY_FILE_ENV];
    delete process.env[CONTENT_WRAP_KEY_FILE_ENV]; // personal-data.ts reads the process's environment
    try {
      ensureContentWrapKey(a, {});
      ensureContentWrapKey(b, {});
      const data = { birthDate: "1990-01-02", birthPlace: "Almaty", citizenship: "KZ", passport: "N1234567" };
      const sealed = sealPersonalData(a, "visit-1", 2, data);
      const resealed = resealPersonal(
        sealed,
        "visit-1",
        2,
        loadContentWrapKey(a, {}),
        loadContentWrapKey(b, {}),
      );
      expect(resealed).not.toBeNull();
      expect(openPersonalData(b, "visit-1", 2, resealed ?? "")).toEqual(data);
      // Sealed under another key: left as it is.
      expect(
        resealPersonal(sealed, "visit-1", 2, loadContentWrapKey(b, {}), loadContentWrapKey(a, {})),
      ).toBeNull();
    } finally {
      if (saved !== undefined) process.env[CONTENT_WRAP_KEY_FILE_ENV] = saved;
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  });
});
