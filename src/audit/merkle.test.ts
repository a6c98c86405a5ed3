import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appendToFrontier,
  buildConsistencyProof,
  buildInclusionProof,
  checkConsistencyProof,
  checkInclusionProof,
  decodeFrontier,
  EMPTY_ROOT,
  encodeFrontier,
  FrontierBuilder,
  frontierOfLeaves,
  hashChildren,
  hashLeaf,
  memorySubtreeSource,
  rootFromFrontier,
  rootOfSize,
  verifyConsistencyProof,
  verifyInclusionProof,
} from "./merkle.ts";

const FIXTURES = join(import.meta.dirname, "../../test/fixtures/rfc9162-merkle");

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listJson(path);
    return name.endsWith(".json") ? [path] : [];
  });
}

const b64 = (s: string): Buffer => Buffer.from(s, "base64");

type InclusionVector = {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
};
type ConsistencyVector = {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
};

/** The RFC 6962/9162 reference tree: 8 leaves from transparency-dev/merkle's tests. */
const REFERENCE_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map((hex) => Buffer.from(hex, "hex"));
const REFERENCE_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

describe("RFC 9162 vectors (test/fixtures/rfc9162-merkle, from transparency-dev/merkle)", () => {
  const inclusion = listJson(join(FIXTURES, "inclusion"));
  const consistency = listJson(join(FIXTURES, "consistency"));

  it("finds the whole vector set (so the loops below cannot pass vacuously)", () => {
    expect(inclusion.length).toBeGreaterThanOrEqual(90);
    expect(consistency.length).toBeGreaterThanOrEqual(90);
    expect(inclusion.filter((p) => p.endsWith("happy-path.json"))).toHaveLength(5);
    expect(consistency.filter((p) => p.endsWith("happy-path.json"))).toHaveLength(5);
  });

  for (const path of inclusion) {
    const v = JSON.parse(readFileSync(path, "utf8")) as InclusionVector;
    const name = path.slice(FIXTURES.length + 1);
    it(`inclusion ${name}: ${v.wantErr ? "refused" : "verifies"} (${v.desc})`, () => {
      const ok = verifyInclusionProof(
        v.leafIdx,
        v.treeSize,
        b64(v.leafHash),
        (v.proof ?? []).map(b64),
        b64(v.root),
      );
      expect(ok).toBe(!v.wantErr);
    });
  }

  for (const path of consistency) {
    const v = JSON.parse(readFileSync(path, "utf8")) as ConsistencyVector;
    const name = path.slice(FIXTURES.length + 1);
    it(`consistency ${name}: ${v.wantErr ? "refused" : "verifies"} (${v.desc})`, () => {
      const ok = verifyConsistencyProof(
        v.size1,
        v.size2,
        b64(v.root1),
        b64(v.root2),
        (v.proof ?? []).map(b64),
      );
      expect(ok).toBe(!v.wantErr);
    });
  }
});

describe("Merkle tree hashing", () => {
  it("hashes the empty tree as SHA-256 of nothing", () => {
    expect(EMPTY_ROOT.toString("hex")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("gives the reference roots of the RFC test tree for every size 1..8", async () => {
    const leaves = REFERENCE_LEAVES.map(hashLeaf);
    for (let size = 1; size <= 8; size++) {
      const frontier = frontierOfLeaves(leaves.slice(0, size));
      expect(rootFromFrontier(frontier).toString("hex")).toBe(REFERENCE_ROOTS[size - 1]);
      expect((await rootOfSize(memorySubtreeSource(leaves), size)).toString("hex")).toBe(
        REFERENCE_ROOTS[size - 1],
      );
    }
  });

  it("builds the proofs that the vectors' happy paths carry", async () => {
    const source = memorySubtreeSource(REFERENCE_LEAVES.map(hashLeaf));
    const v = JSON.parse(
      readFileSync(join(FIXTURES, "consistency/4/happy-path.json"), "utf8"),
    ) as ConsistencyVector;
    const proof = await buildConsistencyProof(source, v.size1, v.size2);
    expect(proof.map((h) => h.toString("base64"))).toEqual(v.proof);
    const w = JSON.parse(
      readFileSync(join(FIXTURES, "inclusion/1/happy-path.json"), "utf8"),
    ) as InclusionVector;
    const incl = await buildInclusionProof(source, w.leafIdx, w.treeSize);
    expect(incl.map((h) => h.toString("base64"))).toEqual(w.proof);
  });

  it("reports the perfect subtrees an append completes", () => {
    const leaves = Array.from({ length: 8 }, (_, i) => hashLeaf(Buffer.from([i])));
    let frontier: Buffer[] = [];
    const completed: string[] = [];
    leaves.forEach((leaf, i) => {
      const r = appendToFrontier(frontier, i, leaf);
      frontier = r.frontier;
      for (const c of r.completed) completed.push(`${c.level}:${c.index}`);
    });
    expect(completed).toEqual(["1:0", "1:1", "2:0", "1:2", "1:3", "2:1", "3:0"]);
    expect(frontier).toHaveLength(1);
    expect(frontier[0]).toEqual(
      hashChildren(
        hashChildren(hashChildren(leaves[0]!, leaves[1]!), hashChildren(leaves[2]!, leaves[3]!)),
        hashChildren(hashChildren(leaves[4]!, leaves[5]!), hashChildren(leaves[6]!, leaves[7]!)),
      ),
    );
  });

  it("takes perfect subtrees in whole (as the verifier does) to the same roots and completions as leaf by leaf (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 300 }),
        (size, wanted) => {
          const leaves = Array.from({ length: size }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
          const reported = (into: string[], from: number) => (level: number, index: number, hash: Buffer) => {
            if (level >= from) into.push(`${level}:${index}:${hash.toString("hex")}`);
          };
          const byLeaf: string[] = [];
          const whole: string[] = [];
          const one = new FrontierBuilder(reported(byLeaf, 4));
          const two = new FrontierBuilder(reported(whole, 4));
          for (const leaf of leaves) one.push(leaf);
          for (let i = 0; i < size; ) {
            let level = wanted[i] ?? 0;
            while (level > 0 && (i % 2 ** level !== 0 || i + 2 ** level > size)) level--;
            const width = 2 ** level;
            // A perfect subtree's hash is the RFC 9162 root of its leaves alone.
            two.pushSubtree(level, rootFromFrontier(frontierOfLeaves(leaves.slice(i, i + width))));
            i += width;
            expect(two.root()).toEqual(rootFromFrontier(frontierOfLeaves(leaves.slice(0, i))));
          }
          expect(two.size).toBe(size);
          expect(two.frontier()).toEqual(one.frontier());
          expect(whole).toEqual(byLeaf);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses a subtree that would not sit where RFC 9162's tree has it", () => {
    const tree = new FrontierBuilder();
    tree.push(hashLeaf(Buffer.from("0")));
    expect(() => tree.pushSubtree(1, hashLeaf(Buffer.from("pair")))).toThrow(RangeError);
  });

  it("round-trips a frontier and refuses one of the wrong length", () => {
    const frontier = frontierOfLeaves([1, 2, 3, 4, 5].map((i) => hashLeaf(Buffer.from([i]))));
    expect(decodeFrontier(encodeFrontier(frontier), 5)).toEqual(frontier);
    expect(() => decodeFrontier(encodeFrontier(frontier), 7)).toThrow(RangeError);
  });

  it("proves every leaf of every tree and every pair of sizes up to 40 leaves, and refuses a flipped bit", async () => {
    const leaves = Array.from({ length: 40 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    const source = memorySubtreeSource(leaves);
    for (let size = 1; size <= leaves.length; size++) {
      const root = rootFromFrontier(frontierOfLeaves(leaves.slice(0, size)));
      for (let index = 0; index < size; index++) {
        const proof = await buildInclusionProof(source, index, size);
        expect(checkInclusionProof(index, size, leaves[index]!, proof, root)).toBeNull();
        if (proof.length > 0) {
          const bad = proof.map((h) => Buffer.from(h));
          bad[0]![5]! ^= 1;
          expect(checkInclusionProof(index, size, leaves[index]!, bad, root)).toBe("root-mismatch");
        }
      }
      for (let size1 = 1; size1 <= size; size1++) {
        const root1 = rootFromFrontier(frontierOfLeaves(leaves.slice(0, size1)));
        const proof = await buildConsistencyProof(source, size1, size);
        expect(checkConsistencyProof(size1, size, root1, root, proof)).toBeNull();
        if (size1 < size) expect(checkConsistencyProof(size1, size, root, root1, proof)).not.toBeNull();
      }
    }
  });

  it("agrees with the frontier for random tree sizes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 10_000 }),
        async (size, seed) => {
          const leaves = Array.from({ length: size }, (_, i) => hashLeaf(Buffer.from(`${seed}/${i}`)));
          const source = memorySubtreeSource(leaves);
          const root = rootFromFrontier(frontierOfLeaves(leaves));
          expect(await rootOfSize(source, size)).toEqual(root);
          const index = seed % size;
          expect(
            verifyInclusionProof(
              index,
              size,
              leaves[index]!,
              await buildInclusionProof(source, index, size),
              root,
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
