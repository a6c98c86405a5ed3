import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ErasedContent } from "../../crypto/at-rest/content-vault.ts";
import { assertCarrierEvent, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";
import { contentVaultOf } from "./content.ts";
import { presentedConsent, requireOriginatorConsents, spendConsents } from "./originator-consent.ts";

export type DestroyCarrierInput = {
  readonly actor: string;
  readonly carrier: string;
  /** The originator's permission to use (default: the one granted for this carrier). */
  readonly consent?: string;
};

/**
 * Destroys a carrier held in the actor's registry (A1.8, A6.6): in one transaction its status
 * becomes `destroyed`, its content key row is deleted and the audit entry written; after the commit
 * its encrypted blob is overwritten and removed, and its bucket's key is replaced (the surviving
 * carriers' keys re-wrapped) and the old one dropped from the node's key store, so no copy of the
 * erased key left in the database files (WAL, free pages, dead tuples, pg_wal, backups) opens
 * anything (cryptographic erasure, src/crypto/at-rest/content-vault.ts). The registry keeps the record.
 * The result's `erasure` says whether that finished; once the destruction committed nothing here
 * throws: an erasure step that could not run (e.g. a failing disk) is listed in `erasure.pending`
 * and finished by the next destruction.
 *
 * For the other Party's information (received, or copied, translated or derived from it along any
 * chain) it needs each originator's granted, unused written permission (DESTRUCTION_NEEDS_PERMISSION
 * otherwise) and spends it; each originator gets the destruction notice in writing with a
 * destruction certificate (A6.6), kept here too.
 */
export async function destroyCarrier(ctx: FlowContext, input: DestroyCarrierInput) {
  const vault = contentVaultOf(ctx);
  let erased: ErasedContent | null = null;
  const certificates: { path: string; bytes: Uint8Array }[] = [];
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.destroyed", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const carrier = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      assertCarrierEvent(carrier.state.status, "destroy");
      const consents = await requireOriginatorConsents(trx, ctx, {
        carrierId: carrier.row.id,
        action: "destroy",
        consent: input.consent,
      });
      const at = ctx.now();
      const moved = transitionCarrier(
        carrier.state,
        { type: "destroy" },
        {
          at: at.toISOString(),
          pack: ctx.pack,
          consent: presentedConsent(ctx, consents, carrier.row.id),
        },
      );
      const method = carrier.row.has_content === 1 ? "key-erasure" : "physical";
      erased = await vault.eraseContent(trx, carrier.row.id);
      const stamp = toTimestamp(at);
      await trx
        .updateTable("carriers")
        .set({
          state: moved.state.status,
          destroyed_at: stamp,
          has_content: 0,
          updated_at: stamp,
          version: carrier.row.version + 1,
        })
        .where("id", "=", carrier.row.id)
        .execute();
      await spendConsents(trx, ctx, consents);
      // A6.6: each providing body is notified in writing, with the certificate.
      const notices: { consent: string; message: string; certificateSha256: string; certificate: string }[] =
        [];
      for (const [i, { root, row: consent }] of consents.entries()) {
        const certificate = await makeDestructionCertificate({
          carrier: carrier.row,
          origin: root,
          by: actor.name,
          org: actor.organisation.name,
          at: stamp,
          consentId: consent.id,
          method,
          party: ctx.config.party,
        });
        const certificateSha256 = createHash("sha256").update(certificate).digest("hex");
        const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
          kind: "destruction-notice",
          fromOrg: actor.organisation.id,
          to: { party: root.origin_party, org: root.origin_org },
          level: carrier.row.level,
          attachment: certificate,
          body: {
            carrier: {
              originParty: root.origin_party,
              originRegistrationNumber: root.origin_registration_number,
              originCopyNumber: root.origin_copy_number,
            },
            consentId: consent.id,
            registrationNumber: carrier.row.registration_number,
            destroyedAt: stamp,
            method,
            certificateSha256,
          },
        });
        const name = `destruction-${carrier.row.registration_number}-${carrier.row.copy_number}${consents.length > 1 ? `-${i + 1}` : ""}.pdf`;
        const path = join(ctx.dataDir, "exchange", "certificates", name);
        certificates.push({ path, bytes: certificate });
        notices.push({ consent: consent.id, message: envelope.id, certificateSha256, certificate: path });
      }
      await recordDone(trx, ctx, actor, {
        type: "carrier.destroyed",
        object: { type: "carrier", id: carrier.row.id },
        articles: moved.articles,
        data: {
          registrationNumber: carrier.row.registration_number,
          copyNumber: carrier.row.copy_number,
          contentErased: erased !== null,
          consents: consents.map((c) => c.row.id),
          notices: notices.map((n) => ({
            consent: n.consent,
            message: n.message,
            certificateSha256: n.certificateSha256,
          })),
        },
      });
      return {
        carrierId: carrier.row.id,
        carrier: carrier.row.registration_number,
        copyNumber: carrier.row.copy_number,
        state: moved.state.status,
        destroyedAt: stamp,
        contentErased: erased !== null,
        articles: moved.articles,
        consents: consents.map((c) => c.row.id),
        notices,
        /** The first destruction certificate (the other Party's information only), else null. */
        certificate: notices[0]?.certificate ?? null,
      };
    },
  );
  // Committed: from here on the destruction is reported, never an error (A1.8).
  const erasure = await vault.purgeErasedContent(ctx.db, erased ? [erased] : []);
  for (const c of certificates) {
    mkdirSync(join(ctx.dataDir, "exchange", "certificates"), { recursive: true, mode: 0o700 });
    writeFileSync(c.path, c.bytes, { mode: 0o600 });
  }
  if (certificates.length > 0) ctx.onOutbox?.();
  return { ...result, erasure };
}

async function makeDestructionCertificate(d: {
  carrier: CarriersTable;
  origin: { origin_party: string; origin_registration_number: string; origin_copy_number: number };
  by: string;
  org: string;
  at: string;
  consentId: string;
  method: string;
  party: string;
}): Promise<Uint8Array> {
  // pdf-lib takes a third of a CPU-second to load: only a destruction loads it, not the CLI's carrier verbs.
  const { PDFDocument, StandardFonts } = await import("pdf-lib");
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Destruction certificate ${d.carrier.registration_number}`);
  pdf.setCreator("Kelisim");
  pdf.setCreationDate(new Date(d.at));
  pdf.setModificationDate(new Date(d.at));
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, "?");
  const lines = [
    "DESTRUCTION CERTIFICATE (Agreement KZ-AM 2025, A6.6, A1.8)",
    "",
    // Numbers in a node's own format, or of the 2015 register (D3), may be in Cyrillic or Armenian
    // script, which the standard font cannot draw: shown as `?` like names (the notice has them whole).
    `Holder registry: ${d.party}, registration number ${ascii(d.carrier.registration_number)}, copy ${d.carrier.copy_number}`,
    `Originator's reference: ${d.origin.origin_party} ${ascii(d.origin.origin_registration_number)}, copy ${d.origin.origin_copy_number}`,
    `Level: ${d.carrier.level}`,
    `Destroyed at (UTC): ${d.at}`,
    `Method: ${d.method === "key-erasure" ? "erasure of the content key and the encrypted content (no recovery possible)" : "physical destruction"}`,
    `Originator's written permission: ${d.consentId}`,
    `Destroyed by: ${ascii(d.by)}, ${ascii(d.org)}`,
  ];
  for (const [i, line] of lines.entries())
    page.drawText(line, { x: 50, y: 780 - i * 22, size: i === 0 ? 13 : 10, font });
  return pdf.save({ useObjectStreams: false });
}
