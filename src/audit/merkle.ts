// Merkle tree hashing as in RFC 9162 (Certificate Transparency 2.0), section 2.1: leaf and interior hashes with
// distinct prefixes, the tree head of n leaves, inclusion proofs ("audit paths") and consistency proofs between
// two sizes, and their verification. SHA-256 throughout. The tree grows a leaf at a time and keeps its perfect
// subtrees, so heads and proofs of a log of millions of entries take microseconds.
import { hash } from "node:crypto";

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = 1;
const HASH_BYTES = 32;

/** crypto.hash hashes a whole input in one call, several times faster than a Hash object for inputs this small. */
export function leafHash(data: Uint8Array | string): Buffer {
  return hash("sha256", typeof data === "string" ? `\0${data}` : Buffer.concat([LEAF_PREFIX, data]), "buffer");
}

/** leafHash as hex, the form the audit log stores: Node makes hex faster than a Buffer. */
export function leafHashHex(data: string): string {
  return hash("sha256", `\0${data}`, "hex");
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash("sha256", input, "buffer");
}

const EMPTY_ROOT = hash("sha256", "", "buffer");

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The input of an interior hash, reused: hashing is synchronous, and a tree of millions makes millions of them. */
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_BYTES, NODE_PREFIX);

/** One level of a tree: the roots of its perfect subtrees, left to right, in one buffer that grows by doubling. */
class HashRow {
  private bytes = Buffer.allocUnsafe(HASH_BYTES * 256);
  length = 0;

  push(digest: Uint8Array): void {
    const offset = this.slot();
    this.bytes.set(digest, offset);
  }

  pushHex(digest: string): void {
    const offset = this.slot();
    if (digest.length !== 2 * HASH_BYTES || this.bytes.write(digest, offset, "hex") !== HASH_BYTES) {
      this.length--;
      throw new RangeError(`not a SHA-256 hash in hex: ${digest}`);
    }
  }

  /** Pushes the parent of the hashes at `left` and `left + 1` in `children`. */
  pushParent(children: HashRow, left: number): void {
    children.bytes.copy(NODE_INPUT, 1, left * HASH_BYTES, (left + 2) * HASH_BYTES);
    // Node writes a digest as hex faster than it makes a Buffer of it.
    this.pushHex(hash("sha256", NODE_INPUT, "hex"));
  }

  /** A view, not a copy: a slot is written once and never changes, and a grown buffer leaves the old one intact. */
  at(index: number): Buffer {
    return this.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  /** The offset of one more hash, after growing the buffer if it is full. */
  private slot(): number {
    if ((this.length + 1) * HASH_BYTES > this.bytes.length) {
      const grown = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    return this.length++ * HASH_BYTES;
  }
}

/**
 * A Merkle tree that grows a leaf at a time and keeps the root of every perfect subtree (64 bytes per leaf in
 * all), so the head of any size and any proof cost O(log² n) hashes instead of rehashing every leaf.
 */
export class MerkleTree {
  /** levels[l].at(i) is the root of the perfect subtree over leaves i·2^l … (i+1)·2^l − 1. */
  private readonly levels: HashRow[] = [];

  static of(leaves: readonly Uint8Array[]): MerkleTree {
    const tree = new MerkleTree();
    for (const leaf of leaves) tree.append(leaf);
    return tree;
  }

  get size(): number {
    return this.levels[0]?.length ?? 0;
  }

  append(leaf: Uint8Array): void {
    this.row(0).push(leaf);
    this.completeParents();
  }

  /** Leaf `index`'s hash in hex, as the audit log stores it. */
  leafHex(index: number): string {
    return this.row(0).at(index).toString("hex");
  }

  /** Appends a leaf hash given in hex, as the audit log stores it. */
  appendHex(leaf: string): void {
    this.row(0).pushHex(leaf);
    this.completeParents();
  }

  /** A right child completes its parent's subtree, which then joins the level above, and so on up. */
  private completeParents(): void {
    let index = this.size - 1;
    for (let level = 0; index % 2 === 1; level++) {
      this.row(level + 1).pushParent(this.row(level), index - 1);
      index = (index - 1) / 2;
    }
  }

  private row(level: number): HashRow {
    const row = this.levels[level] ?? new HashRow();
    this.levels[level] = row;
    return row;
  }

  /** MTH(D[0:n]). */
  root(n = this.size): Buffer {
    if (n < 0 || n > this.size) throw new RangeError(`no tree of ${n} in a tree of ${this.size}`);
    return n === 0 ? EMPTY_ROOT : this.subtree(0, n);
  }

  /** PATH(m, D[0:n]): the inclusion proof of leaf m in the first n leaves. */
  inclusionProof(m: number, n = this.size): Buffer[] {
    if (m < 0 || m >= n || n > this.size) throw new RangeError(`no leaf ${m} in a tree of ${n}`);
    // The RFC's recursion, walked from the top: each step keeps the half holding m and records the other half.
    const path: Buffer[] = [];
    let start = 0;
    let end = n;
    while (end - start > 1) {
      const k = split(end - start);
      if (m < start + k) {
        path.push(this.subtree(start + k, end));
        end = start + k;
      } else {
        path.push(this.subtree(start, start + k));
        start += k;
      }
    }
    return path.reverse();
  }

  /** PROOF(m, D[0:n]): the consistency proof that the tree of m leaves is a prefix of the tree of n. */
  consistencyProof(m: number, n = this.size): Buffer[] {
    if (m < 0 || m > n || n > this.size) throw new RangeError(`no consistency proof from ${m} to ${n}`);
    if (m === 0 || m === n) return [];
    // SUBPROOF(m, D[0:n], true) walked from the top; m stays the boundary between old and new leaves.
    const proof: Buffer[] = [];
    let start = 0;
    let end = n;
    let complete = true;
    while (m !== end) {
      const k = split(end - start);
      if (m <= start + k) {
        proof.push(this.subtree(start + k, end));
        end = start + k;
      } else {
        proof.push(this.subtree(start, start + k));
        start += k;
        complete = false;
      }
    }
    if (!complete) proof.push(this.subtree(start, end));
    return proof.reverse();
  }

  /**
   * MTH(D[start:end]) for the ranges the RFC's recursion visits: start is a multiple of a power of two at least
   * end − start, so the range is one kept perfect subtree or splits into one and a smaller range of the same kind.
   */
  private subtree(start: number, end: number): Buffer {
    const width = end - start;
    if ((width & (width - 1)) === 0) {
      const level = 31 - Math.clz32(width);
      return (this.levels[level] as HashRow).at(start / width);
    }
    const k = split(width);
    return nodeHash(this.subtree(start, start + k), this.subtree(start + k, end));
  }
}

/** RFC 9162 2.1.3.2: does `proof` show leaf `leaf` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else r = nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.2: does `proof` show the tree of `first` leaves (`firstRoot`) is a prefix of `second`? */
export function verifyConsistency(
  first: number,
  second: number,
  proof: readonly Buffer[],
  firstRoot: Buffer,
  secondRoot: Buffer,
): boolean {
  if (first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  let path = [...proof];
  // When the first tree is complete (a power of two), its root is the first element of the path.
  if ((first & (first - 1)) === 0) path = [firstRoot, ...path];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const [start, ...rest] = path;
  if (!start) return false;
  let fr = start;
  let sr = start;
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else sr = nodeHash(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}
