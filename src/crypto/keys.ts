// The node's Ed25519 identity: generating, storing and loading its key pair, and signing what it sends to peers.

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";

export const PRIVATE_KEY_FILE = "node.key";
export const PUBLIC_KEY_FILE = "node.pub";

export interface NodeKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export class KeyExistsError extends Error {
  override name = "KeyExistsError";
}

export class InsecureKeyFileError extends Error {
  override name = "InsecureKeyFileError";
}

/** The private and public halves on disk (or handed in) do not belong together, or are not Ed25519. */
export class KeyMismatchError extends Error {
  override name = "KeyMismatchError";
}

const ED25519_SIGNATURE_BYTES = 64;

export function generateNodeKeyPair(): NodeKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519", {
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

function rawPublicKey(key: KeyObject): Buffer {
  // The JWK "x" member is exactly the 32-byte Ed25519 public key, without the SPKI wrapper.
  const x = key.export({ format: "jwk" }).x;
  if (typeof x !== "string") throw new KeyMismatchError("public key has no raw Ed25519 value");
  return Buffer.from(x, "base64url");
}

// Parsing both halves before anything touches the disk means a typo'd or swapped PEM fails loudly here,
// not later as signatures that no peer accepts.
function checkPair(pair: NodeKeyPair): void {
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  try {
    privateKey = createPrivateKey(pair.privateKeyPem);
    publicKey = createPublicKey(pair.publicKeyPem);
  } catch (err) {
    throw new KeyMismatchError("node key pair is not valid PEM", { cause: err });
  }
  if (privateKey.asymmetricKeyType !== "ed25519" || publicKey.asymmetricKeyType !== "ed25519") {
    throw new KeyMismatchError("node keys must be Ed25519");
  }
  if (!rawPublicKey(createPublicKey(privateKey)).equals(rawPublicKey(publicKey))) {
    throw new KeyMismatchError("node public key does not belong to the private key");
  }
}

/**
 * Writes node.key (PKCS#8 PEM, 0600) and node.pub (SPKI PEM, 0644) into dir, creating dir as 0700 if needed.
 * Refuses to replace an existing private key: losing the node's identity breaks every federation link.
 */
export async function writeNodeKeyPair(
  dir: string,
  pair: NodeKeyPair,
): Promise<{ privateKeyPath: string; publicKeyPath: string }> {
  checkPair(pair);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privateKeyPath = join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = join(dir, PUBLIC_KEY_FILE);

  // O_EXCL makes "does it exist" and "create it" one step (and refuses a planted symlink); the mode is
  // applied at creation, so the secret is never on disk with wider permissions, not even briefly.
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(privateKeyPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") {
      throw new KeyExistsError(`refusing to overwrite existing node key ${privateKeyPath}`, { cause: err });
    }
    throw err;
  }
  try {
    await handle.writeFile(pair.privateKeyPem, "utf8");
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    // A truncated key left behind would make every retry fail with KeyExistsError.
    await unlink(privateKeyPath).catch(() => {});
    throw err;
  }
  await handle.close();

  // The public half is not secret, and one left from an earlier half-finished run is simply replaced.
  await writeFileWithMode(publicKeyPath, pair.publicKeyPem, 0o644);
  return { privateKeyPath, publicKeyPath };
}

async function writeFileWithMode(path: string, text: string, mode: number): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, mode);
  try {
    await handle.writeFile(text, "utf8");
  } finally {
    await handle.close();
  }
}

/**
 * Reads the pair written by writeNodeKeyPair. On POSIX, refuses a private key that group or others can
 * access at all (the OpenSSH rule): a key that may have been read elsewhere is no longer this node's alone.
 */
export async function loadNodeKeyPair(dir: string): Promise<NodeKeyPair> {
  const privateKeyPath = join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = join(dir, PUBLIC_KEY_FILE);

  // The mode is checked on the open descriptor, so the file checked is the file read.
  const handle = await open(privateKeyPath, constants.O_RDONLY);
  let privateKeyPem: string;
  try {
    if (process.platform !== "win32") {
      const { mode } = await handle.stat();
      if ((mode & 0o077) !== 0) {
        throw new InsecureKeyFileError(
          `node key ${privateKeyPath} has mode ${(mode & 0o777).toString(8).padStart(4, "0")}; run chmod 600 on it`,
        );
      }
    }
    privateKeyPem = await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
  const publicKeyPem = await readFile(publicKeyPath, "utf8");
  const pair = { privateKeyPem, publicKeyPem };
  checkPair(pair);
  return pair;
}

/** Ed25519 signature over data, base64url without padding. */
export function signBytes(privateKeyPem: string, data: Uint8Array): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== "ed25519") throw new KeyMismatchError("signing key must be Ed25519");
  return sign(null, data, key).toString("base64url");
}

/**
 * Checks an Ed25519 signature from signBytes. Every kind of bad input (unparseable key, non-Ed25519 key,
 * malformed signature) is simply "not verified": this runs on data from peers, who must not be able to crash it.
 */
export function verifyBytes(publicKeyPem: string, data: Uint8Array, signature: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== "ed25519") return false;
    const sig = Buffer.from(signature, "base64url");
    // Buffer's decoder skips invalid characters and ignores trailing bits; requiring the canonical spelling
    // means one signature has one string, so a signature string cannot be altered and still verify.
    if (sig.length !== ED25519_SIGNATURE_BYTES || sig.toString("base64url") !== signature) return false;
    return verify(null, data, key, sig);
  } catch {
    return false;
  }
}

/**
 * A short, stable name for a node's public key, for operators to compare out of band:
 * SHA-256 of the raw 32-byte key, first 16 bytes, hex (32 characters).
 */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== "ed25519") throw new KeyMismatchError("fingerprinted key must be Ed25519");
  return createHash("sha256").update(rawPublicKey(key)).digest().subarray(0, 16).toString("hex");
}
