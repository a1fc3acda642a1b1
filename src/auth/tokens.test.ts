// Tests for bearer-token generation and hashing.

import assert from "node:assert/strict";
import { test } from "node:test";
import { hashToken, newSecretToken } from "./tokens.ts";

test("tokens are prefix_ plus 32 random bytes in base64url", () => {
  const { token } = newSecretToken("pat");
  assert.match(token, /^pat_[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(token.slice("pat_".length), "base64url").length, 32);
});

test("the returned hash is the SHA-256 hex of the whole token", () => {
  const { token, hash } = newSecretToken("sess");
  assert.equal(hash, hashToken(token));
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.ok(!hash.includes(token.slice(5)));
});

test("hashToken is SHA-256 (FIPS 180-2 'abc' vector)", () => {
  assert.equal(hashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("a one-character change gives an unrelated hash", () => {
  const { token, hash } = newSecretToken("pat");
  const last = token.at(-1) === "A" ? "B" : "A";
  assert.notEqual(hashToken(token.slice(0, -1) + last), hash);
});

test("tokens do not repeat", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) seen.add(newSecretToken("pat").token);
  assert.equal(seen.size, 1000);
});

test("prefixes that would make the token ambiguous are refused", () => {
  for (const prefix of ["", "a_b", "a-b", "PAT", "1pat", "x".repeat(17), "pat "]) {
    assert.throws(() => newSecretToken(prefix), RangeError, JSON.stringify(prefix));
  }
});
