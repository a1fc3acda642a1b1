// Membership operations on a node's data directory, for `puente federation …` and the demo: invite a node (the
// federation is founded by the first invitation), join with a manifest received out of band, revoke a node,
// and describe the manifest. Each writes the node's federation.json, which a running node reads again at once.
import { join } from "node:path";
import { loadNodeKeyPair, publicKeyFingerprint } from "../crypto/keys.ts";
import { KEYS_DIR, loadConfig, type NodeConfig, nodeEndpoint } from "../node/config.ts";
import {
  addMember,
  checkSuccession,
  countersign,
  createManifest,
  findMember,
  loadManifest,
  type Manifest,
  ManifestError,
  type Member,
  revokeMember,
  saveManifest,
} from "./manifest.ts";

export const DEFAULT_FEDERATION = "puente";

export function selfMember(config: NodeConfig, publicKeyPem: string): Member {
  return {
    nodeId: config.nodeId,
    agency: config.agency,
    country: config.country,
    endpoint: nodeEndpoint(config),
    publicKey: publicKeyPem,
    roles: ["member"],
    pointOfContact: config.pointOfContact,
  };
}

async function nodeIdentity(dir: string) {
  const { dir: absolute, config } = loadConfig(dir);
  const keys = await loadNodeKeyPair(join(absolute, KEYS_DIR));
  return { dir: absolute, config, keys };
}

/** Adds `member` to this node's federation, founding it (named `federation`) if the node has none yet. */
export async function inviteMember(
  dir: string,
  member: Member,
  options: { federation?: string; now?: Date } = {},
): Promise<Manifest> {
  const node = await nodeIdentity(dir);
  const now = options.now ?? new Date();
  const current =
    loadManifest(node.dir) ??
    createManifest(
      options.federation ?? DEFAULT_FEDERATION,
      selfMember(node.config, node.keys.publicKeyPem),
      node.keys,
      now,
    );
  const next = addMember(current, member, node.config.nodeId, node.keys, now);
  saveManifest(node.dir, next);
  return next;
}

/** Takes a manifest that lists this node (from an invitation), checks it, countersigns it and keeps it. */
export async function joinFederation(dir: string, manifest: Manifest): Promise<Manifest> {
  const node = await nodeIdentity(dir);
  const current = loadManifest(node.dir);
  if (current) checkSuccession(current, manifest);
  if (!findMember(manifest, node.config.nodeId))
    throw new ManifestError(`the manifest does not list this node (${node.config.nodeId})`);
  const signed = countersign(manifest, node.config.nodeId, node.keys);
  saveManifest(node.dir, signed);
  return signed;
}

export async function revokeFromFederation(dir: string, nodeId: string, reason: string, now = new Date()) {
  const node = await nodeIdentity(dir);
  const current = loadManifest(node.dir);
  if (!current) throw new ManifestError(`${node.dir} has no federation manifest`);
  const next = revokeMember(current, nodeId, reason, node.config.nodeId, node.keys, now);
  saveManifest(node.dir, next);
  return next;
}

export function describeManifest(manifest: Manifest): string {
  const lines = [
    `federation ${manifest.federation}, version ${manifest.version}, issued by ${manifest.issuedBy} at ${manifest.issuedAt}`,
    "members:",
    ...manifest.members.map(
      (m) =>
        `  ${m.nodeId.padEnd(12)} ${m.country}  ${m.agency}  ${m.endpoint}  key ${publicKeyFingerprint(m.publicKey)}${manifest.signatures[m.nodeId] ? "  (signed)" : ""}`,
    ),
  ];
  if (manifest.revoked.length > 0)
    lines.push("revoked:", ...manifest.revoked.map((r) => `  ${r.nodeId.padEnd(12)} ${r.revokedAt}  ${r.reason}`));
  return lines.join("\n");
}
