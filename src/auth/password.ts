// Password storage for local operator accounts: scrypt hashes in a self-describing string, the baseline policy and
// generated initial passwords.

import { randomBytes, randomInt, scrypt, timingSafeEqual } from "node:crypto";

const SCHEME = "scrypt";
const LOG2_N = 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Bounds on what a stored string may ask for: anything outside them is corrupt or hostile, and a huge N
// would let one row in the database pin gigabytes of memory per login attempt.
const MIN_LOG2_N = 10;
const MAX_LOG2_N = 20;
const MAX_R = 32;
const MAX_P = 16;
const MIN_SALT_BYTES = 8;
const MIN_KEY_BYTES = 16;
const MAX_KEY_BYTES = 64;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

// scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) is exactly that for N=2^15, r=8, and OpenSSL
// counts a little more, so the default would refuse our own parameters.
function maxmemFor({ log2N, r }: ScryptParams): number {
  return 2 * 128 * 2 ** log2N * r;
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      normalizePassword(password),
      salt,
      keyLength,
      { N: 2 ** params.log2N, r: params.r, p: params.p, maxmem: maxmemFor(params) },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

// The same password typed on two keyboards can arrive composed ("é") or decomposed ("e" + U+0301);
// NFKC (NIST SP 800-63B §5.1.1.2) makes them hash alike. Changing this later would break every stored hash.
function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

const STANDARD_B64 = /^[A-Za-z0-9+/]+$/;

// Buffer.from(…, "base64") silently skips junk, so only canonical unpadded base64 is accepted.
function decodeB64(text: string): Buffer | null {
  if (!STANDARD_B64.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return encodeB64(bytes) === text ? bytes : null;
}

function encodeB64(bytes: Buffer): string {
  return bytes.toString("base64").replace(/=+$/, "");
}

function parsePositiveInt(text: string | undefined): number | null {
  if (text === undefined || !/^[1-9][0-9]{0,2}$/.test(text)) return null;
  return Number(text);
}

function parseEncoded(encoded: string): ParsedHash | null {
  const parts = encoded.split("$");
  if (parts.length !== 4 || parts[0] !== SCHEME) return null;
  const [, paramText, saltText, hashText] = parts;
  const params = /^ln=([0-9]+),r=([0-9]+),p=([0-9]+)$/.exec(paramText ?? "");
  if (!params) return null;
  const log2N = parsePositiveInt(params[1]);
  const r = parsePositiveInt(params[2]);
  const p = parsePositiveInt(params[3]);
  if (log2N === null || r === null || p === null) return null;
  if (log2N < MIN_LOG2_N || log2N > MAX_LOG2_N || r > MAX_R || p > MAX_P) return null;
  const salt = decodeB64(saltText ?? "");
  const hash = decodeB64(hashText ?? "");
  if (!salt || !hash) return null;
  if (salt.length < MIN_SALT_BYTES || hash.length < MIN_KEY_BYTES || hash.length > MAX_KEY_BYTES) return null;
  return { log2N, r, p, salt, hash };
}

/** Hashes a password as `scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>` (unpadded standard base64). */
export async function hashPassword(password: string): Promise<string> {
  const params: ScryptParams = { log2N: LOG2_N, r: R, p: P };
  const salt = randomBytes(SALT_BYTES);
  const hash = await deriveKey(password, salt, params, KEY_BYTES);
  return `${SCHEME}$ln=${LOG2_N},r=${R},p=${P}$${encodeB64(salt)}$${encodeB64(hash)}`;
}

/**
 * Checks a password against a string from hashPassword, using the parameters recorded in that string.
 * Anything malformed or out of bounds is a mismatch rather than an exception, so a corrupt row cannot
 * turn a login into a 500.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseEncoded(encoded);
  if (!parsed) return false;
  let candidate: Buffer;
  try {
    candidate = await deriveKey(password, parsed.salt, parsed, parsed.hash.length);
  } catch {
    return false;
  }
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a stored hash is valid but weaker than today's parameters, so it should be replaced after a successful login. */
export function passwordNeedsRehash(encoded: string): boolean {
  const parsed = parseEncoded(encoded);
  if (!parsed) return true;
  return (
    parsed.log2N < LOG2_N ||
    parsed.r !== R ||
    parsed.p !== P ||
    parsed.salt.length < SALT_BYTES ||
    parsed.hash.length < KEY_BYTES
  );
}

/**
 * The CJIS-style baseline for a new password; returns a sentence naming the problem, or null when acceptable.
 * Length counts Unicode code points after normalization, so it matches what is actually hashed.
 */
export function passwordPolicyError(password: string): string | null {
  const chars = [...normalizePassword(password)];
  if (chars.length < PASSWORD_MIN_LENGTH) {
    return `Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  }
  if (chars.length > PASSWORD_MAX_LENGTH) {
    return `Password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  }
  if (chars.every((c) => c === chars[0])) {
    return "Password must not be a single character repeated.";
  }
  // \p{Nd} rather than [0-9] so a PIN typed in Arabic-Indic or Devanagari digits is caught too.
  if (/^\p{Nd}+$/u.test(chars.join(""))) {
    return "Password must not consist of digits only.";
  }
  return null;
}

const GENERATED_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A random initial password for a new account, long enough for the baseline and easy to type. */
export function generatePassword(length = 20): string {
  let password = "";
  for (let i = 0; i < length; i++) password += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
  return password;
}
