/**
 * Courier bundles (A5.6: state courier service or diplomatic pouch): the parcels waiting in the
 * outbox for the peer, written to one file that travels physically and is imported on the other
 * side through the same inbox as online delivery. Each parcel is sealed on its own, so the
 * bundle needs no trust in whoever carried it; a parcel seen before (online or in an earlier
 * bundle) has no second effect.
 *
 * Layout: `KLSMBDL1\n` ‖ header line (canonical JSON: from, to, createdAt, count) ‖ for each
 * parcel: u64be length ‖ parcel bytes.
 */
import { closeSync, fsyncSync, openSync, readSync, renameSync, statSync, writeSync } from "node:fs";
import type { Kysely } from "kysely";
import { z } from "zod";
import { toTimestamp } from "../store/columns.ts";
import type { Database } from "../store/schema.ts";
import { exchangeError } from "./errors.ts";
import { type InboxContext, receiveParcel } from "./inbox.ts";
import { canonicalJson } from "./messages/canonical.ts";
import type { ParcelAck } from "./server.ts";
import { decodeParcel, MAX_PARCEL_BYTES } from "./transport/parcel.ts";

const MAGIC = "KLSMBDL1\n";
const MAX_PARCELS = 100_000;
const headerSchema = z.strictObject({
  from: z.string().regex(/^[A-Z]{2}$/),
  to: z.string().regex(/^[A-Z]{2}$/),
  createdAt: z.string(),
  count: z.number().int().min(0).max(MAX_PARCELS),
});

/**
 * Writes the parcels waiting for `toParty` into a bundle file (those not bundled before, or with
 * `again` every one not yet delivered or answered); returns the message ids.
 */
export async function exportBundle(
  db: Kysely<Database>,
  options: { fromParty: string; toParty: string; out: string; now: Date; again?: boolean },
): Promise<string[]> {
  let query = db
    .selectFrom("exchange_outbox")
    .select(["id", "parcel"])
    .where("peer_party", "=", options.toParty)
    .where("state", "=", "pending");
  // By default a message goes into one bundle; `again` puts every unanswered one in (a lost bundle).
  if (!options.again) query = query.where("exported_at", "is", null);
  const rows = await query.orderBy("seq").execute();
  const tmp = `${options.out}.partial`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    const header = canonicalJson({
      from: options.fromParty,
      to: options.toParty,
      createdAt: options.now.toISOString(),
      count: rows.length,
    });
    writeSync(fd, `${MAGIC}${header}\n`);
    for (const row of rows) {
      const len = Buffer.alloc(8);
      len.writeBigUInt64BE(BigInt(row.parcel.byteLength));
      writeSync(fd, len);
      writeSync(fd, row.parcel);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, options.out);
  if (rows.length > 0) {
    await db
      .updateTable("exchange_outbox")
      .set({ exported_at: toTimestamp(options.now) })
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .execute();
  }
  return rows.map((r) => r.id);
}

export type BundleImportResult = { readonly from: string; readonly results: readonly ImportedParcel[] };
export type ImportedParcel = {
  readonly index: number;
  readonly ack?: ParcelAck;
  readonly error?: { code: string; message: string };
};

/**
 * Imports a bundle through the inbox, parcel by parcel; a refused parcel does not stop the
 * others. The bundle must be addressed to this node's Party.
 */
export async function importBundle(ctx: InboxContext, path: string): Promise<BundleImportResult> {
  const fd = openSync(path, "r");
  try {
    const size = statSync(path).size;
    let pos = 0;
    const read = (n: number): Buffer => {
      if (pos + n > size) throw exchangeError("MESSAGE_MALFORMED", { reason: "bundle truncated" });
      const buf = Buffer.alloc(n);
      let got = 0;
      while (got < n) got += readSync(fd, buf, got, n - got, pos + got);
      pos += n;
      return buf;
    };
    if (read(MAGIC.length).toString("latin1") !== MAGIC)
      throw exchangeError("MESSAGE_MALFORMED", { reason: "not a bundle" });
    const headerBytes: number[] = [];
    for (let b = read(1)[0]; b !== 0x0a; b = read(1)[0]) {
      headerBytes.push(b as number);
      if (headerBytes.length > 4096)
        throw exchangeError("MESSAGE_MALFORMED", { reason: "bundle header too long" });
    }
    let header: z.infer<typeof headerSchema>;
    try {
      header = headerSchema.parse(JSON.parse(Buffer.from(headerBytes).toString("utf8")));
    } catch {
      throw exchangeError("MESSAGE_MALFORMED", { reason: "bad bundle header" });
    }
    if (header.to !== ctx.party) throw exchangeError("MESSAGE_MISADDRESSED", { bundleTo: header.to });
    const results: ImportedParcel[] = [];
    for (let i = 0; i < header.count; i++) {
      const len = read(8).readBigUInt64BE();
      if (len > BigInt(MAX_PARCEL_BYTES))
        throw exchangeError("MESSAGE_MALFORMED", { reason: "bundle parcel too large" });
      const bytes = read(Number(len));
      try {
        const ack = await receiveParcel(ctx, decodeParcel(bytes), "courier", null);
        results.push({ index: i, ack });
      } catch (error) {
        const e = error as { code?: string; message?: string };
        results.push({
          index: i,
          error: { code: e.code ?? "UNEXPECTED", message: e.message ?? String(error) },
        });
      }
    }
    if (pos !== size)
      throw exchangeError("MESSAGE_MALFORMED", { reason: "trailing bytes after the last parcel" });
    return { from: header.from, results };
  } finally {
    closeSync(fd);
  }
}
