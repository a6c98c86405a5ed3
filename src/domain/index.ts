/** Public API of the pure domain: the agreement's rules, no I/O. */
export * from "./agreement/pack-schema.ts";
export * from "./articles.ts";
export * from "./classification/levels.ts";
export * from "./errors.ts";
export * from "./language.ts";
