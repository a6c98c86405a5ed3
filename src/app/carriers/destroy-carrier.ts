import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ErasedContent } from "../../crypto/at-rest/content-vault.ts";
import { assertCarrierEvent, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { markingOf, otherParty } from "../../domain/classification/levels.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import { appendDestruction, destructionLogPath } from "../backup/destruction-log.ts";
import { organisationNames } from "../directory.ts";
import {
  certificateLanguages,
  type DestructionFacts,
  renderDestructionCertificate,
} from "../documents/destruction-certificate.ts";
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
  let ownCertificate: { path: string; facts: DestructionFacts } | null = null;
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
      const names = await organisationNames(trx, ctx);
      const facts = (number: string) => ({
        number,
        destroyedAt: stamp,
        holder: { party: ctx.config.party, body: actor.organisation.name },
        registrationNumber: carrier.row.registration_number,
        copyNumber: carrier.row.copy_number,
        markings: bothMarkings(ctx, carrier.row),
        method: method as "key-erasure" | "physical",
        officer: actor.name,
      });
      for (const [i, { root, row: consent }] of consents.entries()) {
        const number = `${ctx.config.party}-DC-${carrier.row.registration_number}-${carrier.row.copy_number}${consents.length > 1 ? `-${i + 1}` : ""}`;
        // A6.6: in the originator's language and Russian, sent with the notice (its date).
        const certificate = await renderDestructionCertificate(
          {
            ...facts(number),
            originator: {
              party: root.origin_party,
              body: names.get(root.origin_org) ?? null,
              registrationNumber: root.origin_registration_number,
              copyNumber: root.origin_copy_number,
            },
            consent: consent.id,
            notifiedAt: stamp,
          },
          certificateLanguages(root.origin_party),
        );
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
      // A1.8: the node's own information is destroyed on its own act; its certificate is kept in the
      // registry's documents (drawn after the commit: no slow work inside the write transaction).
      if (consents.length === 0) {
        const number = `${ctx.config.party}-DC-${carrier.row.registration_number}-${carrier.row.copy_number}`;
        ownCertificate = {
          path: join(
            ctx.dataDir,
            "documents",
            `destruction-${carrier.row.registration_number}-${carrier.row.copy_number}.pdf`,
          ),
          facts: { ...facts(number), originator: null, consent: null, notifiedAt: null },
        };
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
        /** The destruction certificate: the first one sent with a notice, else the one kept for own information. */
        certificate: notices[0]?.certificate ?? ownCertificate?.path ?? null,
      };
    },
  );
  // Committed: from here on the destruction is reported, never an error (A1.8).
  let erasure = await vault.purgeErasedContent(ctx.db, erased ? [erased] : []);
  // A1.8: kept outside the database too, so that a restore of an older backup destroys it again.
  const logPath = destructionLogPath(ctx.dataDir);
  try {
    appendDestruction(logPath, {
      carrier: result.carrierId,
      registrationNumber: result.carrier,
      copyNumber: result.copyNumber,
      destroyedAt: result.destroyedAt,
    });
  } catch (error) {
    erasure = {
      ...erasure,
      complete: false,
      pending: [
        ...erasure.pending,
        `A1.8: the destruction is not in the destruction log ${logPath} (${error instanceof Error ? error.message : String(error)}): a restore of an earlier backup would not destroy it again; append it by hand`,
      ],
    };
  }
  if (ownCertificate) {
    const { path, facts } = ownCertificate as { path: string; facts: DestructionFacts };
    certificates.push({
      path,
      bytes: await renderDestructionCertificate(facts, certificateLanguages(ctx.config.party)),
    });
  }
  for (const c of certificates) {
    mkdirSync(dirname(c.path), { recursive: true, mode: 0o700 });
    writeFileSync(c.path, c.bytes, { mode: 0o600 });
  }
  if (certificates.length > 0) ctx.onOutbox?.();
  return { ...result, erasure };
}

/** The carrier's marking in both Parties' words: the originator's, and the other's equivalent (A2.2). */
function bothMarkings(ctx: FlowContext, row: CarriersTable): { party: string; text: string }[] {
  const other = otherParty(ctx.pack, row.originator_party);
  return [
    { party: row.originator_party, text: row.marking },
    { party: other.code, text: row.national_marking ?? markingOf(ctx.pack, other.code, row.level) },
  ];
}
