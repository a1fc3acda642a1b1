// Second factor for operator logins: RFC 4226 HOTP, RFC 6238 TOTP and the RFC 4648 base32 that authenticator apps use for secrets.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type OtpAlgorithm = "sha1" | "sha256" | "sha512";

export interface TotpOptions {
  /** Code length; 6 is what authenticator apps show. */
  digits?: number;
  /** HMAC hash; many apps ignore the otpauth `algorithm` parameter and always use SHA-1. */
  algorithm?: OtpAlgorithm;
  /** Time-step length in seconds (RFC 6238 X). */
  period?: number;
}

export interface VerifyTotpOptions extends TotpOptions {
  /** How many steps either side of now are still accepted, to absorb clock drift and typing time. */
  window?: number;
  /** The step returned by the last successful verification; that step and earlier ones are refused. */
  lastUsedStep?: number | null;
}

export class InvalidBase32Error extends Error {
  override name = "InvalidBase32Error";
}

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE32_VALUES: ReadonlyMap<string, number> = new Map([...BASE32_ALPHABET].map((c, i) => [c, i]));

// A base32 string of n characters carries 5n bits; only these remainders mod 8 end on a whole byte
// with fewer than 5 bits left over (RFC 4648 §6: 2, 4, 5, 7 characters for 1–4 trailing bytes).
const VALID_TAIL_LENGTHS = new Set([0, 2, 4, 5, 7]);

const DEFAULT_DIGITS = 6;
const DEFAULT_PERIOD = 30;
const DEFAULT_ALGORITHM: OtpAlgorithm = "sha1";
// RFC 4226 R6: the shared secret MUST be at least 128 bits; anything shorter means the secret is broken.
const MIN_KEY_BYTES = 16;
const MAX_WINDOW = 10;
const MAX_COUNTER = 2n ** 64n - 1n;

/** RFC 4648 base32, without padding, since authenticator apps and otpauth URIs expect none. */
export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 0x1f];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 0x1f];
  return out;
}

/**
 * Decodes RFC 4648 base32 as people copy it: any case, spaces anywhere, padding optional.
 * Throws InvalidBase32Error on anything else, including a length no encoder produces and
 * non-zero leftover bits, so every byte string has exactly one accepted spelling (up to case, spaces, padding).
 */
export function base32Decode(text: string): Buffer {
  let body = text.replace(/\s+/g, "").toUpperCase();
  const padded = /=+$/.exec(body);
  if (padded) {
    if (body.length % 8 !== 0 || padded[0].length > 6) {
      throw new InvalidBase32Error("base32 padding does not bring the length to a multiple of 8");
    }
    body = body.slice(0, body.length - padded[0].length);
  }
  if (!VALID_TAIL_LENGTHS.has(body.length % 8)) {
    throw new InvalidBase32Error(`base32 text of ${body.length} characters cannot encode whole bytes`);
  }
  const out = Buffer.alloc(Math.floor((body.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of body) {
    const value = BASE32_VALUES.get(char);
    if (value === undefined) {
      throw new InvalidBase32Error(`invalid base32 character ${JSON.stringify(char)}`);
    }
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new InvalidBase32Error("base32 text has non-zero bits after the last byte");
  }
  return out;
}

/** A new shared secret for enrolling an authenticator: 160 bits, the length RFC 4226 recommends, in base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

function counterBytes(counter: bigint | number): Buffer {
  let value: bigint;
  if (typeof counter === "number") {
    if (!Number.isSafeInteger(counter) || counter < 0) {
      throw new RangeError(`HOTP counter must be a non-negative safe integer, got ${counter}`);
    }
    value = BigInt(counter);
  } else {
    value = counter;
  }
  if (value < 0n || value > MAX_COUNTER) {
    throw new RangeError(`HOTP counter must fit in 64 unsigned bits, got ${value}`);
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(value);
  return out;
}

function checkDigits(digits: number): void {
  // Dynamic truncation yields 31 bits, so more than 10 digits would add only leading zeros; RFC 4226 demands at least 6.
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) {
    throw new RangeError(`OTP digits must be an integer from 6 to 10, got ${digits}`);
  }
}

/** RFC 4226 HOTP: HMAC over the 8-byte big-endian counter, dynamic truncation, zero-padded decimal. */
export function hotp(
  key: Buffer,
  counter: bigint | number,
  digits = DEFAULT_DIGITS,
  algorithm: OtpAlgorithm = DEFAULT_ALGORITHM,
): string {
  checkDigits(digits);
  if (key.length < MIN_KEY_BYTES) {
    throw new RangeError(`OTP key must be at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
  }
  const mac = createHmac(algorithm, key).update(counterBytes(counter)).digest();
  // RFC 6238 keeps RFC 4226's rule of taking the offset from the low nibble of the last byte, whatever the hash length.
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, "0");
}

function periodMs(options: TotpOptions | undefined): number {
  const period = options?.period ?? DEFAULT_PERIOD;
  if (!Number.isInteger(period) || period <= 0) {
    throw new RangeError(`TOTP period must be a positive whole number of seconds, got ${period}`);
  }
  return period * 1000;
}

/** The RFC 6238 time step T for a Unix time in milliseconds (T0 = 0). */
export function totpStep(timeMs: number, options?: TotpOptions): number {
  if (!Number.isFinite(timeMs) || timeMs < 0) {
    throw new RangeError(`TOTP time must be a non-negative number of milliseconds, got ${timeMs}`);
  }
  return Math.floor(timeMs / periodMs(options));
}

/** The RFC 6238 code for a base32 secret at a Unix time in milliseconds. */
export function totp(secretBase32: string, timeMs: number, options?: TotpOptions): string {
  return hotp(
    base32Decode(secretBase32),
    totpStep(timeMs, options),
    options?.digits ?? DEFAULT_DIGITS,
    options?.algorithm ?? DEFAULT_ALGORITHM,
  );
}

/**
 * Checks a code typed by a user; returns the time step it matched, or null.
 * The caller must store the returned step and pass it back as lastUsedStep, which is how a code
 * that was shoulder-surfed or phished is refused the second time (RFC 6238 §5.2).
 * Throws only for server-side faults (a corrupt secret, bad options), never for a bad code.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  options?: VerifyTotpOptions,
): number | null {
  const digits = options?.digits ?? DEFAULT_DIGITS;
  const algorithm = options?.algorithm ?? DEFAULT_ALGORITHM;
  const window = options?.window ?? 1;
  const lastUsedStep = options?.lastUsedStep ?? null;
  checkDigits(digits);
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`TOTP window must be an integer from 0 to ${MAX_WINDOW}, got ${window}`);
  }
  const key = base32Decode(secretBase32);
  const current = totpStep(nowMs, options);

  // The regex is ASCII-only (no u flag), so fullwidth or other-script digits are refused, not coerced.
  const wellFormed = code.length === digits && /^[0-9]+$/.test(code);
  const given = Buffer.from(wellFormed ? code : "0".repeat(digits), "ascii");

  // Every candidate step is computed and compared, so the time taken does not depend on where (or whether) it matched.
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(hotp(key, step, digits, algorithm), "ascii");
    const equal = timingSafeEqual(expected, given);
    const fresh = lastUsedStep === null || step > lastUsedStep;
    if (equal && fresh && wellFormed) matched = step;
  }
  return matched;
}

/**
 * The otpauth:// URI an authenticator app scans at enrollment (Google Authenticator "Key Uri Format").
 * Issuer and account are percent-encoded rather than form-encoded, because apps show "+" literally.
 */
export function otpauthUri(params: { secret: string; account: string; issuer: string } & TotpOptions): string {
  const { account, issuer } = params;
  // The label is "issuer:account", so a colon in either part would make the split ambiguous.
  if (issuer.includes(":") || account.includes(":")) {
    throw new RangeError("otpauth issuer and account must not contain ':'");
  }
  if (issuer.length === 0 || account.length === 0) {
    throw new RangeError("otpauth issuer and account must not be empty");
  }
  const digits = params.digits ?? DEFAULT_DIGITS;
  checkDigits(digits);
  const period = periodMs(params) / 1000;
  // Re-encoding normalises case, spaces and padding, and rejects a secret that is not base32 at all.
  const secret = base32Encode(base32Decode(params.secret));
  const algorithm = (params.algorithm ?? DEFAULT_ALGORITHM).toUpperCase();
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return (
    `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}` +
    `&algorithm=${algorithm}&digits=${digits}&period=${period}`
  );
}
