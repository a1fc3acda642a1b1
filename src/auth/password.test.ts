// Tests for scrypt password hashing and the password policy. Each real hash costs ~100 ms, so few are made.

import assert from "node:assert/strict";
import { scryptSync } from "node:crypto";
import { before, test } from "node:test";
import { hashPassword, passwordNeedsRehash, passwordPolicyError, verifyPassword } from "./password.ts";

const PASSWORD = "correct horse battery staple";
let encoded = "";

before(async () => {
  encoded = await hashPassword(PASSWORD);
});

// A stored string built here with node's scrypt directly, at a cheap cost, proves verifyPassword honours the
// parameters written in the string rather than assuming today's.
function handMade(password: string, log2N: number): string {
  const salt = Buffer.from("0123456789abcdef", "ascii");
  const hash = scryptSync(password, salt, 32, { N: 2 ** log2N, r: 8, p: 1 });
  const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");
  return `scrypt$ln=${log2N},r=8,p=1$${b64(salt)}$${b64(hash)}`;
}

test("the encoded hash is self-describing with the expected parameters", () => {
  assert.match(encoded, /^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
});

test("the right password verifies, a wrong one does not", async () => {
  assert.equal(await verifyPassword(PASSWORD, encoded), true);
  assert.equal(await verifyPassword("correct horse battery stapler", encoded), false);
  assert.equal(await verifyPassword("", encoded), false);
});

test("the hash is what scrypt N=2^15, r=8, p=1 gives for the stored salt", () => {
  const [, , saltB64, hashB64] = encoded.split("$");
  const expected = scryptSync(PASSWORD, Buffer.from(saltB64 ?? "", "base64"), 32, {
    N: 2 ** 15,
    r: 8,
    p: 1,
    maxmem: 64 * 1024 * 1024,
  });
  assert.equal(Buffer.from(hashB64 ?? "", "base64").toString("hex"), expected.toString("hex"));
});

test("a tampered hash or salt fails", async () => {
  const parts = encoded.split("$");
  const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
  const tamperedHash = [parts[0], parts[1], parts[2], flip(parts[3] ?? "")].join("$");
  const tamperedSalt = [parts[0], parts[1], flip(parts[2] ?? ""), parts[3]].join("$");
  assert.equal(await verifyPassword(PASSWORD, tamperedHash), false);
  assert.equal(await verifyPassword(PASSWORD, tamperedSalt), false);
});

test("parameters are read from the encoded string", async () => {
  const cheap = handMade(PASSWORD, 10);
  assert.equal(await verifyPassword(PASSWORD, cheap), true);
  assert.equal(await verifyPassword("not the password", cheap), false);
  // Claiming different parameters for the same salt and hash must not verify.
  assert.equal(await verifyPassword(PASSWORD, cheap.replace("ln=10", "ln=11")), false);
  assert.equal(passwordNeedsRehash(cheap), true);
  assert.equal(passwordNeedsRehash(encoded), false);
});

test("malformed encoded strings return false without throwing", async () => {
  const cheap = handMade(PASSWORD, 10);
  const [, , salt, hash] = cheap.split("$");
  const malformed = [
    "",
    "$",
    "scrypt",
    "plaintext-password",
    PASSWORD,
    cheap.replace("scrypt$", "bcrypt$"),
    cheap.replace("ln=10", "ln=abc"),
    cheap.replace("ln=10", "ln=010"),
    cheap.replace("ln=10", "ln=40"), // would demand terabytes
    cheap.replace("ln=10", "ln=4"), // too weak to be one of ours
    cheap.replace("r=8", "r=0"),
    cheap.replace("p=1", "p=1000"),
    cheap.replace(",r=8", ""),
    `${cheap}$extra`,
    `scrypt$ln=10,r=8,p=1$${salt}`,
    `scrypt$ln=10,r=8,p=1$${salt}$`,
    `scrypt$ln=10,r=8,p=1$${salt}$${hash}==`,
    `scrypt$ln=10,r=8,p=1$${salt}$${hash?.slice(0, 10)}`,
    `scrypt$ln=10,r=8,p=1$${salt}$${hash}!`,
    `scrypt$ln=10,r=8,p=1$${salt}$${hash?.replace(/[+/]/g, "-")}_`,
    `scrypt$ln=10,r=8,p=1$QUFB$${hash}`, // 3-byte salt
  ];
  for (const text of malformed) {
    assert.equal(await verifyPassword(PASSWORD, text), false, JSON.stringify(text));
    assert.equal(passwordNeedsRehash(text), true, JSON.stringify(text));
  }
});

test("composed and decomposed accents hash alike (NFKC)", async () => {
  const composed = "contraseña segura 2024";
  const decomposed = composed.normalize("NFD");
  assert.notEqual(composed, decomposed);
  const stored = await hashPassword(composed);
  assert.notEqual(stored, encoded);
  assert.equal(await verifyPassword(decomposed, stored), true);
});

test("two hashes of the same password differ (random salt)", async () => {
  const again = await hashPassword(PASSWORD);
  assert.notEqual(again, encoded);
  assert.equal(await verifyPassword(PASSWORD, again), true);
});

test("password policy", () => {
  assert.equal(passwordPolicyError("correct horse battery staple"), null);
  assert.equal(passwordPolicyError("Tr0ub4dor&3x"), null); // exactly 12
  assert.equal(passwordPolicyError("ñandú-árbol-çé"), null);

  const tooShort = passwordPolicyError("Tr0ub4dor&3");
  assert.ok(tooShort?.includes("at least 12"), tooShort ?? "");
  assert.ok(passwordPolicyError("")?.includes("at least 12"));
  // Twelve UTF-16 units but six code points: still too short.
  assert.ok(passwordPolicyError("😀😀😀😀😀😁")?.includes("at least 12"));

  assert.equal(passwordPolicyError(`${"a".repeat(255)}b`), null);
  assert.ok(passwordPolicyError(`${"a".repeat(256)}b`)?.includes("at most 256"));

  assert.ok(passwordPolicyError("aaaaaaaaaaaaaaaa")?.includes("repeated"));
  assert.ok(passwordPolicyError("            ")?.includes("repeated"));

  assert.ok(passwordPolicyError("123456789012")?.includes("digits"));
  assert.ok(passwordPolicyError("١٢٣٤٥٦٧٨٩٠١٢")?.includes("digits")); // Arabic-Indic digits
  assert.equal(passwordPolicyError("12345678901a"), null);

  for (const bad of ["short", "1111111111111", "123456789012"]) {
    const message = passwordPolicyError(bad);
    assert.ok(message?.endsWith("."), "the error is a sentence");
  }
});
