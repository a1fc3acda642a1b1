// Merkle tree hashing as in RFC 9162 (Certificate Transparency 2.0), section 2.1: leaf and interior hashes with
// distinct prefixes, the tree head of n leaves, inclusion proofs ("audit paths") and consistency proofs between
// two sizes, and their verification. SHA-256 throughout.
import { createHash } from "node:crypto";

export function leafHash(data: Uint8Array | string): Buffer {
  return createHash("sha256")
    .update(Buffer.from([0]))
    .update(data)
    .digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash("sha256")
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();
}

const EMPTY_ROOT = createHash("sha256").digest();

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[0:n]) over leaf hashes. */
export function rootHash(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  // Bottom-up, carrying an odd last node up unchanged: the same tree as the RFC's recursive definition.
  let level = [...leaves];
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Buffer;
      const right = level[i + 1];
      next.push(right ? nodeHash(left, right) : left);
    }
    level = next;
  }
  return level[0] as Buffer;
}

/** PATH(m, D[0:n]): the inclusion proof of leaf m in the first n leaves. */
export function inclusionProof(leaves: readonly Buffer[], m: number, n = leaves.length): Buffer[] {
  if (m < 0 || m >= n || n > leaves.length) throw new RangeError(`no leaf ${m} in a tree of ${n}`);
  const path = (index: number, slice: readonly Buffer[]): Buffer[] => {
    if (slice.length <= 1) return [];
    const k = split(slice.length);
    return index < k
      ? [...path(index, slice.slice(0, k)), rootHash(slice.slice(k))]
      : [...path(index - k, slice.slice(k)), rootHash(slice.slice(0, k))];
  };
  return path(m, leaves.slice(0, n));
}

/** PROOF(m, D[0:n]): the consistency proof that the tree of m leaves is a prefix of the tree of n. */
export function consistencyProof(leaves: readonly Buffer[], m: number, n = leaves.length): Buffer[] {
  if (m < 0 || m > n || n > leaves.length) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const subproof = (size: number, slice: readonly Buffer[], complete: boolean): Buffer[] => {
    if (size === slice.length) return complete ? [] : [rootHash(slice)];
    const k = split(slice.length);
    return size <= k
      ? [...subproof(size, slice.slice(0, k), complete), rootHash(slice.slice(k))]
      : [...subproof(size - k, slice.slice(k), false), rootHash(slice.slice(0, k))];
  };
  return subproof(m, leaves.slice(0, n), true);
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
