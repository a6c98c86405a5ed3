import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageLabelFor } from "../../src/crypto/agreement-labels.ts";
import { openFile, sealFile } from "../../src/crypto/package/package-file.ts";
import { PieceWorkerPool } from "../../src/crypto/package/worker-pool.ts";
import { refusalCode } from "../../src/crypto/refusal.ts";
import { makeTwoParties, type TwoParties } from "./support/two-parties.ts";

// Its own file so that it runs beside the other crypto tests on the second core.
let t: TwoParties;
let pool: PieceWorkerPool;
let work: string;

beforeAll(async () => {
  t = await makeTwoParties();
  pool = new PieceWorkerPool(1);
  work = join(t.dir, "work");
  mkdirSync(work);
});
afterAll(async () => {
  await pool.close();
  t.cleanup();
});

async function seal(size: number): Promise<string> {
  const input = join(work, "carrier.bin");
  writeFileSync(input, randomBytes(size));
  const output = join(work, "pkg");
  await sealFile({
    input,
    output,
    label: packageLabelFor(t.pack, "KZ", "secret"),
    signer: t.kzOrg.signer,
    recipientCert: t.amOrg.recipient.certificate,
    trust: t.trustKz(),
    pieceSize: 1024,
    pool,
  });
  rmSync(input);
  return output;
}

describe("sealed package folders under bit flips", () => {
  it("A5.7: refuses every single-bit flip of a small package (manifest and piece)", async () => {
    const pkg = await seal(200);
    const trust = t.trustAm();
    const accepted: string[] = [];
    const wrong: string[] = [];
    for (const name of ["piece-000001.p7m", "manifest.p7s"]) {
      const path = join(pkg, name);
      const original = readFileSync(path);
      for (let bit = 0; bit < original.length * 8; bit++) {
        const copy = Buffer.from(original);
        copy[bit >> 3]! ^= 0x80 >> (bit & 7);
        writeFileSync(path, copy);
        const output = join(work, "flip.bin");
        try {
          await openFile({
            input: pkg,
            output,
            recipient: t.amOrg.recipient,
            trust,
            agreement: t.table,
            pool,
          });
          accepted.push(`${name}:${bit}`);
          rmSync(output);
        } catch (error) {
          if (!refusalCode(error)) wrong.push(`${name}:${bit}: ${String(error)}`);
          if (existsSync(output)) wrong.push(`${name}:${bit}: output left behind`);
        }
      }
      writeFileSync(path, original);
    }
    expect(accepted).toEqual([]);
    expect(wrong).toEqual([]);
    expect(readdirSync(work).filter((n) => n.includes("partial"))).toEqual([]);
  }, 300_000);
});
