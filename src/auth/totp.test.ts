// Tests for HOTP/TOTP/base32 against the RFCs' own published vectors, plus replay and window behaviour.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  InvalidBase32Error,
  type OtpAlgorithm,
  otpauthUri,
  totp,
  totpStep,
  verifyTotp,
} from "./totp.ts";

// RFC 4226 Appendix D: secret "12345678901234567890", counters 0–9.
const RFC4226_SECRET = Buffer.from("12345678901234567890", "ascii");
const RFC4226_HOTP = [
  "755224",
  "287082",
  "359152",
  "969429",
  "338314",
  "254676",
  "287922",
  "162583",
  "399871",
  "520489",
];

// RFC 6238 Appendix B: each hash has its own seed (20, 32 and 64 ASCII bytes), 8 digits, X = 30 s, T0 = 0.
const RFC6238_SEEDS: Record<OtpAlgorithm, string> = {
  sha1: "12345678901234567890",
  sha256: "12345678901234567890123456789012",
  sha512: "1234567890123456789012345678901234567890123456789012345678901234",
};
const RFC6238_TABLE: Array<[seconds: number, sha1: string, sha256: string, sha512: string]> = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];

// RFC 4648 §10, with the padding stripped because the encoder emits none.
const RFC4648_BASE32: Array<[string, string]> = [
  ["", ""],
  ["f", "MY======"],
  ["fo", "MZXQ===="],
  ["foo", "MZXW6==="],
  ["foob", "MZXW6YQ="],
  ["fooba", "MZXW6YTB"],
  ["foobar", "MZXW6YTBOI======"],
];

test("HOTP matches RFC 4226 Appendix D", () => {
  RFC4226_HOTP.forEach((expected, counter) => {
    assert.equal(hotp(RFC4226_SECRET, counter), expected, `counter ${counter}`);
    assert.equal(hotp(RFC4226_SECRET, BigInt(counter)), expected, `bigint counter ${counter}`);
  });
});

test("TOTP matches RFC 6238 Appendix B for SHA-1, SHA-256 and SHA-512", () => {
  const algorithms: Array<[OtpAlgorithm, number]> = [
    ["sha1", 1],
    ["sha256", 2],
    ["sha512", 3],
  ];
  for (const row of RFC6238_TABLE) {
    const seconds = row[0];
    for (const [algorithm, column] of algorithms) {
      const secret = base32Encode(Buffer.from(RFC6238_SEEDS[algorithm], "ascii"));
      assert.equal(totp(secret, seconds * 1000, { digits: 8, algorithm }), row[column], `T=${seconds} ${algorithm}`);
    }
  }
});

test("TOTP steps are 30 s from the Unix epoch (RFC 6238 Appendix B T column)", () => {
  assert.equal(totpStep(59_000), 1);
  assert.equal(totpStep(1111111109_000).toString(16).toUpperCase(), "23523EC");
  assert.equal(totpStep(20000000000_000).toString(16).toUpperCase(), "27BC86AA");
});

test("6-digit codes are the last six digits of the 8-digit ones", () => {
  assert.equal(hotp(RFC4226_SECRET, 1, 8), "94287082");
  assert.equal(hotp(RFC4226_SECRET, 1, 6), "287082");
});

test("hotp refuses short keys, bad digit counts and out-of-range counters", () => {
  assert.throws(() => hotp(Buffer.alloc(15), 0), RangeError);
  assert.throws(() => hotp(RFC4226_SECRET, 0, 5), RangeError);
  assert.throws(() => hotp(RFC4226_SECRET, 0, 11), RangeError);
  assert.throws(() => hotp(RFC4226_SECRET, -1), RangeError);
  assert.throws(() => hotp(RFC4226_SECRET, 1.5), RangeError);
  assert.throws(() => hotp(RFC4226_SECRET, 2n ** 64n), RangeError);
  assert.doesNotThrow(() => hotp(RFC4226_SECRET, 2n ** 64n - 1n));
});

test("base32 matches the RFC 4648 test vectors", () => {
  for (const [plain, encoded] of RFC4648_BASE32) {
    assert.equal(base32Encode(Buffer.from(plain, "ascii")), encoded.replace(/=+$/, ""), `encode ${plain}`);
    assert.equal(base32Decode(encoded).toString("ascii"), plain, `decode padded ${encoded}`);
    assert.equal(base32Decode(encoded.replace(/=+$/, "")).toString("ascii"), plain, `decode unpadded ${encoded}`);
  }
});

test("base32 decoding accepts lower case and spaces", () => {
  assert.equal(base32Decode("mzxw 6ytb oi").toString("ascii"), "foobar");
  assert.equal(base32Decode(" MZXW6ytbOI====== ").toString("ascii"), "foobar");
});

test("base32 decoding throws InvalidBase32Error on anything that is not base32", () => {
  const bad = [
    "MZXW1", // 1 is not in the alphabet
    "MZXW8",
    "MZ!W",
    "M", // no encoder produces a length of 1, 3 or 6 (mod 8)
    "MZX",
    "MZXW6Y",
    "MY=", // padding that does not reach a multiple of 8
    "MY=======", // too much padding
    "M=Y=====", // padding in the middle
    "MZ", // non-zero bits after the last byte
    "A", // impossible lengths even when the leftover bits are zero
    "AAA",
    "AAAAAA",
  ];
  for (const text of bad) {
    assert.throws(() => base32Decode(text), InvalidBase32Error, text);
  }
  const err = (() => {
    try {
      base32Decode("0");
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof Error);
  assert.equal((err as Error).name, "InvalidBase32Error");
});

test("property: base32 decode(encode(x)) = x for arbitrary bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const encoded = base32Encode(bytes);
      assert.match(encoded, /^[A-Z2-7]*$/);
      assert.deepEqual(base32Decode(encoded), Buffer.from(bytes));
      assert.deepEqual(base32Decode(encoded.toLowerCase()), Buffer.from(bytes));
    }),
  );
});

test("generated secrets are 20 random bytes in unpadded base32", () => {
  const a = generateTotpSecret();
  const b = generateTotpSecret();
  assert.match(a, /^[A-Z2-7]{32}$/);
  assert.equal(base32Decode(a).length, 20);
  assert.notEqual(a, b);
});

const SECRET = base32Encode(RFC4226_SECRET);
const NOW = 1_700_000_000_000;
const STEP = Math.floor(NOW / 30_000);

test("verifyTotp returns the matched step for the current code", () => {
  assert.equal(verifyTotp(SECRET, totp(SECRET, NOW), NOW), STEP);
});

test("verifyTotp accepts codes within the window and refuses codes outside it", () => {
  const previous = totp(SECRET, NOW - 30_000);
  const next = totp(SECRET, NOW + 30_000);
  const twoBack = totp(SECRET, NOW - 60_000);
  const twoAhead = totp(SECRET, NOW + 60_000);
  assert.equal(verifyTotp(SECRET, previous, NOW), STEP - 1);
  assert.equal(verifyTotp(SECRET, next, NOW), STEP + 1);
  assert.equal(verifyTotp(SECRET, twoBack, NOW), null);
  assert.equal(verifyTotp(SECRET, twoAhead, NOW), null);
  assert.equal(verifyTotp(SECRET, twoBack, NOW, { window: 2 }), STEP - 2);
  assert.equal(verifyTotp(SECRET, previous, NOW, { window: 0 }), null);
});

test("verifyTotp refuses a replayed step and any earlier one", () => {
  const code = totp(SECRET, NOW);
  const step = verifyTotp(SECRET, code, NOW);
  assert.equal(step, STEP);
  assert.equal(verifyTotp(SECRET, code, NOW, { lastUsedStep: step }), null);
  assert.equal(verifyTotp(SECRET, code, NOW + 10_000, { lastUsedStep: step }), null);
  assert.equal(verifyTotp(SECRET, totp(SECRET, NOW - 30_000), NOW, { lastUsedStep: step }), null);
  assert.equal(verifyTotp(SECRET, totp(SECRET, NOW + 30_000), NOW, { lastUsedStep: step }), STEP + 1);
  assert.equal(verifyTotp(SECRET, code, NOW, { lastUsedStep: STEP - 1 }), STEP);
});

test("verifyTotp refuses wrong codes and codes that are not exactly six ASCII digits", () => {
  const code = totp(SECRET, NOW);
  const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");
  const malformed = [
    wrong,
    "",
    code.slice(1),
    `${code}0`,
    ` ${code}`,
    `${code} `,
    `${code.slice(0, 3)} ${code.slice(3)}`,
    `${code.slice(0, 5)}a`,
    // Fullwidth digits: must not be normalised into a match.
    [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join(""),
    `+${code.slice(1)}`,
  ];
  for (const candidate of malformed) {
    assert.equal(verifyTotp(SECRET, candidate, NOW), null, JSON.stringify(candidate));
  }
  // The 8-digit code for the same step is not a 6-digit code.
  assert.equal(verifyTotp(SECRET, totp(SECRET, NOW, { digits: 8 }), NOW), null);
  assert.equal(verifyTotp(SECRET, totp(SECRET, NOW, { digits: 8 }), NOW, { digits: 8 }), STEP);
});

test("a malformed code does not match a real code of 000000", () => {
  // Step 349495 is the first counter at which the RFC 4226 secret yields 000000 (found with Python's hmac
  // module, independently of this code), so a lenient verifier that zero-fills bad input would accept junk here.
  const step = 349495;
  const at = step * 30_000;
  assert.equal(hotp(RFC4226_SECRET, step), "000000");
  assert.equal(verifyTotp(SECRET, "000000", at, { window: 0 }), step);
  // U+0130 is "İ"; its low byte is 0x30, the ASCII "0", so a verifier that converted the string to bytes
  // before checking it was digits would read "İİİİİİ" as "000000".
  for (const junk of ["", "0", "00000", "0000000", "abcdef", " 00000", "\u{ff10}".repeat(6), "\u{130}".repeat(6)]) {
    assert.equal(verifyTotp(SECRET, junk, at, { window: 0 }), null, JSON.stringify(junk));
  }
});

test("verifyTotp near the epoch skips negative steps", () => {
  assert.equal(verifyTotp(SECRET, totp(SECRET, 0), 0), 0);
});

test("verifyTotp rejects nonsensical windows instead of silently widening them", () => {
  assert.throws(() => verifyTotp(SECRET, "123456", NOW, { window: -1 }), RangeError);
  assert.throws(() => verifyTotp(SECRET, "123456", NOW, { window: 1.5 }), RangeError);
  assert.throws(() => verifyTotp(SECRET, "123456", NOW, { window: 1000 }), RangeError);
});

test("property: a freshly generated code always verifies to its own step", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (timeMs) => {
      assert.equal(verifyTotp(SECRET, totp(SECRET, timeMs), timeMs, { window: 0 }), Math.floor(timeMs / 30_000));
    }),
  );
});

test("otpauthUri follows the Key URI format and percent-encodes the label", () => {
  const uri = otpauthUri({ secret: "mzxw 6ytb oi======", account: "ana.perez@pnp.gob.pe", issuer: "Puente Lima" });
  assert.equal(
    uri,
    "otpauth://totp/Puente%20Lima:ana.perez%40pnp.gob.pe?secret=MZXW6YTBOI&issuer=Puente%20Lima&algorithm=SHA1&digits=6&period=30",
  );
  const parsed = new URL(uri);
  assert.equal(parsed.protocol, "otpauth:");
  assert.equal(parsed.searchParams.get("issuer"), "Puente Lima");
  assert.throws(() => otpauthUri({ secret: SECRET, account: "a:b", issuer: "Puente" }), RangeError);
  assert.throws(() => otpauthUri({ secret: "not base32!", account: "a", issuer: "Puente" }), InvalidBase32Error);
});
