// Opaque bearer secrets (API keys, session and invitation tokens): handed out once, stored only as a hash.

import { createHash, randomBytes } from "node:crypto";

const TOKEN_BYTES = 32;
// The prefix says what a leaked token is (and lets secret scanners match it); it must not contain "_",
// so the first "_" always ends it, and must not contain base64url's "-" for the same reason.
const PREFIX = /^[a-z][a-z0-9]{0,15}$/;

/**
 * A fresh token `${prefix}_${43 base64url chars}` and the hash to store in its place.
 * 256 random bits make guessing hopeless, which is why a fast unsalted hash is enough here
 * (unlike passwords, there is no low-entropy input to brute-force).
 */
export function newSecretToken(prefix: string): { token: string; hash: string } {
  if (!PREFIX.test(prefix)) {
    throw new RangeError(
      `token prefix must be 1–16 lower-case letters or digits, starting with a letter; got ${JSON.stringify(prefix)}`,
    );
  }
  const token = `${prefix}_${randomBytes(TOKEN_BYTES).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

/**
 * SHA-256 hex of a presented token, for looking up the stored row. Lookup by hash needs no constant-time
 * comparison: timing can reveal at most a prefix of a hash, which does not help find a matching token.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
