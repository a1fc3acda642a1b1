// Precision, recall and F1 of predicted links against known true pairs, and the share of true pairs that blocking
// keeps. Pairs are unordered in deduplication and (left, right) in linkage.

export interface PairScores {
  truePairs: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

export function pairKey(a: string, b: string, ordered: boolean): string {
  return ordered || a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export function scorePairs(
  predicted: Iterable<[string, string]>,
  truth: Iterable<[string, string]>,
  ordered: boolean,
): PairScores {
  const trueKeys = new Set<string>();
  for (const [a, b] of truth) trueKeys.add(pairKey(a, b, ordered));
  const predictedKeys = new Set<string>();
  for (const [a, b] of predicted) predictedKeys.add(pairKey(a, b, ordered));
  let correct = 0;
  for (const key of predictedKeys) if (trueKeys.has(key)) correct++;
  const precision = predictedKeys.size === 0 ? 1 : correct / predictedKeys.size;
  const recall = trueKeys.size === 0 ? 1 : correct / trueKeys.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs: trueKeys.size, predicted: predictedKeys.size, correct, precision, recall, f1 };
}
