// The registry officer's acts on a carrier through the API: copy, translate, derive (A6.1, A6.5),
// hand over to another body of this Party (A6.2, A1.11), destroy (A1.8, A6.6), return to the
// originator and take a returned one back in (A6.6), and withdraw need-to-know (A4.2). Each route
// parses, calls one use case of src/app and maps its answer; the role, the registry, the carrier's
// state, the originator's written consent and the audit entry are the use case's.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { changeCustody } from "../../app/carriers/change-custody.ts";
import { copyCarrier, translateCarrier } from "../../app/carriers/copy-carrier.ts";
import { deriveCarrier } from "../../app/carriers/derive-carrier.ts";
import { destroyCarrier } from "../../app/carriers/destroy-carrier.ts";
import { withdrawNeedToKnow } from "../../app/carriers/grant-need-to-know.ts";
import { returnCarrier } from "../../app/carriers/return-carrier.ts";
import { takeBackReturnedCarrier } from "../../app/transfer/transfer-flow.ts";
import { defineRoute } from "../http/define-route.ts";
import { GrantNeedToKnowInput, IdParams, RegisterCarrierInput } from "../schemas.ts";
import type { RouteDeps } from "./index.ts";

const ConsentRef = z.string().min(1).max(200).optional();

export const CopyInput = z.object({ consent: ConsentRef });

export const TranslateInput = z.object({
  /** ISO 639 code of the translation's language (the use case checks its form). */
  language: z.string().min(1).max(10),
  title: z.string().min(1).max(500).optional(),
  /** The translated content, when the original is electronic. */
  contentText: z.string().max(1_000_000).optional(),
  consent: ConsentRef,
});

export const DeriveInput = RegisterCarrierInput.pick({
  kind: true,
  title: true,
  sheets: true,
  contentText: true,
}).extend({
  level: z.string().min(1).max(50).optional(),
  /** Further sources beside the carrier in the address (registration numbers or ids). */
  alsoFrom: z.array(z.string().min(1).max(200)).max(50).optional(),
});

export const CustodyInput = z.object({ to: z.string().min(1).max(200) });

export const ReturnInput = z.object({
  channel: z.string().min(1).max(60),
  sealNumbers: z.array(z.string().min(1).max(100)).max(50).optional(),
  waybill: z.string().min(1).max(200).optional(),
  consent: ConsentRef,
});

export const TakeBackInput = z.object({ consent: ConsentRef, sealsIntact: z.boolean().optional() });

const Made = z.object({ id: z.string(), registrationNumber: z.string(), copyNumber: z.number().int() });
const Moved = z.object({ id: z.string(), state: z.string() });
const made = (row: { id: string; registration_number: string; copy_number: number }) => ({
  id: row.id,
  registrationNumber: row.registration_number,
  copyNumber: row.copy_number,
});

export function registerCarrierActionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  const text = (s: string | undefined) => (s ? { content: new TextEncoder().encode(s) } : {});

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/copy",
      summary:
        "A6.5, A6.1: a copy of a held carrier (same number, next copy number, same marking); the other Party's information needs its originator's written consent",
      tags: ["registry"],
      params: IdParams,
      body: CopyInput,
      response: Made,
      status: 201,
    },
    async ({ actor, params, body }) => {
      const row = await copyCarrier(ctx, {
        actor: actor.personId,
        carrier: params.id,
        ...(body.consent ? { consent: body.consent } : {}),
      });
      return made(row);
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/translate",
      summary:
        "A6.5, A6.1: a translation of a held carrier (new number, same marking); the other Party's information needs its originator's written consent",
      tags: ["registry"],
      params: IdParams,
      body: TranslateInput,
      response: Made,
      status: 201,
    },
    async ({ actor, params, body }) => {
      const row = await translateCarrier(ctx, {
        actor: actor.personId,
        carrier: params.id,
        language: body.language,
        ...(body.title ? { title: body.title } : {}),
        ...text(body.contentText),
        ...(body.consent ? { consent: body.consent } : {}),
      });
      return made(row);
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/derive",
      summary:
        "A6.1: a carrier derived from this one (and others held), marked no lower than its highest source",
      tags: ["registry"],
      params: IdParams,
      body: DeriveInput,
      response: Made,
      status: 201,
    },
    async ({ actor, params, body }) => {
      const row = await deriveCarrier(ctx, {
        actor: actor.personId,
        sources: [params.id, ...(body.alsoFrom ?? [])],
        kind: body.kind,
        title: body.title,
        ...(body.level ? { level: body.level } : {}),
        ...(body.sheets !== undefined ? { sheets: body.sheets } : {}),
        ...text(body.contentText),
      });
      return made(row);
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/custody",
      summary:
        "A6.2, A1.11: hand a held carrier over to another body of this Party holding a facility clearance of its level",
      tags: ["registry"],
      params: IdParams,
      body: CustodyInput,
      response: z.object({ id: z.string(), to: z.string() }),
    },
    async ({ actor, params, body }) => {
      const moved = await changeCustody(ctx, { actor: actor.personId, carrier: params.id, to: body.to });
      return { id: params.id, to: moved.to };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/destroy",
      summary:
        "A1.8, A6.6: destroy a held carrier (content key erased, the record kept); the other Party's information needs its originator's written permission, and the originator gets the certificate",
      tags: ["registry"],
      params: IdParams,
      body: CopyInput,
      response: Moved,
    },
    async ({ actor, params, body }) => {
      const done = await destroyCarrier(ctx, {
        actor: actor.personId,
        carrier: params.id,
        ...(body.consent ? { consent: body.consent } : {}),
      });
      return { id: done.carrierId, state: done.state };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/return",
      summary:
        "A6.6: return the other Party's carrier to its originator, with its written permission, by an agreed channel",
      tags: ["registry"],
      params: IdParams,
      body: ReturnInput,
      response: Moved,
    },
    async ({ actor, params, body }) => {
      const done = await returnCarrier(ctx, {
        actor: actor.personId,
        carrier: params.id,
        channel: body.channel,
        ...(body.sealNumbers ? { sealNumbers: body.sealNumbers } : {}),
        ...(body.waybill ? { waybill: body.waybill } : {}),
        ...(body.consent ? { consent: body.consent } : {}),
      });
      return { id: done.carrierId, state: done.state };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/take-back",
      summary:
        "A6.6, A6.2 (originator): take back in our carrier the holder returned with our written permission",
      tags: ["registry"],
      params: IdParams,
      body: TakeBackInput,
      response: Moved,
    },
    async ({ actor, params, body }) => {
      const done = await takeBackReturnedCarrier(ctx, {
        actor: actor.personId,
        carrier: params.id,
        ...(body.consent ? { consent: body.consent } : {}),
        sealsIntact: body.sealsIntact === true,
      });
      return { id: done.carrierId, state: done.state };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/carriers/:id/need-to-know/withdraw",
      summary:
        "A4.2: the custodian body's registry officer withdraws need-to-know (in effect or pending) from persons of that body; audited",
      tags: ["registry"],
      params: IdParams,
      body: GrantNeedToKnowInput,
      response: z.object({ withdrawn: z.array(z.string()) }),
    },
    async ({ actor, params, body }) => {
      const done = await withdrawNeedToKnow(ctx, {
        actor: actor.personId,
        carrier: params.id,
        persons: body.persons,
      });
      return { withdrawn: done.withdrawn };
    },
  );
}
