// RFC 9162 Merkle trees: the roots of the reference test vectors (certificate-transparency), and for random
// sizes every inclusion and consistency proof verifies while a changed leaf, root or size does not, and a grown
// tree answers for any smaller size exactly as a tree of only those leaves.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { leafHash, MerkleTree, verifyConsistency, verifyInclusion } from "./merkle.ts";

// The eight leaves of the RFC 6962 / 9162 test data, and the tree heads of their first 1…8.
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(
  (hex) => leafHash(Buffer.from(hex, "hex")),
);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

test("tree heads match the reference vectors; the empty tree is SHA-256 of nothing", () => {
  const tree = MerkleTree.of(LEAVES);
  ROOTS.forEach((root, i) => {
    assert.equal(tree.root(i + 1).toString("hex"), root, `size ${i + 1}`);
  });
  const empty = new MerkleTree().root();
  assert.equal(empty.toString("hex"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

const sized = fc
  .integer({ min: 1, max: 70 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n })));
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`entry ${i}`));

test("property: inclusion proofs verify, and fail for another leaf, index or root", () => {
  fc.assert(
    fc.property(sized, ([n, m]) => {
      const leaves = leavesOf(n);
      const root = MerkleTree.of(leaves).root();
      const proof = MerkleTree.of(leaves).inclusionProof(m);
      assert.ok(verifyInclusion(leaves[m] as Buffer, m, n, proof, root));
      assert.ok(!verifyInclusion(leafHash("forged"), m, n, proof, root));
      if (n > 1) assert.ok(!verifyInclusion(leaves[m] as Buffer, (m + 1) % n, n, proof, root));
      assert.ok(!verifyInclusion(leaves[m] as Buffer, m, n, proof, leafHash("other root")));
    }),
  );
});

test("property: consistency proofs show an older head is a prefix, and fail for a rewritten history", () => {
  fc.assert(
    fc.property(sized, ([n, , m]) => {
      const leaves = leavesOf(n);
      const proof = MerkleTree.of(leaves).consistencyProof(m);
      const oldRoot = MerkleTree.of(leaves.slice(0, m)).root();
      const newRoot = MerkleTree.of(leaves).root();
      assert.ok(verifyConsistency(m, n, proof, oldRoot, newRoot));
      if (m > 0 && m < n) {
        const rewritten = [...leaves];
        rewritten[0] = leafHash("rewritten");
        assert.ok(!verifyConsistency(m, n, proof, MerkleTree.of(rewritten.slice(0, m)).root(), newRoot));
        const rewrittenTree = MerkleTree.of(rewritten);
        assert.ok(!verifyConsistency(m, n, rewrittenTree.consistencyProof(m), oldRoot, rewrittenTree.root()));
      }
    }),
  );
});

test("property: a grown tree gives every smaller size the root and proofs of a tree of just those leaves", () => {
  fc.assert(
    fc.property(sized, fc.integer({ min: 0, max: 70 }), ([n, m, older], extra) => {
      const leaves = leavesOf(n + extra);
      const grown = MerkleTree.of(leaves);
      const exact = MerkleTree.of(leaves.slice(0, n));
      assert.deepEqual(grown.root(n), exact.root());
      assert.deepEqual(grown.inclusionProof(m, n), exact.inclusionProof(m));
      assert.deepEqual(grown.consistencyProof(Math.min(older, n), n), exact.consistencyProof(Math.min(older, n)));
    }),
  );
});
