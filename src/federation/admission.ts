// Admission of federated searches: at most `concurrency` are worked on at once and the others wait their turn in
// the order they came. Every search fans out to all partners, so this bounds the work a flood of searches can put
// on this node and on them. Past `maxWaiting` a search is refused at once (BusyError) rather than queued without
// end.
export class BusyError extends Error {}

export class Admission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting = concurrency * 64,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be at least 1");
  }

  /**
   * Runs `work` once admitted; the next waiting work is admitted when it settles, whether it succeeds or not.
   * Throws BusyError, without running it, when `maxWaiting` are already waiting.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new BusyError("too many searches are waiting; try again");
      await new Promise<void>((admit) => this.waiting.push(admit));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Searches waiting to be admitted. */
  get queued(): number {
    return this.waiting.length;
  }
}
