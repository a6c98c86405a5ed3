/**
 * A14: amendments are made by separate protocols that enter into force as in A15. A protocol here
 * is a list of changes to the agreement pack — a level's marking wording (A2.1), a deadline, a
 * channel added or withdrawn (A5.6, A5.7) — proposed by one competent authority, signed (or
 * declined) by the other, then in force from the date the last notice of completed internal
 * procedures is received (A15.1). Each protocol in force raises the pack's version by one; the
 * pack that applies at an instant is the signed pack with the protocols in force at that instant.
 *
 * proposed → signed → partly-notified → in-force; proposed → declined.
 */
import type { ArticleId } from "../articles.ts";
import { findParty } from "../classification/levels.ts";
import { DomainError } from "../errors.ts";
import { LANGUAGES, type Language, type LocalizedText } from "../language.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule } from "../machine.ts";
import type { DateString, InstantString } from "../time/instants.ts";
import { compareInstants, normalizeInstant, parseDate } from "../time/instants.ts";
import {
  type AgreementState,
  agreementStatusAt,
  entryIntoForce,
  onSendersCalendar,
} from "./agreement-machine.ts";
import {
  type AgreementPack,
  type Channel,
  foldMarking,
  isPositiveDuration,
  markingTextSchema,
  type PartyCode,
} from "./pack-schema.ts";

/** The deadlines of the pack a protocol may change. */
export type DeadlineName = keyof AgreementPack["deadlines"];

export const PACK_CHANGE_KINDS = ["level-marking", "deadline", "channel-add", "channel-remove"] as const;
export type PackChangeKind = (typeof PACK_CHANGE_KINDS)[number];

/** One change a protocol makes to the pack. Plain JSON: it travels in the protocol's message. */
export type PackChange =
  /** A2.1: the marking of `level` in `language` reads `marking` from then on. */
  | {
      readonly kind: "level-marking";
      readonly level: string;
      readonly language: Language;
      readonly marking: string;
    }
  /** A deadline of the pack (A9.2, A11.1, A15.2 …) becomes `duration` (ISO 8601). */
  | { readonly kind: "deadline"; readonly deadline: DeadlineName; readonly duration: string }
  /** A5.6, A5.7: a new transfer channel. */
  | {
      readonly kind: "channel-add";
      readonly channel: {
        readonly id: string;
        readonly kind: Channel["kind"];
        readonly name: LocalizedText;
      };
    }
  /** A5.6, A5.7: a channel no new transfer may use. */
  | { readonly kind: "channel-remove"; readonly channel: string };

const CHANNEL_ID = /^[a-z0-9][a-z0-9-]{0,59}$/;

function invalidChange(index: number, problem: string): DomainError {
  return new DomainError("PROTOCOL_CHANGE_INVALID", { change: index + 1, problem }, { articles: ["A14"] });
}

/**
 * The pack with `changes` applied, at `version`. Checks each change against the pack it amends:
 * the level, language, deadline or channel must exist (a new channel must not), a marking must be
 * trimmed NFC text that no other level bears in that language, a duration must be positive, and a
 * pack keeps at least one channel.
 * @throws DomainError PROTOCOL_CHANGE_INVALID naming the change (1-based) and the problem
 */
export function applyPackChanges(
  pack: AgreementPack,
  changes: readonly PackChange[],
  version: number,
): AgreementPack {
  if (changes.length === 0)
    throw new DomainError("INPUT_INVALID", {
      field: "changes",
      problem: "a protocol makes at least one change",
    });
  let levels = pack.levels;
  let deadlines = pack.deadlines;
  let channels = pack.channels;
  changes.forEach((change, index) => {
    switch (change.kind) {
      case "level-marking": {
        const at = levels.findIndex((l) => l.id === change.level);
        if (at < 0) throw invalidChange(index, `no level "${change.level}"`);
        if (!(LANGUAGES as readonly string[]).includes(change.language))
          throw invalidChange(index, `no language "${change.language}"`);
        if (!markingTextSchema.safeParse(change.marking).success || change.marking.length > 200)
          throw invalidChange(index, "a marking is trimmed NFC text of 1 to 200 characters");
        const folded = foldMarking(change.marking);
        const clash = levels.find(
          (l) => l.id !== change.level && foldMarking(l.markings[change.language] ?? "") === folded,
        );
        if (clash) throw invalidChange(index, `"${change.marking}" is the marking of "${clash.id}"`);
        levels = levels.map((l, i) =>
          i === at ? { ...l, markings: { ...l.markings, [change.language]: change.marking } } : l,
        );
        return;
      }
      case "deadline": {
        if (!Object.hasOwn(deadlines, change.deadline))
          throw invalidChange(index, `no deadline "${change.deadline}"`);
        if (!isPositiveDuration(change.duration))
          throw invalidChange(index, `"${change.duration}" is not a positive ISO 8601 duration`);
        const before = deadlines[change.deadline];
        deadlines = { ...deadlines, [change.deadline]: { ...before, duration: change.duration } };
        return;
      }
      case "channel-add": {
        const c = change.channel;
        if (!CHANNEL_ID.test(c.id)) throw invalidChange(index, `"${c.id}" is not a channel id`);
        if (channels.some((x) => x.id === c.id)) throw invalidChange(index, `channel "${c.id}" exists`);
        if (c.kind !== "physical" && c.kind !== "electronic")
          throw invalidChange(index, "a channel is physical or electronic");
        for (const language of LANGUAGES)
          if (typeof c.name?.[language] !== "string" || c.name[language].trim() === "")
            throw invalidChange(index, `the channel has no name in ${language}`);
        const articles: ArticleId[] = c.kind === "electronic" ? ["A5.6", "A5.7", "A14"] : ["A5.6", "A14"];
        channels = [...channels, { id: c.id, kind: c.kind, articles, name: c.name }];
        return;
      }
      case "channel-remove": {
        if (!channels.some((x) => x.id === change.channel))
          throw invalidChange(index, `no channel "${change.channel}"`);
        if (channels.length === 1) throw invalidChange(index, "the pack keeps at least one channel");
        channels = channels.filter((x) => x.id !== change.channel);
        return;
      }
      default:
        throw invalidChange(index, `unknown change "${(change as { kind?: unknown }).kind}"`);
    }
  });
  return { ...pack, levels, deadlines, channels, version };
}

/** The statuses of a protocol. */
export const PROTOCOL_STATUSES = ["proposed", "declined", "signed", "partly-notified", "in-force"] as const;
export type ProtocolStatus = (typeof PROTOCOL_STATUSES)[number];

/** A protocol's state (plain JSON), the same at both nodes once each has learnt of every step. */
export type ProtocolState = {
  readonly id: string;
  /** The protocol's number as both Parties cite it ("1", "2/2027"). */
  readonly number: string;
  readonly proposedBy: PartyCode;
  /** The date the protocol bears. */
  readonly signedOn: DateString;
  readonly status: ProtocolStatus;
  readonly notices: readonly { readonly from: PartyCode; readonly receivedAt: InstantString }[];
  readonly inForceOn: DateString | null;
  readonly inForceFrom: InstantString | null;
};

export type ProtocolEvent =
  | { readonly type: "sign"; readonly by: PartyCode }
  | { readonly type: "decline"; readonly by: PartyCode }
  | { readonly type: "receive-notice"; readonly from: PartyCode };
export type ProtocolEventType = ProtocolEvent["type"];

export const PROTOCOL_TRANSITIONS: readonly TransitionRule<ProtocolStatus, ProtocolEventType>[] = [
  { from: "proposed", event: "sign", to: "signed", articles: ["A14"] },
  { from: "proposed", event: "decline", to: "declined", articles: ["A14"] },
  { from: "signed", event: "receive-notice", to: "partly-notified", articles: ["A14", "A15.1"] },
  { from: "partly-notified", event: "receive-notice", to: "in-force", articles: ["A14", "A15.1"] },
];

/**
 * A protocol proposed by `by`'s competent authority, bearing `signedOn`: not before the
 * agreement's earliest signature date, not after `today` (the proposer's calendar), and not once
 * the agreement has ended (A15.3: nothing new under it).
 * @throws DomainError PROTOCOL_SIGNED_ON_INVALID | AGREEMENT_TERMINATED | INPUT_INVALID
 */
export function proposeProtocol(
  input: { readonly id: string; readonly number: string; readonly by: PartyCode; readonly signedOn: string },
  ctx: {
    readonly pack: AgreementPack;
    readonly agreement: AgreementState;
    readonly at: InstantString;
    readonly today: DateString;
  },
): ProtocolState {
  findParty(ctx.pack, input.by);
  const signedOn = parseDate(input.signedOn, "signedOn").toString();
  const earliest = ctx.pack.signature.notBefore;
  if (signedOn < earliest || signedOn > ctx.today)
    throw new DomainError("PROTOCOL_SIGNED_ON_INVALID", { signedOn, earliest, today: ctx.today });
  if (agreementStatusAt(ctx.agreement, ctx.at) === "terminated")
    throw new DomainError(
      "AGREEMENT_TERMINATED",
      { at: ctx.agreement.termination?.terminatesOn ?? ctx.at },
      { articles: ["A14", "A15.3"] },
    );
  return {
    id: input.id,
    number: input.number,
    proposedBy: input.by,
    signedOn,
    status: "proposed",
    notices: [],
    inForceOn: null,
    inForceFrom: null,
  };
}

/**
 * Applies `event` at `ctx.at`. Only the other Party signs or declines; a notice needs both
 * signatures and is given once per Party; the last notice's receipt puts the protocol in force
 * (A15.1, as `entryIntoForce` counts it for the agreement).
 * @throws DomainError PROTOCOL_ANSWER_NOT_ALLOWED | PROTOCOL_NOT_SIGNED | PROTOCOL_NOTICE_ALREADY_GIVEN |
 * PARTY_UNKNOWN | TRANSITION_FORBIDDEN
 */
export function transitionProtocol(
  state: ProtocolState,
  event: ProtocolEvent,
  ctx: { readonly at: InstantString; readonly pack: AgreementPack },
): TransitionResult<ProtocolState> {
  const at = normalizeInstant(ctx.at);
  switch (event.type) {
    case "sign":
    case "decline":
      findParty(ctx.pack, event.by);
      if (event.by === state.proposedBy || state.status !== "proposed")
        throw new DomainError("PROTOCOL_ANSWER_NOT_ALLOWED", { number: state.number });
      break;
    case "receive-notice":
      findParty(ctx.pack, event.from);
      if (state.status === "proposed" || state.status === "declined")
        throw new DomainError("PROTOCOL_NOT_SIGNED", { number: state.number });
      if (state.notices.some((n) => n.from === event.from))
        throw new DomainError("PROTOCOL_NOTICE_ALREADY_GIVEN", { party: event.from, number: state.number });
      break;
  }
  const rule = findRule("protocol", PROTOCOL_TRANSITIONS, state.status, event.type, ["A14"]);
  if (event.type !== "receive-notice")
    return { state: { ...state, status: rule.to }, articles: rule.articles };
  const notices = [...state.notices, { from: event.from, receivedAt: at }];
  if (rule.to !== "in-force")
    return { state: { ...state, status: rule.to, notices }, articles: rule.articles };
  return {
    state: { ...state, status: rule.to, notices, ...entryIntoForce(notices, ctx.pack) },
    articles: rule.articles,
  };
}

/**
 * A14, A15.1: the date a notice of completed procedures for a protocol bears: not before the
 * protocol's own date, not after `today` on the sending Party's calendar.
 * @throws DomainError AGREEMENT_NOTICE_BACKDATED | AGREEMENT_NOTICE_FUTURE | INPUT_INVALID
 */
export function checkProtocolNoticeDate(state: ProtocolState, datedOn: string, today: DateString): void {
  const articles: readonly ArticleId[] = ["A14", "A15.1"];
  const dated = parseDate(datedOn, "datedOn").toString();
  if (dated > today)
    throw new DomainError("AGREEMENT_NOTICE_FUTURE", { datedOn: dated, today }, { articles });
  const earliest = onSendersCalendar(state.signedOn, today);
  if (dated < earliest)
    throw new DomainError("AGREEMENT_NOTICE_BACKDATED", { datedOn: dated, earliest }, { articles });
}

/** A protocol in force, as the pack's history needs it. */
export type ProtocolInForce = {
  readonly id: string;
  readonly number: string;
  /** The version it made (1, 2, …): the order in which this node recorded the protocols in force. */
  readonly version: number;
  readonly inForceOn: DateString;
  /**
   * The instant this node applies it from: the receipt of the last notice (A15.1), when the node
   * can first know it is in force; its legal date is `inForceOn`, the whole of that day.
   */
  readonly appliesFrom: InstantString;
  readonly changes: readonly PackChange[];
};

/** One version of the pack and the instant from which it applies (null: the signed pack, always). */
export type PackVersion = {
  readonly version: number;
  readonly protocol: { readonly id: string; readonly number: string; readonly inForceOn: DateString } | null;
  readonly from: InstantString | null;
  readonly pack: AgreementPack;
};

/**
 * The versions of the pack, oldest first: the signed pack (version 0), then one per protocol in
 * force in version order, each applying from its entry into force (never before the version
 * before it).
 * @throws DomainError PROTOCOL_CHANGE_INVALID when a protocol no longer fits the pack before it
 */
export function buildPackHistory(base: AgreementPack, protocols: readonly ProtocolInForce[]): PackVersion[] {
  const history: PackVersion[] = [{ version: 0, protocol: null, from: null, pack: { ...base, version: 0 } }];
  for (const p of [...protocols].sort((a, b) => a.version - b.version)) {
    const before = history.at(-1)!;
    const from =
      before.from !== null && compareInstants(before.from, p.appliesFrom) > 0 ? before.from : p.appliesFrom;
    history.push({
      version: history.length,
      protocol: { id: p.id, number: p.number, inForceOn: p.inForceOn },
      from,
      pack: applyPackChanges(before.pack, p.changes, history.length),
    });
  }
  return history;
}

/** The pack that applies at `at`: the latest version whose start is not after it. */
export function packAt(history: readonly PackVersion[], at: InstantString): AgreementPack {
  let pack = history[0]!.pack;
  for (const v of history) {
    if (v.from === null || compareInstants(v.from, at) <= 0) pack = v.pack;
  }
  return pack;
}
