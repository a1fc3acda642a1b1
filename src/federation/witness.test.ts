// Witnessing between two nodes over HTTP: heads that extend the log are kept; a node that rewrote its history,
// even with every hash recomputed, is caught by the partner that witnessed a head from before.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { leafHash } from "../audit/merkle.ts";
import { canonicalJson } from "../crypto/canonical-json.ts";
import { AuditRepository } from "../store/audit-repository.ts";
import { startTwoNodes, type TwoNodes } from "./test-federation.ts";

let nodes: TwoNodes;
before(async () => {
  nodes = await startTwoNodes(() => new Date());
});
after(async () => nodes.close());

const log = (count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      nodes.mx.audit.append({ kind: "test.event", actor: "system", details: { i } }),
    ),
  );

test("heads that extend the log are witnessed; a rewritten history raises an alarm at the witness", async () => {
  const { mx, us } = nodes;
  await log(6);
  assert.deepEqual(
    (await mx.witness.publish()).map((p) => p.outcome),
    [{ witnessed: 6 }],
  );
  await log(5);
  const grown = await mx.witness.publish();
  assert.ok(grown[0]?.outcome && "witnessed" in grown[0].outcome && grown[0].outcome.witnessed > 6);
  // An insider at Mexico rewrites entry 2 and recomputes its hash, then signs a fresh head.
  const [row] = await mx.database.db.selectFrom("audit_log").selectAll().where("seq", "=", 2).execute();
  assert.ok(row);
  const details = canonicalJson({ i: "rewritten" });
  const leaf = leafHash(
    canonicalJson({ seq: 2, at: row.at, kind: row.kind, actor: row.actor, details: JSON.parse(details) }),
  );
  await sql`UPDATE audit_log SET details = ${details}, leaf_hash = ${leaf.toString("hex")} WHERE seq = 2`.execute(
    mx.database.db,
  );
  await log(1);
  const [answer] = await mx.witness.publish();
  assert.ok(answer?.outcome && "alarm" in answer.outcome, JSON.stringify(answer));
  const alarms = await new AuditRepository(us.database.db).alarms();
  assert.equal(alarms.length, 1);
  assert.equal(alarms[0]?.node, "mx");
  assert.match(alarms[0]?.problem ?? "", /does not extend/u);
  const evidence = JSON.parse(alarms[0]?.evidence ?? "{}");
  assert.ok(evidence.witnessed && evidence.received, "both signed heads are kept as evidence");
});
