// What the benchmarks measure with: percentiles and medians of timings, garbage collection between phases (the
// benches run with --expose-gc; without it collection is left to V8) and resident memory once collected.

/** The value at fraction `p` (0.5 for the median, 0.99 for p99) of ascending `sorted`; NaN when there is none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** The value at fraction `p` of values in any order (they are left as they are). */
export function percentileOf(values: readonly number[], p: number): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    p,
  );
}

export const median = (values: readonly number[]) => percentileOf(values, 0.5);

/** Collects garbage, so a measured phase does not pay for what an earlier one left. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Resident memory once garbage is collected: what is kept, rather than when V8 last collected. */
export function settledRss(): number {
  collectGarbage();
  return process.memoryUsage().rss;
}
