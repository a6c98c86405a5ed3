/**
 * Public API of the pure domain: the agreement's rules, no I/O.
 *
 * Conventions: state and events are plain readonly JSON data; instants are ISO-8601 UTC strings
 * (`2026-03-01T09:30:00Z`) and calendar dates `YYYY-MM-DD` (see `time/instants.ts`); Temporal is
 * used inside functions only; the time is always passed in (`at`). Levels in state are ranks
 * (1 lowest). Every machine exports `<NAME>_STATUSES`, `<NAME>_EVENTS`, `<NAME>_TRANSITIONS`
 * and `transition<Name>(state, event, ctx) → { state, articles }`, throwing DomainError.
 */
export * from "./access/access-decision.ts";
export * from "./agreement/agreement-machine.ts";
export * from "./agreement/pack-schema.ts";
export * from "./articles.ts";
export * from "./breach/breach-machine.ts";
export * from "./carrier/carrier-machine.ts";
export * from "./classification/levels.ts";
export * from "./classification/marking.ts";
export * from "./consent/consent-machine.ts";
export * from "./contract/contract-machine.ts";
export * from "./errors.ts";
export * from "./language.ts";
export * from "./machine.ts";
export * from "./time/deadlines.ts";
export * from "./time/instants.ts";
export * from "./transfer/transfer-machine.ts";
export * from "./visit/visit-machine.ts";
