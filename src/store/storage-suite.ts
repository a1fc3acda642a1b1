// One storage test suite, run against every engine (SQLite in `npm test`, PostgreSQL in `npm run test:pg`),
// so the two cannot drift apart. `storageScenario` is also compared across engines result by result.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Kysely } from "kysely";
import { recordContext } from "../model/test-fixtures.ts";
import type { Entity, EntityInput } from "../model/types.ts";
import { buildEntity } from "../model/validate.ts";
import { BorderAlertRepository } from "./border-alert-repository.ts";
import { BorderRepository } from "./border-repository.ts";
import type { Database } from "./database.ts";
import { DeconflictionRepository } from "./deconfliction-repository.ts";
import { EntityRepository, SchemaConflictError } from "./entity-repository.ts";
import { ExchangeRepository } from "./exchange-repository.ts";
import { HitReferenceRepository } from "./hit-reference-repository.ts";
import { migrateToLatest } from "./migrations.ts";
import { OutboxRepository } from "./outbox-repository.ts";
import { SealRepository } from "./seal-repository.ts";
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

/** A lookout row as the screening service writes one (its version comes from the repository). */
const lookout = (id: string, expires_at = "2026-09-01T00:00:00.000Z") => ({
  id,
  subject: "{}",
  reason: "r",
  severity: "high",
  case_reference: "c",
  expires_at,
  markings: "{}",
  contact: "{}",
  registered_by: "u-1",
  created_at: "2026-03-01T00:00:00.000Z",
  withdrawn_by: null,
  withdrawn_at: null,
});

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
      // Statements read share their markings: one reader changing them must not change what the next one reads.
      const [first] = (await entities.getEntities([people[0]?.id ?? ""]))[0]?.statements ?? [];
      assert.ok(first);
      assert.throws(() => {
        (first.markings as { tlp: string }).tlp = "CLEAR";
      }, TypeError);
      assert.throws(() => (first.markings.releasableCountries as string[]).push("RU"), TypeError);
      const again = await entities.getStatement(first.entityId, first.id);
      assert.deepEqual(again?.markings, people[0]?.statements.find((s) => s.id === first.id)?.markings);
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

    test("a transaction scope keeps what was written inside it only if it commits; work after it waits", async () => {
      const scopes = database.transactions;
      const at = "2026-03-06T00:00:00.000Z";
      const followed: string[] = [];
      const undone = await scopes.open();
      await scopes.enter(undone, async () => {
        await entities.saveEntities([entityOf({ id: "tx-1", schema: "Person", properties: { name: ["Eva Tx"] } })], at);
        // A repository's own transaction inside the scope is a savepoint: its failure undoes only itself.
        const clash = entityOf({ id: "tx-1", schema: "Company", properties: { name: ["Tx SA"] } });
        await assert.rejects(entities.saveEntities([clash], at), SchemaConflictError);
        assert.ok(await entities.getEntity("us:tx-1"), "seen inside the scope, after the failed savepoint");
        await scopes.afterCommit(async () => {
          followed.push("undone");
        });
      });
      await scopes.rollback(undone);
      assert.equal(await entities.getEntity("us:tx-1"), undefined, "nothing kept");
      assert.equal(followed.length, 0, "work after a rolled-back scope never runs");

      const kept = await scopes.open();
      await scopes.enter(kept, async () => {
        // Two transactions at once inside one scope take turns.
        await Promise.all(
          ["tx-2", "tx-3"].map((id) =>
            entities.saveEntities([entityOf({ id, schema: "Person", properties: { name: [`Eva ${id}`] } })], at),
          ),
        );
        await scopes.afterCommit(async () => {
          followed.push(String((await entities.getEntity("us:tx-2"))?.id));
        });
      });
      // Outside the scope its writes are not seen before the commit: PostgreSQL answers from before it, SQLite (one
      // writer, one connection) waits for it.
      const outside = entities.getEntity("us:tx-3");
      if (database.engine === "postgres") assert.equal(await outside, undefined);
      assert.equal(followed.length, 0);
      await scopes.commit(kept);
      if (database.engine === "sqlite") assert.equal((await outside)?.id, "us:tx-3");
      assert.deepEqual(followed, ["us:tx-2"], "work after the commit ran once, and sees it");
      assert.equal((await entities.getEntity("us:tx-3"))?.id, "us:tx-3");
      await scopes.afterCommit(async () => {
        followed.push("at once");
      });
      assert.deepEqual(followed, ["us:tx-2", "at once"], "outside a scope, at once");
      for (const id of ["us:tx-2", "us:tx-3"]) await entities.deleteEntity(id);
    });

    test("a scope opened while loading work runs waits for it, so work it awaits is never stuck", {
      timeout: 10_000,
    }, async () => {
      const scopes = database.transactions;
      // Work begun outside any scope, reading the database a moment later (a service loading its state at start).
      const loading = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return entities.countEntities();
      })();
      scopes.waitFor(loading);
      const scope = await scopes.open();
      // On SQLite the scope holds the one connection: had it opened first, the load would wait for it forever.
      const count = await scopes.enter(scope, () => loading);
      await scopes.commit(scope);
      assert.equal(count, await entities.countEntities());
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

    test("seal monitoring: plans once, fixes and reads kept once, the latest per shipment, alerts paged as raised", async () => {
      const seals = new SealRepository(database.db);
      const plan = { shipment_id: "shp-1", plan: "{}", registered_by: "u-1", created_at: "2026-03-01T00:00:00.000Z" };
      assert.equal(await seals.addPlan(plan), true);
      assert.equal(await seals.addPlan({ ...plan, plan: '{"route":[]}' }), false, "plans are not replaced");
      await seals.addPlan({ ...plan, shipment_id: "shp-2", created_at: "2026-03-05T00:00:00.000Z" });
      assert.deepEqual(
        (await seals.plansSince("2026-03-02T00:00:00.000Z")).map((row) => row.shipment_id),
        ["shp-2"],
      );
      assert.deepEqual(
        (await seals.plans(["shp-1", "shp-9"])).map((row) => row.plan),
        ["{}"],
      );
      const fix = (shipment_id: string, minute: number) => ({
        shipment_id,
        time: `2026-03-01T10:0${minute}:00.000Z`,
        lat: 27.123456789,
        lon: -99.987654321,
        speed: minute === 0 ? null : 72.5,
        received_at: "2026-03-01T11:00:00.000Z",
      });
      await seals.addFixes([fix("shp-1", 0), fix("shp-1", 1), fix("shp-1", 2), fix("shp-1", 2), fix("shp-2", 0)]);
      await seals.addFixes([fix("shp-1", 2), fix("shp-1", 3)]);
      const latest = await seals.recentFixes(["shp-1", "shp-2"], 2);
      assert.deepEqual(
        latest.map((row) => [row.shipment_id, row.time]),
        [
          ["shp-1", "2026-03-01T10:02:00.000Z"],
          ["shp-1", "2026-03-01T10:03:00.000Z"],
          ["shp-2", "2026-03-01T10:00:00.000Z"],
        ],
      );
      assert.deepEqual(latest[0], fix("shp-1", 2), "coordinates keep double precision");
      assert.equal(latest[2]?.speed, null);
      const read = {
        shipment_id: "shp-1",
        time: "2026-03-01T10:05:00.000Z",
        manufacturer: "ACME",
        serial: "S-1",
        state: "opened",
        battery: 55.5,
        lat: null,
        lon: null,
        received_at: "2026-03-01T11:00:00.000Z",
      };
      await seals.addEvents([read, read, { ...read, state: "sealed" }]);
      assert.deepEqual((await seals.recentEvents(["shp-1"], 10)).map((row) => row.state).sort(), ["opened", "sealed"]);
      const alert = (id: string, raised_at: string) => ({
        id,
        shipment_id: "shp-1",
        kind: "dark-period",
        time: "2026-03-01T10:03:00.000Z",
        detail: "no GPS fix",
        lat: 27.5,
        lon: null,
        raised_at,
      });
      await seals.addAlerts([
        alert("a-2", "2026-03-01T10:20:00.000Z"),
        alert("a-1", "2026-03-01T10:20:00.000Z"),
        alert("a-3", "2026-03-01T10:30:00.000Z"),
      ]);
      await seals.addAlerts([alert("a-1", "2026-03-01T11:00:00.000Z")]);
      const since = "2026-03-01T10:20:00.000Z";
      const first = await seals.alertsRaisedSince(since, undefined, 2);
      assert.deepEqual(
        first.map((row) => row.id),
        ["a-1", "a-2"],
      );
      assert.deepEqual(
        (await seals.alertsRaisedSince(since, { raisedAt: since, id: "a-2" }, 2)).map((row) => row.id),
        ["a-3"],
      );
      assert.deepEqual(
        (await seals.alertsRaisedSince("2026-03-01T10:25:00.000Z", undefined, 10)).map((row) => row.id),
        ["a-3"],
      );
      assert.deepEqual((await seals.alertsOf(["shp-1"])).map((row) => row.raised_at).sort(), [
        "2026-03-01T10:20:00.000Z",
        "2026-03-01T10:20:00.000Z",
        "2026-03-01T10:30:00.000Z",
      ]);
    });
    test("border screening: lookout versions, partners' pages, suppressions and referrals once", async () => {
      const border = new BorderRepository(database.db);
      assert.equal(await border.addLookout(lookout("lo-1")), 1);
      assert.equal(await border.addLookout(lookout("lo-2", "2026-03-02T00:00:00.000Z")), 2);
      assert.equal(await border.addLookout(lookout("lo-3")), 3);
      assert.equal(await border.withdrawLookout("lo-1", "u-2", "2026-03-03T00:00:00.000Z"), 4);
      assert.equal(await border.withdrawLookout("lo-1", "u-2", "2026-03-03T00:00:00.000Z"), undefined, "once");
      assert.deepEqual(
        (await border.lookoutsSince(1, 10)).map((row) => [row.id, row.version, row.withdrawn_by]),
        [
          ["lo-2", 2, null],
          ["lo-3", 3, null],
          ["lo-1", 4, "u-2"],
        ],
      );
      assert.deepEqual(
        (await border.lookoutsSince(0, 2)).map((row) => row.version),
        [2, 3],
      );
      assert.deepEqual(
        (await border.liveLookouts("2026-03-05T00:00:00.000Z")).map((row) => row.id),
        ["lo-3"],
      );

      const cached = (lookout_id: string, expires_at = "2026-09-01T00:00:00.000Z") => ({
        owner: "mx",
        lookout_id,
        subject: "{}",
        severity: "low",
        tlp: "GREEN",
        contact: "{}",
        expires_at,
        received_at: "2026-03-01T00:00:00.000Z",
      });
      assert.equal(await border.partnerCursor("mx"), 0);
      await border.applyPartnerPage(
        "mx",
        [cached("a"), cached("b", "2026-03-02T00:00:00.000Z")],
        [],
        7,
        "2026-03-01T00:00:00.000Z",
      );
      await border.applyPartnerPage(
        "mx",
        [{ ...cached("a"), severity: "high" }],
        ["b", "never-seen"],
        9,
        "2026-03-02T00:00:00.000Z",
      );
      assert.equal(await border.partnerCursor("mx"), 9);
      assert.deepEqual(
        (await border.partnerLookouts("2026-03-01T00:00:00.000Z")).map((row) => [row.lookout_id, row.severity]),
        [["a", "high"]],
      );
      await border.applyPartnerPage(
        "ca",
        [cached("c", "2026-03-02T00:00:00.000Z")].map((row) => ({ ...row, owner: "ca" })),
        [],
        1,
        "2026-03-01T00:00:00.000Z",
      );
      await border.deleteExpiredPartnerLookouts("2026-03-02T00:00:00.000Z");
      assert.equal(await border.partnerLookout("ca", "c"), undefined, "expired");
      assert.deepEqual((await border.cachedPartners()).sort(), ["ca", "mx"]);
      await border.dropPartner("mx");
      assert.deepEqual(await border.cachedPartners(), ["ca"]);
      assert.deepEqual(await border.partnerLookouts("2026-01-01T00:00:00.000Z", "mx"), []);

      const suppression = {
        id: "s-1",
        lookout_id: "lo-3",
        owner: "",
        identity_key: "document:MX:G1",
        status: "pending",
        reason: "namesake",
        referral_id: null,
        proposed_by: "u-1",
        proposed_at: "2026-03-01T00:00:00.000Z",
        confirmed_by: null,
        confirmed_at: null,
        removed_by: null,
        removed_at: null,
      };
      await border.addSuppression(suppression);
      assert.equal(await border.confirmSuppression("s-1", "u-2", "2026-03-02T00:00:00.000Z"), true);
      assert.equal(await border.confirmSuppression("s-1", "u-2", "2026-03-02T00:00:00.000Z"), false, "once");
      assert.deepEqual(
        (await border.activeSuppressions()).map((row) => row.id),
        ["s-1"],
      );
      assert.equal(await border.removeSuppression("s-1", "u-3", "2026-03-03T00:00:00.000Z"), true);
      assert.equal(await border.removeSuppression("s-1", "u-3", "2026-03-03T00:00:00.000Z"), false, "once");
      assert.deepEqual(await border.activeSuppressions(), []);
      assert.equal((await border.suppressions("removed", 10))[0]?.removed_by, "u-3");

      const referral = (i: number) => ({
        id: `r-${String(i).padStart(4, "0")}`,
        crossing_id: `x-${i}`,
        port: i % 2 === 0 ? "2504" : "2506",
        screened_at: `2026-03-01T10:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:00.000Z`,
        screened_by: "u-1",
        crossing: "{}",
        decision: "{}",
        outcome: null,
        outcome_note: null,
        outcome_by: null,
        outcome_at: null,
      });
      await border.addReferrals(Array.from({ length: 1200 }, (_, i) => referral(i)));
      const newest = await border.referrals("2504", 3);
      assert.deepEqual(
        newest.map((row) => row.id),
        ["r-1198", "r-1196", "r-1194"],
      );
      assert.equal((await border.referrals(undefined, 2000)).length, 1200);
      assert.equal(await border.recordOutcome("r-0001", "found", null, "u-1", "2026-03-01T11:00:00.000Z"), true);
      assert.equal(
        await border.recordOutcome("r-0001", "nothing-found", null, "u-1", "2026-03-01T11:00:00.000Z"),
        false,
      );
      assert.equal((await border.referral("r-0001"))?.outcome, "found");
    });

    test("lookouts written in two transaction scopes at once take consecutive versions", async () => {
      const border = new BorderRepository(database.db);
      const scopes = database.transactions;
      const first = await scopes.open();
      const firstVersion = await scopes.enter(first, () => border.addLookout(lookout("lo-scope-1")));
      // The second scope begins while the first holds its version (PostgreSQL: on another connection; SQLite: it
      // waits for the first to end).
      const second = (async () => {
        const scope = await scopes.open();
        try {
          const version = await scopes.enter(scope, () => border.addLookout(lookout("lo-scope-2")));
          await scopes.commit(scope);
          return version;
        } finally {
          await scopes.rollback(scope);
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await scopes.commit(first);
      assert.equal(await second, firstVersion + 1);
    });

    test("burst alerts: one row per burst, rewritten as it grows, absorbed bursts dropped, newest first", async () => {
      const alerts = new BorderAlertRepository(database.db);
      const alert = (id: string, port: string, last: string, size: number) => ({
        id,
        port,
        first_seen: "2026-03-01T10:00:00.000Z",
        last_seen: last,
        size,
        crossing_ids: JSON.stringify(Array.from({ length: size }, (_, i) => `${id}-c${i}`)),
        referred: "[]",
        links: "[]",
        raised_at: "2026-03-01T10:05:00.000Z",
        updated_at: last,
      });
      await alerts.save(alert("b-1", "2504", "2026-03-01T10:10:00.000Z", 5), []);
      await alerts.save(alert("b-2", "2506", "2026-03-01T10:20:00.000Z", 6), []);
      await alerts.save(alert("b-3", "2504", "2026-03-01T10:30:00.000Z", 5), []);
      await alerts.save({ ...alert("b-1", "2504", "2026-03-01T10:40:00.000Z", 12), raised_at: "later" }, ["b-3"]);
      const all = await alerts.list({ limit: 10 });
      assert.deepEqual(
        all.map((row) => [row.id, Number(row.size)]),
        [
          ["b-1", 12],
          ["b-2", 6],
        ],
      );
      assert.equal(all[0]?.raised_at, "2026-03-01T10:05:00.000Z", "raised once, updated since");
      assert.deepEqual(
        (await alerts.list({ port: "2506", limit: 10 })).map((row) => row.id),
        ["b-2"],
      );
      assert.deepEqual(
        (await alerts.list({ since: "2026-03-01T10:30:00.000Z", limit: 10 })).map((row) => row.id),
        ["b-1"],
      );
      assert.equal((await alerts.list({ limit: 1 })).length, 1);
    });
  });
}
