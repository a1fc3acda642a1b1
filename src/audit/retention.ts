// Audit retention: past the node's retention (at least a year) an entry loses its kind, actor and details but keeps
// its position, time and leaf hash, so the Merkle tree, every signed head and every proof stay as they were. A prune
// is itself logged before it runs, and `verify` checks that pruned entries run from the start of the log, that a
// logged prune covers them, and that none was younger than the minimum retention when it was pruned.
import { type AuditEntry, PRUNED_KIND } from "../store/audit-repository.ts";

export const MIN_RETENTION_DAYS = 365;
export const PRUNE_KIND = "audit.prune";
export const DAY_MS = 86_400_000;

/** What one prune did: the entries recorded before `before`, through position `through`, lost their details. */
export interface PruneReport {
  retentionDays: number;
  before: string;
  through: number;
  /** Entries that lost their details in this prune (0: nothing was old enough, and nothing was logged). */
  entries: number;
}

export interface PruningProblem {
  firstBadEntry: number;
  problem: string;
}

/** Sees every entry of the log in order, then says whether its pruned entries were pruned as a logged prune allows. */
export class PruningCheck {
  private pruned = 0;
  /** The logged prune that reaches furthest. */
  private widest: { through: number; before: string } | undefined;

  /** An entry whose hash already checked out (or that was pruned, so there is nothing to check it against). */
  see(entry: AuditEntry): PruningProblem | undefined {
    if (entry.kind === PRUNED_KIND) {
      if (entry.seq !== this.pruned)
        return { firstBadEntry: entry.seq, problem: "the entry lost its details though an entry before it kept them" };
      this.pruned++;
    } else if (entry.kind === PRUNE_KIND) {
      const { through, before } = JSON.parse(entry.details) as Partial<PruneReport>;
      if (typeof through !== "number" || typeof before !== "string")
        return { firstBadEntry: entry.seq, problem: "the prune does not say what it pruned" };
      const latestAllowed = new Date(Date.parse(entry.at) - MIN_RETENTION_DAYS * DAY_MS).toISOString();
      if (before > latestAllowed)
        return {
          firstBadEntry: entry.seq,
          problem: `the prune kept entries less than the minimum retention of ${MIN_RETENTION_DAYS} days`,
        };
      if (through > (this.widest?.through ?? -1)) this.widest = { through, before };
    }
    return undefined;
  }

  /** After the last entry; `firstAtOrAfter` finds the first entry of the log recorded at or after a time. */
  async finish(firstAtOrAfter: (at: string) => Promise<number | undefined>): Promise<PruningProblem | undefined> {
    if (this.pruned === 0) return undefined;
    const widest = this.widest;
    if (!widest || widest.through < this.pruned - 1)
      return {
        firstBadEntry: widest ? widest.through + 1 : 0,
        problem: "entries lost their details but no prune in the log covers them",
      };
    // Prunes only ever reach further back in time than the widest one; every pruned entry must be older than it.
    const young = await firstAtOrAfter(widest.before);
    if (young !== undefined && young < this.pruned)
      return { firstBadEntry: young, problem: "the entry lost its details before its retention ran out" };
    return undefined;
  }
}
