// Compact JWS (RFC 7515) with EdDSA (RFC 8037) over node:crypto's synchronous Ed25519. The tokens are ordinary
// JWS that any library verifies (the tests check jose does); they are made here rather than with jose because
// jose works through WebCrypto's asynchronous job queue, which the federated-search benchmark measured at about a
// fifth of each node's CPU time for the ten signatures and checks one search takes.
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

export interface JwsHeader {
  alg: "EdDSA";
  typ: string;
  kid: string;
}

export class JwsError extends Error {}

const BASE64URL = /^[A-Za-z0-9_-]*$/u;

function encode(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString("base64url");
}

/** Decodes base64url, refusing any text that is not the one canonical spelling of its bytes. */
function decode(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, "base64url");
  if (!BASE64URL.test(text) || bytes.toString("base64url") !== text) throw new JwsError(`${what} is not base64url`);
  return bytes;
}

const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();

function cachedKey(cache: Map<string, KeyObject>, pem: string, make: (pem: string) => KeyObject): KeyObject {
  let key = cache.get(pem);
  if (!key) {
    key = make(pem);
    if (key.asymmetricKeyType !== "ed25519") throw new JwsError("only Ed25519 keys are used");
    if (cache.size > 1000) cache.clear();
    cache.set(pem, key);
  }
  return key;
}

export function signCompact(header: JwsHeader, payload: Uint8Array | string, privateKeyPem: string): string {
  const signingInput = `${encode(JSON.stringify(header))}.${encode(payload)}`;
  const key = cachedKey(privateKeys, privateKeyPem, createPrivateKey);
  return `${signingInput}.${encode(sign(null, Buffer.from(signingInput), key))}`;
}

/**
 * Verifies a compact JWS: EdDSA only, no critical extensions, and the key `keyOf` gives for the header (it may
 * throw to refuse the signer). Returns the header and the payload bytes.
 */
export function verifyCompact(
  jws: string,
  keyOf: (header: JwsHeader) => string,
): { header: JwsHeader; payload: Buffer } {
  const parts = jws.split(".");
  if (parts.length !== 3) throw new JwsError("not a compact JWS");
  const [headerText = "", payloadText = "", signatureText = ""] = parts;
  let header: Partial<JwsHeader> & { crit?: unknown };
  try {
    header = JSON.parse(decode(headerText, "the header").toString("utf8"));
  } catch (error) {
    if (error instanceof JwsError) throw error;
    throw new JwsError("the header is not JSON");
  }
  if (typeof header !== "object" || header === null) throw new JwsError("the header is not an object");
  if (header.alg !== "EdDSA") throw new JwsError("only EdDSA signatures are accepted");
  if (header.crit !== undefined) throw new JwsError("critical header extensions are not supported");
  if (typeof header.kid !== "string" || typeof header.typ !== "string") throw new JwsError("kid and typ are required");
  const key = cachedKey(publicKeys, keyOf(header as JwsHeader), createPublicKey);
  const signature = decode(signatureText, "the signature");
  if (signature.length !== 64 || !verify(null, Buffer.from(`${headerText}.${payloadText}`), key, signature))
    throw new JwsError("the signature does not verify");
  return { header: header as JwsHeader, payload: decode(payloadText, "the payload") };
}
