// The agreement's life as the doors show it (A15.1, A15.2, A15.3): the state at the node's clock,
// the written notices sent and received between the competent authorities, and what is still
// outstanding under the agreement's protection. Plain data, for the API, the UI and the CLI alike.
import type { AgreementStatus } from "../../domain/agreement/agreement-machine.ts";

/** A written notice between the competent authorities about the agreement itself. */
export const AGREEMENT_NOTICE_KINDS = [
  /** A15.1: the Party's internal procedures for entry into force are completed. */
  "procedures-completed",
  /** A15.2: the Party terminates the agreement; it ends six months after receipt. */
  "termination",
  /** A15.2 (pack policy): the Party withdraws its termination notice before it takes effect. */
  "termination-withdrawal",
] as const;
export type AgreementNoticeKind = (typeof AGREEMENT_NOTICE_KINDS)[number];

export type AgreementNoticeView = {
  readonly id: string;
  readonly kind: AgreementNoticeKind;
  /** `out`: sent by this node's competent authority; `in`: received from the other Party's. */
  readonly direction: "out" | "in";
  readonly fromParty: string;
  /** The date the notice bears (a diplomatic note's date), YYYY-MM-DD. */
  readonly datedOn: string;
  /** The note's own reference (number), as the sender wrote it; may be empty. */
  readonly reference: string;
  readonly sentAt: string | null;
  /** When the receiving Party received it (A15.1, A15.2 count from here); null until acknowledged. */
  readonly receivedAt: string | null;
  /**
   * `sent`: on its way or waiting for the receiver's acknowledgement; `received`: received (and
   * acknowledged back); `refused`: the other node refused it (its code in `refusal`).
   */
  readonly state: "sent" | "received" | "refused";
  readonly refusal: { readonly code: string; readonly articles: string[] } | null;
  /** A15.2 (pack policy): a termination its Party withdrew afterwards (the withdrawal received). */
  readonly withdrawn: boolean;
};

export type AgreementView = {
  readonly agreementId: string;
  /** The status at the node's clock (a notified termination takes effect at its date). */
  readonly status: AgreementStatus;
  /**
   * The earliest date the next notice may bear (A15.1, A15.2): the signature's earliest date (D1,
   * D2) before entry into force; the entry into force for a termination; the termination's receipt
   * for its withdrawal.
   */
  readonly signedNotBefore: string;
  /** A15.1: the date the agreement entered into force (the last notice's receipt), or null. */
  readonly inForceOn: string | null;
  readonly termination: {
    readonly notifiedBy: string;
    readonly receivedAt: string;
    /** A15.2: six calendar months after receipt, in the receiver's zone. */
    readonly terminatesOn: string;
  } | null;
  /** The pack's rule on withdrawing a termination notice (A15.2; policy, not treaty text). */
  readonly terminationWithdrawal: "before-effect" | "never";
  readonly notices: AgreementNoticeView[];
  /** What this actor may do now: the use cases decide again. */
  readonly actions: AgreementNoticeKind[];
};

/** One carrier still under the agreement's protection (A15.3): not destroyed, declassified or returned. */
export type OutstandingCarrier = {
  readonly id: string;
  readonly registrationNumber: string;
  readonly copyNumber: number;
  readonly title: string;
  readonly level: string;
  readonly originatorParty: string;
  readonly state: string;
  readonly custodian: string;
  readonly registeredAt: string;
};

export type OutstandingReport = {
  /** The instant the report was made (the node's clock). */
  readonly at: string;
  readonly status: AgreementStatus;
  /** Carriers of the other Party's information held here that the reader may learn of (A4.2). */
  readonly carriers: OutstandingCarrier[];
  /** Counts of those carriers by state (same rows). */
  readonly byState: Readonly<Record<string, number>>;
};
