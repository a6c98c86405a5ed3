// A14: amendment protocols in the pure domain: every transition of a protocol allowed and refused,
// each kind of change applied or refused by name, and the pack's versions by instant.
import { describe, expect, it } from "vitest";
import { signAgreement } from "../../src/domain/agreement/agreement-machine.ts";
import {
  applyPackChanges,
  buildPackHistory,
  checkProtocolNoticeDate,
  type PackChange,
  PROTOCOL_STATUSES,
  PROTOCOL_TRANSITIONS,
  type ProtocolEventType,
  type ProtocolState,
  type ProtocolStatus,
  packAt,
  proposeProtocol,
  transitionProtocol,
} from "../../src/domain/agreement/amendment.ts";
import {
  AT,
  agreementInForce,
  expectTransitionTable,
  pack,
  refusalOf,
  testEveryTransition,
} from "./support.ts";

const EVENTS: readonly ProtocolEventType[] = ["sign", "decline", "receive-notice"];

function protocolIn(status: ProtocolStatus): ProtocolState {
  const base = proposeProtocol(
    { id: "p1", number: "1", by: "KZ", signedOn: "2026-02-01" },
    { pack, agreement: agreementInForce(), at: AT, today: "2026-03-02" },
  );
  if (status === "partly-notified")
    return { ...base, status, notices: [{ from: "KZ", receivedAt: "2026-02-10T09:00:00Z" }] };
  return { ...base, status };
}

const eventOf = (type: ProtocolEventType) =>
  type === "receive-notice" ? { type, from: "AM" } : { type, by: "AM" };

describe("A14: the protocol machine", () => {
  expectTransitionTable(PROTOCOL_TRANSITIONS, [
    "proposed sign → signed",
    "proposed decline → declined",
    "signed receive-notice → partly-notified",
    "partly-notified receive-notice → in-force",
  ]);
  testEveryTransition({
    statuses: PROTOCOL_STATUSES,
    events: EVENTS,
    rules: PROTOCOL_TRANSITIONS,
    run: (status, event) => transitionProtocol(protocolIn(status), eventOf(event), { at: AT, pack }),
    forbiddenCodes: ["PROTOCOL_ANSWER_NOT_ALLOWED", "PROTOCOL_NOT_SIGNED", "TRANSITION_FORBIDDEN"],
  });

  it("A14: the proposing Party neither signs nor declines its own protocol", () => {
    for (const type of ["sign", "decline"] as const)
      expect(
        refusalOf(() => transitionProtocol(protocolIn("proposed"), { type, by: "KZ" }, { at: AT, pack }))
          .code,
      ).toBe("PROTOCOL_ANSWER_NOT_ALLOWED");
  });

  it("A15.1: in force on the date the last notice was received, in the receiver's zone; a second notice is refused", () => {
    // AM's notice received at KZ at 20:30 UTC on 2 March: 3 March in Astana (UTC+5).
    const last = transitionProtocol(
      protocolIn("partly-notified"),
      { type: "receive-notice", from: "AM" },
      { at: "2026-03-02T20:30:00Z", pack },
    );
    expect(last.state).toMatchObject({ status: "in-force", inForceOn: "2026-03-03" });
    expect(last.state.inForceFrom).toBe("2026-03-02T19:00:00Z");
    const again = refusalOf(() =>
      transitionProtocol(
        protocolIn("partly-notified"),
        { type: "receive-notice", from: "KZ" },
        { at: AT, pack },
      ),
    );
    expect(again.code).toBe("PROTOCOL_NOTICE_ALREADY_GIVEN");
    expect(again.articles).toEqual(["A14", "A15.1"]);
  });

  it("A14, A15.1: dates: a protocol not before signature nor in the future; its notice not before the protocol", () => {
    const ctx = { pack, agreement: agreementInForce(), at: AT, today: "2026-03-02" };
    for (const signedOn of ["2025-11-18", "2026-03-03"])
      expect(refusalOf(() => proposeProtocol({ id: "x", number: "9", by: "KZ", signedOn }, ctx)).code).toBe(
        "PROTOCOL_SIGNED_ON_INVALID",
      );
    expect(proposeProtocol({ id: "x", number: "9", by: "KZ", signedOn: "2025-11-19" }, ctx).status).toBe(
      "proposed",
    );
    const p = protocolIn("signed");
    expect(refusalOf(() => checkProtocolNoticeDate(p, "2026-01-31", "2026-03-02")).code).toBe(
      "AGREEMENT_NOTICE_BACKDATED",
    );
    expect(refusalOf(() => checkProtocolNoticeDate(p, "2026-03-03", "2026-03-02")).code).toBe(
      "AGREEMENT_NOTICE_FUTURE",
    );
    expect(() => checkProtocolNoticeDate(p, "2026-02-01", "2026-03-02")).not.toThrow();
    // Signed on 1 February on the proposer's calendar while the sender's (an hour behind) still
    // shows 31 January: the sender can date its notice today, not a day earlier.
    expect(() => checkProtocolNoticeDate(p, "2026-01-31", "2026-01-31")).not.toThrow();
    expect(refusalOf(() => checkProtocolNoticeDate(p, "2026-01-30", "2026-01-31")).code).toBe(
      "AGREEMENT_NOTICE_BACKDATED",
    );
  });

  it("A15.3: no protocol once the agreement has ended", () => {
    const ended = {
      ...signAgreement(pack.id),
      status: "terminated" as const,
      termination: {
        notifiedBy: "AM",
        receivedAt: "2025-12-01T00:00:00Z",
        terminatesOn: "2026-06-01",
        terminatesAt: "2026-05-31T19:00:00Z",
      },
    };
    const error = refusalOf(() =>
      proposeProtocol(
        { id: "x", number: "9", by: "KZ", signedOn: "2026-06-02" },
        { pack, agreement: ended, at: "2026-06-02T10:00:00Z", today: "2026-06-02" },
      ),
    );
    expect(error.code).toBe("AGREEMENT_TERMINATED");
  });
});

describe("A14: the changes a protocol makes to the pack", () => {
  it("applies each kind of change and counts the version", () => {
    const amended = applyPackChanges(
      pack,
      [
        { kind: "level-marking", level: "secret", language: "en", marking: "SECRET" },
        { kind: "deadline", deadline: "visitRequestLead", duration: "P45D" },
        {
          kind: "channel-add",
          channel: {
            id: "joint-courier",
            kind: "physical",
            name: { kk: "бірлескен", hy: "համատեղ", ru: "совместная", en: "joint" },
          },
        },
        { kind: "channel-remove", channel: "diplomatic" },
      ],
      1,
    );
    expect(amended.version).toBe(1);
    expect(amended.levels.find((l) => l.id === "secret")?.markings.en).toBe("SECRET");
    expect(amended.levels.find((l) => l.id === "secret")?.markings.ru).toBe(
      pack.levels.find((l) => l.id === "secret")?.markings.ru,
    );
    expect(amended.deadlines.visitRequestLead.duration).toBe("P45D");
    expect(amended.deadlines.visitRequestLead.articles).toEqual(pack.deadlines.visitRequestLead.articles);
    expect(amended.channels.map((c) => c.id)).toEqual([
      "state-courier",
      "agreed-electronic",
      "joint-courier",
    ]);
    // The signed pack is untouched.
    expect(pack.deadlines.visitRequestLead.duration).toBe("P1M");
  });

  const refused: [string, PackChange][] = [
    ["an unknown level", { kind: "level-marking", level: "confidential", language: "ru", marking: "x" }],
    [
      "an unknown language",
      { kind: "level-marking", level: "secret", language: "de" as "ru", marking: "Geheim" },
    ],
    [
      "an untrimmed marking",
      { kind: "level-marking", level: "secret", language: "ru", marking: " Секретно" },
    ],
    [
      "another level's marking",
      { kind: "level-marking", level: "secret", language: "ru", marking: "совершенно секретно" },
    ],
    ["an unknown deadline", { kind: "deadline", deadline: "lunch" as "termination", duration: "PT1H" }],
    ["a zero duration", { kind: "deadline", deadline: "termination", duration: "PT0S" }],
    ["not a duration", { kind: "deadline", deadline: "termination", duration: "6 months" }],
    [
      "an existing channel",
      {
        kind: "channel-add",
        channel: { id: "diplomatic", kind: "physical", name: { kk: "a", hy: "a", ru: "a", en: "a" } },
      },
    ],
    [
      "a channel without a name",
      {
        kind: "channel-add",
        channel: { id: "new-one", kind: "physical", name: { kk: "a", hy: "", ru: "a", en: "a" } },
      },
    ],
    ["an unknown channel", { kind: "channel-remove", channel: "pigeon" }],
  ];
  for (const [what, change] of refused)
    it(`A14: refuses ${what}, naming the change`, () => {
      const error = refusalOf(() =>
        applyPackChanges(
          pack,
          [{ kind: "deadline", deadline: "breachNotice", duration: "PT12H" }, change],
          1,
        ),
      );
      expect(error.code).toBe("PROTOCOL_CHANGE_INVALID");
      expect(error.details.change).toBe(2);
    });

  it("A14: the pack keeps at least one channel; a protocol makes at least one change", () => {
    const all = pack.channels.map((c) => ({ kind: "channel-remove" as const, channel: c.id }));
    expect(refusalOf(() => applyPackChanges(pack, all, 1)).code).toBe("PROTOCOL_CHANGE_INVALID");
    expect(refusalOf(() => applyPackChanges(pack, [], 1)).code).toBe("INPUT_INVALID");
  });
});

describe("A14: which version of the pack applies when", () => {
  const history = buildPackHistory(pack, [
    {
      id: "p2",
      number: "2",
      version: 2,
      inForceOn: "2026-06-01",
      appliesFrom: "2026-05-31T19:00:00Z",
      changes: [{ kind: "deadline", deadline: "visitRequestLead", duration: "P3M" }],
    },
    {
      id: "p1",
      number: "1",
      version: 1,
      inForceOn: "2026-03-03",
      appliesFrom: "2026-03-02T19:00:00Z",
      changes: [{ kind: "deadline", deadline: "visitRequestLead", duration: "P2M" }],
    },
  ]);

  it("lists the signed pack, then each protocol in version order", () => {
    expect(history.map((v) => [v.version, v.protocol?.number ?? null, v.from])).toEqual([
      [0, null, null],
      [1, "1", "2026-03-02T19:00:00Z"],
      [2, "2", "2026-05-31T19:00:00Z"],
    ]);
  });

  it("applies at each instant the latest version begun by then", () => {
    const at = (instant: string) => packAt(history, instant);
    expect(
      [at("2026-03-02T18:59:59Z"), at("2026-03-02T19:00:00Z"), at("2026-07-01T00:00:00Z")].map((p) => [
        p.version,
        p.deadlines.visitRequestLead.duration,
      ]),
    ).toEqual([
      [0, "P1M"],
      [1, "P2M"],
      [2, "P3M"],
    ]);
  });

  it("never lets a later version start before the one before it", () => {
    const h = buildPackHistory(pack, [
      {
        id: "a",
        number: "1",
        version: 1,
        inForceOn: "2026-03-03",
        appliesFrom: "2026-03-02T19:00:00Z",
        changes: [{ kind: "deadline", deadline: "breachNotice", duration: "PT12H" }],
      },
      {
        id: "b",
        number: "2",
        version: 2,
        inForceOn: "2026-03-01",
        appliesFrom: "2026-02-28T19:00:00Z",
        changes: [{ kind: "deadline", deadline: "breachNotice", duration: "PT6H" }],
      },
    ]);
    expect(h[2]!.from).toBe("2026-03-02T19:00:00Z");
  });
});
