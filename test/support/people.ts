// Test support: people who may be given access. A4.4: a person acknowledges their obligations under
// their state's law before their first access, so the suites' people do it as a person would — shown
// the current text, then acknowledging that version — through the real use cases.
import type { AppContext } from "../../src/app/context.ts";
import { acknowledgeObligations, showObligations } from "../../src/app/people/acknowledge-obligations.ts";
import { type RegisterPersonInput, registerPerson } from "../../src/app/people/register-person.ts";

/** `person` (handle or id) is shown the current obligations text and acknowledges it (A4.4). */
export async function acknowledgeCurrentObligations(ctx: AppContext, person: string, language?: string) {
  const shown = await showObligations(ctx, { actor: person });
  return acknowledgeObligations(ctx, {
    actor: person,
    version: shown.version,
    ...(language ? { language } : {}),
  });
}

/** {@link registerPerson}, then the new person acknowledges their obligations (A4.4). */
export async function registerAcknowledgedPerson(ctx: AppContext, input: RegisterPersonInput) {
  const row = await registerPerson(ctx, input);
  await acknowledgeCurrentObligations(ctx, row.id);
  return row;
}
