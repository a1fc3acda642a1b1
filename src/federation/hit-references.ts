// The opaque references a node hands a partner for its hits: an HMAC of the record and the partner under a key
// only this node has (so partners can neither guess nor link them), remembered so a follow-up can be resolved.
import { createHash, createHmac } from "node:crypto";
import type { HitReferenceRepository } from "../store/hit-reference-repository.ts";

export class HitReferences {
  private readonly key: Buffer;

  constructor(
    private readonly repository: HitReferenceRepository,
    privateKeyPem: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.key = createHash("sha256").update("puente hit references\u0000").update(privateKeyPem).digest();
  }

  /** References for these records as given to `requesterNode`, in order; stored for later resolution. */
  async issue(requesterNode: string, entityIds: string[]): Promise<string[]> {
    const references = entityIds.map((entityId) => ({
      reference: createHmac("sha256", this.key)
        .update(`${requesterNode}\u0000${entityId}`)
        .digest("base64url")
        .slice(0, 24),
      entityId,
      requesterNode,
    }));
    await this.repository.remember(references, this.clock().toISOString());
    return references.map((r) => r.reference);
  }

  resolve(reference: string, requesterNode: string): Promise<string | undefined> {
    return this.repository.resolve(reference, requesterNode);
  }
}
