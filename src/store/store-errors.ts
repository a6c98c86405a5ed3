// Refusals of the store. They go through the domain's error catalogue (DomainError) so that the
// CLI and the API render them like every other rule.

/** Refuses to start on a database setting that can lose a committed transaction. */
export function refuseNotDurable(dialect: string, setting: string, actual: string, required: string): never {
  throw new Error(
    `STORE_NOT_DURABLE: ${dialect} setting ${setting} is ${actual}; a node needs ${setting}=${required} ` +
      "so that no committed transaction can be lost. The node refuses to start.",
  );
}
