// Tests for the node identity key: file permissions, loading, RFC 8032 signatures and fingerprints.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  generateNodeKeyPair,
  InsecureKeyFileError,
  KeyExistsError,
  KeyMismatchError,
  loadNodeKeyPair,
  publicKeyFingerprint,
  signBytes,
  verifyBytes,
  writeNodeKeyPair,
} from "./keys.ts";

const posix = process.platform !== "win32";
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "puente-keys-"));
  tempDirs.push(dir);
  return dir;
}

after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

// RFC 8032 §7.1 TEST 1 and TEST 2: raw keys wrapped in the fixed PKCS#8 / SPKI DER prefixes for Ed25519 (RFC 8410).
function pkcs8Pem(rawPrivateHex: string): string {
  const der = Buffer.concat([
    Buffer.from("302e020100300506032b657004220420", "hex"),
    Buffer.from(rawPrivateHex, "hex"),
  ]);
  return `-----BEGIN PRIVATE KEY-----\n${der.toString("base64")}\n-----END PRIVATE KEY-----\n`;
}
function spkiPem(rawPublicHex: string): string {
  const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(rawPublicHex, "hex")]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString("base64")}\n-----END PUBLIC KEY-----\n`;
}
const RFC8032 = [
  {
    secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    public: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature:
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    public: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature:
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
];

test("signBytes and verifyBytes reproduce the RFC 8032 Ed25519 vectors", () => {
  for (const v of RFC8032) {
    const data = Buffer.from(v.message, "hex");
    const signature = signBytes(pkcs8Pem(v.secret), data);
    assert.equal(Buffer.from(signature, "base64url").toString("hex"), v.signature);
    assert.equal(verifyBytes(spkiPem(v.public), data, signature), true);
  }
});

test("publicKeyFingerprint is the first 16 bytes of SHA-256 over the raw public key", () => {
  for (const v of RFC8032) {
    const expected = createHash("sha256").update(Buffer.from(v.public, "hex")).digest("hex").slice(0, 32);
    assert.equal(publicKeyFingerprint(spkiPem(v.public)), expected);
  }
  const pair = generateNodeKeyPair();
  assert.match(publicKeyFingerprint(pair.publicKeyPem), /^[0-9a-f]{32}$/);
  assert.notEqual(publicKeyFingerprint(pair.publicKeyPem), publicKeyFingerprint(generateNodeKeyPair().publicKeyPem));
});

test("generated pairs are PEM Ed25519 and sign/verify round trip", () => {
  const pair = generateNodeKeyPair();
  assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
  const data = new TextEncoder().encode("statement 42 released to node co-dijin");
  const signature = signBytes(pair.privateKeyPem, data);
  assert.match(signature, /^[A-Za-z0-9_-]{86}$/);
  assert.equal(verifyBytes(pair.publicKeyPem, data, signature), true);
});

test("tampered data, a tampered signature or the wrong key fails verification", () => {
  const pair = generateNodeKeyPair();
  const data = Buffer.from("releasable to: AR, BR, CL");
  const signature = signBytes(pair.privateKeyPem, data);

  const changedData = Buffer.from(data);
  changedData[0] = (changedData[0] ?? 0) ^ 0x01;
  assert.equal(verifyBytes(pair.publicKeyPem, changedData, signature), false);
  assert.equal(verifyBytes(pair.publicKeyPem, Buffer.concat([data, Buffer.from([0])]), signature), false);

  const sigBytes = Buffer.from(signature, "base64url");
  for (const index of [0, 31, 32, 63]) {
    const changed = Buffer.from(sigBytes);
    changed[index] = (changed[index] ?? 0) ^ 0x80;
    assert.equal(verifyBytes(pair.publicKeyPem, data, changed.toString("base64url")), false, `byte ${index}`);
  }

  assert.equal(verifyBytes(generateNodeKeyPair().publicKeyPem, data, signature), false);
});

test("verifyBytes returns false on malformed input instead of throwing", () => {
  const pair = generateNodeKeyPair();
  const data = Buffer.from("x");
  const signature = signBytes(pair.privateKeyPem, data);
  const lastChar = signature.at(-1) ?? "A";
  // The last base64url character of a 64-byte value carries 4 unused bits; setting one is the same bytes, different string.
  const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const alias = signature.slice(0, -1) + B64URL[B64URL.indexOf(lastChar) | 1];
  assert.deepEqual(Buffer.from(alias, "base64url"), Buffer.from(signature, "base64url"));
  const badSignatures = ["", "!!!", signature.slice(0, -2), `${signature}AA`, `${signature}==`, ` ${signature}`, alias];
  for (const bad of badSignatures) {
    assert.equal(verifyBytes(pair.publicKeyPem, data, bad), false, JSON.stringify(bad));
  }
  assert.equal(verifyBytes("not a pem", data, signature), false);
  assert.equal(verifyBytes("", data, signature), false);
  assert.equal(verifyBytes(pair.publicKeyPem.replace("MCowBQYDK2Vw", "MCowBQYDK2Vx"), data, signature), false);
});

test("writeNodeKeyPair writes node.key 0600 and node.pub 0644, and loadNodeKeyPair reads them back", async () => {
  const dir = join(await tempDir(), "identity");
  const pair = generateNodeKeyPair();
  const { privateKeyPath, publicKeyPath } = await writeNodeKeyPair(dir, pair);
  assert.equal(privateKeyPath, join(dir, "node.key"));
  assert.equal(publicKeyPath, join(dir, "node.pub"));
  assert.equal(await readFile(privateKeyPath, "utf8"), pair.privateKeyPem);
  assert.equal(await readFile(publicKeyPath, "utf8"), pair.publicKeyPem);
  if (posix) {
    assert.equal((await stat(privateKeyPath)).mode & 0o777, 0o600);
    // umask can only narrow the public file's mode, and must not make it group/other-writable.
    assert.equal((await stat(publicKeyPath)).mode & 0o622, 0o600 & 0o622);
    assert.equal((await stat(dir)).mode & 0o077, 0);
  }
  assert.deepEqual(await loadNodeKeyPair(dir), pair);
});

test("writeNodeKeyPair refuses to overwrite an existing key", async () => {
  const dir = await tempDir();
  const first = generateNodeKeyPair();
  await writeNodeKeyPair(dir, first);
  await assert.rejects(writeNodeKeyPair(dir, generateNodeKeyPair()), KeyExistsError);
  assert.equal(await readFile(join(dir, "node.key"), "utf8"), first.privateKeyPem);
  assert.equal(await readFile(join(dir, "node.pub"), "utf8"), first.publicKeyPem);
});

test("writeNodeKeyPair refuses a public key that does not belong to the private key", async () => {
  const dir = await tempDir();
  const mixed = {
    privateKeyPem: generateNodeKeyPair().privateKeyPem,
    publicKeyPem: generateNodeKeyPair().publicKeyPem,
  };
  await assert.rejects(writeNodeKeyPair(dir, mixed), KeyMismatchError);
  await assert.rejects(stat(join(dir, "node.key")), { code: "ENOENT" });
});

test("loadNodeKeyPair refuses a private key readable by group or others", { skip: !posix }, async () => {
  const dir = await tempDir();
  await writeNodeKeyPair(dir, generateNodeKeyPair());
  for (const mode of [0o644, 0o640, 0o604, 0o660, 0o602]) {
    await chmod(join(dir, "node.key"), mode);
    await assert.rejects(loadNodeKeyPair(dir), InsecureKeyFileError, mode.toString(8));
  }
  await chmod(join(dir, "node.key"), 0o400);
  await assert.doesNotReject(loadNodeKeyPair(dir));
});

test("loadNodeKeyPair refuses a node.pub that does not match node.key", async () => {
  const dir = await tempDir();
  await writeNodeKeyPair(dir, generateNodeKeyPair());
  await writeFile(join(dir, "node.pub"), generateNodeKeyPair().publicKeyPem);
  await assert.rejects(loadNodeKeyPair(dir), KeyMismatchError);
});
