export * from "./canonical.ts";
export * from "./catalogue.ts";
export * from "./envelope.ts";
