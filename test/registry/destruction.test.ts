// A1.8, A6.6 through the use case: after `destroyCarrier`, neither the carrier's content key (raw
// or wrapped) nor a known plaintext marker of its content can be found in any file under the node's
// data directory — database, WAL, blob files.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { createFlowContext } from "../../src/app/transfer/flow-context.ts";
import { openWrappedKeyWithStore } from "../../src/crypto/at-rest/content-vault.ts";
import { loadContentWrapKey } from "../../src/crypto/at-rest/wrap-key.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";
import { seedRegistry } from "./registry-fixture.ts";

/** Every file under `dir` that contains `needle`. */
function filesContaining(dir: string, needle: Buffer): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesContaining(path, needle));
    else if (readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

for (const dialect of DIALECTS) {
  describe(`carrier destruction [${dialect}]`, () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await createTestNode(dialect);
      await seedRegistry(node.ctx);
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    it("A1.8: leaves neither the key nor a plaintext marker anywhere under the data directory, and makes its certificate", async () => {
      const { ctx } = node;
      const dataDir = node.location.dataDir;
      const marker = Buffer.from(`MARKER-${randomUUID()}`);
      // Large enough to span many encrypted chunks and SQLite pages.
      const content = Buffer.concat(
        Array.from({ length: 4000 }, (_, i) => Buffer.concat([marker, Buffer.from(` line ${i}\n`)])),
      );
      const carrier = await registerCarrier(ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "Carrier to destroy",
        level: "top-secret",
        contract: "C-1",
        content,
      });
      const shown = await showCarrier(ctx, { actor: "alice", carrier: carrier.id, content: true });
      const chunks: Buffer[] = [];
      for await (const chunk of shown.content!.stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(content)).toBe(true);

      const { wrapped_key: wrapped } = await ctx.db
        .selectFrom("content_keys")
        .select("wrapped_key")
        .where("carrier_id", "=", carrier.id)
        .executeTakeFirstOrThrow();
      const wrappedKey = Buffer.from(wrapped);
      // The key as the node opens it: node wrapping key → key store → bucket key → content key.
      const rawKey = openWrappedKeyWithStore(
        { dataDir, wrapKey: loadContentWrapKey(dataDir) },
        carrier.id,
        wrappedKey,
      )!;

      // At rest the content is encrypted: the marker is nowhere, even before destruction…
      expect(filesContaining(dataDir, marker)).toEqual([]);
      // …and the scan does see the database files: the wrapped key is found in them (SQLite).
      if (dialect === "sqlite") expect(filesContaining(dataDir, wrappedKey).length).toBeGreaterThan(0);

      const flows = createFlowContext(ctx);
      let done: Awaited<ReturnType<typeof destroyCarrier>>;
      try {
        done = await destroyCarrier(flows, { actor: "reg", carrier: carrier.id });
      } finally {
        flows.exchange.close();
      }
      // A1.8: the node's own carrier gets its certificate too, kept in the registry's documents, a
      // page in the node's language and one in Russian.
      expect(done.certificate).toBe(
        join(dataDir, "documents", `destruction-${carrier.registration_number}-${carrier.copy_number}.pdf`),
      );
      const certificate = await PDFDocument.load(readFileSync(done.certificate!));
      expect(certificate.getPageCount()).toBe(2);
      expect(certificate.getTitle()).toMatch(/^ЖЕТКІЗГІШТІ ЖОЮ АКТІСІ № KZ-DC-/);

      expect(filesContaining(dataDir, marker)).toEqual([]);
      expect(filesContaining(dataDir, rawKey)).toEqual([]);
      expect(filesContaining(dataDir, Buffer.from(rawKey.toString("base64")))).toEqual([]);
      expect(filesContaining(dataDir, wrappedKey)).toEqual([]);
      expect(readdirSync(join(dataDir, "blobs"))).toEqual([]);
    });
  });
}
