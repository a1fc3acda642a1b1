// Signed node-to-node messages. Every request carries a JWS (EdDSA over the canonical JSON of its claims: sender,
// receiver, method, path, body digest, time and a nonce) in the Puente-Signature header, and every response one
// bound to that request's nonce. A receiver refuses a request whose signature, audience, method, path or body
// digest is wrong, whose time is more than 60 s off, or whose nonce it has already seen. The user on whose behalf
// a node asks travels as a separate assertion (a JWT the home node signs), in the spirit of GFIPM.
import { createHash, randomBytes } from "node:crypto";
import { canonicalJson } from "../crypto/canonical-json.ts";
import { JwsError, signCompact, verifyCompact } from "../crypto/jws.ts";

export const SIGNATURE_HEADER = "puente-signature";
export const MAX_CLOCK_SKEW_SECONDS = 60;
const REQUEST_TYPE = "puente-request+jws";
const RESPONSE_TYPE = "puente-response+jws";
const ASSERTION_TYPE = "puente-user+jwt";
const ASSERTION_LIFETIME_SECONDS = 300;

export interface RequestClaims {
  /** Sending node. */
  iss: string;
  /** Receiving node. */
  aud: string;
  method: string;
  path: string;
  /** SHA-256 of the body bytes, base64url. */
  bodyDigest: string;
  /** Seconds since the epoch. */
  iat: number;
  nonce: string;
  /** The sender's manifest version, so a receiver can tell it is behind. */
  manifestVersion: number;
}

export interface ResponseClaims {
  iss: string;
  aud: string;
  status: number;
  bodyDigest: string;
  iat: number;
  /** The nonce of the request this answers. */
  inReplyTo: string;
}

/** The user a request is made for, as the home node vouches for them. */
export interface UserAssertion {
  userId: string;
  username: string;
  agency: string;
  country: string;
  roles: string[];
  cfr28Trained: boolean;
  purpose: string;
  caseReference: string;
  /** The home node (the assertion's issuer). */
  node: string;
}

/** Why a signed message was refused: a stable code for problem types and audit, and a message. */
export class SignatureRefusedError extends Error {
  constructor(
    readonly code:
      | "missing-signature"
      | "bad-signature"
      | "unknown-node"
      | "revoked-node"
      | "wrong-audience"
      | "wrong-request"
      | "stale"
      | "replayed"
      | "bad-assertion"
      | "policy-denied",
    message: string,
  ) {
    super(message);
  }
}

export function bodyDigest(body: Uint8Array | string): string {
  return createHash("sha256").update(body).digest("base64url");
}

function signClaims(claims: object, typ: string, kid: string, privateKeyPem: string): string {
  return signCompact({ alg: "EdDSA", typ, kid }, canonicalJson(claims), privateKeyPem);
}

/** Verifies a JWS of the given type from the node named in its `kid`; returns the sender's id and the claims. */
function verifyClaims<T>(jws: string, typ: string, keyOf: (nodeId: string) => string): { kid: string; claims: T } {
  let kid = "";
  try {
    const { header, payload } = verifyCompact(jws, (h) => {
      if (h.typ !== typ) throw new SignatureRefusedError("bad-signature", `not a ${typ}`);
      kid = h.kid;
      return keyOf(h.kid);
    });
    const claims = JSON.parse(payload.toString("utf8")) as T;
    if (typeof claims !== "object" || claims === null) throw new JwsError("the claims are not an object");
    return { kid: header.kid, claims };
  } catch (error) {
    if (error instanceof SignatureRefusedError) throw error;
    if (error instanceof JwsError || error instanceof SyntaxError)
      throw new SignatureRefusedError("bad-signature", `the signature${kid ? ` of ${kid}` : ""} does not verify`);
    throw error;
  }
}

/** Nonces seen within the clock-skew window; a full cache refuses rather than forgets (fail closed). */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlSeconds = 2 * MAX_CLOCK_SKEW_SECONDS,
    private readonly capacity = 200_000,
  ) {}

  /** Records the nonce; false if it was already seen (a replay) or the cache is full. */
  add(nonce: string, nowSeconds: number): boolean {
    for (const [key, expires] of this.seen) {
      if (expires > nowSeconds) break;
      this.seen.delete(key);
    }
    if (this.seen.has(nonce) || this.seen.size >= this.capacity) return false;
    this.seen.set(nonce, nowSeconds + this.ttlSeconds);
    return true;
  }
}

export interface Signer {
  nodeId: string;
  privateKeyPem: string;
  manifestVersion: () => number;
}

export async function signRequest(
  signer: Signer,
  to: string,
  method: string,
  path: string,
  body: string,
  now: Date,
): Promise<{ header: string; claims: RequestClaims }> {
  const claims: RequestClaims = {
    iss: signer.nodeId,
    aud: to,
    method: method.toUpperCase(),
    path,
    bodyDigest: bodyDigest(body),
    iat: Math.floor(now.getTime() / 1000),
    nonce: randomBytes(16).toString("base64url"),
    manifestVersion: signer.manifestVersion(),
  };
  return { header: signClaims(claims, REQUEST_TYPE, signer.nodeId, signer.privateKeyPem), claims };
}

/** What a receiver knows about possible senders. */
export interface Peers {
  /** The current member's public key, or undefined when the node is not a member. */
  keyOf(nodeId: string): string | undefined;
  isRevoked(nodeId: string): boolean;
}

export async function verifyRequest(options: {
  header: string | undefined;
  me: string;
  method: string;
  path: string;
  body: Uint8Array | string;
  peers: Peers;
  replay: ReplayCache;
  now: Date;
}): Promise<RequestClaims> {
  const { header, peers } = options;
  if (!header) throw new SignatureRefusedError("missing-signature", "a node-to-node request must be signed");
  const { kid, claims } = verifyClaims<RequestClaims>(header, REQUEST_TYPE, (nodeId) => {
    if (peers.isRevoked(nodeId)) throw new SignatureRefusedError("revoked-node", `${nodeId} has been revoked`);
    const key = peers.keyOf(nodeId);
    if (!key) throw new SignatureRefusedError("unknown-node", `${nodeId} is not a member of this federation`);
    return key;
  });
  if (claims.iss !== kid) throw new SignatureRefusedError("bad-signature", "the issuer is not the signer");
  if (claims.aud !== options.me) throw new SignatureRefusedError("wrong-audience", `addressed to ${claims.aud}`);
  if (claims.method !== options.method.toUpperCase() || claims.path !== options.path)
    throw new SignatureRefusedError("wrong-request", "signed for another method or path");
  if (claims.bodyDigest !== bodyDigest(options.body))
    throw new SignatureRefusedError("wrong-request", "the body is not the one signed");
  const now = Math.floor(options.now.getTime() / 1000);
  if (typeof claims.iat !== "number" || Math.abs(now - claims.iat) > MAX_CLOCK_SKEW_SECONDS)
    throw new SignatureRefusedError("stale", `signed at ${claims.iat}, more than ${MAX_CLOCK_SKEW_SECONDS} s from now`);
  if (
    typeof claims.nonce !== "string" ||
    claims.nonce.length < 16 ||
    !options.replay.add(`${kid}:${claims.nonce}`, now)
  )
    throw new SignatureRefusedError("replayed", "this request was already received");
  return claims;
}

export async function signResponse(
  signer: Signer,
  request: RequestClaims,
  status: number,
  body: string,
  now: Date,
): Promise<string> {
  const claims: ResponseClaims = {
    iss: signer.nodeId,
    aud: request.iss,
    status,
    bodyDigest: bodyDigest(body),
    iat: Math.floor(now.getTime() / 1000),
    inReplyTo: request.nonce,
  };
  return signClaims(claims, RESPONSE_TYPE, signer.nodeId, signer.privateKeyPem);
}

export async function verifyResponse(options: {
  header: string | undefined;
  from: string;
  fromKey: string;
  request: RequestClaims;
  status: number;
  body: string;
  now: Date;
}): Promise<void> {
  if (!options.header) throw new SignatureRefusedError("missing-signature", `${options.from} sent an unsigned answer`);
  const { kid, claims } = verifyClaims<ResponseClaims>(options.header, RESPONSE_TYPE, (nodeId) => {
    if (nodeId !== options.from) throw new SignatureRefusedError("bad-signature", `answer signed by ${nodeId}`);
    return options.fromKey;
  });
  const now = Math.floor(options.now.getTime() / 1000);
  if (
    kid !== options.from ||
    claims.iss !== options.from ||
    claims.aud !== options.request.iss ||
    claims.inReplyTo !== options.request.nonce ||
    claims.status !== options.status ||
    claims.bodyDigest !== bodyDigest(options.body)
  )
    throw new SignatureRefusedError("wrong-request", `the answer from ${options.from} is not for this request`);
  if (Math.abs(now - claims.iat) > MAX_CLOCK_SKEW_SECONDS)
    throw new SignatureRefusedError("stale", `the answer from ${options.from} is stale`);
}

interface AssertionClaims extends Omit<UserAssertion, "node" | "userId"> {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
}

/**
 * Assertions already signed, per signer, by receiving node and claims: a user's searches in one case reuse one
 * while more than half its lifetime remains, as a SAML assertion serves a session, instead of a signature per
 * request (each search asks every partner). Bounded: cleared when it holds too many.
 */
const issuedAssertions = new WeakMap<Signer, Map<string, { token: string; iat: number }>>();
const MAX_CACHED_ASSERTIONS = 1000;

/** The user assertion: a JWT (RFC 7519) the home node signs, for one receiving node, valid five minutes. */
export async function signUserAssertion(signer: Signer, to: string, user: UserAssertion, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const { node: _node, userId, ...rest } = user;
  let issued = issuedAssertions.get(signer);
  if (!issued) {
    issued = new Map();
    issuedAssertions.set(signer, issued);
  }
  const key = JSON.stringify([to, userId, rest]);
  const reusable = issued.get(key);
  if (reusable && reusable.iat <= iat && iat - reusable.iat < ASSERTION_LIFETIME_SECONDS / 2) return reusable.token;
  const claims: AssertionClaims = {
    ...rest,
    iss: signer.nodeId,
    aud: to,
    sub: userId,
    iat,
    exp: iat + ASSERTION_LIFETIME_SECONDS,
  };
  const token = signClaims(claims, ASSERTION_TYPE, signer.nodeId, signer.privateKeyPem);
  if (issued.size >= MAX_CACHED_ASSERTIONS) issued.clear();
  issued.set(key, { token, iat });
  return token;
}

/**
 * Assertions whose signature checked out, by the key that checked it and the token: the same bytes under the same
 * key verify the same way, so a repeated assertion costs a lookup; its claims are still checked on every request.
 */
const verifiedAssertions = new Map<string, Partial<AssertionClaims>>();

/** Verifies the assertion of a user of `homeNode` (the node that signed the request), addressed to `me`. */
export async function verifyUserAssertion(
  token: unknown,
  homeNode: string,
  homeKey: string,
  me: string,
  now: Date,
): Promise<UserAssertion> {
  if (typeof token !== "string") throw new SignatureRefusedError("bad-assertion", "the request names no user");
  const verifiedKey = `${homeNode}\u0000${homeKey}\u0000${token}`;
  let claims = verifiedAssertions.get(verifiedKey);
  if (!claims) {
    try {
      ({ claims } = verifyClaims<Partial<AssertionClaims>>(token, ASSERTION_TYPE, (kid) => {
        if (kid !== homeNode) throw new SignatureRefusedError("bad-assertion", `the assertion is from ${kid}`);
        return homeKey;
      }));
    } catch (error) {
      if (error instanceof SignatureRefusedError && error.code === "bad-signature")
        throw new SignatureRefusedError("bad-assertion", "the user assertion does not verify");
      throw error;
    }
    if (verifiedAssertions.size >= MAX_CACHED_ASSERTIONS) verifiedAssertions.clear();
    verifiedAssertions.set(verifiedKey, claims);
  }
  const seconds = Math.floor(now.getTime() / 1000);
  if (claims.iss !== homeNode || claims.aud !== me)
    throw new SignatureRefusedError(
      "bad-assertion",
      "the user assertion is not from the requesting node for this node",
    );
  if (
    typeof claims.exp !== "number" ||
    typeof claims.iat !== "number" ||
    claims.exp + MAX_CLOCK_SKEW_SECONDS < seconds ||
    claims.iat - MAX_CLOCK_SKEW_SECONDS > seconds
  )
    throw new SignatureRefusedError("bad-assertion", "the user assertion has expired or is not yet valid");
  if (
    typeof claims.sub !== "string" ||
    typeof claims.username !== "string" ||
    typeof claims.agency !== "string" ||
    typeof claims.country !== "string" ||
    !Array.isArray(claims.roles) ||
    typeof claims.cfr28Trained !== "boolean" ||
    typeof claims.purpose !== "string" ||
    typeof claims.caseReference !== "string"
  )
    throw new SignatureRefusedError("bad-assertion", "the user assertion lacks a required claim");
  return {
    userId: claims.sub,
    username: claims.username,
    agency: claims.agency,
    country: claims.country,
    roles: claims.roles.filter((role): role is string => typeof role === "string"),
    cfr28Trained: claims.cfr28Trained,
    purpose: claims.purpose,
    caseReference: claims.caseReference,
    node: homeNode,
  };
}

/** The assertion a node makes for one of its signed-in users, for one purpose and case. */
export function assertionFor(
  principal: { userId: string; username: string; roles: string[]; cfr28Trained: boolean },
  node: { nodeId: string; agency: string; country: string },
  purpose: string,
  caseReference: string,
): UserAssertion {
  return {
    userId: principal.userId,
    username: principal.username,
    agency: node.agency,
    country: node.country,
    roles: principal.roles,
    cfr28Trained: principal.cfr28Trained,
    purpose,
    caseReference,
    node: node.nodeId,
  };
}
