// Tests for seal monitoring over HTTP with a real node on SQLite: plans, batches of fixes and seal reads from a lane
// system's API token, what officers see, batches refused whole with the index of the bad item and nothing stored,
// the express lane lost with its reasons, alerts polled by time, and the monitor rebuilt from the store.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { SealService } from "../../border/seals/seal-service.ts";
import { along, drive, fixAt, MINUTE, offset, park, ROUTE_KM, T0, testPlan } from "../../border/seals/test-routes.ts";
import { createTestNode, TEST_PASSWORD, type TestNode, withAuditFailing } from "../../node/test-node.ts";
import { AuditRepository } from "../../store/audit-repository.ts";
import { SealRepository } from "../../store/seal-repository.ts";
import { buildServer } from "../server.ts";

const clock = { ms: T0 };
let node: TestNode;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
/** The clock only moves forward: each test starts a trip at the time it finds and moves the clock on from there. */
function startTrip() {
  const start = clock.ms + MINUTE;
  return (m: number) => start + m * MINUTE;
}

async function apiToken(username: string, roles: string[]): Promise<string> {
  await node.auth.createAccount({ username, password: TEST_PASSWORD, roles });
  return (await node.auth.createApiToken(username, `${username} lane system`)).token;
}

before(async () => {
  node = await createTestNode("us", "US", { clock: () => new Date(clock.ms) });
  app = await buildServer(node);
  tokens.lane = await apiToken("lane-2504", ["border-officer"]);
  tokens.officer = await apiToken("otto", ["border-officer"]);
  tokens.analyst = await apiToken("ana", ["analyst"]);
});
after(async () => {
  await app.close();
  await node.dispose();
});

const post = (url: string, who: string, payload: unknown) =>
  app.inject({ method: "POST", url: `/api/v1/border/${url}`, headers: auth(who), payload: payload as object });
const get = (url: string, who = "officer") =>
  app.inject({ method: "GET", url: `/api/v1/border/${url}`, headers: auth(who) });

interface ShipmentAnswer {
  fixes: unknown[];
  events: unknown[];
  alerts: Array<{ kind: string; id: string }>;
  eligibility: { eligible: boolean; reasons: Array<{ kind: string; detail: string }> };
}
const shipment = async (id: string) => (await get(`shipments/${id}`)).json() as ShipmentAnswer;

function assertRefused(response: Awaited<ReturnType<typeof post>>, path: string) {
  assert.equal(response.statusCode, 422, response.body);
  assert.match(String(response.headers["content-type"]), /^application\/problem\+json/u);
  const body = response.json() as { type: string; issues: Array<{ path: string; message: string }> };
  assert.equal(body.type, "urn:puente:problem:validation-failed");
  assert.equal(body.issues[0]?.path, path);
  return body.issues[0]?.message ?? "";
}

describe("plans", () => {
  test("registered once by lane systems; refused with the field at fault; hidden from others", async () => {
    const created = await post("shipments", "lane", testPlan("SHP-PLAN"));
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json(), { shipmentId: "SHP-PLAN" });
    assert.match(
      assertRefused(await post("shipments", "lane", testPlan("SHP-PLAN")), "shipmentId"),
      /already has a plan/u,
    );
    const badRoute = testPlan("SHP-BAD", { route: [along(0), [95, -99.5]] });
    assert.match(assertRefused(await post("shipments", "lane", badRoute), "route"), /point 1: the latitude/u);
    const badSeal = testPlan("SHP-BAD", { sealNumbers: ["S-1001"] });
    assertRefused(await post("shipments", "lane", badSeal), "sealNumbers[0]");
    const badPlace = testPlan("SHP-BAD", {
      authorisedPlaces: [{ name: "yard", lat: 27.4, lon: -99.5, radiusM: -5 }],
    });
    assertRefused(await post("shipments", "lane", badPlace), "authorisedPlaces[0]");
    assert.equal((await get("shipments/SHP-BAD")).statusCode, 404, "nothing was stored");
    assert.equal((await post("shipments", "analyst", testPlan("SHP-ANA"))).statusCode, 404);
    assert.equal((await get("shipments/SHP-PLAN", "analyst")).statusCode, 404);
    const entries = await new AuditRepository(node.database.db).entries(0, 1000);
    assert.ok(
      entries.some((entry) => entry.kind === "border.shipment-registered" && entry.details.includes("SHP-PLAN")),
    );
  });

  test("a plan whose audit entry cannot be written is not kept, and the monitor does not track it", async () => {
    const refused = await withAuditFailing(node, () => post("shipments", "lane", testPlan("SHP-UNLOGGED")));
    assert.ok(refused.statusCode >= 500, refused.body);
    assert.equal((await get("shipments/SHP-UNLOGGED")).statusCode, 404, "no plan stored");
    assert.equal(node.seals.monitor.has("SHP-UNLOGGED"), false, "nothing tracked");
    assert.equal((await post("shipments", "lane", testPlan("SHP-UNLOGGED"))).statusCode, 201, "it can be registered");
  });
});

describe("a truck's trip", () => {
  test("on its corridor with a stop at its fuel stop: express-eligible, with its track shown", async () => {
    assert.equal((await post("shipments", "lane", testPlan("SHP-OK"))).statusCode, 201);
    const minute = startTrip();
    const fixes = [...drive("SHP-OK", 0, 40, minute(0)), ...park("SHP-OK", along(40), minute(41), 30)];
    clock.ms = minute(71);
    const response = await post("gps-fixes", "lane", { fixes });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { accepted: fixes.length, alerts: [] });
    const seen = await shipment("SHP-OK");
    assert.deepEqual(seen.eligibility, { eligible: true, reasons: [] });
    assert.equal(seen.fixes.length, fixes.length);
    assert.deepEqual(seen.fixes.at(-1), fixes.at(-1));
  });

  test("leaving the corridor loses the express lane, with the deviation as the reason", async () => {
    const id = "SHP-DETOUR";
    assert.equal((await post("shipments", "lane", testPlan(id))).statusCode, 201);
    const minute = startTrip();
    clock.ms = minute(30);
    const detour = [21, 22, 23].map((m) => fixAt(id, minute(m), offset(along(m), 0, 4_000)));
    const response = await post("gps-fixes", "lane", { fixes: [...drive(id, 0, 20, minute(0)), ...detour] });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      (response.json() as { alerts: Array<{ kind: string }> }).alerts.map((alert) => alert.kind),
      ["route-deviation"],
    );
    const { eligibility, alerts } = await shipment(id);
    assert.equal(eligibility.eligible, false);
    assert.deepEqual(
      eligibility.reasons.map((reason) => reason.kind),
      ["route-deviation"],
    );
    assert.equal(alerts.length, 1);
  });

  test("stopping too long, going dark, and a seal opened on the road each lose the express lane", async () => {
    for (const id of ["SHP-STOP", "SHP-DARK", "SHP-OPEN"])
      assert.equal((await post("shipments", "lane", testPlan(id))).statusCode, 201);
    const minute = startTrip();
    clock.ms = minute(60);
    const fixes = [
      ...drive("SHP-STOP", 0, 20, minute(0)),
      ...park("SHP-STOP", along(20), minute(21), 30),
      ...drive("SHP-DARK", 0, 20, minute(0)),
      ...drive("SHP-DARK", 21, 30, minute(45)),
      ...drive("SHP-OPEN", 0, 55, minute(0)),
    ];
    assert.equal((await post("gps-fixes", "lane", { fixes })).statusCode, 200);
    const read = { manufacturer: "ACME", serial: "S-1001", state: "opened", time: new Date(minute(25)).toISOString() };
    const opened = await post("seal-events", "lane", { events: [{ shipmentId: "SHP-OPEN", ...read }] });
    assert.equal(opened.statusCode, 200, opened.body);
    for (const [id, kind] of [
      ["SHP-STOP", "unscheduled-stop"],
      ["SHP-DARK", "dark-period"],
      ["SHP-OPEN", "seal-opened-outside-authorised-place"],
    ] as const) {
      const { eligibility } = await shipment(id);
      assert.equal(eligibility.eligible, false, id);
      assert.deepEqual(
        eligibility.reasons.map((reason) => reason.kind),
        [kind],
        id,
      );
    }
  });

  test("a truck that stops reporting is seen dark by the clock, and the alert is stored and polled", async () => {
    const id = "SHP-QUIET";
    const minute = startTrip();
    assert.equal((await post("shipments", "lane", testPlan(id))).statusCode, 201);
    clock.ms = minute(10);
    assert.equal((await post("gps-fixes", "lane", { fixes: drive(id, 0, 10, minute(0)) })).statusCode, 200);
    assert.equal((await shipment(id)).eligibility.eligible, true);
    const since = new Date(minute(11)).toISOString();
    clock.ms = minute(30);
    assert.equal(node.seals.eligibility(id).eligible, false, "what screening asks, at once");
    const polled = await get(`seal-alerts?since=${encodeURIComponent(since)}`);
    assert.equal(polled.statusCode, 200, polled.body);
    const { alerts, next } = polled.json() as { alerts: Array<{ shipmentId: string; kind: string }>; next: null };
    assert.deepEqual(
      alerts.map((alert) => [alert.shipmentId, alert.kind]),
      [[id, "dark-period"]],
    );
    assert.equal(next, null);
  });

  test("a seal not on the manifest is flagged", async () => {
    const id = "SHP-SEALS";
    const minute = startTrip();
    clock.ms = minute(10);
    assert.equal((await post("shipments", "lane", testPlan(id))).statusCode, 201);
    assert.equal((await post("gps-fixes", "lane", { fixes: park(id, along(0), minute(0), 5) })).statusCode, 200);
    const time = new Date(minute(5)).toISOString();
    const response = await post("seal-events", "lane", {
      events: [
        { shipmentId: id, manufacturer: "ACME", serial: "S-1001", state: "sealed", time, battery: 80 },
        { shipmentId: id, manufacturer: "OTHER", serial: "X-1", state: "sealed", time, battery: 80 },
      ],
    });
    assert.equal(response.statusCode, 200, response.body);
    const { accepted, alerts } = response.json() as {
      accepted: number;
      alerts: Array<{ kind: string; detail: string }>;
    };
    assert.equal(accepted, 2);
    assert.deepEqual(
      alerts.map((alert) => alert.kind),
      ["seal-not-on-manifest"],
    );
    assert.match(alerts[0]?.detail ?? "", /OTHER:X-1/u);
    const seen = await shipment(id);
    assert.equal(seen.events.length, 2);
    assert.equal(seen.eligibility.eligible, false);
  });
});

describe("malformed batches are refused whole, naming the first bad item, and store nothing", () => {
  const id = "SHP-BATCH";
  let minute: (m: number) => number;
  before(async () => {
    minute = startTrip();
    clock.ms = minute(100);
    assert.equal((await post("shipments", "lane", testPlan(id))).statusCode, 201);
  });

  test("fixes: a latitude out of range, an unknown shipment, a bad time, a time ahead of the clock", async () => {
    const good = drive(id, 0, 5, minute(0));
    const cases: Array<[unknown[], string, RegExp]> = [
      [[...good.slice(0, 3), { ...good[3], lat: 91 }, { ...good[4], lat: 92 }], "fixes[3].lat", /latitude/u],
      [[good[0], { ...good[1], shipmentId: "SHP-NOPE" }], "fixes[1].shipmentId", /no plan/u],
      [[{ ...good[0], time: "02/03/2026 08:00" }, good[1]], "fixes[0].time", /ISO 8601/u],
      [[...good, fixAt(id, minute(100) + 6 * MINUTE, along(6))], "fixes[6].time", /ahead of this node's clock/u],
      [[good[0], { ...good[1], speed: -3 }], "fixes[1].speed", /speed/u],
    ];
    for (const [fixes, path, message] of cases)
      assert.match(assertRefused(await post("gps-fixes", "lane", { fixes }), path), message);
    // A value of the wrong type is refused by the API schema, which names the item too.
    const wrongType = await post("gps-fixes", "lane", { fixes: [good[0], { ...good[1], lon: "west" }] });
    assert.equal(wrongType.statusCode, 400);
    assert.match((wrongType.json() as { detail: string }).detail, /fixes\/1\/lon/u);
    assert.equal((await shipment(id)).fixes.length, 0, "nothing stored");
  });

  test("seal reads: a battery out of range, half a position, an unknown state", async () => {
    const time = new Date(minute(1)).toISOString();
    const read = { shipmentId: id, manufacturer: "ACME", serial: "S-1001", state: "sealed", time };
    const cases: Array<[unknown[], string, number]> = [
      [[read, { ...read, battery: 140 }], "events[1].battery", 422],
      [[read, read, { ...read, lat: 27.4 }], "events[2].lon", 422],
      [[read, { ...read, serial: "A:B" }], "events[1].serial", 422],
    ];
    for (const [events, path] of cases) assertRefused(await post("seal-events", "lane", { events }), path);
    const badState = await post("seal-events", "lane", { events: [read, { ...read, state: "ajar" }] });
    assert.equal(badState.statusCode, 400);
    assert.match((badState.json() as { detail: string }).detail, /events\/1\/state/u);
    assert.equal((await shipment(id)).events.length, 0, "nothing stored");
  });

  test("a full batch of 10,000 fixes is taken; 10,001 are refused", async () => {
    const fixes = Array.from({ length: 10_000 }, (_, i) =>
      fixAt(id, minute(0) + i * 500, along((i / 10_000) * ROUTE_KM)),
    );
    const response = await post("gps-fixes", "lane", { fixes });
    assert.equal(response.statusCode, 200, response.body.slice(0, 500));
    assert.equal((response.json() as { accepted: number }).accepted, 10_000);
    const tooMany = await post("gps-fixes", "lane", { fixes: [...fixes, fixes[0]] });
    assert.equal(tooMany.statusCode, 400);
    // Sent again (a tracker retrying): kept once.
    assert.equal((await post("gps-fixes", "lane", { fixes: fixes.slice(0, 10) })).statusCode, 200);
    const { count } = (await node.database.db
      .selectFrom("gps_fixes")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("shipment_id", "=", id)
      .executeTakeFirstOrThrow()) as { count: number };
    assert.equal(Number(count), 10_000);
  });
});

describe("the monitor rebuilt from the store", () => {
  test("holds the same eligibility and alerts, and raises nothing again", async () => {
    await node.seals.sweep(); // dark periods up to now raised and stored
    const rebuilt = new SealService(new SealRepository(node.database.db), node.audit, () => new Date(clock.ms));
    await rebuilt.ready();
    for (const id of ["SHP-OK", "SHP-DETOUR", "SHP-STOP", "SHP-DARK", "SHP-OPEN", "SHP-QUIET", "SHP-SEALS"])
      assert.deepEqual(rebuilt.eligibility(id), node.seals.eligibility(id), id);
    assert.deepEqual(rebuilt.monitor.takeUnsaved(), []);
  });
});
