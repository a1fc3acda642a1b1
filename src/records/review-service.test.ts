// The 28 CFR Part 23 review queue: statements due by their review-by date are listed; keeping one needs a reason
// and renews its date by at most five years from the review; purging retracts it (which the exchange passes on to
// every recipient); both are in the audit log with the reviewer and reason; only supervisors review.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { testPrincipal } from "../federation/test-federation.ts";
import { createTestNode, type TestNode } from "../node/test-node.ts";
import { AuditRepository } from "../store/audit-repository.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "./entity-service.ts";

let now = new Date("2026-11-22T12:00:00Z");
let node: TestNode;
const supervisor = testPrincipal("sara", ["supervisor"]);
const analyst = testPrincipal("ana", ["analyst"]);

before(async () => {
  node = await createTestNode("mx", "MX", { clock: () => now });
  const intelligence = { criminalIntelligence: true, reasonableSuspicion: "Seizure report 2026-31" };
  await node.entities.saveEntity(supervisor, {
    id: "ci-1",
    schema: "Person",
    properties: {
      name: [{ value: "Benito Salas", markings: { ...intelligence, reviewBy: "2026-12-01" } }],
      alias: [{ value: "El Flaco", markings: { ...intelligence, reviewBy: "2026-12-10" } }],
      nationality: [{ value: "MX", markings: { reviewBy: "2030-01-01" } }],
    },
  });
});
after(async () => node.dispose());

test("due statements are listed soonest first; keeping one needs a reason and renews it, purging retracts it", async () => {
  const due = await node.review.due(supervisor, 30);
  assert.deepEqual(
    due.map((s) => [s.property, s.markings.reviewBy]),
    [
      ["name", "2026-12-01"],
      ["alias", "2026-12-10"],
    ],
  );
  await assert.rejects(node.review.due(analyst, 30), NotFoundOrNoAccessError);
  const [name, alias] = due;
  assert.ok(name && alias);
  const base = { entityId: "mx:ci-1", statementId: name.id };
  await assert.rejects(
    node.review.decide(supervisor, { ...base, decision: "retain", reason: " " }),
    ValidationFailedError,
  );
  await assert.rejects(
    node.review.decide(supervisor, { ...base, decision: "retain", reason: "still active", reviewBy: "2032-01-01" }),
    (error) => error instanceof ValidationFailedError && error.issues[0]?.code === "review_too_late",
  );
  const kept = await node.review.decide(supervisor, { ...base, decision: "retain", reason: "Suspect still active" });
  assert.equal(kept.markings.reviewBy, "2031-11-22", "five years from the review");
  const purged = await node.review.decide(supervisor, {
    entityId: "mx:ci-1",
    statementId: alias.id,
    decision: "purge",
    reason: "No longer supported by the investigation",
  });
  assert.ok(purged.retractedAt);
  now = new Date("2026-12-15T12:00:00Z");
  assert.deepEqual(await node.review.due(supervisor, 0), [], "nothing left due");
  const entries = await new AuditRepository(node.database.db).entries(0, 100);
  const reviews = entries.filter((e) => e.kind.startsWith("review."));
  assert.deepEqual(
    reviews.map((e) => [e.kind, e.actor, JSON.parse(e.details).reason]),
    [
      ["review.retained", "user:sara", "Suspect still active"],
      ["review.purged", "user:sara", "No longer supported by the investigation"],
    ],
  );
});
