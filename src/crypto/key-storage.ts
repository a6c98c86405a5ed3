/**
 * Private keys at rest: PKCS#8 encrypted with PBES2 (AES-256-CBC), under a key stretched with scrypt
 * from the node's passphrase. The passphrase comes from KELISIM_PKI_PASSPHRASE, else from the node key
 * file `<dataDir>/pki/node.key` (random, mode 0600, created by `initPartyPki`). It is never logged.
 */
import { createPrivateKey, type KeyObject, randomBytes, scryptSync } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const stretched = new Map<string, string>();

/** Where the node key file lives. */
export function nodeKeyPath(dataDir: string): string {
  return join(dataDir, "pki", "node.key");
}

/** Creates the node key file unless a passphrase is given in the environment or the file exists. */
export function ensureNodeKey(dataDir: string): void {
  if (process.env.KELISIM_PKI_PASSPHRASE) return;
  const path = nodeKeyPath(dataDir);
  if (existsSync(path)) return;
  writeFileSync(path, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
}

function passphraseFor(dataDir: string, salt: string): string {
  const cacheKey = `${dataDir}\0${salt}\0${process.env.KELISIM_PKI_PASSPHRASE ?? ""}`;
  const cached = stretched.get(cacheKey);
  if (cached) return cached;
  let secret = process.env.KELISIM_PKI_PASSPHRASE;
  if (!secret) {
    const path = nodeKeyPath(dataDir);
    if (!existsSync(path))
      throw new Error(
        "no PKI passphrase: set KELISIM_PKI_PASSPHRASE or provide the node key file pki/node.key",
      );
    secret = readFileSync(path, "utf8").trim();
  }
  // scrypt N=2^15, r=8: 32 MiB and ~0.1 s once per process, so a guessed passphrase costs the same.
  const key = scryptSync(secret, Buffer.from(salt, "hex"), 32, {
    N: 1 << 15,
    r: 8,
    p: 1,
    maxmem: 64 * 1024 * 1024,
  });
  const hex = key.toString("hex");
  stretched.set(cacheKey, hex);
  return hex;
}

/** Writes `key` encrypted to `path` (mode 0600). */
export function writePrivateKey(dataDir: string, salt: string, path: string, key: KeyObject): void {
  const pem = key.export({
    type: "pkcs8",
    format: "pem",
    cipher: "aes-256-cbc",
    passphrase: passphraseFor(dataDir, salt),
  });
  writeFileSync(path, pem, { mode: 0o600 });
}

/** Reads and decrypts the private key at `path`. */
export function readPrivateKey(dataDir: string, salt: string, path: string): KeyObject {
  try {
    return createPrivateKey({
      key: readFileSync(path),
      format: "pem",
      passphrase: passphraseFor(dataDir, salt),
    });
  } catch (error) {
    if (error instanceof Error && /no PKI passphrase/.test(error.message)) throw error;
    throw new Error(`cannot decrypt the private key ${path}: wrong passphrase or damaged file`);
  }
}
