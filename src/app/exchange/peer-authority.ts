// The check every handler of the competent authorities' own messages makes (A3.1, A11.1, A15):
// the sender is the other Party's competent authority, and it writes to ours.
import { DomainError } from "../../domain/errors.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import type { Trx } from "../../store/transaction.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority } from "../transfer/transfer-flow.ts";

/** Returns our competent authority's id; MESSAGE_PEER_MISMATCH or MESSAGE_MISADDRESSED otherwise. */
export async function fromPeerAuthority(trx: Trx, ctx: FlowContext, env: Envelope): Promise<string> {
  const ca = ctx.exchange.peer?.organisations.find((o) => o.kind === "competent-authority");
  if (!ca || env.sender.party !== ctx.exchange.peer?.party || env.sender.org !== ca.id)
    throw new DomainError("MESSAGE_PEER_MISMATCH", { sender: `${env.sender.party}/${env.sender.org}` });
  const own = await ownCompetentAuthority(trx, ctx);
  if (env.recipient.org !== own)
    throw new DomainError("MESSAGE_MISADDRESSED", { recipient: env.recipient.org });
  return own;
}
