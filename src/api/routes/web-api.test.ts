// Tests for the routes the web application calls beyond the record routes: a record's link chart and timeline
// (only what the user may read, released records of the user's own requests), the oversight audit explorer, and
// administration (accounts, the federation's manifest, the Cedar policies), each refused to other roles with the
// same problem+json as every other route.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { totp } from "../../auth/totp.ts";
import { generateNodeKeyPair } from "../../crypto/keys.ts";
import { inviteMember, revokeFromFederation } from "../../federation/membership.ts";
import { createTestNode, TEST_PASSWORD, type TestNode, withAuditFailing } from "../../node/test-node.ts";
import { POLICY_FILE } from "../../policy/node-policy.ts";
import { AuditRepository } from "../../store/audit-repository.ts";
import { ExchangeRepository } from "../../store/exchange-repository.ts";
import { UserRepository } from "../../store/user-repository.ts";
import { buildServer } from "../server.ts";

let node: TestNode;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

type Response = { statusCode: number; headers: Record<string, unknown>; body: string; json(): unknown };

function assertProblem(response: Response, status: number, slug: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers["content-type"]), /^application\/problem\+json/u);
  const body = response.json() as { type: string; status: number };
  assert.equal(body.type, `urn:puente:problem:${slug}`);
  assert.equal(body.status, status);
  return body as { type: string; status: number; issues?: Array<{ path: string; code: string; message: string }> };
}

const get = (url: string, who: string) => app.inject({ method: "GET", url, headers: auth(who) });

const AMBER = { tlp: "AMBER" };
const RED = { tlp: "RED" };
const INTELLIGENCE = { criminalIntelligence: true, reasonableSuspicion: "Seizure report 2026-114" };

/** The records of the chart, written as FtM with markings; RED and criminal intelligence mark what some may not see. */
const RECORDS = [
  {
    id: "p-1",
    schema: "Person",
    properties: {
      name: ["Jesús Malverde Pérez"],
      birthDate: ["1970-12-24"],
      alias: [{ value: "El Santo", markings: RED }],
      addressEntity: ["a-1"],
    },
  },
  { id: "p-2", schema: "Person", properties: { name: ["Ana Ruiz Torres"] } },
  { id: "p-3", schema: "Person", properties: { name: ["Hidden Partner"] }, markings: RED },
  {
    id: "a-1",
    schema: "Address",
    properties: { full: ["Calle 5 de Mayo 12, Tijuana"], latitude: [32.53], longitude: [-117.04] },
  },
  { id: "as-1", schema: "Associate", properties: { person: ["p-1"], associate: ["p-2"], relationship: ["partner"] } },
  { id: "as-2", schema: "Associate", properties: { person: ["p-1"], associate: ["p-3"] } },
  { id: "v-1", schema: "Vehicle", properties: { registrationNumber: ["ABC1234"], owner: ["p-1"] } },
  // The vehicle is readable, but not that it is p-1's.
  {
    id: "v-2",
    schema: "Vehicle",
    properties: { registrationNumber: ["ZZZ9999"], owner: [{ value: "p-1", markings: RED }] },
  },
  { id: "o-1", schema: "Company", properties: { name: ["Transportes Ruiz SA"] } },
  { id: "m-1", schema: "Membership", properties: { member: ["p-2"], organization: ["o-1"] } },
  {
    id: "e-1",
    schema: "Event",
    properties: { eventType: ["crossing"], date: ["2025-03-01"], port: ["San Ysidro"], involved: ["p-1"] },
  },
  {
    id: "e-2",
    schema: "Event",
    properties: {
      eventType: ["seizure"],
      date: ["2024-11-02"],
      location: ["Tijuana"],
      latitude: [32.51],
      longitude: [-117.02],
      description: ["fentanyl pills"],
      involved: ["v-1"],
    },
  },
  {
    id: "e-3",
    schema: "Event",
    properties: { eventType: ["arrest"], date: ["2025-06-01"], involved: ["p-1"] },
    markings: RED,
  },
  {
    id: "e-4",
    schema: "Event",
    properties: { eventType: ["sighting"], date: ["2025-02-01"], involved: [{ value: "p-1", markings: RED }] },
  },
  {
    id: "e-5",
    schema: "Event",
    properties: { eventType: ["sighting"], date: ["2025-01-15"], involved: ["p-1"] },
    markings: INTELLIGENCE,
  },
];
const HIDDEN_FROM_ANALYST = ["us:p-3", "us:v-2", "us:e-3", "us:e-4"];

before(async () => {
  node = await createTestNode("us", "US");
  app = await buildServer(node);
  tokens.analyst = await node.signedInUser("ana", ["analyst"], { cfr28Trained: true });
  tokens.untrained = await node.signedInUser("una", ["analyst"], { cfr28Trained: false });
  tokens.supervisor = await node.signedInUser("sue", ["supervisor"], { cfr28Trained: true });
  tokens.oversight = await node.signedInUser("olga", ["oversight"], { cfr28Trained: true });
  tokens.admin = await node.signedInUser("adam", ["admin"]);
  for (const record of RECORDS) {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: auth("supervisor"),
      payload: { markings: AMBER, ...record },
    });
    assert.equal(response.statusCode, 201, response.body);
  }
});
after(async () => {
  await app.close();
  await node.dispose();
});

interface Chart {
  root: string;
  nodes: Array<{
    id: string;
    schema: string;
    caption: string;
    latitude?: number;
    date?: string;
    released?: boolean;
    owner?: string;
  }>;
  edges: Array<{ source: string; target: string; label: string; relation?: string; score?: number }>;
  truncated: boolean;
}

test("the OpenAPI document describes every new route", async () => {
  const spec = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const routes = [
    ["get", "/api/v1/entities/{id}/neighbourhood"],
    ["get", "/api/v1/entities/{id}/timeline"],
    ["get", "/api/v1/oversight/audit"],
    ["get", "/api/v1/oversight/audit/verify"],
    ["get", "/api/v1/admin/users"],
    ["post", "/api/v1/admin/users"],
    ["put", "/api/v1/admin/users/{username}/roles"],
    ["get", "/api/v1/admin/federation"],
    ["get", "/api/v1/admin/policies"],
    ["put", "/api/v1/admin/policies"],
  ] as const;
  for (const [method, path] of routes) assert.ok(spec.paths[path]?.[method], `${method} ${path} is documented`);
});

describe("GET /api/v1/entities/{id}/neighbourhood", () => {
  test("one step out: what the record names, what names it, and relations drawn as edges", async () => {
    const response = await get("/api/v1/entities/us:p-1/neighbourhood", "analyst");
    assert.equal(response.statusCode, 200, response.body);
    const chart = response.json() as Chart;
    assert.equal(chart.root, "us:p-1");
    assert.equal(chart.nodes[0]?.id, "us:p-1", "the root comes first");
    assert.deepEqual(chart.nodes.map((n) => n.id).sort(), [
      "us:a-1",
      "us:as-2",
      "us:e-1",
      "us:e-5",
      "us:p-1",
      "us:p-2",
      "us:v-1",
    ]);
    const edges = chart.edges.map((e) => `${e.source} ${e.label} ${e.target}`).sort();
    assert.deepEqual(edges, [
      "us:as-2 person us:p-1",
      "us:e-1 involved us:p-1",
      "us:e-5 involved us:p-1",
      "us:p-1 Associate us:p-2",
      "us:p-1 addressEntity us:a-1",
      "us:v-1 owner us:p-1",
    ]);
    assert.equal(chart.edges.find((e) => e.label === "Associate")?.relation, "us:as-1");
    const byId = new Map(chart.nodes.map((n) => [n.id, n]));
    assert.equal(byId.get("us:p-1")?.caption, "Jesús Malverde Pérez");
    assert.equal(byId.get("us:v-1")?.caption, "ABC1234");
    assert.deepEqual([byId.get("us:a-1")?.latitude, byId.get("us:e-1")?.date], [32.53, "2025-03-01"]);
    assert.equal(chart.truncated, false);
  });

  test("what the user may not read is not there: hidden records, hidden links, hidden values", async () => {
    const response = await get("/api/v1/entities/us:p-1/neighbourhood?depth=2", "analyst");
    const chart = response.json() as Chart;
    const mentioned = new Set([...chart.nodes.map((n) => n.id), ...chart.edges.flatMap((e) => [e.source, e.target])]);
    for (const id of HIDDEN_FROM_ANALYST) assert.ok(!mentioned.has(id), `${id} is hidden from the analyst`);
    assert.doesNotMatch(response.body, /El Santo|Hidden Partner|ZZZ9999/u);
    // The same record for a supervisor, cleared for TLP:RED, shows what the analyst was spared.
    const full = (await get("/api/v1/entities/us:p-1/neighbourhood", "supervisor")).json() as Chart;
    const seen = new Set(full.nodes.map((n) => n.id));
    for (const id of HIDDEN_FROM_ANALYST) assert.ok(seen.has(id), `${id} is there for the supervisor`);
    assert.ok(
      full.edges.some((e) => e.label === "Associate" && e.target === "us:p-3"),
      "the supervisor sees the associate cleared for RED",
    );
    // Criminal intelligence only for trained users.
    const untrained = (await get("/api/v1/entities/us:p-1/neighbourhood", "untrained")).json() as Chart;
    assert.ok(!untrained.nodes.some((n) => n.id === "us:e-5"), "criminal intelligence is hidden from untrained users");
  });

  test("two steps out reach the associate's organisation and the vehicle's events", async () => {
    const chart = (await get("/api/v1/entities/us:p-1/neighbourhood?depth=2", "analyst")).json() as Chart;
    const ids = chart.nodes.map((n) => n.id);
    assert.ok(ids.includes("us:o-1") && ids.includes("us:e-2"), JSON.stringify(ids));
    assert.ok(
      chart.edges.some((e) => e.source === "us:p-2" && e.target === "us:o-1" && e.label === "Membership"),
      "the Membership reaches the organisation",
    );
    assert.ok(
      chart.edges.some((e) => e.source === "us:e-2" && e.target === "us:v-1" && e.label === "involved"),
      "the vehicle's event",
    );
  });

  test("an unreadable or missing root, a role without record access, a bad depth", async () => {
    const hidden = await get("/api/v1/entities/us:p-3/neighbourhood", "analyst");
    const missing = await get("/api/v1/entities/us:nobody/neighbourhood", "analyst");
    assertProblem(hidden, 404, "not-found-or-no-access");
    assert.equal(hidden.body, missing.body);
    assertProblem(await get("/api/v1/entities/us:p-1/neighbourhood", "admin"), 404, "not-found-or-no-access");
    assertProblem(await get("/api/v1/entities/us:p-1/neighbourhood?depth=3", "analyst"), 400, "request-invalid");
    assertProblem(
      await app.inject({ method: "GET", url: "/api/v1/entities/us:p-1/neighbourhood" }),
      401,
      "unauthenticated",
    );
  });

  test("details a partner released for the user's own request join where they match, for that user only", async () => {
    const users = new UserRepository(node.database.db);
    const ana = await users.findByUsername("ana");
    assert.ok(ana, "ana exists");
    const exchange = new ExchangeRepository(node.database.db);
    const now = new Date().toISOString();
    await exchange.addOutgoing({
      id: "req-1",
      owner_node: "mx",
      reference: "ref-1",
      requested_by: ana.id,
      justification: "same person crossing at San Ysidro",
      purpose: "Trafficking investigation",
      case_reference: "C-1",
      urgency: "standard",
      status: "released",
      decision_reason: null,
      created_at: now,
      updated_at: now,
    });
    const provenance = { originNode: "mx", sourceRecord: "mx-1", collectedAt: "2025-01-01", recordedBy: "user:x" };
    const markings = (tlp: string) => ({
      tlp,
      sourceGrade: "B",
      infoGrade: "2",
      handlingCode: "H0",
      releasableCountries: [],
      releasableAgencies: [],
      useRestrictions: [],
      legalBasis: "CNPP art. 132",
      criminalIntelligence: false,
      reasonableSuspicion: null,
      reviewBy: "2030-01-01",
      gradingOrigin: null,
    });
    const content = {
      releaseId: "rel-1",
      requestId: "req-1",
      owner: "mx",
      recipient: "us",
      issuedAt: now,
      watermark: "w",
      caveat: "Released by mx to us",
      reference: "ref-1",
      schema: "Person",
      statements: [
        { statementId: "s-1", property: "name", value: "Jesus Malverde", provenance, markings: markings("AMBER") },
        {
          statementId: "s-2",
          property: "birthDate",
          value: "1970/12/24",
          format: "YYYY/MM/DD",
          provenance,
          markings: markings("AMBER"),
        },
        { statementId: "s-3", property: "alias", value: "El Fantasma", provenance, markings: markings("RED") },
      ],
      redacted: [],
    };
    await exchange.addRelease({
      id: "rel-1",
      owner_node: "mx",
      request_id: "req-1",
      signed_release: "",
      content: JSON.stringify(content),
      received_at: now,
      withdrawn: null,
    });
    const response = await get("/api/v1/entities/us:p-1/neighbourhood", "analyst");
    const chart = response.json() as Chart;
    const released = chart.nodes.find((n) => n.released);
    assert.ok(released, response.body);
    assert.deepEqual([released.id, released.owner, released.caption], ["release:rel-1", "mx", "Jesus Malverde"]);
    const links = chart.edges.filter((e) => e.source === "release:rel-1");
    assert.deepEqual(
      links.map((e) => e.target),
      ["us:p-1"],
      "the release joins the person it matches, not the others in the chart",
    );
    const [link] = links;
    assert.equal(link?.label, "match");
    assert.doesNotMatch(response.body, /El Fantasma/u, "a released value above the user's clearance");
    // Another analyst's chart has nothing of ana's releases.
    const other = (await get("/api/v1/entities/us:p-1/neighbourhood", "untrained")).json() as Chart;
    assert.ok(!other.nodes.some((n) => n.released), "nothing of another user's releases");
  });
});

describe("GET /api/v1/entities/{id}/timeline", () => {
  test("events involving the person and their vehicles, in date order, only those the user may read", async () => {
    const response = await get("/api/v1/entities/us:p-1/timeline", "analyst");
    assert.equal(response.statusCode, 200, response.body);
    const { events } = response.json() as { events: Array<Record<string, unknown>> };
    assert.deepEqual(
      events.map((e) => [e.id, e.date]),
      [
        ["us:e-2", "2024-11-02"],
        ["us:e-5", "2025-01-15"],
        ["us:e-1", "2025-03-01"],
      ],
    );
    assert.deepEqual(events[0], {
      id: "us:e-2",
      eventType: "seizure",
      date: "2024-11-02",
      location: "Tijuana",
      latitude: 32.51,
      longitude: -117.02,
      summary: "fentanyl pills",
      via: "us:v-1",
    });
    assert.equal(events[2]?.port, "San Ysidro");
    const untrained = (await get("/api/v1/entities/us:p-1/timeline", "untrained")).json() as {
      events: Array<{ id: string }>;
    };
    assert.deepEqual(
      untrained.events.map((e) => e.id),
      ["us:e-2", "us:e-1"],
    );
    const supervisor = (await get("/api/v1/entities/us:p-1/timeline", "supervisor")).json() as {
      events: Array<{ id: string }>;
    };
    assert.deepEqual(
      supervisor.events.map((e) => e.id),
      ["us:e-2", "us:e-5", "us:e-4", "us:e-1", "us:e-3"],
    );
  });

  test("the same refusals as the record itself", async () => {
    const hidden = await get("/api/v1/entities/us:p-3/timeline", "analyst");
    assertProblem(hidden, 404, "not-found-or-no-access");
    assert.equal(hidden.body, (await get("/api/v1/entities/us:nobody/timeline", "analyst")).body);
    assertProblem(await get("/api/v1/entities/us:p-1/timeline", "admin"), 404, "not-found-or-no-access");
  });
});

describe("the audit explorer (oversight)", () => {
  interface Page {
    entries: Array<{
      seq: number;
      kind: string;
      actor: string;
      actorUsername?: string;
      details: Record<string, unknown>;
    }>;
    next?: number;
  }

  test("newest first, filtered by kind, kind prefix and actor, paged by position; the reading is logged", async () => {
    const page = (await get("/api/v1/oversight/audit?limit=5", "oversight")).json() as Page;
    assert.equal(page.entries.length, 5);
    const seqs = page.entries.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => b - a),
    );
    assert.equal(page.next, seqs.at(-1));
    const older = (await get(`/api/v1/oversight/audit?limit=5&before=${page.next}`, "oversight")).json() as Page;
    assert.ok(
      older.entries.every((e) => e.seq < (page.next as number)),
      "older entries only",
    );

    const writes = (await get("/api/v1/oversight/audit?kind=record.write&limit=500", "oversight")).json() as Page;
    assert.equal(writes.entries.length, RECORDS.length);
    assert.ok(
      writes.entries.every((e) => e.kind === "record.write" && e.actorUsername === "sue"),
      "only record writes, by sue",
    );
    const prefixed = (await get("/api/v1/oversight/audit?kind=record.*&limit=500", "oversight")).json() as Page;
    const prefixedSeqs = new Set(prefixed.entries.map((e) => e.seq));
    assert.ok(
      writes.entries.every((e) => prefixedSeqs.has(e.seq)),
      "every record write",
    );
    assert.ok(
      prefixed.entries.some((e) => e.kind === "record.read"),
      "and the reads of records",
    );
    assert.ok(
      prefixed.entries.every((e) => e.kind.startsWith("record.")),
      "only record kinds",
    );
    const byUser = (await get("/api/v1/oversight/audit?actor=sue&limit=500", "oversight")).json() as Page;
    assert.ok(
      byUser.entries.length >= RECORDS.length && byUser.entries.every((e) => e.actorUsername === "sue"),
      "only sue's entries",
    );
    const nobody = (await get("/api/v1/oversight/audit?actor=nobody", "oversight")).json() as Page;
    assert.deepEqual(nobody.entries, []);
    const future = (await get("/api/v1/oversight/audit?from=2999-01-01", "oversight")).json() as Page;
    assert.deepEqual(future.entries, []);
    const past = (await get("/api/v1/oversight/audit?to=2000-01-01", "oversight")).json() as Page;
    assert.deepEqual(past.entries, []);

    const reads = (
      await get("/api/v1/oversight/audit?kind=oversight.audit-read&limit=500", "oversight")
    ).json() as Page;
    assert.ok(
      reads.entries.some((e) => (e.details.filter as { actor?: string } | undefined)?.actor === "sue"),
      "the explorer's own reading is logged with its filter",
    );
  });

  test("bad filters get problem+json; other roles get not found", async () => {
    assertProblem(await get("/api/v1/oversight/audit?from=yesterday", "oversight"), 422, "validation-failed");
    assertProblem(await get("/api/v1/oversight/audit?limit=0", "oversight"), 400, "request-invalid");
    assertProblem(await get("/api/v1/oversight/audit?kind=a%25b", "oversight"), 400, "request-invalid");
    for (const who of ["analyst", "admin", "supervisor"]) {
      assertProblem(await get("/api/v1/oversight/audit", who), 404, "not-found-or-no-access");
      assertProblem(await get("/api/v1/oversight/audit/verify", who), 404, "not-found-or-no-access");
    }
  });

  test("verify runs the log's own check and names the first entry that no longer fits", async () => {
    const good = (await get("/api/v1/oversight/audit/verify", "oversight")).json() as Record<string, unknown>;
    assert.equal(good.ok, true);
    assert.ok((good.entries as number) > 10, "every entry checked");
    assert.equal(good.firstBadSeq, undefined);
    const repository = new AuditRepository(node.database.db);
    const [victim] = await repository.entries(3, 1);
    assert.ok(victim, "an entry to tamper with");
    await node.database.db.updateTable("audit_log").set({ actor: "user:someone-else" }).where("seq", "=", 3).execute();
    try {
      const bad = (await get("/api/v1/oversight/audit/verify", "oversight")).json() as Record<string, unknown>;
      assert.equal(bad.ok, false);
      assert.equal(bad.firstBadSeq, 3);
      assert.match(String(bad.reason), /hash/u);
    } finally {
      await node.database.db.updateTable("audit_log").set({ actor: victim.actor }).where("seq", "=", 3).execute();
    }
    const verifies = (await get("/api/v1/oversight/audit?kind=oversight.audit-verify", "oversight")).json() as Page;
    assert.ok(verifies.entries.length >= 2, "verifying is logged too");
  });
});

describe("administration", () => {
  test("the account list shows roles, state and sign-ins, never password hashes or TOTP secrets", async () => {
    const response = await get("/api/v1/admin/users", "admin");
    assert.equal(response.statusCode, 200, response.body);
    const { users } = response.json() as { users: Array<Record<string, unknown>> };
    const ana = users.find((user) => user.username === "ana");
    assert.deepEqual(
      [ana?.roles, ana?.clearance, ana?.cfr28Trained, ana?.disabled, ana?.locked],
      [["analyst"], "AMBER+STRICT", true, false, false],
    );
    assert.equal(typeof ana?.lastSignInAt, "string");
    assert.equal(typeof ana?.createdAt, "string");
    const record = await new UserRepository(node.database.db).findByUsername("ana");
    assert.ok(record?.totpSecret && !response.body.includes(record.totpSecret), "no TOTP secret");
    assert.ok(
      !response.body.includes(record.passwordHash) && !/scrypt|passwordHash|totp/iu.test(response.body),
      "no password hash",
    );
    for (const who of ["analyst", "oversight", "supervisor"])
      assertProblem(await get("/api/v1/admin/users", who), 404, "not-found-or-no-access");
  });

  test("a created account answers its secrets once and signs in with password and TOTP", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/admin/users",
      headers: auth("admin"),
      payload: { username: "nina", displayName: "Nina Novak", roles: ["analyst"], clearance: "AMBER" },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers["cache-control"], "no-store");
    const created = response.json() as {
      user: { username: string; roles: string[]; clearance: string };
      password: string;
      totpSecret: string;
      otpauthUri: string;
    };
    assert.deepEqual(
      [created.user.username, created.user.roles, created.user.clearance],
      ["nina", ["analyst"], "AMBER"],
    );
    assert.match(created.otpauthUri, /^otpauth:\/\/totp\/.*secret=/u);
    assert.ok(created.password.length >= 12, "a generated password of at least 12 characters");
    const signIn = await app.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      payload: { username: "nina", password: created.password, totp: totp(created.totpSecret, Date.now()) },
    });
    assert.equal(signIn.statusCode, 200, signIn.body);
    tokens.nina = (signIn.json() as { token: string }).token;
    // The audit log names who was made what, never the secrets.
    const log = JSON.stringify(await new AuditRepository(node.database.db).entries(0, 10_000));
    assert.ok(!log.includes(created.password) && !log.includes(created.totpSecret), "no secrets in the audit log");
    const creates = (await get("/api/v1/oversight/audit?kind=admin.user-create", "oversight")).json() as {
      entries: Array<{ details: { username?: string; roles?: string[] } }>;
    };
    assert.deepEqual(creates.entries[0]?.details.roles, ["analyst"]);
  });

  test("an admin-given password is not answered back; bad accounts are refused and change nothing", async () => {
    const post = (payload: object, who = "admin") =>
      app.inject({ method: "POST", url: "/api/v1/admin/users", headers: auth(who), payload });
    const given = await post({ username: "omar", roles: ["prosecutor"], password: TEST_PASSWORD });
    assert.equal(given.statusCode, 201, given.body);
    assert.equal((given.json() as { password?: string }).password, undefined);
    assertProblem(await post({ username: "omar", roles: ["analyst"] }), 422, "validation-failed");
    assertProblem(await post({ username: "pia", roles: ["wizard"] }), 400, "request-invalid");
    assertProblem(await post({ username: "pia", roles: ["analyst"], password: "short" }), 422, "validation-failed");
    const mixed = assertProblem(await post({ username: "pia", roles: ["admin", "analyst"] }), 422, "validation-failed");
    assert.equal(mixed.issues?.[0]?.code, "separation_of_duties");
    assertProblem(await post({ username: "pia", roles: ["analyst"] }, "analyst"), 404, "not-found-or-no-access");
    assert.equal(await new UserRepository(node.database.db).findByUsername("pia"), undefined);
  });

  test("roles change from the account's next request; no administrator changes their own", async () => {
    const put = (username: string, payload: object, who = "admin") =>
      app.inject({ method: "PUT", url: `/api/v1/admin/users/${username}/roles`, headers: auth(who), payload });
    const before = (await get("/api/v1/entities/us:p-1", "nina")).json() as { statements: unknown[] };
    const changed = await put("nina", { roles: ["supervisor"] });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual((changed.json() as { roles: string[]; clearance: string }).clearance, "RED");
    const me = (await get("/api/v1/auth/me", "nina")).json() as { roles: string[] };
    assert.deepEqual(me.roles, ["supervisor"]);
    const afterwards = (await get("/api/v1/entities/us:p-1", "nina")).json() as { statements: unknown[] };
    assert.ok(afterwards.statements.length > before.statements.length, "RED statements now readable");
    const own = assertProblem(await put("adam", { roles: ["analyst"] }), 422, "validation-failed");
    assert.equal(own.issues?.[0]?.code, "own_roles");
    assertProblem(await put("nina", { roles: ["admin", "supervisor"] }), 422, "validation-failed");
    assertProblem(await put("nobody", { roles: ["analyst"] }), 404, "not-found-or-no-access");
    assertProblem(await put("nina", { roles: [] }), 400, "request-invalid");
    assertProblem(await put("ana", { roles: ["supervisor"] }, "supervisor"), 404, "not-found-or-no-access");
    const ana = await new UserRepository(node.database.db).findByUsername("ana");
    assert.deepEqual(ana?.roles, ["analyst"], "a refused change changes nothing");
    const roles = (await get("/api/v1/oversight/audit?kind=admin.user-roles&limit=1", "oversight")).json() as {
      entries: Array<{ details: { target?: { username?: string }; roles?: string[]; status?: number } }>;
    };
    assert.deepEqual(roles.entries[0]?.details.target, { username: "ana" });
    assert.equal(roles.entries[0]?.details.status, 404);
  });

  test("the federation as the manifest lists it: members with key fingerprints, revoked nodes, this node", async () => {
    const alone = (await get("/api/v1/admin/federation", "admin")).json() as Record<string, unknown>;
    assert.deepEqual(alone, { nodeId: "us", federation: null, members: [] });
    const mx = generateNodeKeyPair();
    await inviteMember(node.dir, {
      nodeId: "mx",
      agency: "FGR",
      country: "MX",
      endpoint: "https://mx.example",
      publicKey: mx.publicKeyPem,
      roles: ["member"],
    });
    await revokeFromFederation(node.dir, "mx", "key compromised");
    const response = await get("/api/v1/admin/federation", "admin");
    assert.equal(response.statusCode, 200, response.body);
    const view = response.json() as {
      nodeId: string;
      federation: string;
      version: number;
      members: Array<Record<string, unknown>>;
    };
    assert.deepEqual([view.nodeId, view.federation, view.version], ["us", "puente", 3]);
    const [us, revoked] = view.members;
    assert.deepEqual(
      [us?.nodeId, us?.agency, us?.country, us?.self, us?.revoked, us?.signed],
      ["us", "Test agency us", "US", true, false, true],
    );
    assert.match(String(us?.fingerprint), /^[0-9a-f]{32}$/u);
    assert.deepEqual([revoked?.nodeId, revoked?.revoked, revoked?.reason], ["mx", true, "key compromised"]);
    assert.ok(!response.body.includes("BEGIN PUBLIC KEY"), "fingerprints, not keys");
    assertProblem(await get("/api/v1/admin/federation", "analyst"), 404, "not-found-or-no-access");
  });

  test("policies: invalid Cedar is refused naming the error and the old policy stays; valid text replaces it", async () => {
    const put = (text: string, who = "admin") =>
      app.inject({ method: "PUT", url: "/api/v1/admin/policies", headers: auth(who), payload: { text } });
    const initial = (await get("/api/v1/admin/policies", "admin")).json() as { source: string; text: string };
    assert.equal(initial.source, "default");
    assert.match(initial.text, /query-with-purpose/u);

    const invalid = assertProblem(
      await put("// Política nueva\npermit (principal, action, resource) when { context.purpose == };"),
      422,
      "validation-failed",
    );
    assert.equal(invalid.issues?.[0]?.path, "text");
    assert.equal(invalid.issues?.[0]?.code, "invalid_policy");
    assert.match(String(invalid.issues?.[0]?.message), /unexpected token .*\(line 2, column 64\)/u);
    assert.equal(existsSync(join(node.dir, POLICY_FILE)), false, "no file written");
    assert.deepEqual((await get("/api/v1/admin/policies", "admin")).json(), initial, "the old policy stays");

    const text = 'forbid (principal, action, resource) when { principal.country == "GT" };\n';
    const replaced = await put(text);
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.deepEqual(
      [(replaced.json() as { source: string }).source, readFileSync(join(node.dir, POLICY_FILE), "utf8")],
      ["file", text],
    );
    const current = (await get("/api/v1/admin/policies", "admin")).json() as { text: string; path: string };
    assert.deepEqual([current.text, current.path], [text, join(node.dir, POLICY_FILE)]);
    assertProblem(await put("permit (principal, action, resource);", "supervisor"), 404, "not-found-or-no-access");
    assertProblem(await get("/api/v1/admin/policies", "analyst"), 404, "not-found-or-no-access");
    assert.equal(readFileSync(join(node.dir, POLICY_FILE), "utf8"), text, "refused requests change nothing");
    const logged = (await get("/api/v1/oversight/audit?kind=admin.policies-*&limit=500", "oversight")).json() as {
      entries: Array<{ kind: string; details: Record<string, unknown> }>;
    };
    const kinds = logged.entries.map((entry) => entry.kind);
    assert.ok(
      kinds.includes("admin.policies-replaced") && kinds.includes("admin.policies-replace"),
      "the request and the replacement are logged",
    );
    assert.equal(logged.entries.find((entry) => entry.kind === "admin.policies-replaced")?.details.bytes, text.length);

    // A replacement whose entry cannot be written is not in force: the policies go back as they were.
    const unlogged = 'forbid (principal, action, resource) when { principal.country == "BZ" };\n';
    const refused = await withAuditFailing(node, () => put(unlogged));
    assert.ok(refused.statusCode >= 500, refused.body);
    assert.equal(readFileSync(join(node.dir, POLICY_FILE), "utf8"), text, "the file is as it was");
    assert.equal(((await get("/api/v1/admin/policies", "admin")).json() as { text: string }).text, text);
  });
});
