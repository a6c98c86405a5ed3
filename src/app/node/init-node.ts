// `kelisim node init`: makes a data directory a Party's node — its configuration, its keys, its
// database with the competent authority (A1.10, A3.1) and a first administrator — in one go.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import { AUDIT_SIGNING_KEY_FILE_ENV, ensureAuditSigningKey } from "../../audit/signing-key.ts";
import { CONTENT_WRAP_KEY_FILE_ENV, ensureContentWrapKey } from "../../crypto/at-rest/wrap-key.ts";
import { findParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import {
  checkRegistrationFormat,
  DEFAULT_REGISTRATION_FORMAT,
  type NodeConfig,
  nodeConfigPath,
  writeNodeConfig,
} from "../../node/node-config.ts";
import { type NodeLocation, openNodeDatabase } from "../../node/open-node.ts";
import { toTimestamp } from "../../store/columns.ts";
import { withTransaction } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";
import { recordAudit } from "../record-audit.ts";
import { nodeKeyCustody } from "./key-custody.ts";

export const DEFAULT_AGREEMENT_ID = "kz-am-2025";

export type InitNodeInput = {
  readonly location: NodeLocation;
  /** The node's Party (`KZ`, `AM`). */
  readonly party: string;
  readonly agreementId?: string;
  readonly registrationFormat?: string;
  /** The first administrator (handle and name); default `admin`. */
  readonly admin?: { readonly handle: string; readonly name: string };
  readonly now?: () => Date;
  readonly newId?: () => string;
  /**
   * A4.1.1, A1.8: a directory outside the data directory to make the audit signing key and the
   * content wrapping key in (`audit-signing.key`, `node-wrap.key`), as a production node needs;
   * default: where the environment says, else `<dataDir>/keys/`.
   */
  readonly keysDir?: string;
  readonly env?: NodeJS.ProcessEnv;
};

/** Initialises a node. Refuses a data directory or database that already belongs to a node. */
export async function initNode(input: InitNodeInput) {
  const now = input.now ?? (() => new Date());
  const newId = input.newId ?? randomUUID;
  const agreementId = input.agreementId ?? DEFAULT_AGREEMENT_ID;
  const pack = await loadAgreementPack(agreementId);
  const party = findParty(pack, input.party);
  const registrationFormat = checkRegistrationFormat(input.registrationFormat ?? DEFAULT_REGISTRATION_FORMAT);
  const admin = input.admin ?? { handle: "admin", name: "Administrator" };
  const { dataDir } = input.location;
  const env: NodeJS.ProcessEnv = input.keysDir
    ? {
        ...(input.env ?? process.env),
        [AUDIT_SIGNING_KEY_FILE_ENV]: resolve(input.keysDir, "audit-signing.key"),
        [CONTENT_WRAP_KEY_FILE_ENV]: resolve(input.keysDir, "node-wrap.key"),
      }
    : (input.env ?? process.env);
  // A *_FILE or --keys-dir inside the data directory is refused before anything is made.
  nodeKeyCustody(dataDir, env);
  if (existsSync(nodeConfigPath(dataDir))) {
    throw new DomainError("INPUT_INVALID", {
      field: "data",
      problem: `${dataDir} is already a Kelisim node`,
    });
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const config: NodeConfig = {
    version: 1,
    nodeId: newId(),
    party: party.code,
    agreementId,
    registrationFormat,
    createdAt: toTimestamp(now()),
  };
  writeNodeConfig(dataDir, config);
  let written = false;
  try {
    const auditVerifierKey = ensureAuditSigningKey(
      dataDir,
      { party: config.party, nodeId: config.nodeId },
      env,
    );
    // The key that wraps every carrier's content key (A1.8: destruction is key erasure).
    ensureContentWrapKey(dataDir, env);
    const keys = nodeKeyCustody(dataDir, env);
    const opened = await openNodeDatabase(input.location);
    try {
      const ctx: AppContext = { db: opened.db, dialect: opened.dialect, config, pack, dataDir, now, newId };
      const result = await withTransaction(opened.db, async (trx) => {
        const existing = await trx
          .selectFrom("node_settings")
          .select("value")
          .where("name", "=", "node_id")
          .executeTakeFirst();
        if (existing) {
          throw new DomainError("INPUT_INVALID", {
            field: "database",
            problem: `the database already belongs to node ${existing.value}`,
          });
        }
        const at = toTimestamp(now());
        await trx
          .insertInto("node_settings")
          .values([
            { name: "node_id", value: config.nodeId },
            { name: "party", value: config.party },
            { name: "agreement_id", value: config.agreementId },
            { name: "registration_format", value: config.registrationFormat },
          ])
          .execute();
        const competentAuthority = {
          id: newId(),
          party: party.code,
          kind: "competent-authority",
          name: party.competentAuthority.name[party.defaultLanguage],
          created_at: at,
        };
        await trx.insertInto("organisations").values(competentAuthority).execute();
        const person = {
          id: newId(),
          organisation_id: competentAuthority.id,
          handle: admin.handle,
          name: admin.name,
          created_at: at,
          disabled_at: null,
        };
        await trx.insertInto("people").values(person).execute();
        await trx
          .insertInto("person_roles")
          .values({ person_id: person.id, role: "administrator", granted_at: at })
          .execute();
        await recordAudit(trx, ctx, {
          type: "node.initialised",
          actor: `node:${config.nodeId}`,
          organisation: competentAuthority.id,
          object: { type: "node", id: config.nodeId },
          outcome: "done",
          articles: ["A1.10", "A3.1"],
          data: {
            party: config.party,
            agreement: agreementId,
            registrationFormat,
            competentAuthority: competentAuthority.id,
            administrator: person.id,
          },
        });
        return { competentAuthority, administrator: { ...person, roles: ["administrator"] } };
      });
      written = true;
      return { config, dialect: opened.dialect, auditVerifierKey, keys, ...result };
    } finally {
      await opened.close();
    }
  } finally {
    if (!written) rmSync(nodeConfigPath(dataDir), { force: true });
  }
}
