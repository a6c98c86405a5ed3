// Refusals of the store, through the domain's error catalogue so the CLI and the API render them
// like every other rule.
import { DomainError } from "../domain/errors.ts";

/** Refuses to start on a database setting that can lose a committed transaction (STORE_SETTING_UNSAFE). */
export function refuseNotDurable(dialect: string, setting: string, actual: string, required: string): never {
  throw new DomainError("STORE_SETTING_UNSAFE", { dialect, setting, actual, required });
}
