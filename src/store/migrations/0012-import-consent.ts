// 0012-import-consent: the originator's consent on carriers of the 2015 agreement (D3, A6.7), and
// the participants of both sides of a contract at both nodes (A1.13, A7.1).
// - `consent_requests.referred_to`: a consent request received on a carrier of the 2015 agreement
//   that this node holds no record of is not refused: it is referred to this node's competent
//   authority (its id here), whose officer decides it by hand (docs/import-2015.md).
// - `contracts.peer_participants_version`: at the node where a contract was concluded, the version
//   of the other side's list of participants it holds (messages are not delivered in order: a later
//   list replaces an earlier one, never the reverse).
// Column conventions: see `../columns.ts`.
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("consent_requests").addColumn("referred_to", "text").execute();
  await db.schema.alterTable("contracts").addColumn("peer_participants_version", "integer").execute();
}
