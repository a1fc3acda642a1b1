// Tests for the HTTP API of one node: problem+json for every kind of bad request, authentication in one place,
// and "not found or no access" that looks the same whether a record is missing or hidden.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import oversightMessages from "../../web/src/i18n/messages/oversight.ts";
import { createTestNode, TEST_PASSWORD, type TestNode, withAuditFailing } from "../node/test-node.ts";
import { AuditRepository } from "../store/audit-repository.ts";
import { buildServer } from "./server.ts";

let node: TestNode;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

before(async () => {
  node = await createTestNode("us", "US");
  app = await buildServer(node);
  tokens.analyst = await node.signedInUser("ana", ["analyst"], { cfr28Trained: true });
  tokens.untrained = await node.signedInUser("una", ["analyst"], { cfr28Trained: false });
  tokens.officer = await node.signedInUser("otto", ["border-officer"], { cfr28Trained: true });
  tokens.admin = await node.signedInUser("adam", ["admin"]);
});
after(async () => {
  await app.close();
  await node.dispose();
});

function assertProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  slug: string,
) {
  assert.equal(response.statusCode, status);
  assert.match(String(response.headers["content-type"]), /^application\/problem\+json/u);
  const body = response.json() as { type: string; status: number };
  assert.equal(body.type, `urn:puente:problem:${slug}`);
  assert.equal(body.status, status);
  return body;
}

describe("public routes", () => {
  test("health answers without sign-in and names the node", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/health" });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      status: "ok",
      nodeId: "us",
      agency: "Test agency us",
      country: "US",
      database: "sqlite",
    });
  });

  test("the OpenAPI 3.1 document lists the entity routes", async () => {
    const spec = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    assert.equal(spec.openapi, "3.1.0");
    assert.ok(spec.paths["/api/v1/entities/{id}"]?.get);
    assert.ok(spec.paths["/api/v1/auth/sign-in"]?.post);
  });

  test("metrics count requests by route pattern, never by raw id", async () => {
    await app.inject({ method: "GET", url: "/api/v1/entities/us:secret-id", headers: auth("analyst") });
    const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
    assert.match(text, /puente_http_requests_total\{[^}]*route="\/api\/v1\/entities\/:id"/u);
    assert.doesNotMatch(text, /secret-id/u);
  });
});

describe("bad requests get problem+json and change nothing", () => {
  test("unknown routes", async () => {
    assertProblem(await app.inject({ method: "GET", url: "/api/v1/nope" }), 404, "not-found-or-no-access");
  });

  test("malformed JSON", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: { ...auth("analyst"), "content-type": "application/json" },
      payload: '{"id": "p-1", "schema": ',
    });
    assertProblem(response, 400, "malformed-json");
  });

  test("oversized bodies", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: { ...auth("analyst"), "content-type": "application/json" },
      payload: JSON.stringify({ id: "p-1", schema: "Person", properties: { notes: ["x".repeat(2_000_000)] } }),
    });
    assertProblem(response, 413, "body-too-large");
    assert.equal(await node.entityRepository.countEntities(), 0);
  });

  test("bodies that do not match the schema, and values that fail validation", async () => {
    const wrongShape = await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: auth("analyst"),
      payload: { id: "p-1", schema: "Person", properties: {}, extra: true },
    });
    assertProblem(wrongShape, 400, "request-invalid");
    const invalid = await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: auth("analyst"),
      payload: { id: "p-1", schema: "Person", properties: { name: ["Ana"], birthDate: ["1990-13-01"] } },
    });
    const body = assertProblem(invalid, 422, "validation-failed") as unknown as {
      issues: Array<{ path: string; code: string }>;
    };
    assert.deepEqual(
      body.issues.map((issue) => [issue.path, issue.code]),
      [["properties.birthDate[0]", "invalid_date"]],
    );
    assert.equal(await node.entityRepository.countEntities(), 0);
  });

  test("requests without a valid token", async () => {
    assertProblem(await app.inject({ method: "GET", url: "/api/v1/entities" }), 401, "unauthenticated");
    assertProblem(
      await app.inject({ method: "GET", url: "/api/v1/entities", headers: { authorization: "Bearer pst_forged" } }),
      401,
      "unauthenticated",
    );
  });

  test("failed sign-ins do not say which factor was wrong", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      payload: { username: "ana", password: "not the password", totp: "123456" },
    });
    const body = assertProblem(response, 401, "authentication-failed") as unknown as { detail: string };
    assert.doesNotMatch(body.detail, /password is wrong|code is wrong/u);
  });
});

describe("records and access", () => {
  let personId = "";
  before(async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: auth("analyst"),
      payload: {
        id: "p-100",
        schema: "Person",
        properties: {
          name: ["Jesús Malverde Pérez"],
          alias: [{ value: "El Santo", markings: { tlp: "RED" } }],
          notes: [
            {
              value: "Moves cash through Nogales",
              markings: { criminalIntelligence: true, reasonableSuspicion: "Seizure report 2026-114" },
            },
          ],
        },
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    personId = response.json().id;
  });

  test("the analyst sees what their clearance allows, with provenance and markings", async () => {
    const entity = (
      await app.inject({ method: "GET", url: `/api/v1/entities/${personId}`, headers: auth("analyst") })
    ).json();
    assert.equal(entity.id, "us:p-100");
    const properties = entity.statements.map((s: { property: string }) => s.property).sort();
    assert.deepEqual(properties, ["name", "notes"], "TLP:RED is above an analyst's default clearance");
    const name = entity.statements.find((s: { property: string }) => s.property === "name");
    assert.equal(name.provenance.recordedBy, "user:ana");
    assert.equal(name.markings.tlp, "AMBER");
  });

  test("criminal intelligence is hidden from users without 28 CFR Part 23 training", async () => {
    const entity = (
      await app.inject({ method: "GET", url: `/api/v1/entities/${personId}`, headers: auth("untrained") })
    ).json();
    assert.deepEqual(
      entity.statements.map((s: { property: string }) => s.property),
      ["name"],
    );
  });

  test("a user without the role gets the same answer for a hidden record as for a missing one", async () => {
    const hidden = await app.inject({ method: "GET", url: `/api/v1/entities/${personId}`, headers: auth("admin") });
    const missing = await app.inject({
      method: "GET",
      url: "/api/v1/entities/us:does-not-exist",
      headers: auth("analyst"),
    });
    assertProblem(hidden, 404, "not-found-or-no-access");
    assert.equal(hidden.body, missing.body);
  });

  test("a record whose every statement is above the user's markings is not found for them", async () => {
    await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: auth("analyst"),
      payload: { id: "p-200", schema: "Person", properties: { name: ["Hidden"] }, markings: { tlp: "AMBER+STRICT" } },
    });
    const response = await app.inject({ method: "GET", url: "/api/v1/entities/us:p-200", headers: auth("officer") });
    assertProblem(response, 404, "not-found-or-no-access");
  });

  test("statements are added, retracted and re-marked; re-marking needs a supervisor", async () => {
    const added = await app.inject({
      method: "POST",
      url: `/api/v1/entities/${personId}/statements`,
      headers: auth("analyst"),
      payload: { property: "birthDate", value: "1970-12-24" },
    });
    assert.equal(added.statusCode, 201);
    const birth = added.json().statements.find((s: { property: string }) => s.property === "birthDate");
    const retracted = await app.inject({
      method: "POST",
      url: `/api/v1/entities/${personId}/statements/${birth.id}/retract`,
      headers: auth("analyst"),
    });
    assert.ok(retracted.json().retractedAt);
    const remark = await app.inject({
      method: "PATCH",
      url: `/api/v1/entities/${personId}/statements/${birth.id}/markings`,
      headers: auth("analyst"),
      payload: { markings: { tlp: "GREEN" } },
    });
    assertProblem(remark, 404, "not-found-or-no-access");
  });

  test("listing shows only what the user may see", async () => {
    const page = (
      await app.inject({ method: "GET", url: "/api/v1/entities?schema=Person", headers: auth("officer") })
    ).json();
    assert.deepEqual(
      page.entities.map((e: { id: string }) => e.id),
      ["us:p-100"],
    );
  });
});

describe("matching against the node's records", () => {
  before(async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/entities",
      headers: auth("analyst"),
      payload: {
        id: "m-1",
        schema: "Person",
        properties: { firstName: ["José María"], lastName: ["Lozano"], birthDate: ["1982-06-14"] },
      },
    });
    assert.equal(response.statusCode, 201, response.body);
  });

  test("a person written another way is found with an explained score", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/match",
      headers: auth("analyst"),
      payload: { schema: "Person", properties: { name: ["Chema Lozano"], birthDate: ["1982-06-14"] } },
    });
    assert.equal(response.statusCode, 200, response.body);
    const [hit] = response.json().hits;
    assert.equal(hit.id, "us:m-1");
    assert.equal(hit.band, "match");
    assert.ok(hit.explanation.some((feature: { feature: string }) => feature.feature === "birth date"));
  });

  test("bad queries get problem+json: an unknown schema, a bad date, no sign-in", async () => {
    const post = (payload: unknown, headers = auth("analyst")) =>
      app.inject({ method: "POST", url: "/api/v1/match", headers, payload: payload as object });
    assertProblem(await post({ schema: "Spaceship", properties: { name: ["x"] } }), 400, "request-invalid");
    const invalid = assertProblem(
      await post({ schema: "Person", properties: { birthDate: ["1982-13-01"] } }),
      422,
      "validation-failed",
    );
    assert.match(JSON.stringify(invalid), /properties\.birthDate\[0\]/u);
    assertProblem(await post({ schema: "Person", properties: { name: ["x"] } }, {} as never), 401, "unauthenticated");
  });
});

describe("the audit log", () => {
  test("sign-ins and record writes are logged with who and what, never passwords or record values", async () => {
    const entries = await new AuditRepository(node.database.db).entries(0, 1000);
    const signIns = entries.filter((entry) => entry.kind === "auth.sign-in");
    assert.ok(signIns.some((entry) => JSON.parse(entry.details).username === "ana"));
    const writes = entries.filter((entry) => entry.kind === "record.write");
    assert.ok(writes.some((entry) => entry.actor.startsWith("user:") && JSON.parse(entry.details).id === "p-100"));
    const text = JSON.stringify(entries);
    assert.ok(!text.includes(TEST_PASSWORD), "no password in the log");
    assert.ok(!text.includes("Malverde"), "no record value in the log");
    assert.deepEqual((await node.audit.verify()).firstBadEntry, undefined);
  });

  test("reads, searches, added statements, re-markings and sign-outs are logged too, with what they touched", async () => {
    const before = await node.audit.size();
    const headers = auth("analyst");
    await app.inject({ method: "GET", url: "/api/v1/entities/us:p-100", headers });
    await app.inject({ method: "GET", url: "/api/v1/entities/us:p-100/timeline", headers });
    await app.inject({
      method: "POST",
      url: "/api/v1/match",
      headers,
      payload: { schema: "Person", properties: { name: ["Chema Lozano"] } },
    });
    const added = await app.inject({
      method: "POST",
      url: "/api/v1/entities/us:p-100/statements",
      headers,
      payload: { property: "alias", value: "Santito" },
    });
    const alias = added.json().statements.find((s: { value: string }) => s.value === "Santito");
    const supervisor = await node.signedInUser("sue", ["supervisor"], { cfr28Trained: true });
    const remarked = await app.inject({
      method: "PATCH",
      url: `/api/v1/entities/us:p-100/statements/${alias.id}/markings`,
      headers: { authorization: `Bearer ${supervisor}` },
      payload: { markings: { tlp: "RED" } },
    });
    assert.equal(remarked.statusCode, 200, remarked.body);
    await app.inject({
      method: "POST",
      url: "/api/v1/auth/sign-out",
      headers: { authorization: `Bearer ${supervisor}` },
    });
    const logged = (await new AuditRepository(node.database.db).entries(before, 100)).map((entry) => ({
      kind: entry.kind,
      details: JSON.parse(entry.details),
    }));
    assert.deepEqual(
      logged.map((entry) => [entry.kind, entry.details.status, entry.details.target?.id]),
      [
        ["record.read", 200, "us:p-100"],
        ["record.read", 200, "us:p-100"],
        ["match.query", 200, undefined],
        ["record.write", 201, "us:p-100"],
        ["record.remark", 200, "us:p-100"],
        ["auth.sign-out", 204, undefined],
      ],
    );
    assert.deepEqual(logged[2]?.details.properties, { name: ["Chema Lozano"] }, "what was searched for");
    assert.deepEqual(logged.at(-2)?.details.markings, { tlp: "RED" }, "the markings set");
    assert.ok(!JSON.stringify(logged).includes("Santito"), "no record value in the log");
  });

  test("oversight sees which of the node's users opened a record; a refused read is not a sighting", async () => {
    await app.inject({ method: "GET", url: "/api/v1/entities/us:p-100", headers: auth("analyst") });
    await app.inject({ method: "GET", url: "/api/v1/entities/us:p-200", headers: auth("officer") });
    const oversight = await node.signedInUser("olga", ["oversight"]);
    const access = async (id: string) =>
      (
        await app.inject({
          method: "GET",
          url: `/api/v1/oversight/records/${id}/access`,
          headers: { authorization: `Bearer ${oversight}` },
        })
      ).json().access as Array<{ kind: string; node: string; user: string }>;
    const sawP100 = await access("us:p-100");
    assert.ok(sawP100.some((row) => row.kind === "record.read" && row.node === "us" && row.user === "ana"));
    assert.ok(!sawP100.some((row) => row.user === "otto"), "the officer never opened it");
    assert.ok(!(await access("us:p-200")).some((row) => row.user === "otto"), "the officer was refused p-200");
  });

  test("every audit kind a route names has a name in the audit explorer, in each language", () => {
    assert.ok(app.auditKinds.has("record.read") && app.auditKinds.size > 40, String(app.auditKinds.size));
    for (const [language, messages] of Object.entries(oversightMessages))
      assert.deepEqual(
        [...app.auditKinds].filter((kind) => !(`kind.${kind}` in messages)),
        [],
        `audit kinds without a name in ${language}`,
      );
  });

  test("a route that names no audit kind, and gives no reason, is refused when it is added", async () => {
    const bare = await buildServer(node);
    try {
      assert.throws(
        () => bare.get("/api/v1/forgotten", async () => ({})),
        /GET \/api\/v1\/forgotten: name the route's audit kind/u,
      );
      bare.get("/api/v1/profile-like", { config: { unaudited: "the caller's own account" } }, async () => ({}));
    } finally {
      await bare.close();
    }
  });

  test("a change whose audit entry cannot be written is not kept: not in the store, not in the index, no account, no review", async () => {
    const supervisor = await node.signedInUser("sam", ["supervisor"], { cfr28Trained: true });
    const person = { name: ["Ulises Sinlog"], birthDate: ["1977-03-03"] };
    const statement = (await app.inject({ method: "GET", url: "/api/v1/entities/us:p-100", headers: auth("analyst") }))
      .json()
      .statements.find((s: { property: string }) => s.property === "name");
    const indexed = node.matches.size;
    const indexSizes: number[] = [];
    const [written, purged, account, reviewed] = await withAuditFailing(node, async () => {
      const written = await app.inject({
        method: "POST",
        url: "/api/v1/entities",
        headers: auth("analyst"),
        payload: { id: "p-unlogged", schema: "Person", properties: person },
      });
      indexSizes.push(node.matches.size);
      const purged = await app.inject({
        method: "DELETE",
        url: "/api/v1/entities/us:p-100",
        headers: { authorization: `Bearer ${supervisor}` },
      });
      indexSizes.push(node.matches.size);
      const account = await app.inject({
        method: "POST",
        url: "/api/v1/admin/users",
        headers: auth("admin"),
        payload: { username: "ghost", roles: ["analyst"] },
      });
      const reviewed = await app.inject({
        method: "POST",
        url: "/api/v1/review/decision",
        headers: { authorization: `Bearer ${supervisor}` },
        payload: { entityId: "us:p-100", statementId: statement.id, decision: "purge", reason: "past its retention" },
      });
      return [written, purged, account, reviewed];
    });
    assertProblem(written, 503, "audit-unavailable");
    assertProblem(purged, 503, "audit-unavailable");
    assertProblem(account, 503, "audit-unavailable");
    assertProblem(reviewed, 503, "audit-unavailable");
    const after = await app.inject({
      method: "GET",
      url: `/api/v1/entities/us:p-100/statements/${statement.id}`,
      headers: auth("analyst"),
    });
    assert.equal(after.json().retractedAt, null, "the review's purge was undone");
    const users = await app.inject({ method: "GET", url: "/api/v1/admin/users", headers: auth("admin") });
    assert.ok(!users.body.includes("ghost"), "no account created without its entry");
    const read = (id: string) => app.inject({ method: "GET", url: `/api/v1/entities/${id}`, headers: auth("analyst") });
    assertProblem(await read("us:p-unlogged"), 404, "not-found-or-no-access");
    assert.equal((await read("us:p-100")).statusCode, 200, "the purge was undone");
    const matched = await app.inject({
      method: "POST",
      url: "/api/v1/match",
      headers: auth("analyst"),
      payload: { schema: "Person", properties: person },
    });
    assert.deepEqual(matched.json().hits, []);
    assert.deepEqual(indexSizes, [indexed, indexed], "the index heard of neither change");
  });

  test("a deconfliction acknowledgement or outcome whose audit entry cannot be written is not kept", async () => {
    const dora = await node.signedInUser("dora", ["analyst"], { cfr28Trained: true });
    const target = (caseReference: string) => ({
      subject: { kind: "person", values: { firstName: ["Nestor"], lastName: ["Quiroga"], birthDate: ["1969-02-11"] } },
      caseReference,
      contact: { name: "Desk", email: "desk@example.org" },
    });
    for (const [headers, caseReference] of [
      [auth("analyst"), "US-A-1"],
      [{ authorization: `Bearer ${dora}` }, "US-B-2"],
    ] as const) {
      const registered = await app.inject({
        method: "POST",
        url: "/api/v1/deconfliction/targets",
        headers,
        payload: target(caseReference),
      });
      assert.equal(registered.statusCode, 201, registered.body);
    }
    const notices = async () =>
      (await app.inject({ method: "GET", url: "/api/v1/deconfliction/notices", headers: auth("analyst") })).json()
        .notices as Array<{ id: string; acknowledgedAt: string | null; outcome: string | null }>;
    const [notice] = await notices();
    assert.ok(notice, "the two cases collide on the analyst's desk");
    const post = (path: string, payload?: object) =>
      app.inject({
        method: "POST",
        url: `/api/v1/deconfliction/notices/${notice.id}/${path}`,
        headers: auth("analyst"),
        ...(payload ? { payload } : {}),
      });
    const answers = await withAuditFailing(node, async () => [
      (await post("acknowledge")).statusCode,
      (await post("outcome", { outcome: "joint-operation", note: "one team" })).statusCode,
    ]);
    assert.deepEqual(answers, [503, 503]);
    const after = (await notices()).find((row) => row.id === notice.id);
    assert.deepEqual([after?.acknowledgedAt, after?.outcome], [null, null]);
  });

  test("a deconfliction registration whose audit entry cannot be written is not kept, nor indexed", async () => {
    const register = (caseReference: string) =>
      app.inject({
        method: "POST",
        url: "/api/v1/deconfliction/targets",
        headers: auth("analyst"),
        payload: {
          subject: {
            kind: "person",
            values: { firstName: ["Octavio"], lastName: ["Zubiaur"], birthDate: ["1981-05-19"] },
          },
          caseReference,
          contact: { name: "Desk", email: "desk@example.org" },
        },
      });
    const notices = async () =>
      (await app.inject({ method: "GET", url: "/api/v1/deconfliction/notices", headers: auth("analyst") })).json()
        .notices.length as number;
    const noticesBefore = await notices();
    const refused = await withAuditFailing(node, () => register("US-UNLOGGED-9"));
    assert.equal(refused.statusCode, 503, refused.body);
    const targets = await app.inject({ method: "GET", url: "/api/v1/deconfliction/targets", headers: auth("analyst") });
    assert.ok(!targets.body.includes("US-UNLOGGED-9"), "the target was not kept");
    // Another case on the same person meets nothing: the index never held the refused target.
    assert.equal((await register("US-LOGGED-10")).statusCode, 201);
    assert.equal(await notices(), noticesBefore);
  });

  test("a committed change whose follow-up work fails is still answered as done, with its entry", async () => {
    const refresh = node.matches.refresh;
    // The fault injected: the matching index cannot follow the change.
    node.matches.refresh = () => Promise.reject(new Error("index busy"));
    let written: Awaited<ReturnType<typeof app.inject>>;
    try {
      written = await app.inject({
        method: "POST",
        url: "/api/v1/entities",
        headers: auth("analyst"),
        payload: { id: "p-unindexed", schema: "Person", properties: { name: ["Ina Sinindice"] } },
      });
    } finally {
      node.matches.refresh = refresh;
    }
    assert.equal(written.statusCode, 201, written.body);
    const read = await app.inject({ method: "GET", url: "/api/v1/entities/us:p-unindexed", headers: auth("analyst") });
    assert.equal(read.statusCode, 200);
    const entries = await new AuditRepository(node.database.db).entries(0, 10_000);
    assert.ok(
      entries.some((entry) => entry.kind === "record.write" && JSON.parse(entry.details).id === "p-unindexed"),
      "the write's entry was committed with it",
    );
  });

  test("an answer whose audit entry cannot be written is withheld", async () => {
    const read = () => app.inject({ method: "GET", url: "/api/v1/admin/users", headers: auth("admin") });
    const withheld = await withAuditFailing(node, read);
    assertProblem(withheld, 503, "audit-unavailable");
    assert.ok(!withheld.body.includes("ana"), "no user listed in the withheld answer");
    const answered = await read();
    assert.equal(answered.statusCode, 200);
    assert.ok(answered.body.includes("ana"));
  });
});
