// The federation manifest: which nodes belong (id, agency, country, endpoint, Ed25519 public key, roles) and which
// were revoked, in numbered versions signed by their members. A node accepts a newer version only when a current
// member issued it, so a stranger cannot write themselves in; it answers only requests from current members.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../crypto/canonical-json.ts";
import { type NodeKeyPair, signBytes, verifyBytes } from "../crypto/keys.ts";
import { isCountryCode } from "../model/countries.ts";
import type { PointOfContact } from "../node/config.ts";

export const MANIFEST_FILE = "federation.json";

export interface Member {
  nodeId: string;
  agency: string;
  country: string;
  /** Base URL of the node's API, e.g. https://puente.fgr.example:7400 */
  endpoint: string;
  /** Ed25519 public key, SPKI PEM. */
  publicKey: string;
  roles: string[];
  pointOfContact?: PointOfContact;
}

export interface Revocation {
  nodeId: string;
  publicKey: string;
  revokedAt: string;
  reason: string;
}

export interface ManifestBody {
  federation: string;
  version: number;
  issuedAt: string;
  issuedBy: string;
  members: Member[];
  revoked: Revocation[];
}

export interface Manifest extends ManifestBody {
  /** Ed25519 signatures over the canonical JSON of the body, by member node id. */
  signatures: Record<string, string>;
}

export class ManifestError extends Error {}

const NODE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/u;

export function manifestBody(manifest: Manifest): ManifestBody {
  const { signatures: _signatures, ...body } = manifest;
  return body;
}

function bodyBytes(manifest: Manifest): Buffer {
  return Buffer.from(canonicalJson(manifestBody(manifest)), "utf8");
}

export function findMember(manifest: Manifest, nodeId: string): Member | undefined {
  return manifest.members.find((member) => member.nodeId === nodeId);
}

/** Checks the shape of a member entry from a file or a peer; names the first wrong field. */
export function validateMember(value: unknown, where: string): Member {
  const fail = (field: string, message: string): never => {
    throw new ManifestError(`${where}: ${field}: ${message}`);
  };
  if (typeof value !== "object" || value === null) return fail("(member)", "must be an object");
  const m = value as Partial<Member>;
  if (typeof m.nodeId !== "string" || !NODE_ID.test(m.nodeId)) fail("nodeId", "lower-case letters, digits and '-'");
  if (typeof m.agency !== "string" || !m.agency.trim()) fail("agency", "required");
  if (typeof m.country !== "string" || !isCountryCode(m.country)) fail("country", "an ISO 3166-1 alpha-2 code");
  if (typeof m.endpoint !== "string" || !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/u.test(m.endpoint))
    fail("endpoint", "an http:// or https:// base URL");
  if (typeof m.publicKey !== "string" || !m.publicKey.includes("BEGIN PUBLIC KEY"))
    fail("publicKey", "an Ed25519 public key in PEM");
  if (!Array.isArray(m.roles) || m.roles.some((role) => typeof role !== "string")) fail("roles", "a list of names");
  return m as Member;
}

/** Parses a manifest and checks its shape and every signature it carries; does not decide whether to trust it. */
export function parseManifest(text: string, where: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${where}: not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null) throw new ManifestError(`${where}: must be a JSON object`);
  const m = value as Partial<Manifest>;
  if (typeof m.federation !== "string" || !m.federation) throw new ManifestError(`${where}: federation: required`);
  if (typeof m.version !== "number" || !Number.isInteger(m.version) || m.version < 1)
    throw new ManifestError(`${where}: version: a positive integer`);
  if (typeof m.issuedBy !== "string") throw new ManifestError(`${where}: issuedBy: required`);
  if (typeof m.issuedAt !== "string") throw new ManifestError(`${where}: issuedAt: required`);
  if (!Array.isArray(m.members)) throw new ManifestError(`${where}: members: a list`);
  m.members.forEach((member, index) => {
    validateMember(member, `${where}: members[${index}]`);
  });
  if (!Array.isArray(m.revoked)) throw new ManifestError(`${where}: revoked: a list`);
  if (typeof m.signatures !== "object" || m.signatures === null)
    throw new ManifestError(`${where}: signatures: an object`);
  const manifest = m as Manifest;
  const bytes = bodyBytes(manifest);
  for (const [nodeId, signature] of Object.entries(manifest.signatures)) {
    const member = findMember(manifest, nodeId);
    if (!member || !verifyBytes(member.publicKey, bytes, signature))
      throw new ManifestError(`${where}: signatures.${nodeId}: does not verify against that member's key`);
  }
  if (!manifest.signatures[manifest.issuedBy])
    throw new ManifestError(`${where}: issuedBy: ${manifest.issuedBy} did not sign this version`);
  return manifest;
}

/**
 * Whether `next` may replace `current`: same federation, a higher version, issued by a node that is a member of
 * `current` with the same key. Throws with the reason when not.
 */
export function checkSuccession(current: Manifest, next: Manifest): void {
  if (next.federation !== current.federation)
    throw new ManifestError(`manifest is for federation "${next.federation}", not "${current.federation}"`);
  if (next.version <= current.version)
    throw new ManifestError(`manifest version ${next.version} is not newer than ${current.version}`);
  const issuer = findMember(current, next.issuedBy);
  const issuerNow = findMember(next, next.issuedBy);
  if (!issuer || issuer.publicKey !== issuerNow?.publicKey)
    throw new ManifestError(`manifest issued by ${next.issuedBy}, who is not a member of version ${current.version}`);
}

function signed(body: ManifestBody, keys: NodeKeyPair, keep: Record<string, string> = {}): Manifest {
  const manifest: Manifest = { ...body, signatures: {} };
  const signature = signBytes(keys.privateKeyPem, bodyBytes(manifest));
  return { ...manifest, signatures: { ...keep, [body.issuedBy]: signature } };
}

export function createManifest(federation: string, founder: Member, keys: NodeKeyPair, now: Date): Manifest {
  return signed(
    {
      federation,
      version: 1,
      issuedAt: now.toISOString(),
      issuedBy: founder.nodeId,
      members: [founder],
      revoked: [],
    },
    keys,
  );
}

export function addMember(manifest: Manifest, member: Member, issuer: string, keys: NodeKeyPair, now: Date): Manifest {
  if (findMember(manifest, member.nodeId)) throw new ManifestError(`${member.nodeId} is already a member`);
  if (manifest.revoked.some((revocation) => revocation.nodeId === member.nodeId))
    throw new ManifestError(`${member.nodeId} was revoked; a node returns under a new id and key`);
  return signed(
    {
      ...manifestBody(manifest),
      version: manifest.version + 1,
      issuedAt: now.toISOString(),
      issuedBy: issuer,
      members: [...manifest.members, member],
    },
    keys,
  );
}

export function revokeMember(
  manifest: Manifest,
  nodeId: string,
  reason: string,
  issuer: string,
  keys: NodeKeyPair,
  now: Date,
): Manifest {
  const member = findMember(manifest, nodeId);
  if (!member) throw new ManifestError(`${nodeId} is not a member`);
  if (nodeId === issuer) throw new ManifestError("a node cannot revoke itself; another member must");
  return signed(
    {
      ...manifestBody(manifest),
      version: manifest.version + 1,
      issuedAt: now.toISOString(),
      issuedBy: issuer,
      members: manifest.members.filter((m) => m.nodeId !== nodeId),
      revoked: [...manifest.revoked, { nodeId, publicKey: member.publicKey, revokedAt: now.toISOString(), reason }],
    },
    keys,
  );
}

/** Adds this node's signature to a version it agrees with (joining, or acknowledging a change). */
export function countersign(manifest: Manifest, nodeId: string, keys: NodeKeyPair): Manifest {
  const member = findMember(manifest, nodeId);
  if (!member) throw new ManifestError(`${nodeId} is not a member of this manifest`);
  if (member.publicKey.trim() !== keys.publicKeyPem.trim())
    throw new ManifestError(`the manifest lists another public key for ${nodeId} than this node's`);
  const signature = signBytes(keys.privateKeyPem, bodyBytes(manifest));
  return { ...manifest, signatures: { ...manifest.signatures, [nodeId]: signature } };
}

export function loadManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  return parseManifest(readFileSync(path, "utf8"), path);
}

/** Writes atomically (a temporary file renamed over the old one), so a running node never reads half a file. */
export function saveManifest(dir: string, manifest: Manifest): void {
  const path = join(dir, MANIFEST_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temporary, path);
}
