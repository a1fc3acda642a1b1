// Witnessing: each node sends the signed heads of its audit log to its partners, which keep them. A partner that
// receives a head larger than the last it kept asks the sender for a consistency proof and checks that the new
// log extends the old one; a smaller head, two heads of one size, or a proof that fails raise an alarm, kept with
// the signed heads as evidence and written to the witness's own audit log. A node that rewrites its history is
// thereby caught by every partner that witnessed a head from before.
import { randomUUID } from "node:crypto";
import type { AuditLog, TreeHead } from "../audit/audit-log.ts";
import { verifyConsistency } from "../audit/merkle.ts";
import { verifyCompact } from "../crypto/jws.ts";
import type { AuditRepository } from "../store/audit-repository.ts";
import { callPartner } from "./client.ts";
import type { Federation } from "./federation.ts";
import type { Member } from "./manifest.ts";
import { SignatureRefusedError } from "./transport.ts";

export const HEADS_PATH = "/federation/v1/audit/heads";
export const CONSISTENCY_PATH = "/federation/v1/audit/consistency";
const HEAD_TYPE = "puente-tree-head+jws";
const DEADLINE_MS = 5000;

export type WitnessOutcome = { witnessed: number } | { alarm: string };

export class Witness {
  constructor(
    private readonly federation: Federation,
    private readonly audit: AuditLog,
    private readonly repository: AuditRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Signs the log's head and sends it to every partner; returns each partner's answer. */
  async publish(): Promise<Array<{ nodeId: string; status: string; outcome?: WitnessOutcome }>> {
    const { signed } = await this.audit.signHead();
    return Promise.all(
      this.federation.partners().map(async (partner) => {
        const answer = await callPartner<WitnessOutcome>(
          this.federation,
          partner,
          HEADS_PATH,
          { signedHead: signed },
          DEADLINE_MS,
          this.clock,
        );
        return answer.status === "ok"
          ? { nodeId: partner.nodeId, status: "ok", outcome: answer.body }
          : { nodeId: partner.nodeId, status: answer.status };
      }),
    );
  }

  /** A partner's new head: kept if it extends what this node witnessed before, else an alarm. */
  async receiveHead(peer: Member, body: { signedHead: string }): Promise<WitnessOutcome> {
    let head: TreeHead;
    try {
      const { payload } = verifyCompact(body.signedHead, (header) => {
        if (header.typ !== HEAD_TYPE || header.kid !== peer.nodeId) throw new Error("not the sender's tree head");
        return peer.publicKey;
      });
      head = JSON.parse(payload.toString("utf8")) as TreeHead;
    } catch {
      throw new SignatureRefusedError("bad-signature", "the tree head is not signed by its sender");
    }
    if (head.node !== peer.nodeId) throw new SignatureRefusedError("wrong-request", "a head of another node");
    const previous = await this.repository.latestWitnessed(peer.nodeId);
    const keep = () =>
      this.repository.addWitnessed({
        node: peer.nodeId,
        size: head.size,
        root_hash: head.rootHash,
        signed_head: body.signedHead,
        received_at: this.clock().toISOString(),
      });
    if (!previous || (previous.size === head.size && previous.root_hash === head.rootHash)) {
      await keep();
      return { witnessed: head.size };
    }
    let problem: string | undefined;
    if (head.size < previous.size) problem = `the log shrank from ${previous.size} to ${head.size} entries`;
    else if (head.size === previous.size) problem = `two different heads of ${head.size} entries`;
    else {
      const answer = await callPartner<{ proof?: unknown }>(
        this.federation,
        peer,
        CONSISTENCY_PATH,
        { from: previous.size, to: head.size },
        DEADLINE_MS,
        this.clock,
      );
      const proof = answer.status === "ok" && Array.isArray(answer.body.proof) ? answer.body.proof : undefined;
      const consistent =
        proof?.every((hash) => typeof hash === "string") &&
        verifyConsistency(
          previous.size,
          head.size,
          (proof as string[]).map((hash) => Buffer.from(hash, "hex")),
          Buffer.from(previous.root_hash, "hex"),
          Buffer.from(head.rootHash, "hex"),
        );
      if (!consistent)
        problem = `the log of ${head.size} entries does not extend the one of ${previous.size} witnessed before`;
    }
    if (problem) {
      await this.repository.addAlarm({
        id: randomUUID(),
        node: peer.nodeId,
        problem,
        evidence: JSON.stringify({ witnessed: previous.signed_head, received: body.signedHead }),
        raised_at: this.clock().toISOString(),
      });
      await this.audit.append({
        kind: "audit.witness-alarm",
        actor: "system",
        details: { node: peer.nodeId, problem },
      });
      return { alarm: problem };
    }
    await keep();
    return { witnessed: head.size };
  }

  /** The proof a witness asks for: the log of `from` entries is a prefix of the log of `to`. */
  async consistency(body: { from: number; to: number }): Promise<{ proof: string[] }> {
    return { proof: await this.audit.consistency(body.from, body.to) };
  }
}
