// String similarity for name matching: Jaro–Winkler, optimal-string-alignment (restricted Damerau–Levenshtein)
// distance, and a token-set similarity that pairs the tokens of two names one-to-one. Called for every candidate
// pair, so the scratch buffers are module-level and grow on demand instead of being allocated per call.

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

function ensureFlags(la: number, lb: number): void {
  if (flagsA.length < la) flagsA = new Uint8Array(Math.max(la, flagsA.length * 2));
  if (flagsB.length < lb) flagsB = new Uint8Array(Math.max(lb, flagsB.length * 2));
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
}

/**
 * Jaro–Winkler similarity in [0, 1]: the Jaro similarity boosted by `prefixScale` (p, default 0.1, at most 0.25)
 * per leading character in common, up to four. Compares UTF-16 code units, so fold the names first.
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  if (a === b) return 1;
  // Greedy matching depends on which string drives it; a canonical order makes the result symmetric.
  if (a.length > b.length || (a.length === b.length && a > b)) {
    const t = a;
    a = b;
    b = t;
  }
  const la = a.length;
  const lb = b.length;
  if (la === 0) return 0;
  const window = Math.max(0, (lb >> 1) - 1);
  ensureFlags(la, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const from = i > window ? i - window : 0;
    const to = Math.min(i + window + 1, lb);
    for (let j = from; j < to; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - (halfTranspositions >> 1)) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  const p = prefixScale > 0 ? Math.min(prefixScale, 0.25) : 0;
  return jaro + prefix * p * (1 - jaro);
}

let rowPrev2 = new Int32Array(64);
let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of adjacent
 * characters, each substring edited at most once ("ca" → "abc" is 3). With `max`, any distance above it is
 * reported as max + 1, and the computation stops as soon as that is certain.
 */
export function damerauLevenshtein(a: string, b: string, max?: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  const limit = max === undefined || max < 0 || Number.isNaN(max) ? Number.POSITIVE_INFINITY : Math.floor(max);
  if (Math.abs(la - lb) > limit) return limit + 1;
  if (la === 0) return lb > limit ? limit + 1 : lb;
  if (lb === 0) return la > limit ? limit + 1 : la;
  if (rowCur.length < lb + 1) {
    const size = Math.max(lb + 1, rowCur.length * 2);
    rowPrev2 = new Int32Array(size);
    rowPrev = new Int32Array(size);
    rowCur = new Int32Array(size);
  }
  let prev2 = rowPrev2;
  let prev = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = (prev[j - 1] as number) + cost;
      const del = (prev[j] as number) + 1;
      if (del < d) d = del;
      const ins = (cur[j - 1] as number) + 1;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && caPrev === cb) {
        const tr = (prev2[j - 2] as number) + 1;
        if (tr < d) d = tr;
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  const distance = prev[lb] as number;
  return distance > limit ? limit + 1 : distance;
}

// Exact assignment by dynamic programming over subsets of the longer list is cheap for name-sized lists and,
// unlike greedy picking, does not depend on the order of ties, so the result is symmetric.
const EXACT_LIMIT = 10;
let scores = new Float64Array(64);
let best = new Float64Array(1 << 4);

function clampScore(value: number): number {
  return value > 0 ? Math.min(value, 1) : 0;
}

/**
 * Similarity of two token lists in [0, 1]: the best one-to-one pairing of tokens under `compare` (Jaro–Winkler by
 * default), summed and divided by the length of the longer list, so unpaired tokens count as 0. Two empty lists
 * are identical (1); one empty list scores 0.
 */
export function tokenSetSimilarity(
  a: string[],
  b: string[],
  compare: (x: string, y: string) => number = jaroWinkler,
): number {
  const transposed = a.length > b.length;
  const rows = transposed ? b : a;
  const cols = transposed ? a : b;
  const n = rows.length;
  const m = cols.length;
  if (m === 0) return 1;
  if (n === 0) return 0;
  if (scores.length < n * m) scores = new Float64Array(Math.max(n * m, scores.length * 2));
  const s = scores;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const x = rows[i] as string;
      const y = cols[j] as string;
      s[i * m + j] = clampScore(transposed ? compare(y, x) : compare(x, y));
    }
  let total: number;
  if (n === 1) {
    total = 0;
    for (let j = 0; j < m; j++) if ((s[j] as number) > total) total = s[j] as number;
  } else if (m <= EXACT_LIMIT) total = exactAssignment(s, n, m);
  else total = greedyAssignment(s, n, m);
  return clampScore(total / m);
}

function popcount(v: number): number {
  let count = 0;
  while (v !== 0) {
    v &= v - 1;
    count++;
  }
  return count;
}

function exactAssignment(s: Float64Array, n: number, m: number): number {
  const size = 1 << m;
  if (best.length < size) best = new Float64Array(size);
  best.fill(-1, 0, size);
  best[0] = 0;
  let result = 0;
  for (let mask = 0; mask < size; mask++) {
    const current = best[mask] as number;
    if (current < 0) continue;
    const row = popcount(mask);
    if (row === n) {
      if (current > result) result = current;
      continue;
    }
    for (let j = 0; j < m; j++) {
      const bit = 1 << j;
      if ((mask & bit) !== 0) continue;
      const value = current + (s[row * m + j] as number);
      if (value > (best[mask | bit] as number)) best[mask | bit] = value;
    }
  }
  return result;
}

function greedyAssignment(s: Float64Array, n: number, m: number): number {
  const usedRow = new Uint8Array(n);
  const usedCol = new Uint8Array(m);
  let total = 0;
  for (let step = 0; step < n; step++) {
    let bestValue = -1;
    let bestRow = -1;
    let bestCol = -1;
    for (let i = 0; i < n; i++) {
      if (usedRow[i] === 1) continue;
      for (let j = 0; j < m; j++) {
        if (usedCol[j] === 1) continue;
        const value = s[i * m + j] as number;
        if (value > bestValue) {
          bestValue = value;
          bestRow = i;
          bestCol = j;
        }
      }
    }
    if (bestRow < 0) break;
    usedRow[bestRow] = 1;
    usedCol[bestCol] = 1;
    total += bestValue;
  }
  return total;
}
