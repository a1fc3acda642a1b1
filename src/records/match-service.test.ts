// The node's matching index in step with its store: writes through the node are found at once, retractions and
// deletions stop matching, a bulk import by another process is picked up by the generation check, and scores
// use only what the asking user may read.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { importFile } from "../importer/import-service.ts";
import { createTestNode, type TestNode } from "../node/test-node.ts";
import type { Principal } from "../policy/access.ts";
import { openDatabase } from "../store/database.ts";
import { EntityRepository } from "../store/entity-repository.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "./entity-service.ts";

let node: TestNode;
const principal = (username: string, roles: string[], clearance: Principal["clearance"]): Principal => ({
  userId: username,
  username,
  roles,
  clearance,
  cfr28Trained: true,
  via: "session",
});
const analyst = principal("ana", ["analyst"], "AMBER+STRICT");
const supervisor = principal("sue", ["supervisor"], "RED");
const officer = principal("otto", ["border-officer"], "AMBER");
const admin = principal("adam", ["admin"], "CLEAR");

before(async () => {
  node = await createTestNode("mx", "MX");
});
after(async () => node.dispose());

const ids = (hits: Array<{ id: string }>) => hits.map((hit) => hit.id);

test("a person recorded through the node is found at once, under a nickname and without accents", async () => {
  await node.entities.saveEntity(analyst, {
    id: "p-1",
    schema: "Person",
    properties: { firstName: ["Francisco"], lastName: ["Vázquez"], motherName: ["Ruiz"], birthDate: ["1990-02-01"] },
  });
  const hits = await node.matches.searchEntity(analyst, {
    id: "q",
    schema: "Person",
    properties: { name: ["Paco Vazquez"], birthDate: ["1990-02-01"] },
  });
  assert.deepEqual(ids(hits), ["mx:p-1"]);
  assert.equal(hits[0]?.band, "match");
  assert.ok(hits[0]?.explanation.some((feature) => feature.feature === "given name" && feature.weight > 0));
});

test("a retracted birth date no longer counts, and a deleted person is no longer found", async () => {
  const saved = await node.entities.saveEntity(supervisor, {
    id: "p-2",
    schema: "Person",
    properties: { firstName: ["Lupe"], lastName: ["Ortiz"], birthDate: ["1975-07-15"] },
  });
  const query = { id: "q", schema: "Person", properties: { name: ["Guadalupe Ortiz"], birthDate: ["1975-07-15"] } };
  assert.equal((await node.matches.searchEntity(supervisor, query))[0]?.band, "match");
  const birthDate = saved.statements.find((statement) => statement.property === "birthDate");
  assert.ok(birthDate);
  await node.entities.retractStatement(supervisor, "mx:p-2", birthDate.id);
  const afterRetraction = await node.matches.searchEntity(supervisor, query);
  assert.notEqual(afterRetraction[0]?.band, "match", "without its birth date the record is at most possible");
  assert.ok(!afterRetraction[0]?.explanation.some((feature) => feature.feature === "birth date" && feature.weight > 0));
  await node.entities.deleteEntity(supervisor, "mx:p-2");
  assert.deepEqual(ids(await node.matches.searchEntity(supervisor, query)), []);
});

test("an import made by another process is picked up when the generation moves", async () => {
  const file = join(node.dir, "people.jsonl");
  writeFileSync(
    file,
    `${JSON.stringify({ id: "p-3", schema: "Person", properties: { name: ["Jesús Medina Paz"], birthDate: ["1988-03-09"] } })}\n`,
  );
  const query = { id: "q", schema: "Person", properties: { name: ["Chuy Medina"], birthDate: ["1988-03-09"] } };
  await node.matches.ready();
  // A second connection to the node's file, as `puente import` run beside the serving node would open.
  const other = await openDatabase({ sqlitePath: node.database.sqliteFile });
  try {
    const summary = await importFile({
      path: file,
      context: {
        nodeId: "mx",
        country: "MX",
        defaultMarkings: node.config.defaultMarkings,
        recordedBy: "import",
        recordedAt: new Date().toISOString(),
      },
      repository: new EntityRepository(other.db, other.sqliteFile),
    });
    assert.equal(summary.written, true);
  } finally {
    await other.close();
  }
  assert.deepEqual(ids(await node.matches.searchEntity(analyst, query)), [], "not seen before the check");
  await node.matches.sync();
  assert.deepEqual(ids(await node.matches.searchEntity(analyst, query)), ["mx:p-3"]);
});

test("scores use only the statements the user may read, and records they cannot read are absent", async () => {
  await node.entities.saveEntity(supervisor, {
    id: "p-4",
    schema: "Person",
    properties: {
      firstName: ["Ximena"],
      lastName: ["Robles"],
      birthDate: [{ value: "1993-11-30", markings: { tlp: "RED" } }],
    },
  });
  await node.entities.saveEntity(supervisor, {
    id: "p-5",
    schema: "Person",
    properties: { name: [{ value: "Ximena Robles Solís", markings: { tlp: "RED" } }] },
  });
  const query = { id: "q", schema: "Person", properties: { name: ["Ximena Robles"], birthDate: ["1993-11-30"] } };
  const cleared = await node.matches.searchEntity(supervisor, query);
  assert.deepEqual(new Set(ids(cleared)), new Set(["mx:p-4", "mx:p-5"]));
  const officerHits = await node.matches.searchEntity(officer, query);
  assert.deepEqual(ids(officerHits), ["mx:p-4"], "the all-RED record does not exist for the officer");
  const seen = officerHits[0]?.explanation.map((feature) => feature.feature) ?? [];
  assert.ok(!seen.includes("birth date"), "the RED birth date did not count");
  assert.ok((officerHits[0]?.score ?? 1) < (cleared.find((hit) => hit.id === "mx:p-4")?.score ?? 0));
});

test("a user without read access and a bad query value are refused", async () => {
  await assert.rejects(
    node.matches.searchEntity(admin, { id: "q", schema: "Person", properties: { name: ["Ana"] } }),
    NotFoundOrNoAccessError,
  );
  await assert.rejects(
    node.matches.searchEntity(analyst, { id: "q", schema: "Person", properties: { birthDate: ["31/02/1990"] } }),
    (error) =>
      error instanceof ValidationFailedError && error.issues.some((issue) => issue.path === "properties.birthDate[0]"),
  );
});
