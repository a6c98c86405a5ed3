// Every message a user reads is filled in: each `{name}` of a catalogue message is supplied by every
// place that throws that code. Walks the sources (TypeScript's own parser and type checker) for every
// throw site — `new DomainError(code, details)`, the crypto layer's `refuse(code, reason, details)`,
// the exchange's `exchangeError(code, details)`, the access decision's `fail(code, extra)` (rendered
// inside ACCESS_DENIED) — and checks the details each one gives against the catalogue.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { MISSING_CONSENT_ERROR } from "../../src/domain/consent/consent-machine.ts";
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode, isErrorCode } from "../../src/domain/errors.ts";
import { LANGUAGES } from "../../src/domain/language.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Throw sites whose code is not written at the site: the codes they can throw (per code expression
 * where one function throws several). Their details are still read from the site. A site of this
 * kind not listed here fails the test.
 */
const DYNAMIC_CODES: Record<string, readonly ErrorCode[] | Readonly<Record<string, readonly ErrorCode[]>>> = {
  // A6.2, A6.4, A6.6, A4.1.5: the failure of a carrier's state (in transit, destroyed, returned…).
  "src/domain/access/access-decision.ts#decideAccess": ERROR_CODES.filter((c) =>
    c.startsWith("ACCESS_CARRIER_"),
  ),
  // A6.5 and the rest of Article 6: the refusal of the missing consent, per action.
  "src/domain/consent/consent-machine.ts#checkConsent": Object.values(MISSING_CONSENT_ERROR),
  // A4.2, A1.11: requireClearances passes the three codes of a personal or a facility clearance.
  "src/app/access/visibility.ts#check": {
    "codes[0]": ["ACCESS_CLEARANCE_MISSING", "ACCESS_FACILITY_CLEARANCE_MISSING"],
    "codes[1]": ["ACCESS_CLEARANCE_TOO_LOW", "ACCESS_FACILITY_CLEARANCE_TOO_LOW"],
    "codes[2]": ["ACCESS_CLEARANCE_EXPIRED", "ACCESS_FACILITY_CLEARANCE_EXPIRED"],
  },
};

/**
 * Functions that forward a code and details made elsewhere (whose own throw sites are checked): their
 * sites with a code or details not known at the site are not checked (those with both are).
 */
const PASS_THROUGH: Record<string, string> = {
  "src/api/build-api.ts#errorAnswer": "answers a DomainError thrown elsewhere with its catalogue articles",
  "src/domain/errors.ts#domainErrorFromJson": "rebuilds an error received as JSON from the other node",
  "src/crypto/refusal.ts#refuse": "the crypto layer's helper: its call sites are checked as `refuse(…)`",
  "src/exchange/errors.ts#exchangeError":
    "the exchange's helper: its call sites are checked as `exchangeError(…)`",
};

/**
 * Placeholders known to be left unfilled, in files another part owns: each entry is
 * `<file>#<function> <code> {<missing>}`. The test fails when one is fixed (remove it here) and
 * when a new one appears (supply the details at the throw site, or drop the placeholder).
 */
const KNOWN_GAPS: readonly string[] = [
  // The outbox gives the attachment's size, not the limit it exceeds (A5.7).
  "src/exchange/outbox.ts#enqueueMessage PACKAGE_LIMIT_EXCEEDED {limit}",
];

/** Details the rendering fills in from others: ACCESS_DENIED's {reasons} from its failures. */
const DERIVED: Record<string, string> = { reasons: "failures" };

type Site = {
  /** `<file>#<enclosing function>` */
  where: string;
  line: number;
  /** How the code is thrown: new DomainError, refuse, exchangeError, fail. */
  via: string;
  /** The codes it throws; null when not written at the site. */
  codes: readonly string[] | null;
  /** The code expression as written. */
  codeText: string;
  /** The detail names it supplies; null when not known statically (an open record). */
  keys: ReadonlySet<string> | null;
};

function placeholdersOf(code: ErrorCode): Set<string> {
  const names = new Set<string>();
  for (const lang of LANGUAGES)
    for (const m of ERROR_CATALOGUE[code].messages[lang].matchAll(/\{(\w+)\}/g)) names.add(m[1] as string);
  return names;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

function enclosingName(node: ts.Node): string {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) return n.name.getText();
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parent) {
      const p = n.parent;
      if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return p.name.getText();
    }
  }
  return "(top level)";
}

/** The codes a site throws: written at the site, or listed in DYNAMIC_CODES; null if neither. */
function codesAt(site: Site): readonly string[] | null {
  if (site.codes) return site.codes;
  const listed = DYNAMIC_CODES[site.where];
  if (!listed) return null;
  if (Array.isArray(listed)) return listed;
  return (listed as Readonly<Record<string, readonly ErrorCode[]>>)[site.codeText] ?? null;
}

/** Finds every throw site of a catalogue code in src/. */
function collectSites(): Site[] {
  const files = sourceFiles(join(ROOT, "src"));
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("tsconfig.json not read");
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const rel = (file: string) => relative(ROOT, file).split("\\").join("/");

  const declaredIn = (callee: ts.Expression): string | undefined => {
    let symbol = checker.getSymbolAtLocation(callee);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.[0];
    return declaration ? rel(declaration.getSourceFile().fileName) : undefined;
  };
  const codesOf = (arg: ts.Expression | undefined): string[] | null => {
    if (!arg) return null;
    if (ts.isStringLiteralLike(arg)) return [arg.text];
    const type = checker.getTypeAtLocation(arg);
    const parts = type.isUnion() ? type.types : [type];
    const codes = parts.map((t) => (t.isStringLiteral() ? t.value : null));
    // Any code of the catalogue (ErrorCode itself, or a string): not known at the site.
    if (codes.some((c) => c === null) || codes.length > 12) return null;
    return codes as string[];
  };
  const keysOf = (arg: ts.Expression | undefined): Set<string> | null => {
    if (!arg) return new Set();
    if (ts.isObjectLiteralExpression(arg) && arg.properties.every((p) => !ts.isSpreadAssignment(p)))
      return new Set(arg.properties.map((p) => (p.name ? p.name.getText().replace(/^["']|["']$/g, "") : "")));
    const type = checker.getTypeAtLocation(arg);
    if (type.getStringIndexType()) return null;
    return new Set(type.getProperties().map((p) => p.name));
  };

  const sites: Site[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      let site: Omit<Site, "where" | "line" | "codeText"> | null = null;
      let codeArg: ts.Expression | undefined;
      if (ts.isNewExpression(node) && node.expression.getText() === "DomainError") {
        const [code, details] = node.arguments ?? [];
        codeArg = code;
        site = { via: "new DomainError", codes: codesOf(code), keys: keysOf(details) };
      } else if (ts.isCallExpression(node)) {
        const name = node.expression.getText();
        const [code, second, third] = node.arguments;
        codeArg = code;
        const from = ["refuse", "exchangeError", "fail"].includes(name)
          ? declaredIn(node.expression)
          : undefined;
        if (name === "refuse" && from === "src/crypto/refusal.ts") {
          const keys = keysOf(third);
          const codes = codesOf(code);
          // refuse() puts the reason in the details, and the reason as the limit when none is given.
          site = { via: "refuse", codes, keys: keys && new Set([...keys, "reason", "limit"]) };
        } else if (name === "exchangeError" && from === "src/exchange/errors.ts") {
          const codes = codesOf(code)?.map((c) =>
            c === "MESSAGE_MALFORMED" ? "PACKAGE_STRUCTURE_INVALID" : c,
          );
          site = { via: "exchangeError", codes: codes ?? null, keys: keysOf(second) };
        } else if (name === "fail" && from === "src/domain/access/access-decision.ts") {
          site = { via: "fail", codes: codesOf(code), keys: keysOf(second) };
        }
      }
      if (site) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        const codeText = codeArg?.getText() ?? "";
        sites.push({ ...site, codeText, where: `${rel(file)}#${enclosingName(node)}`, line });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}

describe("the error catalogue's messages and their throw sites", () => {
  let sites: Site[];
  beforeAll(() => {
    sites = collectSites();
  }, 120_000);

  it("A4.2: finds the throw sites (the walk itself works)", () => {
    expect(sites.length).toBeGreaterThan(150);
    const codes = new Set(sites.flatMap((s) => s.codes ?? []));
    for (const code of ["ACCESS_DENIED", "CARRIER_NOT_FOUND", "MARKING_UNKNOWN", "CONTENT_NOT_FOUND"])
      expect(codes, code).toContain(code);
    expect(sites.some((s) => s.via === "refuse")).toBe(true);
    expect(sites.some((s) => s.via === "exchangeError")).toBe(true);
    expect(sites.some((s) => s.via === "fail")).toBe(true);
  });

  it("A4.2: every code thrown is in the catalogue, and every site's code and details are known", () => {
    const unknown: string[] = [];
    for (const site of sites) {
      if (PASS_THROUGH[site.where] && (site.codes === null || site.keys === null)) continue;
      const codes = codesAt(site);
      if (!codes) unknown.push(`${site.where}:${site.line} throws a code not written at the site`);
      else for (const c of codes) if (!isErrorCode(c)) unknown.push(`${site.where}:${site.line} ${c}`);
      if (site.keys === null) unknown.push(`${site.where}:${site.line} gives details not known statically`);
    }
    expect(unknown).toEqual([]);
    // No stale entry: each listed site still exists.
    const where = new Set(sites.map((s) => s.where));
    for (const listed of [...Object.keys(DYNAMIC_CODES), ...Object.keys(PASS_THROUGH)])
      expect(where, listed).toContain(listed);
  });

  it("A4.2, A2.1: every placeholder of a message is supplied by every site that throws its code", () => {
    const gaps = new Set<string>();
    const lines: string[] = [];
    for (const site of sites) {
      if (site.keys === null) continue;
      for (const code of codesAt(site) ?? []) {
        if (!isErrorCode(code)) continue;
        const keys = site.keys;
        const missing = [...placeholdersOf(code)]
          .filter((name) => !keys.has(name) && !(DERIVED[name] && keys.has(DERIVED[name] as string)))
          .sort();
        if (missing.length === 0) continue;
        const gap = `${site.where} ${code} {${missing.join(",")}}`;
        gaps.add(gap);
        lines.push(`${gap} (line ${site.line})`);
      }
    }
    const unexpected = lines.filter((l) => !KNOWN_GAPS.some((k) => l.startsWith(`${k} `)));
    expect(unexpected, "messages left with a literal {name}").toEqual([]);
    expect(
      KNOWN_GAPS.filter((k) => !gaps.has(k)),
      "fixed: remove from KNOWN_GAPS",
    ).toEqual([]);
  });

  it("A1.8: CONTENT_NOT_FOUND renders without a placeholder for any thrower", () => {
    expect([...placeholdersOf("CONTENT_NOT_FOUND")]).toEqual([]);
  });
});
