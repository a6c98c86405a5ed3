// The amendment protocols as the doors show them (A14): each protocol with its changes and the
// notices of its entry into force, the versions of the pack and what applies now. Plain data, for
// the API, the UI and the CLI alike.
import type { PackChange, ProtocolStatus } from "../../domain/agreement/amendment.ts";
import type { Channel } from "../../domain/agreement/pack-schema.ts";

/** What the actor may do with a protocol now (the use cases decide again). */
export type ProtocolAction = "sign" | "decline" | "notify";

export type ProtocolNoticeView = {
  readonly fromParty: string;
  readonly datedOn: string;
  readonly reference: string;
  /** When the other Party received it (A15.1 counts from here); null until acknowledged. */
  readonly receivedAt: string | null;
  readonly state: "sent" | "received" | "refused";
  readonly refusal: { readonly code: string; readonly articles: string[] } | null;
};

export type ProtocolView = {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly signedOn: string;
  readonly reference: string;
  readonly proposedBy: string;
  /** `out`: proposed by this node's competent authority; `in`: by the other Party's. */
  readonly direction: "out" | "in";
  readonly status: ProtocolStatus;
  readonly proposedAt: string;
  /** The other node's answer to a proposal of ours: on its way, received, or refused by it. */
  readonly delivery: "sent" | "received" | "refused";
  readonly refusal: { readonly code: string; readonly articles: string[] } | null;
  readonly answeredAt: string | null;
  readonly answerReason: string | null;
  readonly changes: readonly PackChange[];
  readonly notices: readonly ProtocolNoticeView[];
  /** A15.1: the date of receipt of the last notice; null until in force. */
  readonly inForceOn: string | null;
  /** The version of the pack it made; null until in force. */
  readonly version: number | null;
  readonly actions: readonly ProtocolAction[];
};

/** One version of the pack: the signed one (0), then one per protocol in force. */
export type PackVersionView = {
  readonly version: number;
  readonly protocol: { readonly id: string; readonly number: string; readonly inForceOn: string } | null;
  /** The instant it applies from at both nodes (null: from the start). */
  readonly from: string | null;
};

export type ProtocolsView = {
  /** The version of the pack that applies now. */
  readonly version: number;
  readonly versions: readonly PackVersionView[];
  readonly protocols: readonly ProtocolView[];
  /** What a protocol may change, as the pack now reads (for the proposal form). */
  readonly current: {
    readonly levels: readonly { readonly id: string; readonly markings: Readonly<Record<string, string>> }[];
    readonly deadlines: Readonly<Record<string, string>>;
    readonly channels: readonly Channel[];
  };
  readonly mayPropose: boolean;
};
