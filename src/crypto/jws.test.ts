// Compact JWS with EdDSA: interoperable with jose in both directions, and strict about what it accepts.
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { test } from "node:test";
import { CompactSign, compactVerify } from "jose";
import { JwsError, signCompact, verifyCompact } from "./jws.ts";
import { generateNodeKeyPair } from "./keys.ts";

const keys = generateNodeKeyPair();
const other = generateNodeKeyPair();
const header = { alg: "EdDSA", typ: "test+jws", kid: "us" } as const;

test("tokens verify with jose, and jose's tokens verify here", async () => {
  const token = signCompact(header, '{"a":1}', keys.privateKeyPem);
  const { payload, protectedHeader } = await compactVerify(token, createPublicKey(keys.publicKeyPem));
  assert.equal(new TextDecoder().decode(payload), '{"a":1}');
  assert.equal(protectedHeader.kid, "us");
  const fromJose = await new CompactSign(new TextEncoder().encode("hello"))
    .setProtectedHeader(header)
    .sign(createPrivateKey(keys.privateKeyPem));
  assert.equal(verifyCompact(fromJose, () => keys.publicKeyPem).payload.toString(), "hello");
});

test("another key, another algorithm, critical extensions and altered text are refused", () => {
  const token = signCompact(header, "payload", keys.privateKeyPem);
  assert.throws(() => verifyCompact(token, () => other.publicKeyPem), JwsError);
  const [, payload, signature] = token.split(".");
  const none = `${Buffer.from(JSON.stringify({ ...header, alg: "none" })).toString("base64url")}.${payload}.`;
  assert.throws(() => verifyCompact(none, () => keys.publicKeyPem), /only EdDSA/u);
  const crit = signCompact({ ...header, crit: ["exp"] } as never, "payload", keys.privateKeyPem);
  assert.throws(() => verifyCompact(crit, () => keys.publicKeyPem), /critical/u);
  assert.throws(
    () => verifyCompact(`${token.split(".")[0]}.${payload}x.${signature}`, () => keys.publicKeyPem),
    JwsError,
  );
  assert.throws(() => verifyCompact(`${token}=`, () => keys.publicKeyPem), JwsError);
  assert.throws(() => verifyCompact("a.b", () => keys.publicKeyPem), /not a compact JWS/u);
  assert.throws(
    () =>
      verifyCompact(token, () => {
        throw new JwsError("unknown signer");
      }),
    /unknown signer/u,
  );
});
