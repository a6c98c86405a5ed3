import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AgreementPack, Party } from "../../domain/agreement/pack-schema.ts";
import { DomainError } from "../../domain/errors.ts";
import type { AuthService } from "../auth/auth-service.ts";
import type { RateLimiter } from "../auth/rate-limit.ts";
import { defineRoute } from "../http/define-route.ts";
import { can, type Permission, permissionMap } from "../permissions.ts";
import {
  AuditPage,
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
import type { Actor, NodeServices } from "../services.ts";

export type RouteDeps = {
  pack: AgreementPack;
  node: { party: string; demo: boolean };
  party: Party;
  auth: AuthService;
  services: NodeServices;
  cookieName: string;
  secureCookies: boolean;
  loginRateLimit?: number;
  loginLimiter: RateLimiter;
};

const Ok = z.object({ ok: z.literal(true) });
const Created = z.object({ id: z.string() });

/** Refuses with ROLE_FORBIDDEN unless one of the actor's roles grants the permission. */
function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new DomainError("ROLE_FORBIDDEN", { permission });
}

/** The transfer step actions and the permission each needs (the use case checks the rest). */
const TRANSFER_ACTIONS: Record<string, Permission> = {
  consent: "decideConsent",
  refuse: "decideConsent",
  confirm: "confirmFacilityClearance",
  "refuse-confirmation": "confirmFacilityClearance",
  dispatch: "requestTransfer",
  receive: "receiveCarrier",
};

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { pack, node, party, auth, services, cookieName } = deps;
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
      channels: pack.channels.map((c) => ({
        id: c.id,
        kind: c.kind,
        names: { kk: c.name.kk ?? "", hy: c.name.hy ?? "", ru: c.name.ru ?? "", en: c.name.en ?? "" },
      })),
      levels: pack.levels.map((l) => ({
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
        "Sign in with password and one-time code. Every failure answers AUTH_FAILED the same way; a username is locked after repeated failures",
      tags: ["auth"],
      access: "public",
      body: LoginInput,
      response: z.object({ csrfToken: z.string() }),
    },
    async ({ body, request, reply }) => {
      if (!deps.loginLimiter.take(request.ip)) throw new DomainError("AUTH_LOCKED", {});
      const previous = request.cookies[cookieName];
      const result = await auth.login(body.username, body.password, body.totp, previous);
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
    ({ actor }) => services.dashboard(actor),
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
    ({ actor, query }) => {
      requirePermission(actor, "viewRegistry");
      return services.listCarriers(actor, query);
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
    ({ actor, body }) => {
      requirePermission(actor, "registerCarrier");
      return services.registerCarrier(actor, body);
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
    ({ actor, params }) => {
      // Without the registry permission the answer is the same not-found, so nothing is learnt.
      if (!can(actor, "viewRegistry")) throw new DomainError("CARRIER_NOT_FOUND", {});
      return services.getCarrier(actor, params.id);
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
    ({ actor, params }) => {
      if (!can(actor, "viewRegistry")) throw new DomainError("CARRIER_NOT_FOUND", {});
      return services.readCarrierContent(actor, params.id);
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
      response: z.object({ granted: z.array(z.string()) }),
    },
    ({ actor, params, body }) => {
      if (!can(actor, "viewRegistry")) throw new DomainError("CARRIER_NOT_FOUND", {});
      requirePermission(actor, "grantNeedToKnow");
      return services.grantNeedToKnow(actor, params.id, body);
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
    ({ actor }) => {
      requirePermission(actor, "viewOrganisations");
      return services.listOrganisations(actor);
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
    ({ actor }) => {
      requirePermission(actor, "viewPeople");
      return services.listPeople(actor);
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
    ({ actor }) => {
      requirePermission(actor, "viewContracts");
      return services.listContracts(actor);
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/messages",
      summary: "Messages in and out between the Parties",
      tags: ["exchange"],
      response: z.array(MessageView),
    },
    ({ actor }) => {
      requirePermission(actor, "viewMessages");
      return services.listMessages(actor);
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
    ({ actor, query }) => {
      requirePermission(actor, "viewAudit");
      return services.listAudit(actor, query.after);
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
    ({ actor }) => {
      requirePermission(actor, "verifyAudit");
      return services.verifyAudit(actor);
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
    ({ actor }) => {
      requirePermission(actor, "viewTransfers");
      return services.listTransfers(actor);
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
    ({ actor, body }) => {
      requirePermission(actor, "requestTransfer");
      return services.requestTransfer(actor, body);
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/transfers/:id/:action",
      summary: `A step of a transfer: ${Object.keys(TRANSFER_ACTIONS).join(", ")}`,
      tags: ["transfer"],
      params: z.object({ id: z.string().min(1).max(200), action: z.enum(Object.keys(TRANSFER_ACTIONS)) }),
      body: TransferActionInput,
      response: Created,
    },
    ({ actor, params, body }) => {
      requirePermission(actor, TRANSFER_ACTIONS[params.action] as Permission);
      return services.actOnTransfer(actor, params.id, params.action, body);
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
    ({ actor }) => {
      requirePermission(actor, "viewConsents");
      return services.listConsents(actor);
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
    ({ actor, params, body }) => {
      if (!can(actor, "viewRegistry")) throw new DomainError("CARRIER_NOT_FOUND", {});
      requirePermission(actor, "requestTransfer");
      return services.requestConsent(actor, params.id, body);
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
    ({ actor, params, body }) => {
      requirePermission(actor, "viewConsents");
      requirePermission(actor, "requestTransfer");
      return services.actOnConsent(actor, params.id, params.action, body.reason);
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
    ({ actor, params, body }) => {
      if (!can(actor, "viewRegistry")) throw new DomainError("CARRIER_NOT_FOUND", {});
      requirePermission(actor, "registerCarrier");
      return services.changeCarrierLevel(actor, params.id, body);
    },
  );
}
