// The federation manifest: versions signed by members, successors accepted only from a current member, revoked
// nodes kept out, and files that do not verify refused with the field at fault.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generateNodeKeyPair } from "../crypto/keys.ts";
import {
  addMember,
  checkSuccession,
  countersign,
  createManifest,
  loadManifest,
  MANIFEST_FILE,
  ManifestError,
  type Member,
  parseManifest,
  revokeMember,
  saveManifest,
} from "./manifest.ts";

const NOW = new Date("2026-11-22T12:00:00Z");
const keys = {
  us: generateNodeKeyPair(),
  mx: generateNodeKeyPair(),
  ca: generateNodeKeyPair(),
  zz: generateNodeKeyPair(),
};
const member = (nodeId: keyof typeof keys, country: string): Member => ({
  nodeId,
  agency: `Agency ${nodeId}`,
  country,
  endpoint: `http://127.0.0.1:74${country === "US" ? "01" : "02"}`,
  publicKey: keys[nodeId].publicKeyPem,
  roles: ["member"],
});

test("a federation grows by invitations, each version signed, and members countersign", () => {
  const v1 = createManifest("americas", member("us", "US"), keys.us, NOW);
  const v2 = addMember(v1, member("mx", "MX"), "us", keys.us, NOW);
  const joined = countersign(v2, "mx", keys.mx);
  const parsed = parseManifest(JSON.stringify(joined), "federation.json");
  assert.deepEqual(Object.keys(parsed.signatures).sort(), ["mx", "us"]);
  assert.equal(parsed.version, 2);
  checkSuccession(v1, parsed);
  assert.throws(() => countersign(v2, "mx", keys.ca), /another public key/u);
  assert.throws(() => addMember(v2, member("mx", "MX"), "us", keys.us, NOW), /already a member/u);
});

test("a version issued by a non-member, an older version, or an altered file is refused", () => {
  const v1 = createManifest("americas", member("us", "US"), keys.us, NOW);
  const v2 = addMember(v1, member("mx", "MX"), "us", keys.us, NOW);
  // A stranger writes themselves in and signs the result.
  const stranger = createManifest("americas", member("zz", "CA"), keys.zz, NOW);
  const forged = addMember({ ...stranger, version: 5 }, member("mx", "MX"), "zz", keys.zz, NOW);
  assert.throws(() => checkSuccession(v2, forged), /not a member/u);
  assert.throws(() => checkSuccession(v2, v1), /not newer/u);
  const altered = { ...v2, members: v2.members.map((m) => ({ ...m, endpoint: "http://evil.example" })) };
  assert.throws(
    () => parseManifest(JSON.stringify(altered), "federation.json"),
    (error) => error instanceof ManifestError && /signatures\.us/u.test(error.message),
  );
  assert.throws(() => parseManifest("{", "federation.json"), /federation\.json: not JSON/u);
});

test("revocation removes a member for good; it cannot be revoked by itself or invited back", () => {
  let manifest = createManifest("americas", member("us", "US"), keys.us, NOW);
  manifest = addMember(manifest, member("mx", "MX"), "us", keys.us, NOW);
  assert.throws(() => revokeMember(manifest, "us", "self", "us", keys.us, NOW), /cannot revoke itself/u);
  const revoked = revokeMember(manifest, "mx", "compromised key", "us", keys.us, NOW);
  assert.deepEqual(
    revoked.members.map((m) => m.nodeId),
    ["us"],
  );
  assert.equal(revoked.revoked[0]?.reason, "compromised key");
  assert.throws(() => addMember(revoked, member("mx", "MX"), "us", keys.us, NOW), /was revoked/u);
});

test("saved manifests load back; a file that does not verify names itself", () => {
  const dir = mkdtempSync(join(tmpdir(), "puente-manifest-"));
  try {
    assert.equal(loadManifest(dir), undefined);
    const manifest = createManifest("americas", member("us", "US"), keys.us, NOW);
    saveManifest(dir, manifest);
    assert.deepEqual(loadManifest(dir), manifest);
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, version: 9 }));
    assert.throws(
      () => loadManifest(dir),
      (error) => error instanceof ManifestError && error.message.includes(MANIFEST_FILE),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
