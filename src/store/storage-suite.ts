// One storage test suite, run against every engine (SQLite in `npm test`, PostgreSQL in `npm run test:pg`),
// so the two cannot drift apart. `storageScenario` is also compared across engines result by result.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Kysely } from "kysely";
import { recordContext } from "../model/test-fixtures.ts";
import type { Entity, EntityInput } from "../model/types.ts";
import { buildEntity } from "../model/validate.ts";
import type { Database } from "./database.ts";
import { DeconflictionRepository } from "./deconfliction-repository.ts";
import { EntityRepository, SchemaConflictError } from "./entity-repository.ts";
import { ExchangeRepository } from "./exchange-repository.ts";
import { HitReferenceRepository } from "./hit-reference-repository.ts";
import { migrateToLatest } from "./migrations.ts";
import { OutboxRepository } from "./outbox-repository.ts";
import { SubscriptionRepository } from "./subscription-repository.ts";
import { UsernameTakenError, UserRepository } from "./user-repository.ts";

const context = recordContext({ nodeId: "us", country: "US", recordedAt: "2026-03-01T12:00:00.000Z" });

export function entityOf(input: EntityInput): Entity {
  const result = buildEntity(input, context);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.entity;
}

const people = [
  entityOf({ id: "p-1", schema: "Person", properties: { name: ["Ana María López"], birthDate: ["1985-05-01"] } }),
  entityOf({
    id: "p-2",
    schema: "Person",
    properties: { name: ["John Smith"], alias: [{ value: "Johnny", markings: { tlp: "RED" } }] },
  }),
  entityOf({ id: "v-1", schema: "Vehicle", properties: { registrationNumber: ["ABC-1234"], owner: ["p-1"] } }),
];

/** A fixed sequence of operations whose every result is returned, to compare engines with each other. */
export async function storageScenario(database: Database): Promise<unknown[]> {
  const entities = new EntityRepository(database.db);
  const users = new UserRepository(database.db);
  const results: unknown[] = [];
  await entities.saveEntities(people, "2026-03-01T12:00:00.000Z");
  results.push(await entities.getEntity("us:p-2"));
  results.push(await entities.listEntities({ limit: 2 }));
  results.push(await entities.listEntities({ limit: 10, schema: "Person", after: "us:p-1" }));
  results.push(await entities.countEntities("Person"));
  const statement = people[0]?.statements[0];
  assert.ok(statement);
  results.push(await entities.retractStatement(statement.entityId, statement.id, "2026-03-02T00:00:00.000Z"));
  results.push(await entities.retractStatement(statement.entityId, statement.id, "2026-03-03T00:00:00.000Z"));
  results.push(await entities.getStatement(statement.entityId, statement.id));
  const user = await users.createUser(
    {
      username: "ana",
      displayName: "Ana",
      passwordHash: "x",
      roles: ["analyst"],
      cfr28Trained: true,
      clearance: "AMBER",
      totpSecret: "S",
    },
    "2026-03-01T00:00:00.000Z",
  );
  results.push(await users.claimTotpStep(user.id, 10, "2026-03-01T00:00:00.000Z"));
  results.push(await users.claimTotpStep(user.id, 10, "2026-03-01T00:00:00.000Z"));
  const { id: _id, ...stored } = (await users.findByUsername("ana")) ?? {};
  results.push(stored);
  return results;
}

export function defineStorageSuite(engine: string, open: () => Promise<Database>): void {
  describe(`storage on ${engine}`, () => {
    let database: Database;
    let entities: EntityRepository;
    let users: UserRepository;
    before(async () => {
      database = await open();
      entities = new EntityRepository(database.db);
      users = new UserRepository(database.db);
    });
    after(async () => database.close());

    test("migrations run again without change", async () => {
      const tablesBefore = await database.db.introspection.getTables();
      assert.deepEqual(await migrateToLatest(database.db as Kysely<unknown>), []);
      assert.deepEqual(await database.db.introspection.getTables(), tablesBefore);
      assert.ok(tablesBefore.some((table) => table.name === "statements"));
    });

    test("entities round-trip with every statement, provenance and marking", async () => {
      await entities.saveEntities(people, "2026-03-01T12:00:00.000Z");
      for (const entity of people) {
        const stored = await entities.getEntity(entity.id);
        const byId = (list: Entity["statements"]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
        assert.deepEqual(byId(stored?.statements ?? []), byId(entity.statements));
        assert.equal(stored?.schema, entity.schema);
      }
      assert.equal(await entities.getEntity("us:nobody"), undefined);
    });

    test("saving the same entities again changes nothing but markings", async () => {
      const before = await entities.countEntities();
      const changed = entityOf({
        id: "p-1",
        schema: "Person",
        properties: { name: ["Ana María López"] },
        markings: { tlp: "GREEN" },
      });
      await entities.saveEntities([changed], "2026-03-05T00:00:00.000Z");
      assert.equal(await entities.countEntities(), before);
      const stored = await entities.getEntity("us:p-1");
      assert.equal(stored?.statements.length, 2);
      assert.equal(stored?.statements.find((s) => s.property === "name")?.markings.tlp, "GREEN");
    });

    test("a conflicting schema aborts the whole batch", async () => {
      const before = await entities.countEntities();
      const fresh = entityOf({ id: "p-9", schema: "Person", properties: { name: ["New Person"] } });
      const clash = entityOf({ id: "p-1", schema: "Company", properties: { name: ["Not a person"] } });
      await assert.rejects(entities.saveEntities([fresh, clash], "2026-03-05T00:00:00.000Z"), SchemaConflictError);
      assert.equal(await entities.countEntities(), before);
      assert.equal(await entities.getEntity("us:p-9"), undefined);
    });

    test("listing pages by id and filters by schema", async () => {
      const firstPage = await entities.listEntities({ limit: 2 });
      assert.deepEqual(
        firstPage.map((e) => e.id),
        ["us:p-1", "us:p-2"],
      );
      const rest = await entities.listEntities({ limit: 2, after: "us:p-2" });
      assert.deepEqual(
        rest.map((e) => e.id),
        ["us:v-1"],
      );
      const vehicles = await entities.listEntities({ limit: 10, schema: "Vehicle" });
      assert.deepEqual(
        vehicles.map((e) => e.statements.map((s) => s.value)),
        [["us:p-1", "ABC1234"]],
      );
    });

    test("entities naming others are found by the id they name", async () => {
      assert.deepEqual(await entities.referencingEntityIds(["us:p-1"], 10), ["us:v-1"]);
      assert.deepEqual(await entities.referencingEntityIds(["us:p-1", "us:p-1", "us:nobody"], 10), ["us:v-1"]);
      assert.deepEqual(await entities.referencingEntityIds(["us:nobody"], 10), []);
      assert.deepEqual(await entities.referencingEntityIds([], 10), []);
    });

    test("statements are retracted once, re-marked, and entities deleted with their statements", async () => {
      const alias = people[1]?.statements.find((s) => s.property === "alias");
      assert.ok(alias);
      assert.equal(await entities.retractStatement(alias.entityId, alias.id, "2026-03-06T00:00:00.000Z"), true);
      assert.equal(await entities.retractStatement(alias.entityId, alias.id, "2026-03-07T00:00:00.000Z"), false);
      assert.equal((await entities.getStatement(alias.entityId, alias.id))?.retractedAt, "2026-03-06T00:00:00.000Z");
      assert.equal(
        await entities.updateMarkings(alias.entityId, alias.id, { ...alias.markings, tlp: "AMBER+STRICT" }),
        true,
      );
      assert.equal((await entities.getStatement(alias.entityId, alias.id))?.markings.tlp, "AMBER+STRICT");
      assert.equal(await entities.deleteEntity("us:p-2"), true);
      assert.equal(await entities.getStatement(alias.entityId, alias.id), undefined);
      assert.equal(await entities.deleteEntity("us:p-2"), false);
    });

    test("users, TOTP steps, sign-in attempts, sessions and tokens", async () => {
      const user = await users.createUser(
        {
          username: "ben",
          displayName: "Ben",
          passwordHash: "h",
          roles: ["supervisor", "analyst"],
          cfr28Trained: false,
          clearance: "RED",
          totpSecret: "SECRET",
        },
        "2026-03-01T00:00:00.000Z",
      );
      await assert.rejects(
        users.createUser({ ...user, username: "ben" }, "2026-03-01T00:00:00.000Z"),
        UsernameTakenError,
      );
      assert.deepEqual((await users.findById(user.id))?.roles, ["supervisor", "analyst"]);
      assert.equal(await users.claimTotpStep(user.id, 5, "2026-03-01T00:00:00.000Z"), true);
      assert.equal(await users.claimTotpStep(user.id, 5, "2026-03-01T00:00:00.000Z"), false);
      assert.equal(await users.claimTotpStep(user.id, 4, "2026-03-01T00:00:00.000Z"), false);
      assert.equal(await users.claimTotpStep(user.id, 6, "2026-03-01T00:00:00.000Z"), true);

      await users.recordSignInAttempt("ben", "2026-03-01T00:01:00.000Z", false);
      await users.recordSignInAttempt("ben", "2026-03-01T00:02:00.000Z", true);
      await users.recordSignInAttempt("ben", "2026-03-01T00:03:00.000Z", false);
      await users.recordSignInAttempt("ben", "2026-03-01T00:04:00.000Z", false);
      assert.deepEqual(await users.recentFailures("ben", "2026-03-01T00:00:00.000Z"), [
        "2026-03-01T00:03:00.000Z",
        "2026-03-01T00:04:00.000Z",
      ]);
      assert.deepEqual(await users.recentFailures("ben", "2026-03-01T00:03:30.000Z"), ["2026-03-01T00:04:00.000Z"]);
      assert.equal((await users.lastSignIns()).get("ben"), "2026-03-01T00:02:00.000Z");
      assert.equal(await users.updateRoles(user.id, ["oversight"], "AMBER", "2026-03-01T00:08:00.000Z"), true);
      assert.deepEqual(
        [(await users.findById(user.id))?.roles, (await users.findById(user.id))?.clearance],
        [["oversight"], "AMBER"],
      );
      assert.equal(await users.updateRoles("nobody", ["analyst"], "AMBER", "2026-03-01T00:08:00.000Z"), false);

      await users.createSession("hash-1", user.id, "2026-03-01T00:05:00.000Z");
      await users.touchSession("hash-1", "2026-03-01T00:06:00.000Z");
      assert.equal((await users.findSession("hash-1"))?.last_seen_at, "2026-03-01T00:06:00.000Z");
      await users.endSession("hash-1", "2026-03-01T00:07:00.000Z");
      assert.equal((await users.findSession("hash-1"))?.ended_at, "2026-03-01T00:07:00.000Z");

      const tokenId = await users.createApiToken(user.id, "ci", "token-hash", "2026-03-01T00:00:00.000Z");
      assert.equal((await users.findApiToken("token-hash"))?.id, tokenId);
      assert.equal(await users.revokeApiToken(tokenId, "2026-03-02T00:00:00.000Z"), true);
      assert.equal(await users.revokeApiToken(tokenId, "2026-03-03T00:00:00.000Z"), false);
    });

    test("the exchange's rows: idempotent requests and releases, decisions once, escalation, outbox retries", async () => {
      const exchange = new ExchangeRepository(database.db);
      const incoming = {
        id: "in-1",
        requester_node: "mx",
        requester_request_id: "rq-1",
        reference: "ref-1",
        entity_id: "us:p-1",
        requester_user: "{}",
        justification: "j",
        purpose: "p",
        case_reference: "c",
        urgency: "urgent",
        status: "pending",
        due_at: "2026-03-01T08:00:00.000Z",
        escalated_at: null,
        decided_by: null,
        decided_at: null,
        decision_reason: null,
        redacted: null,
        created_at: "2026-03-01T00:00:00.000Z",
      };
      assert.equal((await exchange.addIncoming(incoming)).id, "in-1");
      assert.equal((await exchange.addIncoming({ ...incoming, id: "in-2" })).id, "in-1", "a repeated request is one");
      assert.equal(await exchange.escalateOverdue("2026-03-01T07:00:00.000Z"), 0);
      assert.equal(await exchange.escalateOverdue("2026-03-01T09:00:00.000Z"), 1);
      assert.equal(await exchange.escalateOverdue("2026-03-01T10:00:00.000Z"), 0);
      const decision = { status: "approved" as const, decidedBy: "sara", at: "2026-03-01T09:30:00.000Z", reason: null };
      assert.equal(await exchange.decide("in-1", { ...decision, redacted: ["birthDate"] }), true);
      assert.equal(await exchange.decide("in-1", { ...decision, redacted: [] }), false, "decided once");
      assert.deepEqual(JSON.parse((await exchange.incoming("in-1"))?.redacted ?? "null"), ["birthDate"]);

      const release = {
        id: "rel-1",
        owner_node: "mx",
        request_id: "rq-9",
        signed_release: "jws",
        content: "{}",
        received_at: "2026-03-01T10:00:00.000Z",
        withdrawn: null,
      };
      await exchange.addRelease(release);
      await exchange.addRelease({ ...release, content: '{"again":true}' });
      assert.equal((await exchange.receivedRelease("rel-1", "mx"))?.content, "{}");
      assert.equal(await exchange.receivedRelease("rel-1", "ca"), undefined, "only its owner reaches it");
      await exchange.withdrawFromRelease("rel-1", '{"statements":[]}', ["s-1"]);
      assert.equal((await exchange.receivedRelease("rel-1", "mx"))?.signed_release, "");
      await exchange.deleteRelease("rel-1", "mx");
      assert.equal(await exchange.receivedRelease("rel-1", "mx"), undefined);

      const outbox = new OutboxRepository(database.db);
      await outbox.add({ id: "m-1", destination: "mx", path: "/x", body: "{}" }, "2026-03-01T00:00:00.000Z");
      assert.deepEqual(
        (await outbox.due("2026-03-01T00:00:00.000Z", 10)).map((m) => m.id),
        ["m-1"],
      );
      await outbox.failed("m-1", 1, "2026-03-01T00:00:05.000Z", "down");
      assert.deepEqual(await outbox.due("2026-03-01T00:00:01.000Z", 10), []);
      assert.equal((await outbox.due("2026-03-01T00:00:06.000Z", 10))[0]?.attempts, 1);
      await outbox.delivered("m-1", "2026-03-01T00:00:07.000Z");
      assert.deepEqual(await outbox.pending(), []);

      const references = new HitReferenceRepository(database.db);
      await references.remember(
        [{ reference: "r-1", entityId: "us:p-1", requesterNode: "mx" }],
        "2026-03-01T00:00:00.000Z",
      );
      await references.remember(
        [{ reference: "r-1", entityId: "us:p-1", requesterNode: "mx" }],
        "2026-03-01T00:00:00.000Z",
      );
      assert.equal(await references.resolve("r-1", "mx"), "us:p-1");
      assert.equal(await references.resolve("r-1", "ca"), undefined, "a reference works only for the node given it");
    });

    test("watches: notices kept once, and each record noticed once per watch", async () => {
      const subscriptions = new SubscriptionRepository(database.db);
      const watch = {
        subscriber_node: "mx",
        subscription_id: "sub-1",
        query: "{}",
        requester_user: "{}",
        legal_basis: "court order",
        purpose: "p",
        case_reference: "c",
        expires_at: "2026-04-01T00:00:00.000Z",
        created_at: "2026-03-01T00:00:00.000Z",
      };
      await subscriptions.addWatch(watch);
      await subscriptions.addWatch(watch);
      assert.equal((await subscriptions.activeWatches("2026-03-15T00:00:00.000Z")).length, 1);
      assert.equal((await subscriptions.activeWatches("2026-04-02T00:00:00.000Z")).length, 0, "expired");
      assert.equal(await subscriptions.markNoticed("mx", "sub-1", "us:p-1", "2026-03-02T00:00:00.000Z"), true);
      assert.equal(await subscriptions.markNoticed("mx", "sub-1", "us:p-1", "2026-03-03T00:00:00.000Z"), false);
      assert.equal(await subscriptions.markNoticed("mx", "sub-1", "us:p-2", "2026-03-03T00:00:00.000Z"), true);
    });

    test("deconfliction: a partner's notice is kept once; handler alerts reach their handler only", async () => {
      const deconfliction = new DeconflictionRepository(database.db);
      const notice = {
        id: "n-1",
        audience: "desk",
        handler_user_id: null,
        item_kind: "target",
        item_id: "t-1",
        counterpart_node: "mx",
        counterpart_contact: "{}",
        remote_id: "remote-1",
        created_at: "2026-03-01T00:00:00.000Z",
        acknowledged_by: null,
        acknowledged_at: null,
        outcome: null,
        outcome_note: null,
        decided_by: null,
        decided_at: null,
      };
      assert.equal(await deconfliction.addNotice(notice), true);
      assert.equal(await deconfliction.addNotice({ ...notice, id: "n-2" }), false, "the same remote notice again");
      const alert = { ...notice, id: "n-3", audience: "handler", handler_user_id: "h-1", remote_id: null };
      assert.equal(await deconfliction.addNotice(alert), true);
      assert.equal(await deconfliction.addNotice({ ...alert, id: "n-4" }), true, "local notices have no remote id");
      assert.deepEqual(
        (await deconfliction.notices("someone", 10)).map((n) => n.id),
        ["n-1"],
      );
      assert.deepEqual((await deconfliction.notices("h-1", 10)).map((n) => n.id).sort(), ["n-1", "n-3", "n-4"]);
      await deconfliction.decide("n-1", "joint-operation", "", "u-1", "2026-03-02T00:00:00.000Z");
      assert.equal((await deconfliction.notice("n-1"))?.outcome, "joint-operation");
      await deconfliction.addOperation({
        id: "op-1",
        operation_type: "arrest",
        area: "{}",
        starts_at: "2026-03-01T10:00:00.000Z",
        ends_at: "2026-03-01T12:00:00.000Z",
        risk: "high",
        case_reference: "c",
        contact: "{}",
        registered_by: "u-1",
        created_at: "2026-03-01T00:00:00.000Z",
        closed_at: null,
      });
      assert.equal((await deconfliction.activeOperations("2026-03-01T11:00:00.000Z")).length, 1);
      assert.equal((await deconfliction.activeOperations("2026-03-01T13:00:00.000Z")).length, 0, "over");
    });
  });
}
