// A4.2, A1.11, A6.2: one place decides what a person may learn of a carrier. A campaign over
// (person × instant × carrier × door): for every pair the API's registry list, the API's carrier
// view, the CLI's list and show, and an independent statement of the rule (written here with
// Temporal, clearance dates counted in Asia/Almaty) agree; and every decision leaves exactly one
// audit entry. The instants lie around midnight in Almaty and Yerevan and on clearance edges (a
// clearance valid to 30 June ends at 19:00Z, when it is 1 July in Almaty).
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { addContractParticipant } from "../../src/app/contracts/add-contract-participant.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { readAuditHead } from "../../src/audit/log.ts";
import { main } from "../../src/cli/main.ts";
import { findLevel } from "../../src/domain/classification/levels.ts";
import { type ApiNode, call, login, startApiNode } from "../api/support/api-node.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";

const ZONE = "Asia/Almaty";
const EDGE_INSTANTS = [
  "2026-06-30T12:00:00.000Z",
  "2026-06-30T18:59:59.999Z", // 23:59:59.999 on 30 June in Almaty
  "2026-06-30T19:00:00.000Z", // 00:00 on 1 July in Almaty: a clearance valid to 30 June has ended
  "2026-06-30T19:59:59.999Z", // 23:59:59.999 in Yerevan
  "2026-06-30T20:00:00.000Z", // 00:00 in Yerevan, 01:00 in Almaty
  "2026-07-01T18:59:59.999Z",
];
// A few more instants around the edges, drawn once with a fixed seed (so a failure can be rerun).
const DRAWN = fc.sample(
  fc.integer({ min: Date.parse("2026-06-29T00:00:00Z"), max: Date.parse("2026-07-02T23:59:59Z") }),
  { numRuns: 3, seed: 4242 },
);
const INSTANTS = [...EDGE_INSTANTS, ...DRAWN.map((ms) => new Date(ms).toISOString())];

type Facts = {
  people: Map<
    string,
    { id: string; org: string; roles: string[]; clearances: { level: string; from: string; to: string }[] }
  >;
  orgs: Map<string, { kind: string; clearances: { level: string; from: string; to: string }[] }>;
  carriers: { id: string; level: string; state: string; custodian: string; contract: string | null }[];
  participants: Set<string>;
  granted: Set<string>;
  activeContracts: Set<string>;
};

/** The rule as the agreement states it, independently of the node's code. */
function expectedRecord(facts: Facts, handle: string, carrierId: string, at: string): boolean {
  const person = facts.people.get(handle)!;
  const carrier = facts.carriers.find((c) => c.id === carrierId)!;
  const org = facts.orgs.get(person.org)!;
  const day = Temporal.Instant.from(at).toZonedDateTimeISO(ZONE).toPlainDate().toString();
  const rank = (levels: { level: string; from: string; to: string }[]) =>
    Math.max(0, ...levels.filter((c) => c.from <= day && day <= c.to).map((c) => rankOf(c.level)));
  const cleared = rankOf(carrier.level) <= Math.min(rank(person.clearances), rank(org.clearances));
  const needToKnow =
    (carrier.contract !== null &&
      facts.activeContracts.has(carrier.contract) &&
      facts.participants.has(`${carrier.contract}|${person.id}`)) ||
    facts.granted.has(`${carrier.id}|${person.id}`);
  const held = carrier.state === "registered" || carrier.state === "received";
  const ownBody = carrier.custodian === person.org;
  const content = cleared && needToKnow && held && ownBody;
  const overseer =
    (person.roles.includes("competent-authority-officer") && org.kind === "competent-authority") ||
    person.roles.includes("auditor");
  const keeper = person.roles.includes("registry-officer") && ownBody;
  return content || (cleared && (overseer || keeper));
}

let rankOf: (level: string) => number = () => 0;

describe.each(["sqlite", "postgres"] as const)(
  "one visibility rule, at every door (A4.2, A1.11, A6.2) — %s",
  (dialect) => {
    let api: ApiNode;
    let facts: Facts;
    const handles: string[] = [];

    beforeAll(async () => {
      api = await startApiNode(dialect, "KZ");
      const ctx = api.ctx;
      rankOf = (level) => findLevel(ctx.pack, level).rank;
      const body1 = api.world.organisations.body1.id;
      // Two people whose clearances end or begin at the edge the instants straddle.
      await registerAcknowledgedPerson(ctx, {
        actor: "admin",
        organisation: body1,
        handle: "edge-registry",
        name: "Edge Registry",
        roles: ["registry-officer"],
      });
      await grantPersonalClearance(ctx, {
        actor: "kz-authority",
        person: "edge-registry",
        level: "top-secret",
        validFrom: "2026-01-01",
        validTo: "2026-06-30",
      });
      await registerAcknowledgedPerson(ctx, {
        actor: "admin",
        organisation: body1,
        handle: "edge-user",
        name: "Edge User",
        roles: ["cleared-user"],
      });
      await grantPersonalClearance(ctx, {
        actor: "kz-authority",
        person: "edge-user",
        level: "top-secret",
        validFrom: "2026-07-01",
        validTo: "2027-06-30",
      });
      await addContractParticipant(ctx, {
        actor: "kz-registry",
        contract: api.world.contractId,
        person: "edge-user",
      }).catch(() => undefined);
      for (const person of ["edge-registry", "edge-user"]) {
        const id = (
          await ctx.db
            .selectFrom("people")
            .select("id")
            .where("handle", "=", person)
            .executeTakeFirstOrThrow()
        ).id;
        await api.auth.createAccount({
          personId: id,
          username: person,
          password: "kelisim-demo-2025",
          isDemo: true,
        });
      }
      handles.push(...api.world.logins.map((l) => l.username), "edge-registry", "edge-user");
      // A carrier of the other body: its registry officer keeps it, body1's people do not learn of it.
      await registerCarrier(ctx, {
        actor: "kz-registry-2",
        kind: "paper-document",
        title: "Екінші органның тізілімі",
        level: "secret",
        sheets: 3,
      });

      const db = ctx.db;
      const people = await db.selectFrom("people").select(["id", "handle", "organisation_id"]).execute();
      const roles = await db.selectFrom("person_roles").selectAll().execute();
      const personal = await db
        .selectFrom("personal_clearances")
        .selectAll()
        .where("revoked_at", "is", null)
        .execute();
      const facility = await db
        .selectFrom("facility_clearances")
        .selectAll()
        .where("revoked_at", "is", null)
        .execute();
      const orgs = await db.selectFrom("organisations").selectAll().execute();
      const accounts = await db.selectFrom("auth_account").select(["person_id", "username"]).execute();
      facts = {
        people: new Map(
          people.map((p) => [
            accounts.find((a) => a.person_id === p.id)?.username ?? p.handle,
            {
              id: p.id,
              org: p.organisation_id,
              roles: roles.filter((r) => r.person_id === p.id).map((r) => r.role),
              clearances: personal
                .filter((c) => c.person_id === p.id)
                .map((c) => ({
                  level: c.level,
                  from: c.valid_from.slice(0, 10),
                  to: c.valid_to.slice(0, 10),
                })),
            },
          ]),
        ),
        orgs: new Map(
          orgs.map((o) => [
            o.id,
            {
              kind: o.kind,
              clearances: facility
                .filter((c) => c.organisation_id === o.id)
                .map((c) => ({
                  level: c.level,
                  from: c.valid_from.slice(0, 10),
                  to: c.valid_to.slice(0, 10),
                })),
            },
          ]),
        ),
        carriers: (
          await db
            .selectFrom("carriers")
            .select(["id", "level", "state", "custodian_organisation_id", "contract_id"])
            .execute()
        ).map((c) => ({
          id: c.id,
          level: c.level,
          state: c.state,
          custodian: c.custodian_organisation_id,
          contract: c.contract_id,
        })),
        participants: new Set(
          (await db.selectFrom("contract_participants").selectAll().execute()).map(
            (p) => `${p.contract_id}|${p.person_id}`,
          ),
        ),
        granted: new Set(
          (await db.selectFrom("carrier_need_to_know").selectAll().execute()).map(
            (g) => `${g.carrier_id}|${g.person_id}`,
          ),
        ),
        activeContracts: new Set(
          (await db.selectFrom("contracts").select(["id", "state"]).execute())
            .filter((c) => c.state === "active")
            .map((c) => c.id),
        ),
      };
      vi.useFakeTimers({ toFake: ["Date"] });
    }, 120_000);

    afterAll(async () => {
      vi.useRealTimers();
      await api?.close();
    });

    const auditSize = async () => Number((await readAuditHead(api.ctx.db)).size);

    /** Runs the CLI in this process (same clock) and returns its exit code and what it printed. */
    async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
      let out = "";
      let err = "";
      const write = process.stdout.write.bind(process.stdout);
      const errWrite = process.stderr.write.bind(process.stderr);
      process.stdout.write = ((chunk: string | Uint8Array) => {
        out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        return true;
      }) as typeof process.stdout.write;
      process.stderr.write = ((chunk: string | Uint8Array) => {
        err += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
        return true;
      }) as typeof process.stderr.write;
      process.exitCode = undefined;
      const url = api.node.location.databaseUrl;
      if (url) process.env.DATABASE_URL = url;
      try {
        const code = await main(["node", "kelisim", ...args, "--data", api.node.location.dataDir]);
        return { code, out, err };
      } finally {
        process.stdout.write = write;
        process.stderr.write = errWrite;
        process.exitCode = undefined;
        delete process.env.DATABASE_URL;
      }
    }

    it("agrees for every person, instant, carrier and door, with one audit entry per decision", async () => {
      let cases = 0;
      const disagreements: string[] = [];
      for (const at of INSTANTS) {
        vi.setSystemTime(new Date(at));
        for (const handle of handles) {
          const person = facts.people.get(handle);
          if (!person) continue;
          const session = await login(api, handle);
          const expected = new Set(
            facts.carriers.filter((c) => expectedRecord(facts, handle, c.id, at)).map((c) => c.id),
          );
          const lists = person.roles.some((r) =>
            ["competent-authority-officer", "registry-officer", "cleared-user", "auditor"].includes(r),
          );

          // The registry list through the API: one decision, one entry.
          let before = await auditSize();
          const listed = await call(api, session, "GET", "/api/carriers?limit=200");
          expect(await auditSize(), `API list ${handle} ${at}: one audit entry`).toBe(before + 1);
          cases++;
          if (lists) {
            const ids = new Set((listed.json() as { items: { id: string }[] }).items.map((i) => i.id));
            if ([...ids].sort().join() !== [...expected].sort().join())
              disagreements.push(
                `API list ${handle} at ${at}: ${[...ids].length} shown, ${expected.size} expected`,
              );
          } else if (listed.statusCode !== 403)
            disagreements.push(`API list ${handle} at ${at}: ${listed.statusCode}`);

          // The same list through the CLI.
          before = await auditSize();
          const cliList = await cli(["carrier", "list", "--as", person.id, "--json", "--limit", "500"]);
          expect(
            await auditSize(),
            `CLI list ${handle} ${at}: one audit entry (exit ${cliList.code}: ${cliList.err})`,
          ).toBe(before + 1);
          cases++;
          if (lists) {
            const ids = new Set(
              (JSON.parse(cliList.out) as { carriers: { id: string }[] }).carriers.map((c) => c.id),
            );
            if ([...ids].sort().join() !== [...expected].sort().join())
              disagreements.push(`CLI list ${handle} at ${at}: ${ids.size} shown, ${expected.size} expected`);
          } else if (cliList.code === 0) disagreements.push(`CLI list ${handle} at ${at}: not refused`);

          for (const carrier of facts.carriers) {
            const want = expected.has(carrier.id);
            before = await auditSize();
            const view = await call(api, session, "GET", `/api/carriers/${carrier.id}`);
            expect(await auditSize(), `API view ${handle} ${carrier.id} ${at}: one audit entry`).toBe(
              before + 1,
            );
            cases++;
            if ((view.statusCode === 200) !== want)
              disagreements.push(
                `API view ${handle} ${carrier.level} at ${at}: ${view.statusCode}, expected ${want}`,
              );
            if (!want && (view.json() as { code: string }).code !== "CARRIER_NOT_FOUND")
              disagreements.push(
                `API view ${handle} at ${at}: refused as ${(view.json() as { code: string }).code}`,
              );

            before = await auditSize();
            const shown = await cli(["carrier", "show", carrier.id, "--as", person.id, "--json"]);
            expect(
              await auditSize(),
              `CLI show ${handle} ${carrier.id} ${at}: one audit entry (exit ${shown.code}: ${shown.err})`,
            ).toBe(before + 1);
            cases++;
            if ((shown.code === 0) !== want)
              disagreements.push(
                `CLI show ${handle} ${carrier.level} at ${at}: exit ${shown.code}, expected ${want}`,
              );
          }
        }
      }
      expect(disagreements).toEqual([]);
      // The campaign's size, for the record (and so that an empty one cannot pass).
      expect(cases).toBeGreaterThan(INSTANTS.length * handles.length * facts.carriers.length * 2);
      process.stdout.write(
        `visibility campaign (${dialect}): ${cases} decisions over ${INSTANTS.length} instants, ${handles.length} people, ${facts.carriers.length} carriers\n`,
      );
    }, 600_000);

    it("A1.11: a clearance valid to 30 June no longer shows top-secret titles at 20:00Z (01:00 in Almaty)", async () => {
      vi.setSystemTime(new Date("2026-06-30T20:00:00.000Z"));
      const session = await login(api, "edge-registry");
      const listed = (await call(api, session, "GET", "/api/carriers?limit=200")).json() as {
        items: { levelId: string }[];
      };
      expect(listed.items).toEqual([]);
      vi.setSystemTime(new Date("2026-06-30T18:59:59.000Z"));
      const earlier = await login(api, "edge-registry");
      const before = (await call(api, earlier, "GET", "/api/carriers?limit=200")).json() as {
        items: { levelId: string }[];
      };
      expect(before.items.map((i) => i.levelId)).toContain("top-secret");
    });
  },
);
