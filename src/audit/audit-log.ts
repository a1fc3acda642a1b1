// The node's tamper-evident audit log: every entry is a leaf of an RFC 9162 Merkle tree over the canonical JSON of
// its position, time, kind, actor and details; the node signs tree heads (size, root, time) with its Ed25519 key.
// `verify` recomputes every leaf and every signed head and names the first entry that no longer fits, so history
// rewritten in the database, even with its hashes recomputed, is caught against heads signed before. Events
// appended in one turn of the event loop share one transaction, and an event appended inside a transaction scope
// (a request that changes records) joins that transaction; entries past the retention keep only their place in the
// tree (retention.ts).
import { canonicalJson } from "../crypto/canonical-json.ts";
import { signCompact, verifyCompact } from "../crypto/jws.ts";
import { type AuditEntry, type AuditRepository, PRUNED_KIND } from "../store/audit-repository.ts";
import type { TransactionScopes } from "../store/transaction-scope.ts";
import { leafHashHex, MerkleTree } from "./merkle.ts";
import { DAY_MS, MIN_RETENTION_DAYS, PRUNE_KIND, type PruneReport, PruningCheck } from "./retention.ts";

const HEAD_TYPE = "puente-tree-head+jws";
const PAGE = 5000;
/**
 * Leaves a head re-reads besides the new ones: the whole log while it is no larger, a rolling window of it after
 * (a log of ten million leaves is re-read every fifty heads, some eight hours at a head every ten minutes).
 */
const RECHECK_PER_HEAD = 200_000;

export interface AuditEvent {
  kind: string;
  actor: string;
  details: Record<string, unknown>;
}

export interface TreeHead {
  node: string;
  size: number;
  rootHash: string;
  at: string;
}

export interface VerifyReport {
  entries: number;
  heads: number;
  /** The first entry whose stored hash does not match its content, or that a signed head no longer covers. */
  firstBadEntry?: number;
  problem?: string;
}

/** An event waiting for the transaction that appends it. */
interface QueuedEvent {
  kind: string;
  actor: string;
  /** Canonical JSON. */
  details: string;
  resolve(seq: number): void;
  reject(error: unknown): void;
}

/**
 * The canonical JSON (RFC 8785) of an entry, written out with its keys in sorted order around details that are
 * canonical already: the same bytes as canonicalJson of the parsed entry, without parsing and re-serialising.
 */
function entryJson(entry: Omit<AuditEntry, "leaf_hash">): string {
  const { seq, at, kind, actor, details } = entry;
  return `{"actor":${JSON.stringify(actor)},"at":${JSON.stringify(at)},"details":${details},"kind":${JSON.stringify(kind)},"seq":${seq}}`;
}

/** Why an entry (with its details) does not fit its leaf hash, if it does not. */
function entryProblem(entry: AuditEntry): string | undefined {
  if (leafHashHex(entryJson(entry)) === entry.leaf_hash) return undefined;
  try {
    JSON.parse(entry.details);
  } catch {
    return "the entry is not valid JSON";
  }
  return "the entry does not match its hash";
}

/** A pruned entry has only its leaf hash, which only the signed heads can check; it must at least be one. */
function prunedEntryProblem(entry: AuditEntry): string | undefined {
  return /^[0-9a-f]{64}$/u.test(entry.leaf_hash) ? undefined : "the pruned entry's leaf hash is not a hash";
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AuditLog {
  /** Commits run one after another, so positions are dense and in order. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Events appended since the last commit began; the next commit writes them all in one transaction. */
  private queue: QueuedEvent[] = [];
  /** The tree of the leaves this process has read or appended: read on the first head or proof, then kept. */
  private tree: MerkleTree | undefined;
  /** Where the next head's re-reading of the kept leaves starts. */
  private recheckFrom = 0;

  constructor(
    private readonly repository: AuditRepository,
    private readonly node: { nodeId: string; privateKeyPem: string; publicKeyPem: string },
    private readonly clock: () => Date = () => new Date(),
    /** The database's transaction scopes: an event appended inside one is written in its transaction. */
    private readonly transactions?: TransactionScopes,
    /** Kept leaves a head re-reads from the database besides the new ones (see signHead). */
    private readonly recheckPerHead = RECHECK_PER_HEAD,
  ) {}

  /**
   * Records an event; resolves with its position in the log once it is committed. Events appended in the same turn
   * of the event loop (and while a commit runs) are committed together, so a busy node writes one transaction for
   * many events. Inside a transaction scope the event is written in the scope's transaction instead, and stands or
   * falls with what the scope wrote.
   */
  append(event: AuditEvent): Promise<number> {
    if (event.kind === PRUNED_KIND)
      return Promise.reject(new RangeError(`"${PRUNED_KIND}" marks entries past their retention; it is no event`));
    let details: string;
    try {
      details = canonicalJson(event.details);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.transactions?.current()) return this.appendInScope({ kind: event.kind, actor: event.actor, details });
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) this.tail = this.tail.then(nextTurn).then(() => this.commitQueued());
      this.queue.push({ kind: event.kind, actor: event.actor, details, resolve, reject });
    });
  }

  /** Writes entries at the end of the log; `details` are canonical JSON already. */
  private appendEntries(events: ReadonlyArray<Pick<AuditEntry, "kind" | "actor" | "details">>): Promise<AuditEntry[]> {
    const at = this.clock().toISOString();
    return this.repository.appendAtEnd((size) =>
      events.map(({ kind, actor, details }, index) => {
        const entry = { seq: size + index, at, kind, actor, details };
        return { ...entry, leaf_hash: leafHashHex(entryJson(entry)) };
      }),
    );
  }

  /** An event written in the caller's transaction scope; the kept tree learns of it once the scope commits. */
  private async appendInScope(event: Pick<AuditEntry, "kind" | "actor" | "details">): Promise<number> {
    const entries = await this.appendEntries([event]);
    await this.transactions?.afterCommit(async () => this.grow(entries));
    return (entries[0] as AuditEntry).seq;
  }

  private async commitQueued(): Promise<void> {
    const batch = this.queue.splice(0);
    try {
      const entries = await this.appendEntries(batch);
      this.grow(entries);
      for (const [index, entry] of entries.entries()) batch[index]?.resolve(entry.seq);
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    }
  }

  /** Adds the leaves that continue the kept tree; others (after a gap another process filled) are read later. */
  private grow(entries: ReadonlyArray<Pick<AuditEntry, "seq" | "leaf_hash">>): void {
    const tree = this.tree;
    if (!tree) return;
    for (const entry of entries) if (entry.seq === tree.size) tree.appendHex(entry.leaf_hash);
  }

  /**
   * The kept tree, grown from the database to at least `size` leaves where the database has them; `reread` builds it
   * afresh from the database.
   */
  private async treeOf(size: number, reread = false): Promise<MerkleTree> {
    if (reread || !this.tree) this.tree = new MerkleTree();
    const tree = this.tree;
    while (tree.size < size) {
      const before = tree.size;
      this.grow(await this.repository.leafHashes(tree.size, PAGE));
      // A missing entry stops the tree there; `verify` names it.
      if (tree.size === before) break;
    }
    return tree;
  }

  /** Entries in the log now. */
  async size(): Promise<number> {
    await this.tail;
    return this.repository.size();
  }

  /**
   * Signs and keeps the head of the log as the database holds it now: the kept tree grown by the new leaves, after
   * re-reading kept leaves from the database (all of them while the log is small, a rolling window after). A leaf
   * that reads differently makes the tree be built afresh from the database: history rewritten under a running node
   * goes into a head, where witnesses that kept an earlier one catch it.
   */
  async signHead(): Promise<{ head: TreeHead; signed: string }> {
    await this.tail;
    const tree = await this.checkedTree(await this.repository.size());
    const head: TreeHead = {
      node: this.node.nodeId,
      size: tree.size,
      rootHash: tree.root().toString("hex"),
      at: this.clock().toISOString(),
    };
    const signed = signCompact(
      { alg: "EdDSA", typ: HEAD_TYPE, kid: this.node.nodeId },
      canonicalJson(head),
      this.node.privateKeyPem,
    );
    await this.repository.addHead({ size: head.size, root_hash: head.rootHash, signed_head: signed, at: head.at });
    return { head, signed };
  }

  /** The kept tree grown to `size`, after re-reading part of what it holds (see signHead). */
  private async checkedTree(size: number): Promise<MerkleTree> {
    const kept = this.tree;
    if (!kept || kept.size <= this.recheckPerHead) return this.treeOf(size, true);
    const from = this.recheckFrom < kept.size ? this.recheckFrom : 0;
    const to = Math.min(kept.size, from + this.recheckPerHead);
    for (let seq = from; seq < to; seq += PAGE) {
      const wanted = Math.min(PAGE, to - seq);
      const rows = await this.repository.leafHashes(seq, wanted);
      const differs = (row: (typeof rows)[number], index: number) =>
        row.seq !== seq + index || kept.leafHex(row.seq) !== row.leaf_hash;
      if (rows.length < wanted || rows.some(differs)) return this.treeOf(size, true);
    }
    this.recheckFrom = to;
    return this.treeOf(size);
  }

  /** The proof that entry `seq` is in the tree of `size` entries. */
  async inclusion(seq: number, size: number): Promise<string[]> {
    return (await this.treeOf(size)).inclusionProof(seq, size).map((hash) => hash.toString("hex"));
  }

  /** The proof that the log of `older` entries is a prefix of the log of `newer` entries. */
  async consistency(older: number, newer: number): Promise<string[]> {
    return (await this.treeOf(newer)).consistencyProof(older, newer).map((hash) => hash.toString("hex"));
  }

  /**
   * Drops the kind, actor and details of the entries recorded more than `retentionDays` ago, from the start of the
   * log up to the first younger one; their positions, times and leaf hashes stay, so heads and proofs hold. The
   * prune is logged before it runs; when nothing is old enough nothing is logged.
   */
  async prune(retentionDays: number, actor: string): Promise<PruneReport> {
    if (!(retentionDays >= MIN_RETENTION_DAYS))
      throw new RangeError(`audit entries are kept at least ${MIN_RETENTION_DAYS} days, not ${retentionDays}`);
    const size = await this.size();
    const before = new Date(this.clock().getTime() - retentionDays * DAY_MS).toISOString();
    const through = Math.min((await this.repository.firstAtOrAfter(before)) ?? size, size) - 1;
    const report: PruneReport = {
      retentionDays,
      before,
      through,
      entries: await this.repository.countWithDetails(through),
    };
    if (report.entries === 0) return report;
    await this.append({ kind: PRUNE_KIND, actor, details: { ...report } });
    await this.repository.dropDetails(through);
    return report;
  }

  /**
   * Checks every entry against its hash (a pruned one has only its hash), that pruned entries were pruned as a
   * logged prune allows, and every signed head against the entries it covers.
   */
  async verify(): Promise<VerifyReport> {
    await this.tail;
    const tree = new MerkleTree();
    const pruning = new PruningCheck();
    const bad = (firstBadEntry: number, problem: string): VerifyReport => ({
      entries: tree.size,
      heads: 0,
      firstBadEntry,
      problem,
    });
    for (let from = 0; ; from += PAGE) {
      const page = await this.repository.entries(from, PAGE);
      for (const entry of page) {
        if (entry.seq !== tree.size) return bad(tree.size, "an entry is missing");
        const problem = entry.kind === PRUNED_KIND ? prunedEntryProblem(entry) : entryProblem(entry);
        if (problem) return bad(entry.seq, problem);
        const pruningProblem = pruning.see(entry);
        if (pruningProblem) return bad(pruningProblem.firstBadEntry, pruningProblem.problem);
        tree.appendHex(entry.leaf_hash);
      }
      if (page.length < PAGE) break;
    }
    const pruningProblem = await pruning.finish((at) => this.repository.firstAtOrAfter(at));
    if (pruningProblem) return bad(pruningProblem.firstBadEntry, pruningProblem.problem);
    const heads = await this.repository.heads();
    for (const [index, stored] of heads.entries()) {
      let head: TreeHead;
      try {
        const { payload } = verifyCompact(stored.signed_head, (header) => {
          if (header.typ !== HEAD_TYPE || header.kid !== this.node.nodeId) throw new Error("not this node's tree head");
          return this.node.publicKeyPem;
        });
        head = JSON.parse(payload.toString("utf8")) as TreeHead;
      } catch {
        return {
          entries: tree.size,
          heads: index,
          problem: `the tree head of size ${stored.size} is not validly signed`,
        };
      }
      if (head.size > tree.size)
        return {
          entries: tree.size,
          heads: index,
          firstBadEntry: tree.size,
          problem: `entries are missing: a signed head covers ${head.size}`,
        };
      if (tree.root(head.size).toString("hex") !== head.rootHash) {
        // The first entry at which the log departs from what was signed: the smallest size whose root differs.
        const previous = heads[index - 1]?.size ?? 0;
        return {
          entries: tree.size,
          heads: index,
          firstBadEntry: previous,
          problem: `history was rewritten: entries ${previous}–${head.size - 1} no longer give the head signed at ${head.at}`,
        };
      }
    }
    return { entries: tree.size, heads: heads.length };
  }
}
