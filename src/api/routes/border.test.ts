// Screening over HTTP on one node: lookouts registered by supervisors, crossings screened one at a time and in
// batches, referrals in the port's queue with their reasons, malformed batches refused whole with the place and field
// of the first bad crossing and nothing written, and a false match suppressed, overridden and audited.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Crossing, ScreeningDecision } from "../../border/model.ts";
import { createTestNode, type TestNode, withAuditFailing } from "../../node/test-node.ts";
import { AuditRepository } from "../../store/audit-repository.ts";
import { UserRepository } from "../../store/user-repository.ts";
import { buildServer } from "../server.ts";

const now = new Date("2026-06-01T12:00:00.000Z");
let node: TestNode;
let app: FastifyInstance;
const tokens: Record<string, string> = {};

before(async () => {
  node = await createTestNode("us", "US", { clock: () => now });
  app = await buildServer(node);
  tokens.officer = await node.signedInUser("olga", ["border-officer"]);
  tokens.supervisor = await node.signedInUser("sam", ["supervisor"]);
  tokens.chief = await node.signedInUser("carla", ["supervisor"]);
  tokens.analyst = await node.signedInUser("ana", ["analyst"]);
});
after(async () => {
  await app.close();
  await node.dispose();
});

const call = (who: string, method: "GET" | "POST" | "DELETE", url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });

let serial = 0;
function crossing(values: Partial<Crossing> = {}): Crossing {
  return {
    id: `RFID-${++serial}`,
    port: "2504",
    lane: "general",
    time: "2026-06-01T11:59:00Z",
    conveyance: { kind: "vehicle", plate: "8ABC123", plateJurisdiction: "US-CA" },
    people: [{ name: "Ana Torres", birthDate: "1990-01-01", nationality: "US", role: "driver" }],
    ...values,
  };
}
/** The traveller the lookout below is on, as a booth's document reader writes him. */
const wanted = {
  name: "HERNANDEZ GARCIA, JOSE LUIS",
  birthDate: "1980-03-05",
  nationality: "MX",
  document: { type: "passport", number: "G0000001", country: "MX" },
};

const auditKinds = async () =>
  (await new AuditRepository(node.database.db).entries(0, 100_000)).map((entry) => ({
    kind: entry.kind,
    actor: entry.actor,
    details: JSON.parse(entry.details) as Record<string, unknown>,
  }));
const referralCount = async () =>
  (await call("officer", "GET", "/api/v1/border/referrals?limit=1000")).json().referrals.length;

/** How the audit log names a user. */
const actor = async (username: string) =>
  `user:${(await new UserRepository(node.database.db).findByUsername(username))?.id}`;

let lookoutId = "";

describe("lookouts", () => {
  test("a supervisor registers a lookout, an officer may not, and bad ones are refused naming the field", async () => {
    const lookout = {
      subject: { person: { name: "José Luis Hernández García", birthDate: "1980-03-05", nationality: "MX" } },
      reason: "Warrant: trafficking (case file)",
      severity: "high",
      caseReference: "HSI-SD-2026-0042",
      expiresAt: "2026-09-01T00:00:00Z",
      markings: { tlp: "AMBER", releasableCountries: ["MX"] },
    };
    assert.equal((await call("officer", "POST", "/api/v1/border/lookouts", lookout)).statusCode, 404);
    const created = await call("supervisor", "POST", "/api/v1/border/lookouts", lookout);
    assert.equal(created.statusCode, 201);
    lookoutId = created.json().id;
    assert.equal(created.json().version, 1);
    const listed = await call("supervisor", "GET", "/api/v1/border/lookouts");
    assert.deepEqual(
      listed
        .json()
        .lookouts.map((view: { id: string; reason: string; markings: { tlp: string } }) => [
          view.id,
          view.reason,
          view.markings.tlp,
        ]),
      [[lookoutId, lookout.reason, "AMBER"]],
    );
    const refused = await call("supervisor", "POST", "/api/v1/border/lookouts", {
      ...lookout,
      subject: { person: { name: "Ana", birthDate: "1980-02-30" } },
    });
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().issues[0].path, "subject.person.birthDate");
    const late = await call("supervisor", "POST", "/api/v1/border/lookouts", {
      ...lookout,
      expiresAt: "2028-01-01T00:00:00Z",
    });
    assert.equal(late.json().issues[0].path, "expiresAt");
    const empty = await call("supervisor", "POST", "/api/v1/border/lookouts", { ...lookout, subject: {} });
    assert.equal(empty.json().issues[0].path, "subject");
  });
});

describe("screening", () => {
  test("a crossing with the lookout's subject under a spelling variant is referred with its reason and queued", async () => {
    const answer = await call(
      "officer",
      "POST",
      "/api/v1/border/screen",
      crossing({ id: "RFID-HIT", people: [wanted] }),
    );
    assert.equal(answer.statusCode, 200);
    const decision = answer.json() as ScreeningDecision;
    assert.equal(decision.crossingId, "RFID-HIT");
    assert.deepEqual([decision.band, decision.refer], ["high", true]);
    assert.equal(decision.reasons[0]?.rule, "lookout.person.match");
    assert.equal(decision.reasons[0]?.lookoutId, lookoutId);
    assert.doesNotMatch(JSON.stringify(decision), /Warrant|HSI-SD|Hern[aá]ndez/iu, "nothing of the lookout but its id");
    const queue = await call("officer", "GET", "/api/v1/border/referrals?port=2504");
    const [referral] = queue.json().referrals;
    assert.equal(referral.crossing.id, "RFID-HIT");
    assert.equal(referral.decision.reasons[0].lookoutId, lookoutId);
    assert.equal(referral.contacts[0].lookoutId, lookoutId);
    assert.equal(referral.outcome, null);
    assert.deepEqual((await call("officer", "GET", "/api/v1/border/referrals?port=0250")).json().referrals, []);
    const [entry] = (await auditKinds()).filter((audit) => audit.kind === "border.screen");
    assert.deepEqual(entry?.details, {
      crossings: 1,
      referred: ["RFID-HIT"],
      randomInspections: 0,
      rulesVersion: decision.rulesVersion,
    });
    assert.equal(entry?.actor, await actor("olga"));
  });

  test("a batch is answered in order, and someone without the border role may not screen", async () => {
    const batch = [crossing({ id: "B-1" }), crossing({ id: "B-2", people: [wanted] }), crossing({ id: "B-3" })];
    const answer = await call("officer", "POST", "/api/v1/border/screen", { crossings: batch });
    const { decisions } = answer.json() as { decisions: ScreeningDecision[] };
    assert.deepEqual(
      decisions.map((decision) => [decision.crossingId, decision.refer]),
      [
        ["B-1", false],
        ["B-2", true],
        ["B-3", false],
      ],
    );
    assert.equal((await call("analyst", "POST", "/api/v1/border/screen", { crossings: batch })).statusCode, 404);
  });

  test("a malformed batch is refused whole, naming the first bad crossing and field, and nothing is written", async () => {
    const referrals = await referralCount();
    const screens = (await auditKinds()).filter((entry) => entry.kind === "border.screen").length;
    const good = () => crossing({ people: [wanted] });
    const { port: _port, ...portless } = good();
    const cases: Array<[string, unknown[], number, string]> = [
      ["bad lane", [good(), good(), { ...good(), lane: "diplomatic" }], 2, "lane"],
      ["missing port", [good(), portless, { ...good(), lane: "bad" }], 1, "port"],
      ["bad time", [good(), good(), good(), { ...good(), time: "2026-02-30T10:00:00Z" }], 3, "time"],
      [
        "bad birth date",
        [good(), { ...good(), people: [{ name: "Ana", birthDate: "1980-02-30" }] }],
        1,
        "people[0].birthDate",
      ],
      ["unknown field", [{ ...good(), colour: "red" }], 0, "colour"],
      ["10,001 crossings", Array.from({ length: 10_001 }, good), 10_000, ""],
    ];
    for (const [what, crossings, index, field] of cases) {
      const answer = await call("officer", "POST", "/api/v1/border/screen", { crossings });
      assert.equal(answer.statusCode, 422, what);
      assert.match(String(answer.headers["content-type"]), /^application\/problem\+json/u);
      const problem = answer.json();
      assert.equal(problem.type, "urn:puente:problem:validation-failed", what);
      assert.deepEqual([problem.index, problem.field], [index, field], what);
      assert.match(problem.detail, new RegExp(`^crossing ${index}`, "u"), what);
    }
    const single = await call("officer", "POST", "/api/v1/border/screen", { ...good(), lane: "bus-only" });
    assert.deepEqual([single.statusCode, single.json().index, single.json().field], [422, 0, "lane"]);
    assert.equal(await referralCount(), referrals, "no referral written");
    assert.equal(
      (await auditKinds()).filter((entry) => entry.kind === "border.screen").length,
      screens,
      "no screening logged",
    );
  });
});

describe("suppressions", () => {
  const screenWanted = async (id: string) =>
    (
      await call("officer", "POST", "/api/v1/border/screen", crossing({ id, people: [wanted] }))
    ).json() as ScreeningDecision;

  test("a false match found at inspection is proposed, confirmed by another supervisor, and stops the hit", async () => {
    const [referral] = (await call("officer", "GET", "/api/v1/border/referrals?port=2504")).json().referrals;
    const outcome = await call("officer", "POST", `/api/v1/border/referrals/${referral.id}/outcome`, {
      outcome: "false-match",
      note: "different person: born in Oaxaca, checked with the case agent",
      suppress: [{ lookoutId, traveller: 0 }],
    });
    assert.equal(outcome.statusCode, 200);
    const [proposal] = outcome.json().suppressions;
    assert.equal(proposal.status, "pending");
    assert.equal(proposal.identity, "document:MX:G0000001");
    assert.equal(outcome.json().referral.outcome, "false-match");
    const again = await call("officer", "POST", `/api/v1/border/referrals/${referral.id}/outcome`, {
      outcome: "found",
    });
    assert.equal(again.statusCode, 422, "an outcome is recorded once");
    assert.equal((await screenWanted("S-1")).refer, true, "a proposal alone changes nothing");

    assert.equal((await call("officer", "POST", `/api/v1/border/suppressions/${proposal.id}/confirm`)).statusCode, 404);
    const confirmed = await call("supervisor", "POST", `/api/v1/border/suppressions/${proposal.id}/confirm`);
    assert.equal(confirmed.json().status, "active");
    const suppressed = await screenWanted("S-2");
    assert.deepEqual([suppressed.refer, suppressed.band], [false, "low"]);
    assert.deepEqual(
      suppressed.reasons.map((reason) => [reason.rule, reason.weight, reason.lookoutId]),
      [["suppressed", 0, lookoutId]],
    );

    const removed = await call("supervisor", "DELETE", `/api/v1/border/suppressions/${proposal.id}`);
    assert.equal(removed.json().status, "removed");
    const back = await screenWanted("S-3");
    assert.deepEqual([back.refer, back.reasons[0]?.rule], [true, "lookout.person.match"]);

    const [olga, sam] = [await actor("olga"), await actor("sam")];
    const audited = (await auditKinds()).filter((entry) => entry.kind.startsWith("border.suppression"));
    assert.deepEqual(
      audited.map((entry) => [entry.kind, entry.actor, entry.details.suppression ?? entry.details.status]),
      [
        ["border.suppression-proposed", olga, proposal.id],
        ["border.suppression-confirm", olga, 404],
        ["border.suppression-confirmed", sam, proposal.id],
        ["border.suppression-confirm", sam, 200],
        ["border.suppression-removed", sam, proposal.id],
        ["border.suppression-remove", sam, 200],
      ],
    );
  });

  test("whoever proposed a suppression cannot confirm it; without a document a birth date identifies", async () => {
    const proposed = await call("supervisor", "POST", "/api/v1/border/suppressions", {
      lookoutId,
      traveller: { name: "José Luis Hernández", birthDate: "1980-03-05" },
      reason: "namesake known to the port",
    });
    assert.equal(proposed.statusCode, 201);
    assert.match(proposed.json().identity, /^person:jose luis hernandez:1980-03-05$/u);
    const own = await call("supervisor", "POST", `/api/v1/border/suppressions/${proposed.json().id}/confirm`);
    assert.equal(own.statusCode, 422);
    assert.equal(
      (await call("chief", "POST", `/api/v1/border/suppressions/${proposed.json().id}/confirm`)).statusCode,
      200,
    );
    const listed = await call("chief", "GET", "/api/v1/border/suppressions?status=active");
    assert.deepEqual(
      listed.json().suppressions.map((row: { id: string }) => row.id),
      [proposed.json().id],
    );
    const unknown = await call("officer", "POST", "/api/v1/border/suppressions", {
      lookoutId: "LO-nobody",
      traveller: { name: "X", birthDate: "1980-01-01" },
      reason: "r",
    });
    assert.equal(unknown.statusCode, 404);
    const anonymous = await call("officer", "POST", "/api/v1/border/suppressions", {
      lookoutId,
      traveller: { name: "X" },
      reason: "r",
    });
    assert.equal(anonymous.statusCode, 422);
  });

  test("an outcome or a confirmation whose audit entry cannot be written is undone: the hit still counts", async () => {
    const traveller = { ...wanted, document: { type: "passport", number: "G0000002", country: "MX" } };
    const screenTraveller = async (id: string) =>
      (
        await call("officer", "POST", "/api/v1/border/screen", crossing({ id, people: [traveller] }))
      ).json() as ScreeningDecision;
    assert.equal((await screenTraveller("F-1")).refer, true);
    const referral = (await call("officer", "GET", "/api/v1/border/referrals?port=2504"))
      .json()
      .referrals.find((row: { crossing: Crossing }) => row.crossing.id === "F-1");
    const { name, birthDate, document } = traveller;
    const proposed = await call("officer", "POST", "/api/v1/border/suppressions", {
      lookoutId,
      traveller: { name, birthDate, document },
      reason: "a cousin with the same name",
    });
    assert.equal(proposed.statusCode, 201, proposed.body);
    const outcome = { outcome: "false-match", suppress: [{ lookoutId, traveller: 0 }] };
    const [recorded, confirmed] = await withAuditFailing(node, async () => [
      await call("officer", "POST", `/api/v1/border/referrals/${referral.id}/outcome`, outcome),
      await call("chief", "POST", `/api/v1/border/suppressions/${proposed.json().id}/confirm`),
    ]);
    assert.equal(recorded.statusCode, 503);
    assert.equal(confirmed.statusCode, 503);
    assert.equal((await screenTraveller("F-2")).refer, true, "the suppression is not in force");
    const pending = (await call("chief", "GET", "/api/v1/border/suppressions?status=pending")).json().suppressions;
    assert.deepEqual(
      pending.map((row: { id: string }) => row.id),
      [proposed.json().id],
      "still pending; the outcome's own proposal was undone with it",
    );
    const again = await call("officer", "POST", `/api/v1/border/referrals/${referral.id}/outcome`, {
      outcome: "found",
    });
    assert.equal(again.statusCode, 200, "the outcome was not recorded, so it can be now");
    assert.equal(
      (await call("chief", "POST", `/api/v1/border/suppressions/${proposed.json().id}/confirm`)).statusCode,
      200,
    );
    assert.equal((await screenTraveller("F-3")).refer, false);
  });

  test("a withdrawn lookout stops hitting", async () => {
    assert.equal((await call("supervisor", "DELETE", `/api/v1/border/lookouts/${lookoutId}`)).json().version, 2);
    assert.deepEqual((await screenWanted("W-1")).reasons, []);
    assert.equal((await call("supervisor", "DELETE", `/api/v1/border/lookouts/${lookoutId}`)).statusCode, 404);
  });
});

describe("a lookout change whose audit entry cannot be written", () => {
  const subject = { person: { name: "Rigoberto Salcido Uribe", birthDate: "1975-11-20", nationality: "MX" } };
  const traveller = { name: "SALCIDO URIBE, RIGOBERTO", birthDate: "1975-11-20", nationality: "MX" };
  const screened = async (id: string) =>
    (
      (
        await call("officer", "POST", "/api/v1/border/screen", crossing({ id, port: "2506", people: [traveller] }))
      ).json() as ScreeningDecision
    ).refer;
  const lookout = {
    subject,
    reason: "Warrant: money laundering",
    severity: "high",
    caseReference: "HSI-SD-2026-0077",
    expiresAt: "2026-09-01T00:00:00Z",
    markings: { tlp: "AMBER" },
  };

  test("is not kept: a registration is not screened against, a withdrawal does not stop the hits", async () => {
    const before = (await call("supervisor", "GET", "/api/v1/border/lookouts")).json().lookouts.length;
    const refused = await withAuditFailing(node, () => call("supervisor", "POST", "/api/v1/border/lookouts", lookout));
    assert.equal(refused.statusCode, 503);
    assert.equal((await call("supervisor", "GET", "/api/v1/border/lookouts")).json().lookouts.length, before);
    assert.equal(await screened("L-1"), false, "not in the index");

    const registered = await call("supervisor", "POST", "/api/v1/border/lookouts", lookout);
    assert.equal(registered.statusCode, 201);
    assert.equal(await screened("L-2"), true);
    const id = registered.json().id;
    const kept = await withAuditFailing(node, () => call("supervisor", "DELETE", `/api/v1/border/lookouts/${id}`));
    assert.equal(kept.statusCode, 503);
    assert.equal(await screened("L-3"), true, "still in the index");
    const withdrawn = await call("supervisor", "DELETE", `/api/v1/border/lookouts/${id}`);
    assert.equal(withdrawn.json().version, registered.json().version + 1, "the undone withdrawal took no version");
    assert.equal(await screened("L-4"), false);
  });
});
