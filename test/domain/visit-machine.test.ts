import { describe, expect, it } from "vitest";
import { localizeError } from "../../src/domain/errors.ts";
import { LANGUAGES } from "../../src/domain/language.ts";
import { describeVisitItem } from "../../src/domain/visit/visit-items.ts";
import type {
  VisitEvent,
  VisitEventType,
  VisitState,
  VisitStatus,
} from "../../src/domain/visit/visit-machine.ts";
import {
  missingVisitItems,
  receiveVisitRequest,
  transitionVisit,
  VISIT_EVENTS,
  VISIT_STATUSES,
  VISIT_TRANSITIONS,
} from "../../src/domain/visit/visit-machine.ts";
import { expectTransitionTable, pack, refusalOf, testEveryTransition } from "./support.ts";

const CLEARANCE = { level: 2, validFrom: "2025-01-01T00:00:00Z", validUntil: "2030-01-01T00:00:00Z" };
const visit: VisitState = {
  id: "v-1",
  status: "draft",
  visitingParty: "AM",
  hostParty: "KZ",
  visitors: [
    {
      surname: "Petrosyan",
      name: "Anna",
      birthDate: "1980-05-01",
      birthPlace: "Yerevan",
      citizenship: "AM",
      passport: "AB1234567",
      position: "engineer",
      body: "am-body",
      clearance: CLEARANCE,
    },
  ],
  startDate: "2026-03-31",
  endDate: "2026-04-02",
  purpose: "joint tests",
  topics: ["test results"],
  level: 2,
  bodiesToVisit: ["kz-body"],
  peopleToMeet: ["chief engineer"],
  sentAt: null,
  receivedAt: null,
  decidedAt: null,
};
// In time: 10 February 2026 for a visit on 31 March.
const IN_TIME = "2026-02-10T06:00:00Z";
const eventOf = (type: VisitEventType): VisitEvent =>
  type === "amend"
    ? { type, changes: { purpose: "joint tests, phase 2" } }
    : type === "refuse"
      ? { type, reason: "no" }
      : ({ type } as VisitEvent);
const run = (status: VisitStatus, type: VisitEventType) =>
  transitionVisit({ ...visit, status }, eventOf(type), {
    at: type === "complete" ? "2026-04-01T06:00:00Z" : IN_TIME,
    pack,
  });

describe("visit request machine (A9)", () => {
  expectTransitionTable(VISIT_TRANSITIONS, [
    "draft amend → draft",
    "draft send → sent",
    "draft cancel → cancelled",
    "sent receive → received",
    "sent approve → approved",
    "sent refuse → refused",
    "sent cancel → cancelled",
    "received approve → approved",
    "received refuse → refused",
    "received cancel → cancelled",
    "approved complete → completed",
    "approved cancel → cancelled",
    "approved supersede → superseded",
  ]);

  testEveryTransition({ statuses: VISIT_STATUSES, events: VISIT_EVENTS, rules: VISIT_TRANSITIONS, run });

  it("A9.2: a request received by the host on the latest day (28 February for 31 March) is in time", () => {
    // 23:00 on 28 February in Almaty.
    const sent = { ...visit, status: "sent" as const };
    expect(
      transitionVisit(sent, { type: "receive" }, { at: "2026-02-28T18:00:00Z", pack }).state.status,
    ).toBe("received");
  });

  it("A9.2: a request sent late in the evening in Yerevan reaches Almaty the next day, too late", () => {
    // 23:30 on 28 February in Yerevan = 00:30 on 1 March in Almaty (the host's zone).
    const sent = { ...visit, status: "sent" as const };
    const error = refusalOf(() =>
      transitionVisit(sent, { type: "receive" }, { at: "2026-02-28T19:30:00Z", pack }),
    );
    expect(error.code).toBe("VISIT_REQUEST_TOO_LATE");
    expect(error.details).toMatchObject({ latest: "2026-02-28", zone: "Asia/Almaty" });
    // The same instant counted in Yerevan, were Armenia the host, is still 28 February.
    const toArmenia = { ...sent, hostParty: "AM", visitingParty: "KZ" };
    expect(
      transitionVisit(toArmenia, { type: "receive" }, { at: "2026-02-28T19:30:00Z", pack }).state.status,
    ).toBe("received");
  });

  it("A9.2: refuses to send a request that lacks an item, naming it", () => {
    const incomplete = { ...visit, visitors: [{ ...visit.visitors[0]!, passport: "" }], peopleToMeet: [] };
    expect(missingVisitItems(incomplete)).toEqual(["visitors[0].passport", "peopleToMeet"]);
    expect(refusalOf(() => transitionVisit(incomplete, { type: "send" }, { at: IN_TIME, pack })).code).toBe(
      "VISIT_REQUEST_INCOMPLETE",
    );
  });

  it("A9.2: the refusal names each missing item in the user's language, never its input path", () => {
    const incomplete = { ...visit, visitors: [{ ...visit.visitors[0]!, passport: "" }], peopleToMeet: [] };
    const error = refusalOf(() => transitionVisit(incomplete, { type: "send" }, { at: IN_TIME, pack }));
    expect(localizeError(error, "en")).toBe(
      "the visit request lacks: visitor 1: passport series and number; people to meet",
    );
    expect(localizeError(error, "ru")).toBe(
      "в запросе о визите отсутствует: посетитель 1: серия и номер паспорта; лица для встречи",
    );
    for (const lang of LANGUAGES) expect(localizeError(error, lang)).not.toMatch(/visitors\[|peopleToMeet/);
    // Every path the machine or the use case can name has its words in every language.
    for (const path of [
      "visitors",
      "purpose",
      "topics",
      "bodiesToVisit",
      "peopleToMeet",
      "recurrence",
      "amends",
      "topics[2].level",
      "peopleToMeet[0].position",
      "peopleToMeet[0].name",
      ...["person", "surname", "name", "birthDate", "birthPlace", "citizenship", "passport"].map(
        (f) => `visitors[3].${f}`,
      ),
      ...["position", "body", "clearance"].map((f) => `visitors[3].${f}`),
    ])
      for (const lang of LANGUAGES) {
        const words = describeVisitItem(path, lang);
        expect(words, `${path} in ${lang}`).not.toMatch(/[[\]]|[a-z][A-Z]/);
        // Kazakh, Armenian and Russian names are in their own scripts: no Latin left over.
        if (lang !== "en") expect(words, `${path} in ${lang}`).not.toMatch(/[A-Za-z]/);
      }
    // An unknown path is shown as it stands: nothing missing is hidden.
    expect(describeVisitItem("visitors[0].shoeSize", "en")).toBe("visitors[0].shoeSize");
  });

  it("A9.1, A4.2: refuses a visitor whose clearance is below the topics' level or ends during the visit", () => {
    for (const clearance of [
      { ...CLEARANCE, level: 1 },
      { ...CLEARANCE, validUntil: "2026-04-02T12:00:00Z" },
    ]) {
      const v = { ...visit, visitors: [{ ...visit.visitors[0]!, clearance }] };
      expect(refusalOf(() => transitionVisit(v, { type: "send" }, { at: IN_TIME, pack })).code).toBe(
        "VISITOR_NOT_CLEARED",
      );
    }
  });

  it("A9.2: a recurring request names its recurrence, an amendment the request it amends", () => {
    expect(missingVisitItems({ ...visit, kind: "recurring" })).toEqual(["recurrence"]);
    expect(missingVisitItems({ ...visit, kind: "recurring", recurrence: "every Monday" })).toEqual([]);
    expect(missingVisitItems({ ...visit, kind: "amendment" })).toEqual(["amends"]);
    expect(missingVisitItems({ ...visit, kind: "amendment", amends: "v-0" })).toEqual([]);
  });

  // The host's calendar (Almaty for KZ, Yerevan for AM); noon there on the day of receipt.
  const cases: [string, string, string, boolean][] = [
    ["2026-03-31", "2026-03-02", "KZ", false],
    ["2026-03-28", "2026-02-28", "KZ", true],
    ["2028-03-31", "2028-02-29", "AM", true],
    ["2028-03-31", "2028-03-01", "AM", false],
    ["2026-04-30", "2026-03-31", "AM", false],
    ["2026-04-30", "2026-03-30", "AM", true],
  ];
  for (const [start, received, host, inTime] of cases) {
    it(`A9.2: a visit on ${start} requested on ${received} (host ${host}) is ${inTime ? "accepted" : "refused at receipt"}`, () => {
      const sent: VisitState = {
        ...visit,
        status: "sent",
        hostParty: host,
        visitingParty: host === "KZ" ? "AM" : "KZ",
        startDate: start,
        endDate: start,
      };
      const zone = host === "KZ" ? "+05:00" : "+04:00";
      const at = new Date(`${received}T12:00:00${zone}`).toISOString();
      const { state, refusal } = receiveVisitRequest(sent, { at, pack });
      expect(state.status).toBe(inTime ? "received" : "refused");
      expect(refusal?.code ?? null).toBe(inTime ? null : "VISIT_REQUEST_TOO_LATE");
      expect(state.receivedAt).not.toBeNull();
    });
  }
});
