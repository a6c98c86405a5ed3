import type { ContentSource } from "../../crypto/at-rest/content-vault.ts";
import { registerCarrier as registerOwnCarrier } from "../../domain/carrier/carrier-machine.ts";
import { parseLevelInput } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import { lockForUpdate, type Trx } from "../../store/transaction.ts";
import { requireClearances } from "../access/visibility.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import {
  CARRIER_KINDS,
  type CarrierKind,
  insertCarrierRow,
  PENDING_SEQ,
  reserveRegistrationNumber,
} from "./carrier-repository.ts";
import { contentVaultOf } from "./content.ts";
import { grantOnCarrier } from "./grant-need-to-know.ts";

export type RegisterCarrierInput = {
  readonly actor: string;
  readonly kind: string;
  /** The unclassified title. */
  readonly title: string;
  /** Level id or rank of the agreement pack. */
  readonly level: string;
  readonly copyNumber?: number;
  /** Number of sheets (paper documents). */
  readonly sheets?: number;
  /** Size in bytes (media, objects); for electronic content it is the content's size. */
  readonly sizeBytes?: number;
  /** The active contract the carrier belongs to (its participants have need-to-know, A4.2). */
  readonly contract?: string;
  /**
   * Persons of the body granted need-to-know on the carrier (A4.2): never the actor; pending a
   * second registry officer at the four-eyes levels (see `grantOnCarrier`).
   */
  readonly grant?: readonly string[];
  /** Electronic content, encrypted at rest under the carrier's own key. */
  readonly content?: ContentSource;
};

/**
 * Registers an own carrier in the actor's body's registry (A6.2): a number in the node's format, the
 * national marking of its level (A1.5, A2.1), electronic content encrypted at rest. The registry
 * officer and their body must be cleared for what they register (A4.2, A1.11). A contract named
 * must be an active contract of the actor's body; any other is answered as a contract that does not
 * exist (A4.2: the answer names no other body's contract).
 */
export async function registerCarrier(ctx: AppContext, input: RegisterCarrierInput) {
  return executeUseCase(ctx, { actor: input.actor, action: "carrier.registered" }, async (trx, actor) => {
    requireRole(actor, "registry-officer");
    const kind = checkKind(input.kind);
    const title = checkTitle(input.title);
    const level = parseLevelInput(ctx.pack, ctx.config.party, input.level);
    const copyNumber = checkPositive("copy-number", input.copyNumber ?? 1);
    const sheets = input.sheets === undefined ? null : checkPositive("sheets", input.sheets);
    if (kind === "paper-document" && sheets === null) {
      throw new DomainError("INPUT_INVALID", {
        field: "sheets",
        problem: "a paper document is registered with its number of sheets",
      });
    }
    if (kind === "electronic-file" && input.content === undefined) {
      throw new DomainError("INPUT_INVALID", {
        field: "content",
        problem: "an electronic file is registered with its content",
      });
    }
    const contract = input.contract ? await contractOfBody(trx, actor.organisation.id, input.contract) : null;
    if (contract && contract.state !== "active") {
      throw new DomainError("INPUT_INVALID", {
        field: "contract",
        problem: `${contract.number} is not an active contract of ${actor.organisation.name}`,
      });
    }
    const at = ctx.now();
    const state = registerOwnCarrier({
      id: ctx.newId(),
      level: level.rank,
      party: ctx.config.party,
      body: actor.organisation.id,
      contractId: contract?.id ?? null,
      at: at.toISOString(),
      pack: ctx.pack,
    });
    requireClearances(ctx, actor, level.id);
    const { number } = await reserveRegistrationNumber(trx, ctx);
    const stamp = toTimestamp(at);
    const row: CarriersTable = {
      id: state.id,
      seq: PENDING_SEQ,
      registration_number: number,
      copy_number: copyNumber,
      kind,
      sheets,
      size_bytes: input.sizeBytes === undefined ? null : checkPositive("size", input.sizeBytes),
      title,
      level: level.id,
      marking: state.markings[0]!.text,
      national_marking: null,
      originator_party: state.originatorParty,
      originator_name: actor.organisation.name,
      originator_organisation_id: actor.organisation.id,
      custodian_organisation_id: actor.organisation.id,
      contract_id: state.contractId,
      state: state.status,
      has_content: 0,
      registered_at: stamp,
      registered_by: actor.personId,
      updated_at: stamp,
      destroyed_at: null,
      version: 1,
    };
    await insertCarrierRow(trx, row);
    const granted = await grantOnCarrier(
      trx,
      ctx,
      actor,
      { id: row.id, rank: level.rank },
      input.grant ?? [],
      "grant",
    );
    if (input.content !== undefined) {
      const stored = await contentVaultOf(ctx).storeContent(trx, row.id, input.content, at);
      row.size_bytes = stored.sizeBytes;
      row.has_content = 1;
      await trx
        .updateTable("carriers")
        .set({ size_bytes: row.size_bytes, has_content: 1 })
        .where("id", "=", row.id)
        .execute();
    }
    await recordDone(trx, ctx, actor, {
      type: "carrier.registered",
      object: { type: "carrier", id: row.id },
      articles: ["A6.2", "A1.5", "A2.1"],
      data: {
        registrationNumber: number,
        copyNumber,
        kind,
        level: level.id,
        marking: row.marking,
        contract: contract?.number ?? null,
        granted: granted.granted,
        pendingGrants: granted.pending,
        content: row.has_content === 1 ? { sizeBytes: row.size_bytes } : null,
      },
    });
    return row;
  });
}

export function checkKind(kind: string): CarrierKind {
  if (!(CARRIER_KINDS as readonly string[]).includes(kind)) {
    throw new DomainError("INPUT_INVALID", { field: "kind", problem: `use ${CARRIER_KINDS.join(", ")}` });
  }
  return kind as CarrierKind;
}

export function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0 || trimmed.length > 500) {
    throw new DomainError("INPUT_INVALID", {
      field: "title",
      problem: "1–500 characters of unclassified title",
    });
  }
  return trimmed;
}

function checkPositive(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DomainError("INPUT_INVALID", { field, problem: "a whole number ≥ 1" });
  }
  return value;
}

/**
 * The contract `ref` (id or number) of the body `organisationId`, locked for the transaction; the
 * same refusal for a contract of another body as for one that does not exist (A4.2).
 */
async function contractOfBody(trx: Trx, organisationId: string, ref: string) {
  const query = trx
    .selectFrom("contracts")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", ref), eb("number", "=", ref)]));
  const row = await lockForUpdate(trx, query).executeTakeFirst();
  if (!row || row.organisation_id !== organisationId)
    throw new DomainError("INPUT_INVALID", { field: "contract", problem: `no contract ${ref}` });
  return row;
}
