// A node's view of its federation at run time: the manifest in its data directory (read again whenever the file
// changes, so `puente federation revoke` takes effect from the next request), who its partners are, how to sign
// as this node, and the nonces it has already seen.
import { statSync } from "node:fs";
import { join } from "node:path";
import type { NodeKeyPair } from "../crypto/keys.ts";
import type { NodeConfig } from "../node/config.ts";
import { findMember, loadManifest, MANIFEST_FILE, type Manifest, type Member } from "./manifest.ts";
import { type Peers, ReplayCache, type Signer } from "./transport.ts";

export class Federation implements Peers {
  readonly replay = new ReplayCache();
  readonly signer: Signer;
  private cached: { mtimeMs: number; size: number; manifest: Manifest | undefined } | undefined;
  private lookedThisTurn = false;

  constructor(
    private readonly dir: string,
    readonly config: NodeConfig,
    keys: NodeKeyPair,
  ) {
    this.signer = {
      nodeId: config.nodeId,
      privateKeyPem: keys.privateKeyPem,
      manifestVersion: () => this.manifest()?.version ?? 0,
    };
  }

  get nodeId(): string {
    return this.config.nodeId;
  }

  /**
   * The current manifest, or undefined when this node has not joined a federation. The file is looked at once per
   * turn of the event loop (a request asks for it several times: the signer's key, revocation, the member, the
   * version it signs with), so a change another process makes counts from the next turn on.
   */
  manifest(): Manifest | undefined {
    if (this.lookedThisTurn) return this.cached?.manifest;
    let stat: { mtimeMs: number; size: number } | undefined;
    try {
      stat = statSync(join(this.dir, MANIFEST_FILE), { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (!stat) this.cached = undefined;
    else if (this.cached?.mtimeMs !== stat.mtimeMs || this.cached.size !== stat.size)
      this.cached = { mtimeMs: stat.mtimeMs, size: stat.size, manifest: loadManifest(this.dir) };
    this.lookedThisTurn = true;
    setImmediate(() => {
      this.lookedThisTurn = false;
    }).unref();
    return this.cached?.manifest;
  }

  /** The other current members. */
  partners(): Member[] {
    return (this.manifest()?.members ?? []).filter((member) => member.nodeId !== this.nodeId);
  }

  member(nodeId: string): Member | undefined {
    const manifest = this.manifest();
    return manifest ? findMember(manifest, nodeId) : undefined;
  }

  keyOf(nodeId: string): string | undefined {
    if (nodeId === this.nodeId) return undefined;
    return this.member(nodeId)?.publicKey;
  }

  isRevoked(nodeId: string): boolean {
    return this.manifest()?.revoked.some((revocation) => revocation.nodeId === nodeId) ?? false;
  }
}
