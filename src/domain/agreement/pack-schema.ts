/**
 * The agreement pack: the data that makes an agreement (Parties, competent authorities, the level
 * table with its markings, deadlines, channels, article titles). Parsed here, purely, from the
 * already-read JSON of each file; `src/agreements/load-pack.ts` does the reading.
 *
 * A broken pack is refused whole (PACK_INVALID), naming the file and the field.
 */
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import type { ArticleId } from "../articles.ts";
import { isArticleId } from "../articles.ts";
import { DomainError } from "../errors.ts";
import type { Language, LocalizedText } from "../language.ts";
import { LANGUAGES } from "../language.ts";

/** The files of a pack, each holding one concern. */
export const PACK_FILES = [
  "agreement.json",
  "parties.json",
  "levels.json",
  "deadlines.json",
  "channels.json",
  "articles.json",
] as const;

/** The name of one file of a pack. */
export type PackFileName = (typeof PACK_FILES)[number];

/** A Party's two-letter code (`KZ`, `AM`). */
export type PartyCode = string;

/** A Party of the agreement with its competent authority (A3.1). */
export type Party = {
  readonly code: PartyCode;
  readonly name: LocalizedText;
  /** IANA zone in which the Party's calendar dates are counted (A9.2, A15.2). */
  readonly timeZone: string;
  /** Language of the Party's users by default. */
  readonly defaultLanguage: Language;
  /** Language of the Party's national marking (its column of the A2.1 table). */
  readonly markingLanguage: Language;
  /** OID of the Party's ESS security-label policy (RFC 2634), used in its labels. */
  readonly securityPolicyOid: string;
  readonly competentAuthority: { readonly name: LocalizedText; readonly articles: readonly ArticleId[] };
  /** A4.4: the obligations a person of this Party acknowledges before their first access. */
  readonly obligations: Obligations;
};

/**
 * A4.4 (policy wording, not treaty text): the obligations under the Party's law that a person takes
 * on when given access, restating A4.1, A4.2 and A4.4 and naming the Party's law. A person
 * acknowledges the text of one `version` before their first access; a new version (a changed text)
 * is acknowledged again.
 */
export type Obligations = {
  readonly version: string;
  readonly basis: "policy";
  readonly articles: readonly ArticleId[];
  readonly title: LocalizedText;
  readonly paragraphs: readonly LocalizedText[];
  readonly note: LocalizedText;
};

/** A classification level of the A2.1 table. Higher rank = more secret. */
export type Level = {
  /** Stable identifier (`secret`, `top-secret`, `special-importance`). */
  readonly id: string;
  readonly rank: number;
  /** ESS classification value in both Parties' label policies (= rank for kz-am-2025). */
  readonly essClassification: number;
  /** English working name (not treaty text). */
  readonly workingName: { readonly en: string };
  /** The marking text per language, byte-exact as in the treaty (A2.1). */
  readonly markings: Readonly<Partial<Record<Language, string>>>;
};

/** A deadline as an ISO 8601 duration; `policy` marks a node target that is not treaty text. */
export type Deadline = {
  readonly duration: string;
  readonly basis: "treaty" | "policy";
  readonly articles: readonly ArticleId[];
  readonly note: LocalizedText;
};

/** A transfer channel (A5.6, A5.7). */
export type Channel = {
  readonly id: string;
  readonly kind: "physical" | "electronic";
  readonly articles: readonly ArticleId[];
  readonly name: LocalizedText;
};

/** One marking of the predecessor agreement (D3) and the level id of this agreement it maps to. */
export type PredecessorMarking = {
  readonly marking: string;
  readonly language: Language;
  readonly level: string;
};

/** An article (rule ID) with its short title. */
export type ArticleEntry = { readonly id: ArticleId; readonly title: LocalizedText };

/** A whole, validated agreement pack. `levels` are sorted by rank, lowest first. */
export type AgreementPack = {
  readonly id: string;
  /** OID naming the agreement (used in signed messages and labels). */
  readonly oid: string;
  readonly title: LocalizedText;
  readonly languages: readonly Language[];
  readonly authenticLanguages: readonly Language[];
  /** Text that prevails in a dispute of interpretation (final clause). */
  readonly prevailingLanguage: Language;
  /** The A2.1 column that both Parties accept as the equivalent (Russian). */
  readonly equivalentMarkingLanguage: Language;
  readonly approval: {
    readonly decree: string;
    readonly date: string;
    readonly articles: readonly ArticleId[];
  };
  /**
   * D1, D2, A15.1: the earliest date the signature can bear (the text gives only the month); no
   * notice about the agreement may be dated before it.
   */
  readonly signature: { readonly notBefore: string; readonly articles: readonly ArticleId[] };
  /** A15.2 (pack policy): whether a termination notice may be withdrawn before it takes effect. */
  readonly terminationWithdrawal: {
    readonly allowed: "before-effect" | "never";
    readonly articles: readonly ArticleId[];
  };
  readonly placeOfSignature: LocalizedText;
  /** The repealed agreement this one replaces (D3). */
  readonly predecessor: {
    /** Names the predecessor in the records imported from it (`kz-am-2015`). */
    readonly id: string;
    readonly title: LocalizedText;
    readonly repealedDecrees: readonly { readonly number: string; readonly date: string }[];
    readonly articles: readonly ArticleId[];
    /** D3, A15.3: each marking of the old agreement, as written on its carriers, and the level it maps to. */
    readonly markings: {
      readonly articles: readonly ArticleId[];
      readonly table: readonly PredecessorMarking[];
    };
  };
  readonly parties: readonly Party[];
  readonly levels: readonly Level[];
  readonly levelArticles: readonly ArticleId[];
  /**
   * Node policy (not treaty text), A4.2: the lowest rank at which a need-to-know grant by one
   * registry officer takes effect only when a second, different registry officer of the same body
   * confirms it (four eyes). From `levels.json` `needToKnowFourEyesFrom` (a level id); default the
   * level of rank 2 (top secret in kz-am-2025) and above.
   */
  readonly needToKnowFourEyesRank: number;
  readonly deadlines: {
    /** A9.2: a visit request at least this long before the visit. */
    readonly visitRequestLead: Deadline;
    /** A15.2: the agreement ends this long after the termination notice is received. */
    readonly termination: Deadline;
    /** A11.1 "at once": the node's policy target for notifying a breach. */
    readonly breachNotice: Deadline;
    /** A11.1 (policy): from the notice to the start of the investigation. */
    readonly breachInvestigationStart: Deadline;
    /** A11.1 (policy): from the start of the investigation to its results reported to the other Party. */
    readonly breachResults: Deadline;
    /** A11.2 (policy): from the results to the damage assessed and its settlement recorded. */
    readonly breachDamageSettlement: Deadline;
    /** A9.2 (policy): how long after a visit's last day its visitors' personal data are kept. */
    readonly visitPersonalDataRetention: Deadline;
  };
  readonly channels: readonly Channel[];
  readonly articles: readonly ArticleEntry[];
  /**
   * A14: how many amendment protocols this pack carries (0 or absent: the agreement as signed). Set
   * by `applyPackChanges` (amendment.ts); every audit entry made under version ≥ 1 records it.
   */
  readonly version?: number;
};

const languageSchema = z.enum(LANGUAGES);
const localizedSchema = z.strictObject({
  kk: z.string().min(1),
  hy: z.string().min(1),
  ru: z.string().min(1),
  en: z.string().min(1),
});
const articleIdSchema = z.custom<ArticleId>(isArticleId, { message: "not an article ID of this agreement" });
const articlesSchema = z.array(articleIdSchema).min(1);
const oidSchema = z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, { message: "not a dotted OID" });
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "not a YYYY-MM-DD date" });
export const markingTextSchema = z
  .string()
  .min(1)
  .refine((s) => s === s.trim() && s === s.normalize("NFC"), { message: "marking must be trimmed NFC text" });

const agreementFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  oid: oidSchema,
  title: localizedSchema,
  languages: z.array(languageSchema).min(1),
  authenticLanguages: z.array(languageSchema).min(1),
  prevailingLanguage: languageSchema,
  equivalentMarkingLanguage: languageSchema,
  parties: z.array(z.string().regex(/^[A-Z]{2}$/)).length(2),
  approval: z.strictObject({ decree: z.string().min(1), date: dateSchema, articles: articlesSchema }),
  signature: z.strictObject({ notBefore: dateSchema, articles: articlesSchema, note: localizedSchema }),
  terminationWithdrawal: z.strictObject({
    allowed: z.enum(["before-effect", "never"]),
    basis: z.literal("policy"),
    articles: articlesSchema,
    note: localizedSchema,
  }),
  placeOfSignature: localizedSchema,
  predecessor: z.strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: localizedSchema,
    repealedDecrees: z.array(z.strictObject({ number: z.string().min(1), date: dateSchema })).min(1),
    articles: articlesSchema,
    markings: z.strictObject({
      articles: articlesSchema,
      note: localizedSchema,
      table: z
        .array(
          z.strictObject({
            marking: markingTextSchema,
            language: languageSchema,
            level: z.string().regex(/^[a-z0-9-]+$/),
          }),
        )
        .min(1),
    }),
  }),
});

const partiesFileSchema = z.strictObject({
  parties: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[A-Z]{2}$/),
        name: localizedSchema,
        timeZone: z.string().min(1),
        defaultLanguage: languageSchema,
        markingLanguage: languageSchema,
        securityPolicyOid: oidSchema,
        competentAuthority: z.strictObject({ name: localizedSchema, articles: articlesSchema }),
        obligations: z.strictObject({
          version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
            message: "use 1–64 letters, digits, . - _",
          }),
          basis: z.literal("policy"),
          articles: articlesSchema,
          title: localizedSchema,
          paragraphs: z.array(localizedSchema).min(1),
          note: localizedSchema,
        }),
      }),
    )
    .length(2),
});

const levelsFileSchema = z.strictObject({
  articles: articlesSchema,
  needToKnowFourEyesFrom: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  levels: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9-]+$/),
        rank: z.int().min(1),
        essClassification: z.int().min(1).max(255),
        workingName: z.strictObject({ en: z.string().min(1) }),
        markings: z.strictObject({
          kk: markingTextSchema.optional(),
          hy: markingTextSchema.optional(),
          ru: markingTextSchema.optional(),
          en: markingTextSchema.optional(),
        }),
      }),
    )
    .min(1),
});

const durationSchema = z.string().refine(isPositiveDuration, { message: "not a positive ISO 8601 duration" });
const deadlineSchema = z.strictObject({
  duration: durationSchema,
  basis: z.enum(["treaty", "policy"]),
  articles: articlesSchema,
  note: localizedSchema,
});
const deadlinesFileSchema = z.strictObject({
  deadlines: z.strictObject({
    visitRequestLead: deadlineSchema,
    termination: deadlineSchema,
    breachNotice: deadlineSchema,
    breachInvestigationStart: deadlineSchema,
    breachResults: deadlineSchema,
    breachDamageSettlement: deadlineSchema,
    visitPersonalDataRetention: deadlineSchema,
  }),
});

const channelsFileSchema = z.strictObject({
  channels: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9-]+$/),
        kind: z.enum(["physical", "electronic"]),
        articles: articlesSchema,
        name: localizedSchema,
      }),
    )
    .min(1),
});

const articlesFileSchema = z.strictObject({
  articles: z.array(z.strictObject({ id: articleIdSchema, title: localizedSchema })).min(1),
});

const SCHEMAS = {
  "agreement.json": agreementFileSchema,
  "parties.json": partiesFileSchema,
  "levels.json": levelsFileSchema,
  "deadlines.json": deadlinesFileSchema,
  "channels.json": channelsFileSchema,
  "articles.json": articlesFileSchema,
} as const;

/**
 * Validates one file of a pack against its schema.
 * @throws DomainError PACK_INVALID naming `agreementId`, the file and the first failing field.
 */
export function parsePackFile<F extends PackFileName>(
  agreementId: string,
  file: F,
  json: unknown,
): z.infer<(typeof SCHEMAS)[F]> {
  const result = SCHEMAS[file].safeParse(json);
  if (result.success) return result.data as z.infer<(typeof SCHEMAS)[F]>;
  const issue = result.error.issues[0]!;
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
  const path = keys.length > 0 ? [...issue.path, keys[0]!] : issue.path;
  const problem =
    issue.code === "unrecognized_keys"
      ? `unknown field${isLanguageLike(keys[0]) ? " (unknown language)" : ""}`
      : issue.message;
  throw refuse(agreementId, file, formatPath(path), problem);
}

/**
 * Parses a whole pack from the JSON content of its files (already read), validating every file
 * and the cross-file rules: two distinct Parties; languages among kk, hy, ru, en; level ranks
 * distinct and contiguous from 1 (no missing level); every level marked in each Party's marking
 * language and in the equivalent language (no level without an equivalent, A2.1); markings
 * unique; article references known.
 * @throws DomainError PACK_INVALID naming the file and the field.
 */
export function parseAgreementPack(
  agreementId: string,
  files: Readonly<Record<PackFileName, unknown>>,
): AgreementPack {
  const agreement = parsePackFile(agreementId, "agreement.json", files["agreement.json"]);
  const { parties } = parsePackFile(agreementId, "parties.json", files["parties.json"]);
  const levelsFile = parsePackFile(agreementId, "levels.json", files["levels.json"]);
  const { deadlines } = parsePackFile(agreementId, "deadlines.json", files["deadlines.json"]);
  const { channels } = parsePackFile(agreementId, "channels.json", files["channels.json"]);
  const { articles } = parsePackFile(agreementId, "articles.json", files["articles.json"]);
  const fail = (file: PackFileName, field: string, problem: string): never => {
    throw refuse(agreementId, file, field, problem);
  };

  // agreement.json
  if (agreement.id !== agreementId)
    fail("agreement.json", "id", `is "${agreement.id}", expected "${agreementId}"`);
  const languages = new Set<Language>(agreement.languages);
  checkUnique(agreement.languages, (i) => fail("agreement.json", `languages[${i}]`, "duplicate language"));
  agreement.authenticLanguages.forEach((l, i) => {
    if (!languages.has(l)) fail("agreement.json", `authenticLanguages[${i}]`, `"${l}" is not in languages`);
  });
  if (!agreement.authenticLanguages.includes(agreement.prevailingLanguage)) {
    fail("agreement.json", "prevailingLanguage", "must be one of authenticLanguages");
  }
  if (!languages.has(agreement.equivalentMarkingLanguage)) {
    fail("agreement.json", "equivalentMarkingLanguage", "is not in languages");
  }
  checkUnique(agreement.parties, (i) => fail("agreement.json", `parties[${i}]`, "duplicate Party"));

  // parties.json
  checkUnique(
    parties.map((p) => p.code),
    (i) => fail("parties.json", `parties[${i}].code`, "duplicate Party code"),
  );
  parties.forEach((p, i) => {
    if (!agreement.parties.includes(p.code)) {
      fail("parties.json", `parties[${i}].code`, `"${p.code}" is not among agreement.json parties`);
    }
    if (!languages.has(p.defaultLanguage))
      fail("parties.json", `parties[${i}].defaultLanguage`, "not in languages");
    if (!languages.has(p.markingLanguage))
      fail("parties.json", `parties[${i}].markingLanguage`, "not in languages");
    if (!isTimeZone(p.timeZone))
      fail("parties.json", `parties[${i}].timeZone`, `unknown time zone "${p.timeZone}"`);
  });
  checkUnique(
    parties.map((p) => p.securityPolicyOid),
    (i) => fail("parties.json", `parties[${i}].securityPolicyOid`, "duplicate policy OID"),
  );

  // levels.json
  const levels = levelsFile.levels;
  checkUnique(
    levels.map((l) => l.rank),
    (i) => fail("levels.json", `levels[${i}].rank`, `duplicate rank ${levels[i]!.rank}`),
  );
  checkUnique(
    levels.map((l) => l.id),
    (i) => fail("levels.json", `levels[${i}].id`, "duplicate level id"),
  );
  checkUnique(
    levels.map((l) => l.essClassification),
    (i) => fail("levels.json", `levels[${i}].essClassification`, "duplicate ESS classification"),
  );
  for (let rank = 1; rank <= levels.length; rank++) {
    if (!levels.some((l) => l.rank === rank)) {
      fail("levels.json", "levels", `level of rank ${rank} is missing (ranks must run 1..${levels.length})`);
    }
  }
  const neededLanguages = [
    ...new Set([...parties.map((p) => p.markingLanguage), agreement.equivalentMarkingLanguage]),
  ];
  levels.forEach((level, i) => {
    for (const lang of Object.keys(level.markings) as Language[]) {
      if (!languages.has(lang))
        fail("levels.json", `levels[${i}].markings.${lang}`, "language not in agreement");
    }
    for (const lang of neededLanguages) {
      if (level.markings[lang] === undefined) {
        const who = parties.filter((p) => p.markingLanguage === lang).map((p) => p.code);
        fail(
          "levels.json",
          `levels[${i}].markings.${lang}`,
          `missing: level "${level.id}" has no equivalent${who.length > 0 ? ` for ${who.join(", ")}` : ""}`,
        );
      }
    }
  });
  for (const lang of LANGUAGES) {
    checkUnique(
      levels.map((l, i) => l.markings[lang] ?? `\u0000${i}`),
      (i) => fail("levels.json", `levels[${i}].markings.${lang}`, "duplicate marking"),
    );
  }
  // D3: every old marking maps to a level of this pack, and no two old markings read alike.
  const predecessorMarkings = agreement.predecessor.markings.table;
  predecessorMarkings.forEach((m, i) => {
    if (!levels.some((l) => l.id === m.level))
      fail("agreement.json", `predecessor.markings.table[${i}].level`, `"${m.level}" is not a level id`);
    if (!languages.has(m.language))
      fail("agreement.json", `predecessor.markings.table[${i}].language`, "not in languages");
  });
  checkUnique(
    predecessorMarkings.map((m) => foldMarking(m.marking)),
    (i) => fail("agreement.json", `predecessor.markings.table[${i}].marking`, "duplicate marking"),
  );
  const fourEyesFrom = levelsFile.needToKnowFourEyesFrom;
  const needToKnowFourEyesRank =
    fourEyesFrom === undefined
      ? Math.min(2, levels.length)
      : (levels.find((l) => l.id === fourEyesFrom)?.rank ??
        fail("levels.json", "needToKnowFourEyesFrom", `"${fourEyesFrom}" is not a level id`));

  // articles.json and references to it
  checkUnique(
    articles.map((a) => a.id),
    (i) => fail("articles.json", `articles[${i}].id`, "duplicate article"),
  );
  const known = new Set<string>(articles.map((a) => a.id));
  const checkRefs = (file: PackFileName, field: string, refs: readonly string[]) =>
    refs.forEach((id, i) => {
      if (!known.has(id)) fail(file, `${field}[${i}]`, `article ${id} is not in articles.json`);
    });
  checkRefs("agreement.json", "approval.articles", agreement.approval.articles);
  checkRefs("agreement.json", "predecessor.articles", agreement.predecessor.articles);
  checkRefs("agreement.json", "predecessor.markings.articles", agreement.predecessor.markings.articles);
  checkRefs("agreement.json", "signature.articles", agreement.signature.articles);
  checkRefs("agreement.json", "terminationWithdrawal.articles", agreement.terminationWithdrawal.articles);
  for (const [i, p] of parties.entries()) {
    checkRefs("parties.json", `parties[${i}].competentAuthority.articles`, p.competentAuthority.articles);
    checkRefs("parties.json", `parties[${i}].obligations.articles`, p.obligations.articles);
    // A4.4: the text is the one that article asks for, whatever else it restates.
    if (!p.obligations.articles.includes("A4.4"))
      fail("parties.json", `parties[${i}].obligations.articles`, "must cite A4.4");
  }
  checkRefs("levels.json", "articles", levelsFile.articles);
  for (const [name, d] of Object.entries(deadlines))
    checkRefs("deadlines.json", `deadlines.${name}.articles`, d.articles);
  for (const [i, c] of channels.entries()) checkRefs("channels.json", `channels[${i}].articles`, c.articles);
  checkUnique(
    channels.map((c) => c.id),
    (i) => fail("channels.json", `channels[${i}].id`, "duplicate channel"),
  );

  const orderedParties = agreement.parties.map((code) => parties.find((p) => p.code === code)!);
  return {
    id: agreement.id,
    oid: agreement.oid,
    title: agreement.title,
    languages: agreement.languages,
    authenticLanguages: agreement.authenticLanguages,
    prevailingLanguage: agreement.prevailingLanguage,
    equivalentMarkingLanguage: agreement.equivalentMarkingLanguage,
    approval: agreement.approval,
    signature: { notBefore: agreement.signature.notBefore, articles: agreement.signature.articles },
    terminationWithdrawal: {
      allowed: agreement.terminationWithdrawal.allowed,
      articles: agreement.terminationWithdrawal.articles,
    },
    placeOfSignature: agreement.placeOfSignature,
    predecessor: {
      id: agreement.predecessor.id,
      title: agreement.predecessor.title,
      repealedDecrees: agreement.predecessor.repealedDecrees,
      articles: agreement.predecessor.articles,
      markings: {
        articles: agreement.predecessor.markings.articles,
        table: agreement.predecessor.markings.table,
      },
    },
    parties: orderedParties,
    levels: [...levels].sort((a, b) => a.rank - b.rank),
    levelArticles: levelsFile.articles,
    needToKnowFourEyesRank,
    deadlines,
    channels,
    articles,
  };
}

/**
 * A marking as the predecessor table compares it (D3): Unicode NFC, spaces trimmed and runs of white
 * space made one, letter case folded — old carriers are stamped in capitals as often as not
 * ("СЕКРЕТНО"). The pack refuses two table entries that fold alike, so folding never merges levels.
 */
export function foldMarking(text: string): string {
  return text.normalize("NFC").trim().replace(/\s+/gu, " ").toLowerCase();
}

function refuse(agreement: string, file: PackFileName, field: string, problem: string): DomainError {
  return new DomainError("PACK_INVALID", { agreement, file, field, problem });
}

function checkUnique<T>(values: readonly T[], onDuplicate: (index: number) => void): void {
  const seen = new Set<T>();
  values.forEach((v, i) => {
    if (seen.has(v)) onDuplicate(i);
    seen.add(v);
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}

function isLanguageLike(key: string | undefined): boolean {
  return key !== undefined && /^[a-z]{2,3}$/.test(key);
}

export function isPositiveDuration(value: string): boolean {
  try {
    const d = Temporal.Duration.from(value);
    return d.sign > 0;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    Temporal.ZonedDateTime.from({ year: 2025, month: 1, day: 1, timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
