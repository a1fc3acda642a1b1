// Partners' lookouts across three real nodes over HTTP: what a node's markings let leave reaches each partner's cache
// through the signed route (TLP:RED and AMBER+STRICT never do, not even their ids, and a releasable-to list is
// honoured), screening answers from the cache while the owner is offline, and withdrawals and expiries reach the
// cache too.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startFederation, type TestFederation, tapWire, testPrincipal } from "../../federation/test-federation.ts";
import type { TestNode } from "../../node/test-node.ts";
import { AuditRepository } from "../../store/audit-repository.ts";
import type { Crossing } from "../model.ts";
import type { LookoutInput } from "./lookouts.ts";
import { BORDER_LOOKOUTS_PATH } from "./partner-sync.ts";
import type { PartnerLookoutView } from "./screening-service.ts";

let now = new Date("2026-06-01T08:00:00.000Z");
const clock = () => now;
let federation: TestFederation;
let us: TestNode;
let mx: TestNode;
let ca: TestNode;
const supervisor = testPrincipal("sup", ["supervisor"]);
const officer = testPrincipal("officer", ["border-officer"]);
/** Every exchange between the nodes, as the wire carried it. */
let tap: ReturnType<typeof tapWire>;
const ids: Record<string, string> = {};

const lookout = (subject: LookoutInput["subject"], tlp: string, extra: Partial<LookoutInput> = {}): LookoutInput => ({
  subject,
  reason: "Wanted for questioning (internal case notes)",
  severity: "high",
  caseReference: "HSI-2026-77",
  expiresAt: "2026-09-01T00:00:00Z",
  markings: { tlp },
  ...extra,
});

before(async () => {
  federation = await startFederation(
    [
      ["us", "US"],
      ["mx", "MX"],
      ["ca", "CA"],
    ],
    clock,
  );
  ({ us, mx, ca } = federation.nodes as { us: TestNode; mx: TestNode; ca: TestNode });
  tap = tapWire();
  const register = async (name: string, input: LookoutInput) => {
    ids[name] = (await us.screening.registerLookout(supervisor, input)).id;
  };
  await register(
    "forMexico",
    lookout({ person: { name: "Ramón Ortega Vidal", birthDate: "1975-07-21" } }, "AMBER", {
      markings: { tlp: "AMBER", releasableCountries: ["MX"] },
    }),
  );
  await register(
    "plate",
    lookout({ conveyance: { plate: "ABC-123", plateJurisdiction: "US-AZ" } }, "GREEN", {
      expiresAt: "2026-06-02T00:00:00Z",
    }),
  );
  await register("red", lookout({ person: { name: "Evaristo Quintanilla Bermúdez", birthDate: "1969-02-11" } }, "RED"));
  await register("strict", lookout({ person: { name: "Teodora Valdivia", birthDate: "1988-12-01" } }, "AMBER+STRICT"));
});

after(async () => {
  tap.stop();
  await federation.close();
});

const cached = async (node: TestNode) =>
  ((await node.screening.lookouts(supervisor, "partners", 100)) as PartnerLookoutView[])
    .map((view) => `${view.owner}:${view.id}`)
    .sort();

const crossing = (values: Partial<Crossing>): Crossing => ({
  id: `X-${Math.random()}`,
  port: "2304",
  lane: "general",
  time: now.toISOString(),
  conveyance: { kind: "vehicle" },
  people: [],
  ...values,
});

test("a partner's lookouts reach the cache through the signed route as its markings allow; TLP:RED never does", async () => {
  const reports = await mx.screening.syncPartners();
  assert.deepEqual(
    reports.map((report) => [report.partner, report.status, report.kept]),
    [
      ["us", "ok", 2],
      ["ca", "ok", 0],
    ],
  );
  assert.deepEqual(await cached(mx), [`us:${ids.forMexico}`, `us:${ids.plate}`].sort());
  await ca.screening.syncPartners();
  assert.deepEqual(await cached(ca), [`us:${ids.plate}`], "releasable to Mexico only: not to Canada");
  const syncs = tap.exchanges.filter((exchange) => exchange.url.includes(BORDER_LOOKOUTS_PATH));
  assert.ok(syncs.length >= 2, "the tap saw both partners' syncs");
  const wire = syncs.map((exchange) => exchange.response).join("\n");
  assert.match(wire, new RegExp(ids.plate as string, "u"), "what is shared does cross the wire");
  for (const hidden of [ids.red, ids.strict, "Quintanilla", "Valdivia"])
    assert.ok(!wire.includes(hidden as string), hidden);
  assert.doesNotMatch(wire, /internal case notes|HSI-2026-77/u, "the reason and case stay home");
  const [shared] = (await mx.screening.lookouts(supervisor, "partners", 100)) as PartnerLookoutView[];
  assert.deepEqual(Object.keys(shared ?? {}).sort(), [
    "contact",
    "expiresAt",
    "id",
    "owner",
    "receivedAt",
    "severity",
    "subject",
    "tlp",
  ]);
  // Only a partner's signed request is answered.
  const unsigned = await fetch(`${us.federation.member("us")?.endpoint}${BORDER_LOOKOUTS_PATH}?since=0`);
  assert.equal(unsigned.status, 401);
  const served = (await new AuditRepository(us.database.db).entries(0, 1000)).filter(
    (entry) => entry.kind === "border.lookouts-shared" && entry.actor === "node:mx",
  );
  assert.deepEqual(JSON.parse(served[0]?.details ?? "{}").lookouts.sort(), [ids.forMexico, ids.plate].sort());
});

test("screening answers from the cache while the owner is offline, naming the owner", async () => {
  await federation.goOffline("us");
  try {
    const [decision] = await mx.screening.screen(officer, [
      crossing({ people: [{ name: "Ramon Ortega", birthDate: "1975-07-21" }] }),
    ]);
    assert.equal(decision?.refer, true);
    assert.deepEqual(
      decision?.reasons.map((reason) => [reason.rule, reason.lookoutId, reason.owner]),
      [["partner-lookout.person.match", ids.forMexico, "us"]],
    );
    const [plate] = await ca.screening.screen(officer, [
      crossing({ conveyance: { kind: "vehicle", plate: "abc 123", plateJurisdiction: "us-az" } }),
    ]);
    assert.equal(plate?.reasons[0]?.rule, "partner-lookout.plate");
    const [referral] = await mx.screening.referrals(officer, "2304", 10);
    assert.deepEqual(
      referral?.contacts.map((contact) => contact.owner),
      ["us"],
    );
    const [report] = await mx.screening.syncPartners();
    assert.notEqual(report?.status, "ok", "us is offline");
    assert.deepEqual(await cached(mx), [`us:${ids.forMexico}`, `us:${ids.plate}`].sort(), "the cache is kept");
  } finally {
    await federation.comeBack("us");
  }
});

test("a withdrawn lookout leaves the partners' caches at their next sync, an expired one by itself", async () => {
  await us.screening.withdrawLookout(supervisor, ids.forMexico as string);
  const [report] = await mx.screening.syncPartners();
  assert.deepEqual([report?.status, report?.kept, report?.removed], ["ok", 0, 1]);
  assert.deepEqual(await cached(mx), [`us:${ids.plate}`]);
  const [decision] = await mx.screening.screen(officer, [
    crossing({ people: [{ name: "Ramon Ortega", birthDate: "1975-07-21" }] }),
  ]);
  assert.deepEqual(decision?.reasons, []);
  now = new Date("2026-06-02T00:00:01.000Z");
  const [late] = await ca.screening.screen(officer, [
    crossing({ conveyance: { kind: "vehicle", plate: "ABC123", plateJurisdiction: "US-AZ" } }),
  ]);
  assert.deepEqual(late?.reasons, [], "expired: no longer answered");
  await ca.screening.prune();
  assert.deepEqual(await cached(ca), []);
  const received = (await new AuditRepository(mx.database.db).entries(0, 1000)).filter(
    (entry) => entry.kind === "border.partner-lookouts-received",
  );
  assert.deepEqual(
    received.map((entry) => JSON.parse(entry.details)),
    [
      { kept: 2, removed: 0, refused: 0 },
      { kept: 0, removed: 1, refused: 0 },
    ],
  );
});
