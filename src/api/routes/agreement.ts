// The routes of the agreement's own life (A15.1, A15.2, A15.3): each parses, calls one use case of
// src/app/agreement, maps the result. The notices are written notices between the competent
// authorities, sent as signed messages: whether one may be sent, and with which date, is the use
// case's decision (AGREEMENT_NOTICE_BACKDATED, AGREEMENT_NOTICE_FUTURE, …), not the route's.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  agreementOutstanding,
  sendAgreementNotice,
  showAgreement,
} from "../../app/agreement/agreement-life.ts";
import { AGREEMENT_NOTICE_KINDS, type AgreementView } from "../../app/agreement/agreement-types.ts";
import { AGREEMENT_STATUSES } from "../../domain/agreement/agreement-machine.ts";
import { defineRoute } from "../http/define-route.ts";
import type { RouteDeps } from "./index.ts";

const NoticeKind = z.enum(AGREEMENT_NOTICE_KINDS);
const Status = z.enum(AGREEMENT_STATUSES);

/** A written notice between the competent authorities about the agreement (A15.1, A15.2). */
export const AgreementNoticeRow = z.object({
  id: z.string(),
  kind: NoticeKind,
  direction: z.enum(["out", "in"]),
  fromParty: z.string(),
  datedOn: z.string(),
  reference: z.string(),
  sentAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  state: z.enum(["sent", "received", "refused"]),
  refusal: z.object({ code: z.string(), articles: z.array(z.string()) }).nullable(),
  /** A15.2: a termination its Party withdrew afterwards. */
  withdrawn: z.boolean(),
});

/** A15.1, A15.2: the agreement at the node's clock, its notices and what the reader may do now. */
export const AgreementViewSchema = z.object({
  agreementId: z.string(),
  status: Status,
  signedNotBefore: z.string(),
  inForceOn: z.string().nullable(),
  termination: z
    .object({ notifiedBy: z.string(), receivedAt: z.string(), terminatesOn: z.string() })
    .nullable(),
  terminationWithdrawal: z.enum(["before-effect", "never"]),
  notices: z.array(AgreementNoticeRow),
  actions: z.array(NoticeKind),
});

/** A15.3: the other Party's carriers still under the agreement's protection at this node. */
export const OutstandingReportSchema = z.object({
  at: z.string(),
  status: Status,
  carriers: z.array(
    z.object({
      id: z.string(),
      registrationNumber: z.string(),
      copyNumber: z.number().int(),
      title: z.string(),
      level: z.string(),
      originatorParty: z.string(),
      state: z.string(),
      custodian: z.string(),
      registeredAt: z.string(),
    }),
  ),
  byState: z.record(z.string(), z.number().int()),
});

/** The notice's form: the date it bears (default today, the node's Party's zone) and its reference. */
export const AgreementNoticeInput = z.object({
  kind: NoticeKind,
  // YYYY-MM-DD; its form and its day are the use case's to check (INPUT_INVALID naming datedOn).
  datedOn: z.string().trim().max(20).optional(),
  reference: z.string().trim().max(200).optional(),
});

/** The view as the answer's schema types it (its lists copied out of their readonly arrays). */
function agreementAnswer(view: AgreementView): z.infer<typeof AgreementViewSchema> {
  return {
    ...view,
    notices: view.notices.map((n) => ({
      ...n,
      refusal: n.refusal ? { code: n.refusal.code, articles: [...n.refusal.articles] } : null,
    })),
    actions: [...view.actions],
  };
}

export function registerAgreementRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/agreement",
      summary:
        "A15.1, A15.2: the agreement's status at the node's clock, its entry into force, a notified termination, and the written notices between the competent authorities",
      tags: ["agreement"],
      response: AgreementViewSchema,
    },
    async ({ actor }) => agreementAnswer(await showAgreement(ctx, { actor: actor.personId })),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/agreement/notices",
      summary:
        "A15.1, A15.2: the competent authority sends a written notice to the other Party's (completed internal procedures, termination, withdrawal of the termination); answers the agreement as it stands",
      tags: ["agreement"],
      body: AgreementNoticeInput,
      response: AgreementViewSchema,
      status: 201,
    },
    async ({ actor, body }) =>
      agreementAnswer(
        await sendAgreementNotice(ctx, {
          actor: actor.personId,
          kind: body.kind,
          ...(body.datedOn ? { datedOn: body.datedOn } : {}),
          ...(body.reference ? { reference: body.reference } : {}),
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/agreement/outstanding",
      summary:
        "A15.3: the other Party's carriers held here that are still under the agreement's protection (not destroyed, declassified or returned), by state",
      tags: ["agreement"],
      response: OutstandingReportSchema,
    },
    async ({ actor }) => {
      const report = await agreementOutstanding(ctx, { actor: actor.personId });
      return { ...report, carriers: [...report.carriers], byState: { ...report.byState } };
    },
  );
}
export type AgreementViewT = z.infer<typeof AgreementViewSchema>;
export type OutstandingReportT = z.infer<typeof OutstandingReportSchema>;
