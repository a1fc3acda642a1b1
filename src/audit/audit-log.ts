// The node's tamper-evident audit log: every entry is a leaf of an RFC 9162 Merkle tree over the canonical JSON of
// its position, time, kind, actor and details; the node signs tree heads (size, root, time) with its Ed25519 key.
// `verify` recomputes every leaf and every signed head and names the first entry that no longer fits, so history
// rewritten in the database, even with its hashes recomputed, is caught against heads signed before.
import { canonicalJson } from "../crypto/canonical-json.ts";
import { signCompact, verifyCompact } from "../crypto/jws.ts";
import type { AuditEntry, AuditRepository } from "../store/audit-repository.ts";
import { consistencyProof, inclusionProof, leafHash, rootHash } from "./merkle.ts";

const HEAD_TYPE = "puente-tree-head+jws";
const PAGE = 5000;

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

function entryLeaf(entry: Omit<AuditEntry, "leaf_hash">): Buffer {
  const { seq, at, kind, actor, details } = entry;
  return leafHash(canonicalJson({ seq, at, kind, actor, details: JSON.parse(details) }));
}

export class AuditLog {
  /** Appends run one after another, so positions are dense and in order. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repository: AuditRepository,
    private readonly node: { nodeId: string; privateKeyPem: string; publicKeyPem: string },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Records an event; resolves with its position in the log. */
  append(event: AuditEvent): Promise<number> {
    const next = this.tail.then(async () => {
      const seq = await this.repository.size();
      const entry = {
        seq,
        at: this.clock().toISOString(),
        kind: event.kind,
        actor: event.actor,
        details: canonicalJson(event.details),
      };
      await this.repository.append({ ...entry, leaf_hash: entryLeaf(entry).toString("hex") });
      return seq;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async leaves(): Promise<Buffer[]> {
    const leaves: Buffer[] = [];
    for (let from = 0; ; from += PAGE) {
      const page = await this.repository.entries(from, PAGE);
      for (const entry of page) leaves.push(Buffer.from(entry.leaf_hash, "hex"));
      if (page.length < PAGE) return leaves;
    }
  }

  /** Entries in the log now. */
  async size(): Promise<number> {
    await this.tail;
    return this.repository.size();
  }

  /** Signs and keeps the head of the log as it is now. */
  async signHead(): Promise<{ head: TreeHead; signed: string }> {
    await this.tail;
    const leaves = await this.leaves();
    const head: TreeHead = {
      node: this.node.nodeId,
      size: leaves.length,
      rootHash: rootHash(leaves).toString("hex"),
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

  /** The proof that entry `seq` is in the tree of `size` entries. */
  async inclusion(seq: number, size: number): Promise<string[]> {
    return inclusionProof(await this.leaves(), seq, size).map((hash) => hash.toString("hex"));
  }

  /** The proof that the log of `older` entries is a prefix of the log of `newer` entries. */
  async consistency(older: number, newer: number): Promise<string[]> {
    return consistencyProof(await this.leaves(), older, newer).map((hash) => hash.toString("hex"));
  }

  /** Checks every entry against its hash and every signed head against the entries it covers. */
  async verify(): Promise<VerifyReport> {
    await this.tail;
    const recomputed: Buffer[] = [];
    for (let from = 0; ; from += PAGE) {
      const page = await this.repository.entries(from, PAGE);
      for (const entry of page) {
        if (entry.seq !== recomputed.length)
          return {
            entries: recomputed.length,
            heads: 0,
            firstBadEntry: recomputed.length,
            problem: "an entry is missing",
          };
        let leaf: Buffer;
        try {
          leaf = entryLeaf(entry);
        } catch {
          return {
            entries: recomputed.length,
            heads: 0,
            firstBadEntry: entry.seq,
            problem: "the entry is not valid JSON",
          };
        }
        if (leaf.toString("hex") !== entry.leaf_hash)
          return {
            entries: recomputed.length,
            heads: 0,
            firstBadEntry: entry.seq,
            problem: "the entry does not match its hash",
          };
        recomputed.push(leaf);
      }
      if (page.length < PAGE) break;
    }
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
          entries: recomputed.length,
          heads: index,
          problem: `the tree head of size ${stored.size} is not validly signed`,
        };
      }
      if (head.size > recomputed.length)
        return {
          entries: recomputed.length,
          heads: index,
          firstBadEntry: recomputed.length,
          problem: `entries are missing: a signed head covers ${head.size}`,
        };
      if (rootHash(recomputed.slice(0, head.size)).toString("hex") !== head.rootHash) {
        // The first entry at which the log departs from what was signed: the smallest size whose root differs.
        const previous = heads[index - 1]?.size ?? 0;
        return {
          entries: recomputed.length,
          heads: index,
          firstBadEntry: previous,
          problem: `history was rewritten: entries ${previous}–${head.size - 1} no longer give the head signed at ${head.at}`,
        };
      }
    }
    return { entries: recomputed.length, heads: heads.length };
  }
}
