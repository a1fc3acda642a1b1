// Deconfliction across three real nodes (us, mx, ca) over HTTP: target and operation conflicts reach both desks
// with contact details only; a notice to an offline node arrives once when it returns; a protected source never
// shows on the wire, and what a partner receives about it looks exactly like an ordinary target conflict.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startFederation, type TestFederation, tapWire, testPrincipal } from "../federation/test-federation.ts";
import type { TestNode } from "../node/test-node.ts";
import { ValidationFailedError } from "../records/entity-service.ts";
import { DECONFLICTION_NOTICES_PATH, type NoticeView } from "./deconfliction-service.ts";

let now = new Date("2026-06-01T08:00:00.000Z");
const clock = () => now;
let federation: TestFederation;
let us: TestNode;
let mx: TestNode;
let ca: TestNode;
const analyst = testPrincipal("agent-smith", ["analyst"]);
const supervisor = testPrincipal("handler-ruiz", ["supervisor"]);
const contactOf = (name: string) => ({ name, email: `${name.toLowerCase().replace(/\W+/gu, ".")}@example.org` });

/** Every exchange between the nodes, as the wire carried it. */
let tap: ReturnType<typeof tapWire>;
const wire = () => tap.exchanges;

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
});

after(async () => {
  tap.stop();
  await federation.close();
});

/** Lets every outbox deliver what is due, twice over, so that answers to deliveries are delivered too. */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++)
    for (const node of [us, mx, ca]) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await node.outbox.deliverDue();
    }
}

const conflictsOn = async (node: TestNode, principal = analyst): Promise<NoticeView[]> =>
  (await node.deconfliction.notices(principal)).filter((notice) => notice.kind === "conflict");

test("a US and a Mexican target on one person under different spellings put a notice on both desks, contacts only", async () => {
  const usTarget = await us.deconfliction.registerTarget(analyst, {
    subject: {
      kind: "person",
      values: { firstName: ["Jose Luis"], lastName: ["Hernandez"], birthDate: ["1980-03-05"] },
    },
    caseReference: "US-HSI-2026-0417",
    contact: contactOf("Agent Smith"),
  });
  const mxTarget = await mx.deconfliction.registerTarget(analyst, {
    subject: {
      kind: "person",
      values: {
        firstName: ["José Luis"],
        lastName: ["Hernández"],
        secondLastName: ["García"],
        birthDate: ["1980-03-05"],
      },
    },
    caseReference: "FGR-UEIDCS-88/2026",
    contact: contactOf("Lic Paredes"),
  });
  await settle();
  const [atUs] = await conflictsOn(us);
  const [atMx] = await conflictsOn(mx);
  assert.equal(atUs?.counterpartNode, "mx");
  assert.deepEqual(atUs?.counterpartContact, contactOf("Lic Paredes"));
  assert.equal(atUs?.itemId, usTarget.id);
  assert.equal(atMx?.counterpartNode, "us");
  assert.deepEqual(atMx?.counterpartContact, contactOf("Agent Smith"));
  assert.equal(atMx?.itemId, mxTarget.id);
  // Nothing of the other side's case: no case reference, no subject.
  assert.ok(!JSON.stringify(atUs).includes("FGR-UEIDCS"));
  assert.ok(!JSON.stringify(atMx).includes("US-HSI"));
  assert.ok(!JSON.stringify(atUs).includes("García"));
  // Canada holds no such target: its desk stays empty.
  assert.deepEqual(await conflictsOn(ca), []);
});

test("a notice is acknowledged and its outcome recorded; another user's handler alerts stay hidden", async () => {
  const [notice] = await conflictsOn(us);
  assert.ok(notice);
  const acknowledged = await us.deconfliction.acknowledge(analyst, notice.id);
  assert.equal(acknowledged.acknowledgedBy, analyst.userId);
  const decided = await us.deconfliction.decide(analyst, notice.id, "joint-operation", "joint briefing on Monday");
  assert.equal(decided.outcome, "joint-operation");
  await assert.rejects(
    us.deconfliction.decide(testPrincipal("clerk", ["oversight"]), notice.id, "no-real-conflict", ""),
    /not found or no access/u,
  );
});

const at = (iso: string) => new Date(iso).toISOString();
const operation = (lat: number, lon: number, startsAt: string, endsAt: string, caseReference: string) => ({
  type: "search-warrant" as const,
  area: { kind: "circle" as const, lat, lon, radiusM: 0 },
  startsAt: at(startsAt),
  endsAt: at(endsAt),
  risk: "high" as const,
  caseReference,
  contact: contactOf(`Lead ${caseReference}`),
});

test("two operations 300 m and one hour apart conflict; two far apart do not", async () => {
  // San Ysidro, then a point 300 m north of it, an hour after the first one ends.
  await us.deconfliction.registerOperation(
    analyst,
    operation(32.5422, -117.0296, "2026-06-02T10:00:00Z", "2026-06-02T12:00:00Z", "US-OP-1"),
  );
  await mx.deconfliction.registerOperation(
    analyst,
    operation(32.5449, -117.0296, "2026-06-02T13:00:00Z", "2026-06-02T14:00:00Z", "MX-OP-1"),
  );
  // Far away: Montréal, the same day.
  await ca.deconfliction.registerOperation(
    analyst,
    operation(45.5017, -73.5673, "2026-06-02T10:00:00Z", "2026-06-02T14:00:00Z", "CA-OP-1"),
  );
  await settle();
  const operationsOn = async (node: TestNode) =>
    (await conflictsOn(node)).filter((notice) => notice.itemKind === "operation");
  assert.deepEqual(
    (await operationsOn(us)).map((notice) => [notice.counterpartNode, notice.counterpartContact.name]),
    [["mx", "Lead MX-OP-1"]],
  );
  assert.deepEqual(
    (await operationsOn(mx)).map((notice) => [notice.counterpartNode, notice.counterpartContact.name]),
    [["us", "Lead US-OP-1"]],
  );
  assert.deepEqual(await operationsOn(ca), []);
});

test("a notice to a node that was offline arrives once after it returns", async () => {
  await mx.deconfliction.registerTarget(analyst, {
    subject: { kind: "phone", values: { phone: ["+52 664 123 4567"] }, country: "MX" },
    caseReference: "FGR-TIJ-12/2026",
    contact: contactOf("Lic Ochoa"),
  });
  await settle();
  await federation.goOffline("ca");
  // Canada's check still goes out (its outbox calls Mexico); Mexico's notice back cannot reach Canada.
  await ca.deconfliction.registerTarget(analyst, {
    subject: { kind: "phone", values: { phone: ["6641234567"] }, country: "MX" },
    caseReference: "RCMP-E-2026-55",
    contact: contactOf("Cst Tremblay"),
  });
  await settle();
  const phoneNotices = async () =>
    (await conflictsOn(ca)).filter((notice) => notice.counterpartContact.name === "Lic Ochoa");
  assert.deepEqual(await phoneNotices(), []);
  await federation.comeBack("ca");
  now = new Date(now.getTime() + 60_000);
  await settle();
  now = new Date(now.getTime() + 60_000);
  await settle();
  assert.equal((await phoneNotices()).length, 1);
});

test("a partner touching a protected source gets what a target conflict gives, and the source never goes on the wire", async () => {
  await mx.deconfliction.registerSource(supervisor, {
    subject: {
      kind: "person",
      values: { firstName: ["Ramón"], lastName: ["Ortega"], secondLastName: ["Díaz"], birthDate: ["1975-01-09"] },
    },
  });
  await mx.deconfliction.registerTarget(analyst, {
    subject: {
      kind: "person",
      values: { firstName: ["Aurelio"], lastName: ["Bustamante"], birthDate: ["1969-11-30"] },
    },
    caseReference: "FGR-OPQ-3/2026",
    contact: contactOf("Deconfliction Desk FGR"),
  });
  await settle();
  wire().length = 0;
  const answers: Array<{ label: string; status: number; body: string }> = [];
  const check = async (label: string, firstName: string, lastName: string, birthDate: string) => {
    const before = wire().length;
    await us.deconfliction.registerTarget(analyst, {
      subject: { kind: "person", values: { firstName: [firstName], lastName: [lastName], birthDate: [birthDate] } },
      caseReference: `US-${label}`,
      contact: contactOf("Agent Jones"),
    });
    await settle();
    const toUs = wire()
      .slice(before)
      .filter((entry) => entry.url.includes(DECONFLICTION_NOTICES_PATH));
    for (const entry of toUs) answers.push({ label, status: 0, body: entry.request });
  };
  await check("source", "Ramon", "Ortega", "1975-01-09");
  await check("target", "Aurelio", "Bustamante", "1969-11-30");
  const source = answers.filter((answer) => answer.label === "source");
  const target = answers.filter((answer) => answer.label === "target");
  assert.equal(source.length, 1);
  assert.equal(target.length, 1);
  const [fromSource, fromTarget] = [JSON.parse(source[0]?.body ?? "{}"), JSON.parse(target[0]?.body ?? "{}")];
  assert.deepEqual(Object.keys(fromSource).sort(), Object.keys(fromTarget).sort());
  assert.equal(source[0]?.body.length, target[0]?.body.length);
  assert.equal(fromSource.itemKind, fromTarget.itemKind);
  // Only the handler learns of it, with the partner's contact.
  const alerts = (await mx.deconfliction.notices(supervisor)).filter((notice) => notice.kind === "source-alert");
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]?.counterpartContact, contactOf("Agent Jones"));
  assert.equal((await mx.deconfliction.notices(analyst)).filter((n) => n.kind === "source-alert").length, 0);
  // Nothing that names the source crosses the wire, asked or answered: not its names, not its id.
  const sourceId = alerts[0]?.itemId ?? "";
  assert.ok(wire().length > 0, "the tap saw the exchanges");
  for (const entry of wire()) {
    if (!entry.url.startsWith("http")) continue;
    const body = `${entry.request}\n${entry.response}`.normalize("NFD").replace(/\p{M}/gu, "");
    if (entry.url.includes("/deconfliction/checks") && body.includes("Ortega")) continue; // the US's own query
    assert.ok(!body.includes(sourceId), `source id on the wire to ${entry.url}`);
    assert.ok(!/Diaz|handler-ruiz/u.test(body), `source details on the wire to ${entry.url}`);
  }
});

test("checks touching a source and checks touching a target are answered alike, in the same timing band", async () => {
  const mxMember = us.federation.member("mx");
  assert.ok(mxMember);
  const checkFrom = async (firstName: string, lastName: string, birthDate: string) => {
    const started = performance.now();
    const answer = await mx.deconfliction.receiveCheck(us.federation.member("us") ?? mxMember, {
      checkId: crypto.randomUUID(),
      item: {
        kind: "target",
        id: crypto.randomUUID(),
        subject: { kind: "person", values: { firstName: [firstName], lastName: [lastName], birthDate: [birthDate] } },
      },
      contact: contactOf("Agent Jones"),
    });
    return { answer: JSON.stringify(answer), ms: performance.now() - started };
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const source: Array<{ answer: string; ms: number }> = [];
  const target: Array<{ answer: string; ms: number }> = [];
  for (let round = 0; round < 9; round++) {
    source.push(await checkFrom("Ramón", "Ortega", "1975-01-09"));
    target.push(await checkFrom("Aurelio", "Bustamante", "1969-11-30"));
  }
  assert.deepEqual(new Set(source.map((s) => s.answer)), new Set(target.map((t) => t.answer)));
  // The same band: within 25 ms of each other (both do the same writes: one local notice, one outbox message).
  const gap = Math.abs(median(source.map((s) => s.ms)) - median(target.map((t) => t.ms)));
  assert.ok(gap < 25, `median answer times differ by ${gap.toFixed(1)} ms`);
});

test("a registration whose transaction rolls back is not indexed, not checked with partners and collides with nothing", async () => {
  const subject = {
    kind: "person" as const,
    values: { firstName: ["Ofelia"], lastName: ["Quintanar"], birthDate: ["1977-09-30"] },
  };
  const scopes = us.database.transactions;
  const sentBefore = wire().length;
  const scope = await scopes.open();
  await scopes.enter(scope, () =>
    us.deconfliction.registerTarget(analyst, {
      subject,
      caseReference: "US-UNDONE-1",
      contact: contactOf("Agent Smith"),
    }),
  );
  await scopes.rollback(scope);
  await settle();
  assert.ok(
    !wire()
      .slice(sentBefore)
      .some((exchange) => exchange.request.includes("Quintanar")),
    "no partner was asked about the undone target",
  );
  const conflicts = async (): Promise<[number, number]> => [
    (await conflictsOn(us)).length,
    (await conflictsOn(mx)).length,
  ];
  const before = await conflicts();
  // Another case on this node and a partner's case on the same person: neither meets the undone target.
  await us.deconfliction.registerTarget(analyst, {
    subject,
    caseReference: "US-OTHER-2",
    contact: contactOf("Agent Kay"),
  });
  await settle();
  await mx.deconfliction.registerTarget(analyst, {
    subject,
    caseReference: "FGR-3/2026",
    contact: contactOf("Lic Soto"),
  });
  await settle();
  const [usAfter, mxAfter] = await conflicts();
  // The two live cases (US-OTHER-2 and FGR-3) meet each other once on each desk, and nothing else.
  assert.deepEqual([usAfter - before[0], mxAfter - before[1]], [1, 1]);
});

test("a partner's operation that ends before it starts, or whose times are not ISO 8601, is refused, not a crash", async () => {
  const fromMx = us.federation.member("mx");
  assert.ok(fromMx);
  for (const [startsAt, endsAt] of [
    ["2026-06-02T08:00:00Z", "2026-06-01T08:00:00Z"],
    // Date.parse alone reads these as 1 February 2001 and 1 January 2000: a window ending before it starts.
    ["=U{;.e]!b{&2", "0"],
  ] as const)
    await assert.rejects(
      us.deconfliction.receiveCheck(fromMx, {
        checkId: crypto.randomUUID(),
        item: {
          kind: "operation",
          id: crypto.randomUUID(),
          area: { kind: "circle", lat: 19.43, lon: -99.13, radiusM: 500 },
          startsAt,
          endsAt,
        },
        contact: contactOf("Agent Jones"),
      }),
      ValidationFailedError,
    );
});
