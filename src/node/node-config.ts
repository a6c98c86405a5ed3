// The node's own configuration: `<dataDir>/node.json`, written once by `kelisim node init`.
// The data directory always holds the configuration and the node's keys; the database is the SQLite
// file beside them, or the PostgreSQL named by DATABASE_URL (then only config and keys live here).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { DomainError } from "../domain/errors.ts";

export const NODE_CONFIG_FILE = "node.json";

/**
 * The registration number format of the node's registry. Tokens: `{party}`, `{year}` (of
 * registration, UTC), `{seq}` or `{seq:N}` (the sequence, zero-padded to N digits; it restarts each
 * year when `{year}` is used). Anything else is literal. Default: `{party}-{year}-{seq:6}`.
 */
export const DEFAULT_REGISTRATION_FORMAT = "{party}-{year}-{seq:6}";

const registrationFormat = z
  .string()
  .min(1)
  .max(64)
  .refine((f) => /\{seq(:\d{1,2})?\}/.test(f), "must contain {seq} or {seq:N}")
  .refine(
    (f) => !/\{(?!party\}|year\}|seq(:\d{1,2})?\})/.test(f),
    "unknown {token}: use {party}, {year}, {seq:N}",
  );

/**
 * A4.1.1, A6.2 (node policy): while `kelisim serve` runs, the node signs a checkpoint of its audit
 * log by itself every `checkpointEveryEntries` new entries and every `checkpointEveryMinutes`
 * minutes (when entries were added), and appends it to the witness file. Defaults: 100 and 10.
 */
export const DEFAULT_AUDIT_CHECKPOINT_EVERY = { entries: 100, minutes: 10 } as const;

const auditPolicySchema = z.strictObject({
  checkpointEveryEntries: z.number().int().min(1).max(1_000_000_000).optional(),
  checkpointEveryMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .optional(),
});

export const nodeConfigSchema = z.object({
  version: z.literal(1),
  nodeId: z.string().uuid(),
  party: z.string().regex(/^[A-Z]{2}$/),
  agreementId: z.string().regex(/^[a-z0-9-]+$/),
  registrationFormat: registrationFormat,
  createdAt: z.string(),
  /** How often the running node signs audit checkpoints by itself (absent: the defaults). */
  audit: auditPolicySchema.optional(),
});

export type NodeConfig = z.infer<typeof nodeConfigSchema>;

/** Parses a registration format, refusing unknown tokens (INPUT_INVALID). */
export function checkRegistrationFormat(format: string): string {
  const parsed = registrationFormat.safeParse(format);
  if (!parsed.success) {
    throw new DomainError("INPUT_INVALID", {
      field: "registration-format",
      problem: parsed.error.issues.map((i) => i.message).join("; "),
    });
  }
  return parsed.data;
}

/** Renders a registration number: `formatRegistrationNumber("{party}-{year}-{seq:6}", "KZ", 2026, 7)` → `KZ-2026-000007`. */
export function formatRegistrationNumber(format: string, party: string, year: number, seq: number): string {
  return format.replace(/\{(party|year|seq)(?::(\d{1,2}))?\}/g, (_whole, token: string, width?: string) => {
    if (token === "party") return party;
    if (token === "year") return String(year);
    return width ? String(seq).padStart(Number(width), "0") : String(seq);
  });
}

/** Whether the sequence restarts every year under this format. */
export function isYearlySequence(format: string): boolean {
  return format.includes("{year}");
}

export function nodeConfigPath(dataDir: string): string {
  return join(dataDir, NODE_CONFIG_FILE);
}

/** Reads `<dataDir>/node.json`; a missing or damaged file says how to fix it. */
export function readNodeConfig(dataDir: string): NodeConfig {
  const path = nodeConfigPath(dataDir);
  if (!existsSync(path)) {
    throw new DomainError("INPUT_INVALID", {
      field: "data",
      problem: `${dataDir} is not a Kelisim node (no ${NODE_CONFIG_FILE}); run \`kelisim node init\` first`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DomainError("INPUT_INVALID", { field: path, problem: `not JSON: ${String(error)}` });
  }
  const parsed = nodeConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new DomainError("INPUT_INVALID", {
      field: path,
      problem: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    });
  }
  return parsed.data;
}

/** Writes the configuration once; an existing node is never overwritten. */
export function writeNodeConfig(dataDir: string, config: NodeConfig): void {
  writeFileSync(nodeConfigPath(dataDir), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: "wx" });
}
