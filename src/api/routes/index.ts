// The node's HTTP routes: each parses its input (zod), calls one use case of src/app with the
// signed-in person, and maps the result to its answer. Nothing here decides: roles, the visibility
// rule, states and the audit entry of every decision are the use cases'.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { permissionMap } from "../../app/access/permissions.ts";
import { listAudit, verifyAudit } from "../../app/audit/list-audit.ts";
import { auditRowsToCsv, exportAudit, searchAudit } from "../../app/audit/search-audit.ts";
import type { AuthService } from "../../app/auth/auth-service.ts";
import { changeCarrierLevel } from "../../app/carriers/change-level.ts";
import { grantNeedToKnow } from "../../app/carriers/grant-need-to-know.ts";
import { listCarriers } from "../../app/carriers/list-carriers.ts";
import { registerCarrier } from "../../app/carriers/register-carrier.ts";
import { showCarrier } from "../../app/carriers/show-carrier.ts";
import { answerConsent, requestConsent } from "../../app/consent/consent-flow.ts";
import { listConsents } from "../../app/consent/list-consents.ts";
import { performConsent } from "../../app/consent/perform-consent.ts";
import { closeContract, resumeContract, suspendContract } from "../../app/contracts/change-contract-state.ts";
import { listContracts } from "../../app/contracts/list-contracts.ts";
import { listMessages } from "../../app/exchange/list-messages.ts";
import { showDashboard } from "../../app/node/dashboard.ts";
import { listOrganisations } from "../../app/organisations/list-organisations.ts";
import {
  changeFacilityClearance,
  changePersonalClearance,
  deactivatePerson,
  removeRole,
} from "../../app/people/change-standing.ts";
import { listPeople } from "../../app/people/list-people.ts";
import type { FlowContext } from "../../app/transfer/flow-context.ts";
import { listTransfers } from "../../app/transfer/list-transfers.ts";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  receivePhysicalCarrier,
  requestCarrierTransfer,
} from "../../app/transfer/transfer-flow.ts";
import type { AgreementPack, Party } from "../../domain/agreement/pack-schema.ts";
import { DomainError } from "../../domain/errors.ts";
import { defineRoute } from "../http/define-route.ts";
import {
  AuditExportQuery,
  AuditPage,
  AuditSearchPage,
  AuditSearchQuery,
  AuditVerify,
  CarrierContent,
  CarrierList,
  CarrierListQuery,
  CarrierView,
  ChangeLevelInput,
  ConsentRequestInput,
  ConsentView,
  Contract,
  Dashboard,
  GrantNeedToKnowInput,
  IdParams,
  LanguageInput,
  LoginInput,
  MessageView,
  NodeInfo,
  Organisation,
  Person,
  RegisterCarrierInput,
  SessionView,
  TransferActionInput,
  TransferRequestInput,
  TransferView,
} from "../schemas.ts";
import { registerAccountRoutes } from "./accounts.ts";
import { registerAgreementRoutes } from "./agreement.ts";
import { registerAuthorityRoutes } from "./authorities.ts";
import { registerBreachRoutes } from "./breaches.ts";
import { registerCarrierActionRoutes } from "./carrier-actions.ts";
import { registerContractRoutes } from "./contracts.ts";
import { registerImportRoutes } from "./import.ts";
import { registerObligationRoutes } from "./obligations.ts";
import { registerProtocolRoutes } from "./protocols.ts";
import { registerVisitRoutes } from "./visits.ts";

export type RouteDeps = {
  pack: AgreementPack;
  node: { party: string; demo: boolean };
  party: Party;
  auth: AuthService;
  /** The node's use cases' context (its database is theirs alone). */
  ctx: FlowContext;
  cookieName: string;
  secureCookies: boolean;
  /** A4.2: sign-in attempts per client address per minute (@fastify/rate-limit, see build-api.ts). */
  loginRateLimit: number;
};

const Ok = z.object({ ok: z.literal(true) });
const Created = z.object({ id: z.string() });

/** The transfer steps, each one use case (which checks the role, the state and the rest). */
const TRANSFER_STEPS = [
  "consent",
  "refuse",
  "confirm",
  "refuse-confirmation",
  "dispatch",
  "receive",
] as const;

/** Content shown in the browser's viewer: text up to 1 MiB; anything else is offered as not viewable. */
const MAX_SHOWN_CONTENT = 1_048_576;

function decodeText(bytes: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A keyset cursor as the API hands it out (a number), or INPUT_INVALID. */
function cursor(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new DomainError("INPUT_INVALID", { field: "after", problem: "not a cursor" });
  return n;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { pack, node, party, auth, ctx, cookieName } = deps;
  const other = pack.parties.find((p) => p.code !== node.party);

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/node",
      summary: "This node: its Party, default language and the agreement's levels (unclassified)",
      tags: ["node"],
      access: "public",
      classified: false,
      response: NodeInfo,
    },
    () => ({
      party: node.party as "KZ" | "AM",
      otherParty: (other?.code ?? "") as "KZ" | "AM",
      defaultLanguage: party.defaultLanguage,
      agreementId: pack.id,
      agreementTitle: { ...pack.title },
      // A14: the channels and markings of the pack's version in force now (as last read by a use case).
      channels: ctx.pack.channels.map((c) => ({
        id: c.id,
        kind: c.kind,
        names: { kk: c.name.kk ?? "", hy: c.name.hy ?? "", ru: c.name.ru ?? "", en: c.name.en ?? "" },
      })),
      levels: ctx.pack.levels.map((l) => ({
        id: l.id,
        rank: l.rank,
        names: {
          kk: l.markings.kk ?? "",
          hy: l.markings.hy ?? "",
          ru: l.markings.ru ?? "",
          en: l.workingName.en,
        },
      })),
      demo: node.demo,
    }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/auth/login",
      summary:
        "Sign in with password and one-time code. Every failure answers AUTH_FAILED the same way; a username is locked after repeated failures. After a password reset the answer is PASSWORD_CHANGE_REQUIRED until `newPassword` is given too (A4.2)",
      tags: ["auth"],
      access: "public",
      body: LoginInput,
      response: z.object({ csrfToken: z.string() }),
      // A4.2: a fixed window of one minute per client address, counted once the body is well formed.
      rateLimit: { max: deps.loginRateLimit, timeWindow: 60_000, hook: "preHandler" },
    },
    async ({ body, request, reply }) => {
      const previous = request.cookies[cookieName];
      const result = await auth.login(body.username, body.password, body.totp, previous, body.newPassword);
      reply.setCookie(cookieName, result.token, {
        path: "/",
        httpOnly: true,
        secure: deps.secureCookies,
        sameSite: "strict",
      });
      return { csrfToken: result.csrfToken };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/auth/logout",
      summary: "End the session",
      tags: ["auth"],
      response: Ok,
    },
    async ({ request, reply }) => {
      if (request.sessionToken) await auth.signOut(request.sessionToken);
      reply.clearCookie(cookieName, { path: "/" });
      return { ok: true as const };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/session",
      summary: "The signed-in user, the anti-forgery token and the permission map the UI follows",
      tags: ["auth"],
      response: SessionView,
    },
    ({ actor, request }) => ({
      user: {
        id: actor.personId,
        username: actor.username,
        name: actor.name,
        organisationId: actor.organisationId,
        organisationName: actor.organisationName,
        party: actor.party as "KZ" | "AM",
        roles: [...actor.roles],
        clearanceLevel: actor.clearanceLevel,
        language: actor.language,
      },
      csrfToken: request.session?.csrfToken ?? "",
      permissions: permissionMap(actor),
    }),
  );

  defineRoute(
    app,
    {
      method: "PUT",
      url: "/api/session/language",
      summary: "Keep the user's language",
      tags: ["auth"],
      classified: false,
      body: LanguageInput,
      response: Ok,
    },
    async ({ actor, body }) => {
      await auth.setLanguage(actor.personId, body.language);
      return { ok: true as const };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/dashboard",
      summary: "What waits for the user",
      tags: ["node"],
      response: Dashboard,
    },
    ({ actor }) => showDashboard(ctx, { actor: actor.personId }),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/carriers",
      summary:
        "The registry: only carriers the user may access (A4.2), newest first, keyset paging (`after` = nextCursor)",
      tags: ["registry"],
      query: CarrierListQuery,
      response: CarrierList,
    },
    async ({ actor, query }) => {
      const page = await listCarriers(ctx, {
        actor: actor.personId,
        ...(query.q?.trim() ? { query: query.q } : {}),
        ...(query.level ? { level: query.level } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.after !== undefined ? { after: cursor(query.after) } : {}),
        limit: query.limit ?? 50,
      });
      return {
        items: page.carriers.map((c) => c.summary),
        nextCursor: page.next === null ? null : String(page.next),
      };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers",
      summary:
        "Register an own carrier in the registry of the user's body, marked with the node's national marking (A6.2, A1.5)",
      tags: ["registry"],
      body: RegisterCarrierInput,
      response: Created,
      status: 201,
    },
    async ({ actor, body }) => {
      const row = await registerCarrier(ctx, {
        actor: actor.personId,
        kind: body.kind,
        title: body.title,
        level: body.level,
        ...(body.contractId ? { contract: body.contractId } : {}),
        ...(body.sheets !== undefined ? { sheets: body.sheets } : {}),
        ...(body.sizeBytes !== undefined ? { sizeBytes: body.sizeBytes } : {}),
        ...(body.contentText ? { content: new TextEncoder().encode(body.contentText) } : {}),
      });
      return { id: row.id };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/carriers/:id",
      summary:
        "A carrier: metadata, both Parties' markings, lineage, history and allowed actions. Without access: the not-found answer (A4.2)",
      tags: ["registry"],
      params: IdParams,
      response: CarrierView,
    },
    async ({ actor, params }) => {
      // Without the registry permission the answer is the same not-found, so nothing is learnt.
      return (await showCarrier(ctx, { actor: actor.personId, carrier: params.id })).view;
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/carriers/:id/content",
      summary: "A carrier's electronic content, through the access decision (A4.2); audited",
      tags: ["registry"],
      params: IdParams,
      response: CarrierContent,
    },
    async ({ actor, params }) => {
      const shown = await showCarrier(ctx, { actor: actor.personId, carrier: params.id, content: true });
      if (!shown.content)
        throw new DomainError("CONTENT_NOT_FOUND", { carrierId: shown.carrier.registration_number });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of shown.content.stream) {
        size += (chunk as Buffer).byteLength;
        if (size > MAX_SHOWN_CONTENT) break;
        chunks.push(chunk as Buffer);
      }
      shown.content.stream.destroy();
      const text = size <= MAX_SHOWN_CONTENT ? decodeText(Buffer.concat(chunks)) : null;
      return text !== null
        ? { mediaType: "text/plain; charset=utf-8", text, base64: null }
        : { mediaType: "application/octet-stream", text: null, base64: null };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/need-to-know",
      summary:
        "A4.2: the custodian body's registry officer grants need-to-know on a held carrier to persons of that body; audited. Without access: the not-found answer",
      tags: ["registry"],
      params: IdParams,
      body: GrantNeedToKnowInput,
      // At the pack's four-eyes levels a grant waits for a second registry officer (A4.2).
      response: z.object({ granted: z.array(z.string()), pending: z.array(z.string()) }),
    },
    async ({ actor, params, body }) => {
      const result = await grantNeedToKnow(ctx, {
        actor: actor.personId,
        carrier: params.id,
        persons: body.persons,
      });
      return { granted: [...result.granted], pending: [...result.pending] };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/organisations",
      summary: "The competent authorities and authorized bodies with their facility clearances",
      tags: ["directory"],
      response: z.array(Organisation),
    },
    async ({ actor }) => {
      const { own, others } = await listOrganisations(ctx, { actor: actor.personId });
      const kind = (k: string) => (k === "competent-authority" ? "competent_authority" : "authorized_body");
      return [
        ...own.map((o) => ({
          id: o.id,
          name: o.name,
          party: o.party as "KZ" | "AM",
          kind: kind(o.kind),
          facilityClearance: o.current,
          clearanceSuspended: o.clearanceSuspended,
          actions: o.actions,
        })),
        ...others.map((o) => ({
          id: o.id,
          name: o.name,
          party: o.party as "KZ" | "AM",
          kind: kind(o.kind),
          facilityClearance: null,
          clearanceSuspended: false,
          actions: [],
        })),
      ];
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/people",
      summary: "People of the node with roles and personal clearances",
      tags: ["directory"],
      response: z.array(Person),
    },
    async ({ actor }) => {
      const rows = await listPeople(ctx, { actor: actor.personId });
      return rows.map((p) => ({
        id: p.id,
        name: p.name,
        organisationId: p.organisation_id,
        organisationName: p.organisation,
        roles: p.roles,
        clearance: p.current,
        disabled: p.disabled_at !== null,
        clearanceSuspended: p.clearanceSuspended,
        actions: p.actions,
      }));
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/contracts",
      summary: "Contracts (A7) the user's organisation is party to, with the six clauses",
      tags: ["directory"],
      response: z.array(Contract),
    },
    async ({ actor }) => {
      return listContracts(ctx, { actor: actor.personId });
    },
  );

  // A1.11, A4.2: the competent authority withdraws, suspends or reinstates clearances; the
  // administrator removes roles and deactivates people.
  const Change = z.object({
    id: z.string().min(1).max(200),
    change: z.enum(["withdraw", "suspend", "reinstate"]),
  });
  const Reason = z.object({ reason: z.string().max(2000).optional() }).optional();
  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/people/:id/clearance/:change",
      summary: "A1.11, A4.2: withdraw, suspend or reinstate a person's clearance (competent authority)",
      tags: ["directory"],
      params: Change,
      body: Reason,
      response: z.object({ person: z.string(), change: z.string(), clearances: z.number() }),
    },
    async ({ actor, params, body }) =>
      changePersonalClearance(ctx, {
        actor: actor.personId,
        person: params.id,
        change: params.change,
        ...(body?.reason ? { reason: body.reason } : {}),
      }),
  );
  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/organisations/:id/clearance/:change",
      summary: "A1.11: withdraw, suspend or reinstate a body's facility clearance (competent authority)",
      tags: ["directory"],
      params: Change,
      body: Reason,
      response: z.object({ organisation: z.string(), change: z.string(), clearances: z.number() }),
    },
    async ({ actor, params, body }) =>
      changeFacilityClearance(ctx, {
        actor: actor.personId,
        organisation: params.id,
        change: params.change,
        ...(body?.reason ? { reason: body.reason } : {}),
      }),
  );
  defineRoute(
    app,
    {
      method: "DELETE",
      url: "/api/people/:id/roles/:role",
      summary: "A4.2: take a role from a person (administrator)",
      tags: ["directory"],
      params: z.object({ id: z.string().min(1).max(200), role: z.string().min(1).max(60) }),
      response: z.object({ person: z.string(), role: z.string(), changed: z.boolean() }),
    },
    async ({ actor, params }) =>
      removeRole(ctx, { actor: actor.personId, person: params.id, role: params.role }),
  );
  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/people/:id/deactivate",
      summary: "A4.2: deactivate a person: no more sign-in, sessions ended now (administrator)",
      tags: ["directory"],
      params: IdParams,
      body: Reason,
      response: z.object({ person: z.string(), changed: z.boolean() }),
    },
    async ({ actor, params, body }) =>
      deactivatePerson(ctx, {
        actor: actor.personId,
        person: params.id,
        ...(body?.reason ? { reason: body.reason } : {}),
      }),
  );

  // A7.1, A4.1.4: the concluding body suspends, resumes or closes a contract; the other node follows.
  for (const [verb, run] of [
    ["suspend", suspendContract],
    ["resume", resumeContract],
    ["close", closeContract],
  ] as const) {
    defineRoute(
      app,
      {
        method: "POST",
        url: `/api/contracts/:id/${verb}`,
        summary: `A7.1, A4.1.4: ${verb} a contract concluded by this node's body (sent to the other Party's body)`,
        tags: ["directory"],
        params: IdParams,
        response: z.object({ number: z.string(), state: z.string() }),
      },
      async ({ actor, params }) => run(ctx, { actor: actor.personId, contract: params.id }),
    );
  }

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/messages",
      summary: "Messages in and out between the Parties",
      tags: ["exchange"],
      response: z.array(MessageView),
    },
    async ({ actor }) => {
      return listMessages(ctx, { actor: actor.personId });
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/audit",
      summary: "The audit log, newest first",
      tags: ["audit"],
      query: z.object({ after: z.string().max(100).optional() }),
      response: AuditPage,
    },
    async ({ actor, query }) => {
      return listAudit(ctx, {
        actor: actor.personId,
        ...(query.after !== undefined ? { after: query.after } : {}),
      });
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/audit/verify",
      summary: "Verify the whole audit log (RFC 9162 tree) and name the first bad entry",
      tags: ["audit"],
      body: z.object({}).optional(),
      response: AuditVerify,
    },
    async ({ actor }) => {
      return verifyAudit(ctx, { actor: actor.personId });
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/audit/search",
      summary:
        "A4.2: search the audit log (time, person, event or `prefix.`, outcome, object, registration number), newest first, objects named; audited",
      tags: ["audit"],
      query: AuditSearchQuery,
      response: AuditSearchPage,
    },
    async ({ actor, query }) => {
      const { cursor, limit, ...filters } = query;
      return searchAudit(ctx, {
        actor: actor.personId,
        filters,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/audit/export",
      summary: "A4.2: the entries of an audit search as a CSV or JSON file (attachment); audited",
      tags: ["audit"],
      query: AuditExportQuery,
      response: z.string(),
    },
    async ({ actor, query, reply }) => {
      const { cursor, limit, format, ...filters } = query;
      const file = await exportAudit(ctx, {
        actor: actor.personId,
        format,
        filters,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      reply
        .header(
          "Content-Type",
          format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        )
        .header("Content-Disposition", `attachment; filename="audit.${format}"`);
      if (file.nextCursor !== null) reply.header("X-Next-Cursor", file.nextCursor);
      return format === "csv"
        ? auditRowsToCsv(file.items)
        : JSON.stringify({ items: file.items, nextCursor: file.nextCursor });
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/transfers",
      summary: "Transfers (A5) the user takes part in, each with the step actions the server allows now",
      tags: ["transfer"],
      response: z.array(TransferView),
    },
    async ({ actor }) => {
      return listTransfers(ctx, { actor: actor.personId });
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/transfers",
      summary: "Request a transfer of a carrier under a contract (A5.2)",
      tags: ["transfer"],
      body: TransferRequestInput,
      response: Created,
      status: 201,
    },
    async ({ actor, body }) => {
      const result = await requestCarrierTransfer(ctx, {
        actor: actor.personId,
        carrier: body.carrierId,
        to: body.receivingBodyId,
        contract: body.contractId,
      });
      return { id: result.transferId };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/transfers/:id/:action",
      summary: `A step of a transfer: ${TRANSFER_STEPS.join(", ")}`,
      tags: ["transfer"],
      params: z.object({ id: z.string().min(1).max(200), action: z.enum(TRANSFER_STEPS) }),
      body: TransferActionInput,
      // `breachId`: the breach recorded at a take-in with broken seals (A11.1).
      response: Created.extend({ breachId: z.string().optional() }),
    },
    async ({ actor, params, body }) => {
      const base = { actor: actor.personId, transfer: params.id };
      const reason = body.reason ? { reason: body.reason } : {};
      switch (params.action) {
        case "consent":
        case "refuse":
          return {
            id: (await decideTransfer(ctx, { ...base, decision: params.action, ...reason })).transferId,
          };
        case "confirm":
        case "refuse-confirmation":
          return {
            id: (
              await answerClearanceConfirmation(ctx, {
                ...base,
                refuse: params.action === "refuse-confirmation",
                ...reason,
              })
            ).transferId,
          };
        case "dispatch": {
          // The registry officer names the channel; a physical carrier's seal numbers and waybill are
          // the ones on the parcel (the use case refuses a physical dispatch without them).
          const channel = body.channel ?? ctx.pack.channels.find((c) => c.kind === "electronic")?.id ?? "";
          const result = await dispatchTransfer(ctx, {
            ...base,
            channel,
            ...(body.sealNumbers ? { sealNumbers: body.sealNumbers } : {}),
            ...(body.waybill ? { waybill: body.waybill } : {}),
          });
          return { id: result.transferId };
        }
        case "receive": {
          // A11.1: seals broken (`sealsIntact: false`) with what was found: taken in, quarantined, a breach recorded.
          const received = await receivePhysicalCarrier(ctx, {
            ...base,
            sealsIntact: body.sealsIntact === true,
            ...(body.breach ? { breach: { what: body.breach.what } } : {}),
          });
          return { id: received.transferId, ...(received.breachId ? { breachId: received.breachId } : {}) };
        }
      }
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/consents",
      summary:
        "Article 6 consent requests (copy, translation, destruction, third-party release…) in and out, with the steps allowed now",
      tags: ["consent"],
      response: z.array(ConsentView),
    },
    async ({ actor }) => {
      return listConsents(ctx, { actor: actor.personId });
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/consent-requests",
      summary: "A6.7: ask the originator's written consent for an Article 6 action on a received carrier",
      tags: ["consent"],
      params: IdParams,
      body: ConsentRequestInput,
      response: Created,
      status: 201,
    },
    async ({ actor, params, body }) => {
      const result = await requestConsent(ctx, {
        actor: actor.personId,
        carrier: params.id,
        action: body.action,
        reason: body.reason,
        ...(body.language ? { language: body.language } : {}),
        ...(body.thirdParty ? { thirdParty: body.thirdParty } : {}),
      });
      return { id: result.consentId };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/consents/:id/:action",
      summary:
        "Answer a consent request as the originator (grant, refuse) or act on a granted one as the holder (perform)",
      tags: ["consent"],
      params: z.object({ id: z.string().min(1).max(200), action: z.enum(["grant", "refuse", "perform"]) }),
      body: TransferActionInput,
      response: Created,
    },
    async ({ actor, params, body }) => {
      if (params.action === "perform") {
        await performConsent(ctx, { actor: actor.personId, consent: params.id });
        return { id: params.id };
      }
      const result = await answerConsent(ctx, {
        actor: actor.personId,
        consent: params.id,
        decision: params.action,
        ...(body.reason ? { reason: body.reason } : {}),
      });
      return { id: result.consentId };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/level",
      summary:
        "A6.3, A6.4: the originator changes its carrier's level (or declassifies it); every holder of every copy is notified",
      tags: ["consent"],
      params: IdParams,
      body: ChangeLevelInput,
      response: Created,
    },
    async ({ actor, params, body }) => {
      await changeCarrierLevel(ctx, {
        actor: actor.personId,
        carrier: params.id,
        level: body.level,
        ...(body.declassify ? { declassify: true } : {}),
      });
      return { id: params.id };
    },
  );

  registerVisitRoutes(app, deps);
  registerBreachRoutes(app, deps);
  registerContractRoutes(app, deps);
  registerCarrierActionRoutes(app, deps);
  registerAgreementRoutes(app, deps);
  registerProtocolRoutes(app, deps);
  registerAuthorityRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerObligationRoutes(app, deps);
  registerAccountRoutes(app, deps);
}
