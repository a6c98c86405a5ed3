import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkConsistency,
  cosignCheckpoint,
  formatCheckpointText,
  openCheckpoint,
  parseCheckpointText,
  signCheckpoint,
  verifyConsistency,
} from "./checkpoint.ts";
import {
  buildConsistencyProof,
  EMPTY_ROOT,
  frontierOfLeaves,
  hashLeaf,
  memorySubtreeSource,
  rootFromFrontier,
} from "./merkle.ts";
import {
  createNoteSigner,
  formatVerifierKey,
  generateNoteSigner,
  openSignedNote,
  parseVerifierKey,
  SignedNoteError,
  signNote,
  verifierOf,
} from "./signed-note.ts";

// The example of golang.org/x/mod/sumdb/note (the reference implementation of signed notes):
// private key PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALV… (0x01 ‖ Ed25519 seed).
const GO_SEED = Buffer.from("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "base64").subarray(1);
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function goSigner() {
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), GO_SEED]),
    format: "der",
    type: "pkcs8",
  });
  return createNoteSigner("PeterNeumann", key);
}

describe("C2SP signed notes", () => {
  it("signs byte for byte like Go's sumdb/note and derives the same verifier key", () => {
    const signer = goSigner();
    expect(formatVerifierKey(verifierOf(signer))).toBe(GO_VKEY);
    expect(signNote(GO_TEXT, [signer])).toBe(GO_NOTE);
  });

  it("opens the Go example with its verifier key and refuses it once a byte of text changes", () => {
    const verifier = parseVerifierKey(GO_VKEY);
    expect(openSignedNote(GO_NOTE, [verifier]).text).toBe(GO_TEXT);
    expect(() => openSignedNote(GO_NOTE.replace("answer", "Answer"), [verifier])).toThrow(SignedNoteError);
  });

  it("refuses a note no trusted key signed, and ignores signatures of unknown keys", () => {
    const stranger = generateNoteSigner("stranger.example/key");
    const note = signNote(GO_TEXT, [stranger, goSigner()]);
    expect(() => openSignedNote(signNote(GO_TEXT, [stranger]), [parseVerifierKey(GO_VKEY)])).toThrow(
      /not signed by any trusted key/,
    );
    expect(openSignedNote(note, [parseVerifierKey(GO_VKEY)]).verifiedBy.map((v) => v.name)).toEqual([
      "PeterNeumann",
    ]);
  });

  it("round-trips verifier keys, also when their base64 holds '+'", () => {
    const keys = Array.from({ length: 40 }, (_, i) =>
      formatVerifierKey(verifierOf(generateNoteSigner(`kelisim/KZ/n${i}`))),
    );
    expect(keys.filter((k) => k.split("+").length > 3).length).toBeGreaterThan(0);
    for (const key of keys) expect(formatVerifierKey(parseVerifierKey(key))).toBe(key);
  });

  it("refuses a verifier key whose ID does not match, and malformed notes", () => {
    expect(() => parseVerifierKey(GO_VKEY.replace("c74f20a3", "c74f20a4"))).toThrow(SignedNoteError);
    expect(() => signNote("no final newline", [goSigner()])).toThrow(SignedNoteError);
    expect(() => openSignedNote(GO_TEXT, [parseVerifierKey(GO_VKEY)])).toThrow(SignedNoteError);
    expect(() => openSignedNote(GO_NOTE.replace("— ", "- "), [parseVerifierKey(GO_VKEY)])).toThrow(
      SignedNoteError,
    );
  });
});

describe("tlog checkpoints", () => {
  const leaves = Array.from({ length: 11 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
  const rootOf = (n: number) => rootFromFrontier(frontierOfLeaves(leaves.slice(0, n)));
  const origin = "kelisim.example/kz/audit";

  it("writes origin, size and base64 root lines and reads them back", () => {
    const text = formatCheckpointText({ origin, size: 11, root: rootOf(11) });
    expect(text).toBe(`${origin}\n11\n${rootOf(11).toString("base64")}\n`);
    expect(parseCheckpointText(text)).toMatchObject({ origin, size: 11, root: rootOf(11) });
  });

  it("refuses a size with a leading zero, a short root, a missing line", () => {
    const root = rootOf(3).toString("base64");
    expect(() => parseCheckpointText(`${origin}\n03\n${root}\n`)).toThrow(SignedNoteError);
    expect(() => parseCheckpointText(`${origin}\n3\n${rootOf(3).subarray(1).toString("base64")}\n`)).toThrow(
      SignedNoteError,
    );
    expect(() => parseCheckpointText(`${origin}\n3\n`)).toThrow(SignedNoteError);
    expect(() => parseCheckpointText(`${origin}\n0\n${root}\n`)).toThrow(/empty log/);
  });

  it("is signed by the node key, cosigned by the peer, and opened by either key", () => {
    const node = generateNoteSigner("kelisim.example/kz");
    const peer = generateNoteSigner("kelisim.example/am");
    const note = signCheckpoint({ origin, size: 11, root: rootOf(11) }, [node]);
    const cosigned = cosignCheckpoint(note, peer);
    expect(openCheckpoint(cosigned, [verifierOf(node), verifierOf(peer)], origin).signedBy).toEqual([
      "kelisim.example/kz",
      "kelisim.example/am",
    ]);
    expect(openCheckpoint(cosigned, [verifierOf(peer)]).size).toBe(11);
    expect(() => openCheckpoint(note, [verifierOf(node)], "kelisim.example/am/audit")).toThrow(
      /not "kelisim.example\/am\/audit"/,
    );
    const forged = note.replace(`\n11\n`, `\n10\n`);
    expect(() => openCheckpoint(forged, [verifierOf(node)])).toThrow(/does not verify/);
  });

  it("verifies that a newer checkpoint extends an older one, and refuses a rewritten history", async () => {
    const source = memorySubtreeSource(leaves);
    const proof = await buildConsistencyProof(source, 5, 11);
    const older = { origin, size: 5, root: rootOf(5) };
    const newer = { origin, size: 11, root: rootOf(11) };
    expect(verifyConsistency(older, newer, proof)).toBe(true);
    const rewritten = leaves.slice();
    rewritten[2] = hashLeaf(Buffer.from("edited"));
    const rewrittenRoot = rootFromFrontier(frontierOfLeaves(rewritten));
    expect(
      checkConsistency(
        older,
        { ...newer, root: rewrittenRoot },
        await buildConsistencyProof(memorySubtreeSource(rewritten), 5, 11),
      ),
    ).toBe("root-mismatch");
    expect(checkConsistency(older, { ...newer, origin: "other" }, proof)).toBe("origin-mismatch");
    expect(verifyConsistency({ origin, size: 0, root: EMPTY_ROOT }, newer, [])).toBe(true);
    expect(verifyConsistency({ origin, size: 0, root: rootOf(1) }, newer, [])).toBe(false);
  });
});
