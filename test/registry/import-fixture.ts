// The files of test/fixtures/import-2015 (the format of docs/import-2015.md), and the other Party's
// directory as `kelisim exchange peer add` leaves it, whose names an import resolves (A6.3–A6.7).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ImportFormat } from "../../src/app/import/predecessor-format.ts";
import { AM_BODY } from "./received-fixture.ts";

const FIXTURES = join(import.meta.dirname, "../fixtures/import-2015");

export function fixture(name: string): { text: string; format: ImportFormat } {
  return {
    text: readFileSync(join(FIXTURES, name), "utf8"),
    format: name.endsWith(".json") ? "json" : "csv",
  };
}

/** Writes the other Party's directory into the node's data directory. */
export function writePeerDirectory(dataDir: string): void {
  mkdirSync(join(dataDir, "exchange"), { recursive: true });
  writeFileSync(
    join(dataDir, "exchange", "peer.json"),
    JSON.stringify({
      party: "AM",
      url: null,
      auditVerifierKey: "",
      auditOrigin: "",
      organisations: [
        {
          id: "am-ca",
          name: "AM competent authority",
          kind: "competent-authority",
          encryptionCertificatePem: "",
        },
        { id: AM_BODY, name: "AM Defence Institute", kind: "authorized-body", encryptionCertificatePem: "" },
      ],
    }),
  );
}
