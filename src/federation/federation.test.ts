// The node's view of its federation: a manifest changed on disk (by `puente federation revoke`, say) is read again
// from the next turn of the event loop on, while the several looks one request takes share one read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { revokeFromFederation } from "./membership.ts";
import { startTwoNodes } from "./test-federation.ts";

test("a revocation written to the manifest counts from the next turn of the event loop", async () => {
  const nodes = await startTwoNodes(() => new Date());
  try {
    const { us } = nodes;
    assert.equal(us.federation.isRevoked("mx"), false);
    assert.ok(us.federation.keyOf("mx"));
    await nextTurn();
    await revokeFromFederation(us.dir, "mx", "key compromised");
    await nextTurn();
    assert.equal(us.federation.isRevoked("mx"), true);
    assert.equal(
      us.federation.partners().some((partner) => partner.nodeId === "mx"),
      false,
      "a revoked node is no partner",
    );
  } finally {
    await nodes.close();
  }
});
