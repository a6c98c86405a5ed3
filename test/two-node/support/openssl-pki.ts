// Test-only certificates made with the machine's openssl: a root per Party and node TLS
// certificates (serverAuth + clientAuth). Used to test the transport on its own, apart from
// the node's own PKI.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type TestTlsParty = { party: string; rootPem: string; certPem: string; keyPem: string };

function ossl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

/** Makes a root and a node TLS certificate for `party` under `dir`. */
export function makeTestTlsParty(dir: string, party: string): TestTlsParty {
  const d = join(dir, party);
  mkdirSync(d, { recursive: true });
  ossl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "root.key"], d);
  ossl(
    [
      "req",
      "-x509",
      "-new",
      "-key",
      "root.key",
      "-subj",
      `/C=${party}/O=Party ${party}/CN=${party} root`,
      "-days",
      "30",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-out",
      "root.pem",
    ],
    d,
  );
  ossl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "node.key"], d);
  ossl(
    [
      "req",
      "-new",
      "-key",
      "node.key",
      "-subj",
      `/C=${party}/O=Party ${party}/CN=${party} node`,
      "-out",
      "node.csr",
    ],
    d,
  );
  writeFileSync(
    join(d, "ext.cnf"),
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
  );
  ossl(
    [
      "x509",
      "-req",
      "-in",
      "node.csr",
      "-CA",
      "root.pem",
      "-CAkey",
      "root.key",
      "-CAcreateserial",
      "-days",
      "30",
      "-extfile",
      "ext.cnf",
      "-out",
      "node.pem",
    ],
    d,
  );
  return {
    party,
    rootPem: readFileSync(join(d, "root.pem"), "utf8"),
    certPem: readFileSync(join(d, "node.pem"), "utf8"),
    keyPem: readFileSync(join(d, "node.key"), "utf8"),
  };
}
