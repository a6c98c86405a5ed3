// What the Article 5 and 6 flows need beyond a use case's context: the node's exchange (outbox,
// peer directory) and its content vault (carrier content encrypted at rest).

import { z } from "zod";
import { type ContentVault, openContentVault } from "../../crypto/at-rest/content-vault.ts";
import { AGREEMENT_STATUSES, type AgreementState } from "../../domain/agreement/agreement-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { type NodeExchange, openNodeExchange } from "../../exchange/node-exchange.ts";
import { parseJsonColumn } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { type AppContext, withLivePack } from "../context.ts";

export type FlowContext = AppContext & {
  readonly exchange: NodeExchange;
  readonly vault: ContentVault;
  /** Called after a use case put a message in the outbox (wakes the relay of a running node). */
  readonly onOutbox?: () => void;
};

/** The flows' context of an open node. */
export function createFlowContext(app: AppContext, options: { onOutbox?: () => void } = {}): FlowContext {
  const exchange = openNodeExchange({
    db: app.db,
    dataDir: app.dataDir,
    pack: app.pack,
    config: app.config,
    now: app.now,
  });
  const vault = openContentVault({ dataDir: app.dataDir });
  const parts = { exchange, vault, ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}) };
  return withLivePack(app as FlowContext, parts);
}

export const AGREEMENT_STATE_SETTING = "agreement_state";

/**
 * The agreement's state as this node recorded it (A15): notices of completed procedures,
 * termination. None recorded: not in force (fail closed).
 */
export async function loadAgreementState(trx: Trx, ctx: AppContext): Promise<AgreementState> {
  const state = await readAgreementState(trx, ctx);
  if (!state) throw new DomainError("AGREEMENT_NOT_IN_FORCE", { at: ctx.now().toISOString() });
  return state;
}

/** The agreement's state as saveAgreementState stores it (A15). */
const AgreementStateSchema = z.object({
  agreementId: z.string(),
  status: z.enum(AGREEMENT_STATUSES),
  notices: z.array(z.object({ from: z.string(), receivedAt: z.string() })),
  inForceOn: z.string().nullable(),
  inForceFrom: z.string().nullable(),
  termination: z
    .object({
      notifiedBy: z.string(),
      receivedAt: z.string(),
      terminatesOn: z.string(),
      terminatesAt: z.string(),
    })
    .nullable(),
}) satisfies z.ZodType<AgreementState>;

/** The agreement's state as this node recorded it, or null when no notice was recorded yet. */
export async function readAgreementState(trx: Trx, ctx: AppContext): Promise<AgreementState | null> {
  const row = await trx
    .selectFrom("node_settings")
    .select("value")
    .where("name", "=", `${AGREEMENT_STATE_SETTING}:${ctx.config.agreementId}`)
    .executeTakeFirst();
  return row
    ? parseJsonColumn(AgreementStateSchema, row.value, `node_settings.value (${AGREEMENT_STATE_SETTING})`)
    : null;
}

export async function saveAgreementState(trx: Trx, ctx: AppContext, state: AgreementState): Promise<void> {
  const name = `${AGREEMENT_STATE_SETTING}:${ctx.config.agreementId}`;
  const value = JSON.stringify(state);
  const updated = await trx
    .updateTable("node_settings")
    .set({ value })
    .where("name", "=", name)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await trx.insertInto("node_settings").values({ name, value }).execute();
}

/** The next registration number and sequence of this node's registry (A6.2): the registry's own allocation. */
export { allocateRegistrationNumber as allocateRegistration } from "../carriers/carrier-repository.ts";
