// A login for a person of the node (argon2id password, TOTP second factor sealed under the node key),
// made by the node's operator. The published demo password and short passwords are refused.
import { DomainError } from "../../domain/errors.ts";
import type { OpenNode } from "../../node/open-node.ts";
import { withTransaction } from "../../store/transaction.ts";
import { DEMO_PASSWORD } from "../demo/demo-world.ts";
import { createAuthService } from "../node/runtime.ts";
import { findPerson } from "../refs.ts";
import { MIN_PASSWORD_LENGTH } from "./password.ts";
import { createTotpSecret, totpUri } from "./totp.ts";

export async function createLogin(
  node: OpenNode,
  input: { readonly person: string; readonly username?: string; readonly password: string },
) {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError("INPUT_INVALID", {
      field: "password",
      problem: `at least ${MIN_PASSWORD_LENGTH} characters`,
    });
  }
  if (input.password === DEMO_PASSWORD) {
    throw new DomainError("INPUT_INVALID", {
      field: "password",
      problem: "the published demo password is refused",
    });
  }
  const person = await withTransaction(node.db, (trx) => findPerson(trx, input.person));
  const auth = await createAuthService(node);
  const secret = createTotpSecret();
  const username = input.username ?? person.handle;
  await auth.createAccount({ personId: person.id, username, password: input.password, totpSecret: secret });
  return {
    username,
    personId: person.id,
    personName: person.name,
    totpSecret: secret,
    totpUri: totpUri(secret, `${node.config.party}:${username}`),
  };
}
