// Step two between two nodes served over real HTTP in this process: a denial needs a reason and reaches the
// requester; a retraction withdraws just that statement at the recipient, once however often it arrives;
// references the owner never gave are answered like missing records; overdue requests escalate; only
// supervisors decide; a leaked copy names the release it came from, and only that one.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { signCompact } from "../crypto/jws.ts";
import type { TestNode } from "../node/test-node.ts";
import type { Principal } from "../policy/access.ts";
import { POLICY_FILE } from "../policy/node-policy.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../records/entity-service.ts";
import { RELEASE_TYPE } from "./exchange-service.ts";
import { startTwoNodes, type TwoNodes, testPrincipal } from "./test-federation.ts";

let now = new Date("2026-11-22T12:00:00Z");
const clock = () => now;
let us: TestNode;
let mx: TestNode;
let nodes: TwoNodes;
const analyst = testPrincipal("ana", ["analyst"]);
const supervisor = testPrincipal("sara", ["supervisor"]);

before(async () => {
  nodes = await startTwoNodes(clock);
  ({ us, mx } = nodes);
  await mx.entities.saveEntity(supervisor, {
    id: "p-1",
    schema: "Person",
    properties: { firstName: ["Rosario"], lastName: ["Medina"], birthDate: ["1979-04-02"], nationality: ["MX"] },
  });
});

after(async () => nodes.close());

async function hitReference(): Promise<string> {
  const result = await us.federatedSearch.search(analyst, {
    schema: "Person",
    properties: { name: ["Charo Medina"], birthDate: ["1979-04-02"] },
    purpose: "investigation",
    caseReference: "US-1",
    urgency: "standard",
  });
  const reference = result.partners[0]?.hits[0]?.reference;
  assert.ok(reference, JSON.stringify(result.partners));
  return reference;
}

const ask = (reference: string, urgency: "urgent" | "standard" | "other" = "standard") =>
  us.exchange.requestDetails(analyst, {
    partner: "mx",
    reference,
    justification: "Same person as our suspect",
    purpose: "investigation",
    caseReference: "US-1",
    urgency,
  });

/** Searches from us, asks Mexico for the first hit's details, approves the request there and delivers the release. */
async function approvedRequest(name: string, birthDate: string, purpose: string) {
  const result = await us.federatedSearch.search(analyst, {
    schema: "Person",
    properties: { name: [name], birthDate: [birthDate] },
    purpose,
    caseReference: "US-9",
    urgency: "standard",
  });
  const asked = await ask(result.partners[0]?.hits[0]?.reference ?? "");
  const pending = (await mx.exchange.queue(supervisor)).find((r) => r.requester_request_id === asked.id);
  assert.ok(pending);
  await mx.exchange.decide(supervisor, pending.id, { decision: "approve" });
  await mx.outbox.deliverDue();
  return asked;
}

test("a denial needs a reason, and the reason reaches the requester", async () => {
  const asked = await ask(await hitReference());
  const [incoming] = await mx.exchange.queue(supervisor);
  assert.ok(incoming);
  await assert.rejects(
    mx.exchange.decide(analyst, incoming.id, { decision: "deny", reason: "x" }),
    NotFoundOrNoAccessError,
  );
  await assert.rejects(mx.exchange.decide(supervisor, incoming.id, { decision: "deny" }), ValidationFailedError);
  await mx.exchange.decide(supervisor, incoming.id, { decision: "deny", reason: "Ongoing undercover operation" });
  await mx.outbox.deliverDue();
  const mine = await us.exchange.myRequests(analyst);
  const denied = mine.find((request) => request.id === asked.id);
  assert.equal(denied?.status, "denied");
  assert.equal(denied?.decision_reason, "Ongoing undercover operation");
  assert.deepEqual(denied?.releases, []);
  await assert.rejects(
    mx.exchange.decide(supervisor, incoming.id, { decision: "approve" }),
    (error) => error instanceof ValidationFailedError && error.issues[0]?.code === "already_decided",
  );
});

test("a retracted statement is withdrawn at the recipient, once, however often the retraction arrives", async () => {
  const asked = await ask(await hitReference());
  const [incoming] = await mx.exchange.queue(supervisor);
  assert.ok(incoming);
  await mx.exchange.decide(supervisor, incoming.id, { decision: "approve" });
  await mx.outbox.deliverDue();
  const received = (await us.exchange.myRequests(analyst)).find((request) => request.id === asked.id);
  const release = received?.releases[0];
  assert.ok(release);
  const birth = release.statements.find((statement) => statement.property === "birthDate");
  assert.ok(birth, "the release holds the birth date");
  await mx.entities.retractStatement(supervisor, "mx:p-1", birth.statementId);
  await mx.outbox.deliverDue();
  // A retry after a lost acknowledgement: the same retraction again.
  await mx.exchange.retract("mx:p-1", birth.statementId);
  await mx.outbox.deliverDue();
  const after = (await us.exchange.myRequests(analyst)).find((request) => request.id === asked.id)?.releases[0];
  assert.ok(after);
  assert.deepEqual(
    after.statements.map((statement) => statement.property).sort(),
    release.statements
      .map((statement) => statement.property)
      .filter((p) => p !== "birthDate")
      .sort(),
  );
  assert.deepEqual(after.withdrawn, [birth.statementId], "the recipient is told a value was withdrawn");
  const stored = await us.database.db.selectFrom("received_releases").selectAll().execute();
  const row = stored.find((r) => r.id === release.releaseId);
  assert.equal(row?.signed_release, "", "the signed copy, which holds the value, is gone too");
  assert.deepEqual(JSON.parse(row?.withdrawn ?? "[]"), [birth.statementId]);
});

test("a reference the owner never gave is answered like a missing record", async () => {
  await assert.rejects(
    ask("made-up-reference-000000"),
    (error) => error instanceof ValidationFailedError && error.issues[0]?.code === "partner_error",
  );
});

test("a request left undecided past its clock is escalated and comes first in the queue", async () => {
  await ask(await hitReference(), "other");
  await ask(await hitReference(), "urgent");
  now = new Date(now.getTime() + 9 * 3_600_000);
  const queue = await mx.exchange.queue(supervisor);
  assert.equal(queue.length, 2);
  assert.equal(queue[0]?.urgency, "urgent");
  assert.ok(queue[0]?.escalated_at, "the urgent request's eight hours ran out");
  assert.equal(queue[1]?.escalated_at, null, "the other request has seven days");
});

test("the recipient enforces markings too: criminal intelligence only for trained users, lead-only not for evidence", async () => {
  await mx.entities.saveEntity(supervisor, {
    id: "ci-1",
    schema: "Person",
    properties: {
      name: ["Remedios Varo Uranga"],
      birthDate: ["1968-12-16"],
      alias: [
        {
          value: "La Güera",
          markings: {
            criminalIntelligence: true,
            reasonableSuspicion: "Wiretap 2026-4",
            useRestrictions: ["lead-only"],
          },
        },
      ],
    },
  });
  const asked = await approvedRequest("Remedios Varo", "1968-12-16", "investigation");
  const seenBy = async (viewer: Principal) =>
    (await us.exchange.myRequests(viewer)).find((r) => r.id === asked.id)?.releases[0]?.statements ?? [];
  const trained = await seenBy(analyst);
  const alias = trained.find((statement) => statement.property === "alias");
  assert.equal(alias?.value, "La Güera");
  assert.equal(alias?.usableInEvidence, false, "lead only travels with the data");
  assert.equal(trained.find((statement) => statement.property === "name")?.usableInEvidence, true);
  const untrained = await seenBy({ ...supervisor, userId: "sam", username: "sam", cfr28Trained: false });
  assert.ok(untrained.length > 0 && !untrained.some((statement) => statement.property === "alias"));
});

test("a subscription is noticed once when the partner records the person, never for what may not leave", async () => {
  const subscribe = (expiresAt: string) =>
    us.subscriptions.subscribe(analyst, {
      schema: "Person",
      properties: { name: ["Guadalupe Ortega Ruiz"], birthDate: ["1991-09-17"] },
      legalBasis: "Court order 2026/118",
      purpose: "fugitive location",
      caseReference: "US-7",
      expiresAt,
    });
  await assert.rejects(subscribe(new Date(now.getTime() - 1000).toISOString()), ValidationFailedError);
  await assert.rejects(subscribe(new Date(now.getTime() + 400 * 86_400_000).toISOString()), ValidationFailedError);
  const subscription = await subscribe(new Date(now.getTime() + 30 * 86_400_000).toISOString());
  assert.deepEqual(subscription.partners, [{ nodeId: "mx", status: "ok" }]);
  const notices = async () =>
    (await us.subscriptions.mySubscriptions(analyst)).find((s) => s.id === subscription.id)?.notices ?? [];
  // A RED record of the person: nothing may leave, so no notice.
  await mx.entities.saveEntity(supervisor, {
    id: "w-red",
    schema: "Person",
    properties: { name: ["Lupe Ortega"], birthDate: ["1991-09-17"] },
    markings: { tlp: "RED" },
  });
  await mx.entities.saveEntity(supervisor, {
    id: "w-other",
    schema: "Person",
    properties: { name: ["Tomás Ibarra"], birthDate: ["1960-01-01"] },
  });
  await mx.outbox.deliverDue();
  assert.deepEqual(await notices(), []);
  const recorded = { id: "w-1", schema: "Person", properties: { name: ["Lupe Ortega"], birthDate: ["1991-09-17"] } };
  await mx.entities.saveEntity(supervisor, recorded);
  await mx.entities.saveEntity(supervisor, {
    ...recorded,
    properties: { ...recorded.properties, nationality: ["MX"] },
  });
  await mx.outbox.deliverDue();
  const received = await notices();
  assert.equal(received.length, 1, "noticed once, though the record was written twice");
  assert.equal(received[0]?.owner_node, "mx");
  assert.equal(received[0]?.band, "match");
  assert.match(received[0]?.point_of_contact ?? "", /duty/u);
});

test("the owner's policy shows nationality with each hit and releases urgent requests without a supervisor", async () => {
  writeFileSync(
    join(mx.dir, POLICY_FILE),
    `permit (principal is Puente::PartnerUser, action in [Puente::Action::"search", Puente::Action::"request"], resource);
     permit (principal, action == Puente::Action::"reveal", resource == Puente::Property::"Person.nationality");
     permit (principal in Puente::Node::"us", action == Puente::Action::"autoRelease", resource)
     when { context.urgency == "urgent" };`,
  );
  const result = await us.federatedSearch.search(analyst, {
    schema: "Person",
    properties: { name: ["Charo Medina"], birthDate: ["1979-04-02"] },
    purpose: "investigation",
    caseReference: "US-1",
    urgency: "urgent",
  });
  const hit = result.partners[0]?.hits[0];
  assert.deepEqual(hit?.released, { nationality: ["MX"] }, "only what the policy reveals, nothing else");
  const asked = await ask(hit?.reference ?? "", "urgent");
  await mx.outbox.deliverDue();
  const mine = (await us.exchange.myRequests(analyst)).find((request) => request.id === asked.id);
  assert.equal(mine?.status, "released");
  assert.equal(mine?.releases.length, 1);
  const decided = await mx.database.db
    .selectFrom("incoming_requests")
    .select("decided_by")
    .where("requester_request_id", "=", asked.id)
    .executeTakeFirst();
  assert.equal(decided?.decided_by, "policy:autoRelease");
});

test("oversight sees who saw a record: the partner, its user, purpose and case; nobody else may ask", async () => {
  const oversight = testPrincipal("olga", ["oversight"]);
  const access = await mx.oversight.whoSaw(oversight, "mx:p-1");
  const kinds = new Set(access.map((entry) => entry.kind));
  for (const kind of ["federation.hits-served", "exchange.request-received", "exchange.release-sent"])
    assert.ok(kinds.has(kind), `${kind} is listed`);
  assert.ok(access.every((entry) => entry.node === "us" && entry.user === "ana" && entry.purpose === "investigation"));
  assert.deepEqual(await mx.oversight.whoSaw(oversight, "mx:never-seen"), []);
  await assert.rejects(mx.oversight.whoSaw(supervisor, "mx:p-1"), NotFoundOrNoAccessError);
  // A handful of searches by one analyst raises no insider-threat alert; only oversight may ask.
  assert.deepEqual(await mx.oversight.alerts(oversight), []);
  await assert.rejects(mx.oversight.alerts(supervisor), NotFoundOrNoAccessError);
});

/** A leaker's copy of released statements: fields and JSON keys reordered, ids dropped, white space changed. */
function reworked(statements: Array<{ statementId: string }>): string {
  const reversedKeys = (value: unknown): unknown =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([key, inner]) => [key, reversedKeys(inner)]),
        )
      : value;
  const fields = statements.map(({ statementId: _, ...rest }) => reversedKeys(rest));
  return JSON.stringify([...fields.slice(3), ...fields.slice(0, 3)].reverse())
    .replace(/,/gu, ",\r\n   ")
    .replace(/([-./()])/gu, " $1\t");
}

test("a leaked copy of one of ten releases of a record, reordered and re-spaced without its caveat, names its release; a copy of none does not", async () => {
  await mx.entities.saveEntity(supervisor, {
    id: "leak-1",
    schema: "Person",
    properties: {
      firstName: ["Teodoro"],
      lastName: ["Quintanilla Reyes"],
      birthDate: ["1971-05-30"],
      nationality: ["MX"],
      phone: ["+52 55 1234 9876"],
      email: ["teo.quintanilla@correo.example.mx"],
      address: ["Calle Sonora 12, Tijuana"],
      passportNumber: ["G12345678"],
      curp: ["QURT710530HBCNYD07"],
      taxNumber: ["QURT710530AB1"],
    },
  });
  const releases = [];
  for (let ask = 1; ask <= 11; ask++) {
    const asked = await approvedRequest("Teodoro Quintanilla", "1971-05-30", `ask ${ask}`);
    const release = (await us.exchange.myRequests(analyst)).find((r) => r.id === asked.id)?.releases[0];
    assert.ok(release?.caveat.includes("REL-"));
    releases.push(release);
  }
  const leakedRelease = releases[6];
  assert.ok(leakedRelease);
  const leaked = reworked(leakedRelease.statements);
  assert.ok(!leaked.includes(leakedRelease.releaseId) && !leaked.includes("REL-"));
  const [best, next] = await mx.exchange.traceLeak(leaked);
  assert.equal(best?.releaseId, leakedRelease.releaseId);
  assert.equal(best?.recipient, "us");
  assert.equal(best?.attributed, true, JSON.stringify([best, next]));
  assert.equal(best?.agreeing, best?.marks);
  assert.ok((next?.agreeing ?? 0) < (best?.agreeing ?? 0));

  // The eleventh release was made but the owner holds no record of sending it: its copy is not pinned on another.
  const unrecorded = releases[10];
  assert.ok(unrecorded);
  await mx.database.db.deleteFrom("sent_releases").where("release_id", "=", unrecorded.releaseId).execute();
  const fromUnrecorded = await mx.exchange.traceLeak(reworked(unrecorded.statements));
  assert.equal(fromUnrecorded.length, 10, "the record's ten sent releases are compared");
  assert.ok(fromUnrecorded.every((match) => !match.attributed && match.agreeing < match.marks));
  // Nor is a copy of the owner's own record, whose values are in canonical form.
  const own = await mx.entities.getEntity(supervisor, "mx:leak-1");
  const fromOwner = await mx.exchange.traceLeak(JSON.stringify(own));
  assert.ok(fromOwner.every((match) => !match.attributed && match.agreeing === 0 && match.marks > 0));

  // The caveat alone, pasted anywhere, names its release outright.
  const first = releases[0];
  assert.ok(first);
  const [byCode] = await mx.exchange.traceLeak(`forwarded note: ${first.caveat}`);
  assert.equal(byCode?.releaseId, first.releaseId);
  assert.equal(byCode?.codeFound, true);
  assert.equal(byCode?.attributed, true);
});

test("a release its owner signed but whose content is malformed is refused, and the requester's screens still open", async () => {
  const asked = await ask(await hitReference());
  const fromMx = us.federation.member("mx");
  assert.ok(fromMx);
  const statement = {
    statementId: "s-1",
    property: "name",
    value: "Rosario Medina",
    provenance: { originNode: "mx", sourceRecord: "r#1", collectedAt: "2026-01-02", recordedBy: "sara" },
  };
  const content = (statements: unknown) => ({
    releaseId: `rel-${Math.random()}`,
    requestId: asked.id,
    owner: "mx",
    recipient: "us",
    issuedAt: now.toISOString(),
    watermark: "w",
    caveat: "c",
    reference: "ref",
    schema: "Person",
    statements,
    redacted: [],
  });
  for (const malformed of [
    null,
    content("all of them"),
    content([null]),
    content([{ ...statement, markings: null }]),
    content([{ ...statement, markings: { tlp: "GREEN" } }]),
  ]) {
    const release = signCompact(
      { alg: "EdDSA", typ: RELEASE_TYPE, kid: "mx" },
      JSON.stringify(malformed),
      mx.keys.privateKeyPem,
    );
    await assert.rejects(us.exchange.receiveRelease(fromMx, { release }), ValidationFailedError);
  }
  const mine = await us.exchange.myRequests(analyst);
  assert.deepEqual(mine.find((request) => request.id === asked.id)?.releases, []);
  assert.ok(Array.isArray(await us.exchange.releasedRecords(analyst)));
});
