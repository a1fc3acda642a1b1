// Signed node-to-node messages: a good request verifies once; a forged, stale, replayed, misaddressed or altered
// one, and one from an unknown or revoked node, is refused with its own code. Answers and user assertions too.
import assert from "node:assert/strict";
import { test } from "node:test";
import { generateNodeKeyPair } from "../crypto/keys.ts";
import {
  type Peers,
  ReplayCache,
  type SignatureRefusedError,
  signRequest,
  signResponse,
  signUserAssertion,
  verifyRequest,
  verifyResponse,
  verifyUserAssertion,
} from "./transport.ts";

const us = { nodeId: "us", ...generateNodeKeyPair(), manifestVersion: () => 3 };
const mx = { nodeId: "mx", ...generateNodeKeyPair(), manifestVersion: () => 3 };
const intruder = generateNodeKeyPair();
const NOW = new Date("2026-11-22T12:00:00Z");
const peers = (revoked: string[] = []): Peers => ({
  keyOf: (id) => (id === "us" && !revoked.includes(id) ? us.publicKeyPem : undefined),
  isRevoked: (id) => revoked.includes(id),
});
const body = JSON.stringify({ query: "Ana" });

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as SignatureRefusedError).code;
  }
  return "accepted";
}

function verifyAt(header: string, overrides: Partial<Parameters<typeof verifyRequest>[0]> = {}) {
  return verifyRequest({
    header,
    me: "mx",
    method: "POST",
    path: "/federation/v1/search",
    body,
    peers: peers(),
    replay: new ReplayCache(),
    now: NOW,
    ...overrides,
  });
}

test("a signed request verifies once and is refused when replayed", async () => {
  const { header } = await signRequest(us, "mx", "POST", "/federation/v1/search", body, NOW);
  const replay = new ReplayCache();
  const claims = await verifyAt(header, { replay });
  assert.equal(claims.iss, "us");
  assert.equal(claims.manifestVersion, 3);
  assert.equal(await refusal(verifyAt(header, { replay })), "replayed");
});

test("forged, stale, altered, misaddressed, unknown and revoked requests are each refused", async () => {
  const { header } = await signRequest(us, "mx", "POST", "/federation/v1/search", body, NOW);
  const forged = await signRequest(
    { ...us, privateKeyPem: intruder.privateKeyPem },
    "mx",
    "POST",
    "/federation/v1/search",
    body,
    NOW,
  );
  assert.equal(await refusal(verifyAt(forged.header)), "bad-signature");
  const [head, payload, signature] = header.split(".");
  const flipped = `${head}.${payload}.${signature?.startsWith("A") ? "B" : "A"}${signature?.slice(1)}`;
  assert.equal(await refusal(verifyAt(flipped)), "bad-signature");
  assert.equal(await refusal(verifyAt(header, { now: new Date(NOW.getTime() + 61_000) })), "stale");
  assert.equal(await refusal(verifyAt(header, { body: JSON.stringify({ query: "Eva" }) })), "wrong-request");
  assert.equal(await refusal(verifyAt(header, { path: "/federation/v1/requests" })), "wrong-request");
  assert.equal(await refusal(verifyAt(header, { me: "ca" })), "wrong-audience");
  const fromStranger = await signRequest({ ...us, nodeId: "zz" }, "mx", "POST", "/federation/v1/search", body, NOW);
  assert.equal(await refusal(verifyAt(fromStranger.header)), "unknown-node");
  assert.equal(await refusal(verifyAt(header, { peers: peers(["us"]) })), "revoked-node");
  assert.equal(await refusal(verifyAt(undefined as unknown as string)), "missing-signature");
  assert.equal(await refusal(verifyAt("not.a.jws")), "bad-signature");
});

test("an answer verifies only for the request it answers, with its status and body", async () => {
  const { claims } = await signRequest(us, "mx", "POST", "/federation/v1/search", body, NOW);
  const answer = JSON.stringify({ hits: [] });
  const header = await signResponse(mx, claims, 200, answer, NOW);
  const check = (overrides: Partial<Parameters<typeof verifyResponse>[0]>) =>
    verifyResponse({
      header,
      from: "mx",
      fromKey: mx.publicKeyPem,
      request: claims,
      status: 200,
      body: answer,
      now: NOW,
      ...overrides,
    });
  await check({});
  assert.equal(await refusal(check({ body: JSON.stringify({ hits: [1] }) })), "wrong-request");
  assert.equal(await refusal(check({ status: 500 })), "wrong-request");
  assert.equal(await refusal(check({ request: { ...claims, nonce: "another-nonce-value" } })), "wrong-request");
  assert.equal(await refusal(check({ fromKey: intruder.publicKeyPem })), "bad-signature");
});

const user = {
  userId: "u-1",
  username: "ana",
  agency: "US agency",
  country: "US",
  roles: ["analyst"],
  cfr28Trained: true,
  purpose: "investigation",
  caseReference: "CASE-1",
  node: "us",
};

test("a user assertion verifies for its audience and within its lifetime only", async () => {
  const token = await signUserAssertion(us, "mx", user, NOW);
  // Verified once, then known: the later checks run on the remembered claims and must refuse all the same.
  assert.deepEqual(await verifyUserAssertion(token, "us", us.publicKeyPem, "mx", NOW), user);
  assert.deepEqual(await verifyUserAssertion(token, "us", us.publicKeyPem, "mx", NOW), user);
  assert.equal(await refusal(verifyUserAssertion(token, "us", us.publicKeyPem, "ca", NOW)), "bad-assertion");
  assert.equal(
    await refusal(verifyUserAssertion(token, "us", us.publicKeyPem, "mx", new Date(NOW.getTime() + 3_600_000))),
    "bad-assertion",
  );
  assert.equal(await refusal(verifyUserAssertion(token, "us", intruder.publicKeyPem, "mx", NOW)), "bad-assertion");
  assert.equal(await refusal(verifyUserAssertion(undefined, "us", us.publicKeyPem, "mx", NOW)), "bad-assertion");
  const [header = "", payload = "", signature = ""] = token.split(".");
  const altered = Buffer.from(payload, "base64url").toString("utf8").replace("analyst", "admin");
  const forged = `${header}.${Buffer.from(altered).toString("base64url")}.${signature}`;
  assert.equal(await refusal(verifyUserAssertion(forged, "us", us.publicKeyPem, "mx", NOW)), "bad-assertion");
});

test("a user's assertion for one partner and case is reused for half its lifetime, then signed afresh", async () => {
  const first = await signUserAssertion(us, "ca", user, NOW);
  const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
  assert.equal(await signUserAssertion(us, "ca", user, later(60)), first);
  assert.notEqual(await signUserAssertion(us, "ca", { ...user, caseReference: "CASE-2" }, later(60)), first);
  assert.notEqual(await signUserAssertion(us, "mx", user, later(60)), first);
  assert.notEqual(await signUserAssertion(mx, "ca", { ...user, node: "mx" }, later(60)), first);
  const renewed = await signUserAssertion(us, "ca", user, later(150));
  assert.notEqual(renewed, first);
  assert.deepEqual(await verifyUserAssertion(renewed, "us", us.publicKeyPem, "ca", later(150)), user);
  // A clock set back never gets an assertion issued after it.
  assert.notEqual(await signUserAssertion(us, "ca", user, later(-10)), renewed);
});
