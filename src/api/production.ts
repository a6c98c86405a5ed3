import type { AuthService } from "../app/auth/auth-service.ts";
import { DomainError } from "../domain/errors.ts";

/**
 * A production node refuses to start while accounts with the published demo password exist
 * (demo logins exist only in demo mode).
 */
export async function refuseDemoAccounts(auth: AuthService): Promise<void> {
  const demoAccounts = await auth.countDemoAccounts();
  if (demoAccounts > 0) {
    throw new DomainError("INPUT_INVALID", {
      field: "accounts",
      problem: `${demoAccounts} demo account(s) with the published demo password exist; a production node refuses to start with them (use a fresh node, or run it with --demo)`,
    });
  }
}
