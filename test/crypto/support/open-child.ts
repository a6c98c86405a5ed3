// Opens a package in a separate process (for the interruption test): argv = dataDir orgId input output.
import { loadAgreementPackSync } from "../../../src/agreements/load-pack.ts";
import { labelTableFromPack } from "../../../src/crypto/agreement-labels.ts";
import { openFile } from "../../../src/crypto/package/package-file.ts";
import { loadOrganisation } from "../../../src/crypto/pki-store.ts";
import { loadTrust } from "../../../src/crypto/trust.ts";

const [dataDir, orgId, input, output] = process.argv.slice(2) as [string, string, string, string];
const org = loadOrganisation({ dataDir, orgId });
await openFile({
  input,
  output,
  recipient: org.recipient,
  trust: loadTrust(dataDir),
  agreement: labelTableFromPack(loadAgreementPackSync("kz-am-2025")),
  onProgress: (p) => {
    if (p.done > 0) process.stdout.write("progress\n");
  },
});
