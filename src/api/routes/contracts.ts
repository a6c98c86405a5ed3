// The amendment of a contract through the API (A7.1, A1.13): the concluding body's registry officer
// sets clause texts and adds items to the list of classified information. The route parses and calls
// amendContract; whether the actor keeps the contract, whether its state allows the change, the
// levels and that an active contract stays complete are the use case's, which also sends the amended
// contract to the other Party's body in the same transaction.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { amendContract } from "../../app/contracts/amend-contract.ts";
import { CONTRACT_CLAUSES } from "../../domain/contract/contract-machine.ts";
import { defineRoute } from "../http/define-route.ts";
import { IdParams } from "../schemas.ts";
import type { RouteDeps } from "./index.ts";

/** The clause texts to set (A7.1 (1)–(6)) and the items to add, each with its level (A7.1 (1)). */
export const AmendContractInput = z.object({
  clauses: z.partialRecord(z.enum(CONTRACT_CLAUSES), z.string().max(20_000)).optional(),
  information: z
    .array(z.object({ description: z.string().max(2000), level: z.string().min(1).max(50) }))
    .max(200)
    .optional(),
});

export const AmendContractResult = z.object({
  number: z.string(),
  /** The contract's version after the amendment (the one sent to the other Party's body). */
  version: z.number().int(),
  clauses: z.array(z.string()),
  /** How many items the list of classified information now holds. */
  information: z.number().int(),
});

export function registerContractRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/contracts/:id/amend",
      summary:
        "A7.1, A1.13: set clause texts and add information items to a contract concluded by this node's body (an active one is sent again to the other Party's body)",
      tags: ["directory"],
      params: IdParams,
      body: AmendContractInput,
      response: AmendContractResult,
    },
    async ({ actor, params, body }) =>
      amendContract(ctx, {
        actor: actor.personId,
        contract: params.id,
        ...(body.clauses ? { clauses: body.clauses } : {}),
        ...(body.information ? { information: body.information } : {}),
      }),
  );
}
