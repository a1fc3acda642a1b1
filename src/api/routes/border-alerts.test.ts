// Burst alerts over HTTP on one node: crossings screened through the API reach the coordinated-arrival detector,
// a burst among them is listed once for the port supervisor (by port and time), others get "not found or no
// access", bad filters a problem naming the field, and reads are audited.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { Crossing } from "../../border/model.ts";
import { createTestNode, type TestNode } from "../../node/test-node.ts";
import { AuditRepository } from "../../store/audit-repository.ts";
import { buildServer } from "../server.ts";

let node: TestNode;
let app: FastifyInstance;
const tokens: Record<string, string> = {};

before(async () => {
  node = await createTestNode("us", "US");
  app = await buildServer(node);
  tokens.officer = await node.signedInUser("olga", ["border-officer"]);
  tokens.supervisor = await node.signedInUser("sam", ["supervisor"]);
});
after(async () => {
  await app.close();
  await node.dispose();
});

const call = (who: string, method: "GET" | "POST", url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });

const START = Date.parse("2026-05-31T18:00:00Z");
let serial = 0;
function vehicle(time: number, registrantAddress = `${++serial} Calle Uno, Tijuana`): Crossing {
  serial += 1;
  return {
    id: `RFID-${serial}`,
    port: "2504",
    lane: "general",
    time: new Date(time).toISOString(),
    conveyance: {
      kind: "vehicle",
      plate: `BC${serial}`,
      plateJurisdiction: "MX-BCN",
      registrant: `Registrant ${serial}`,
      insurer: serial % 3 ? "Quálitas" : "GNP Seguros",
      registrantAddress,
    },
    people: [{ name: `Driver ${serial}`, birthDate: "1980-01-01", nationality: "MX", role: "driver" }],
  };
}

test("a burst screened through the API is listed once for the supervisor, with its crossings and link", async () => {
  // Six hours of ordinary traffic (two vehicles a minute), then six vehicles registered at one address.
  const background = Array.from({ length: 720 }, (_, i) => vehicle(START + i * 30_000));
  const shared = "Calle Tercera 1661, Col. San Miguel, 22300 Tijuana, BCN";
  const burst = Array.from({ length: 6 }, (_, i) => vehicle(START + 6 * 3_600_000 + i * 120_000, shared));
  const screened = await call("officer", "POST", "/api/v1/border/screen", { crossings: [...background, ...burst] });
  assert.equal(screened.statusCode, 200, screened.body);

  const listed = await call("supervisor", "GET", "/api/v1/border/alerts?port=2504");
  assert.equal(listed.statusCode, 200);
  const { alerts } = listed.json();
  assert.equal(alerts.length, 1);
  assert.deepEqual(
    alerts[0].crossingIds,
    burst.map((crossing) => crossing.id),
  );
  assert.deepEqual(alerts[0].links, [{ kind: "address", value: shared, crossings: 6 }]);
  assert.equal(alerts[0].size, 6);
  assert.ok(alerts[0].referred.length <= 3);
  assert.deepEqual((await call("supervisor", "GET", "/api/v1/border/alerts?port=2506")).json().alerts, []);
  const later = await call("supervisor", "GET", "/api/v1/border/alerts?since=2026-06-01T00:30:00%2B00:00");
  assert.deepEqual(later.json().alerts, []);
  const earlier = await call("supervisor", "GET", "/api/v1/border/alerts?since=2026-05-31T17:00:00-07:00");
  assert.equal(earlier.json().alerts.length, 1, "a zoned time is compared as the instant it is");

  // The audit hook runs once the answer is sent: wait for its entries.
  const reads = async () =>
    (await new AuditRepository(node.database.db).entries(0, 100_000)).filter(
      (entry) => entry.kind === "border.alerts-read",
    );
  for (let tries = 0; (await reads()).length < 4 && tries < 100; tries++) await setTimeout(10);
  assert.equal((await reads()).length, 4);
  assert.deepEqual(JSON.parse((await reads())[0]?.details ?? "{}").filter, { port: "2504", limit: 100 });
});

test("only port supervisors see burst alerts, and bad filters are refused with the field", async () => {
  const refused = await call("officer", "GET", "/api/v1/border/alerts");
  assert.equal(refused.statusCode, 404);
  assert.equal(refused.json().type, "urn:puente:problem:not-found-or-no-access");
  for (const [query, field] of [
    ["port=25O4", "port"],
    ["since=yesterday", "since"],
    ["limit=0", "limit"],
  ] as const) {
    const bad = await call("supervisor", "GET", `/api/v1/border/alerts?${query}`);
    assert.equal(bad.statusCode, 400, query);
    assert.match(String(bad.headers["content-type"]), /^application\/problem\+json/u);
    assert.match(bad.json().detail, new RegExp(field, "u"), query);
  }
  assert.equal((await call("supervisor", "GET", "/api/v1/border/alerts?colour=red")).statusCode, 400);
});
