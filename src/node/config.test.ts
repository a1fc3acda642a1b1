// Tests for node configuration: init writes a valid file and keys; a broken file is refused naming file and field;
// audit retention defaults to a year and cannot be set shorter.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConfigError, loadConfig } from "./config.ts";
import { initNode } from "./init.ts";
import { openNode } from "./node.ts";

const work = mkdtempSync(join(tmpdir(), "puente-config-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("init writes a configuration that loads, and a node that opens with its keys", async () => {
  const dir = join(work, "gt");
  const { config } = await initNode({
    dir,
    nodeId: "gt-pnc",
    country: "gt",
    agency: "Policía Nacional Civil",
    port: 7500,
  });
  assert.equal(config.country, "GT");
  assert.deepEqual(loadConfig(dir).config, config);
  const node = await openNode(dir, { databaseUrl: "" });
  assert.match(node.keys.publicKeyPem, /BEGIN PUBLIC KEY/u);
  assert.equal(node.database.engine, "sqlite");
  await node.close();
});

test("init refuses bad identities before writing anything", async () => {
  const dir = join(work, "bad");
  await assert.rejects(initNode({ dir, nodeId: "Bad Id", country: "MX", agency: "x" }), /nodeId/u);
  await assert.rejects(initNode({ dir, nodeId: "ok", country: "ZZ", agency: "x" }), /country/u);
  assert.throws(() => readFileSync(join(dir, "puente.json")), /ENOENT/u);
});

test("a broken configuration file is refused with the file and the field", async () => {
  const dir = join(work, "broken");
  await initNode({ dir, nodeId: "hn-dpi", country: "HN", agency: "DPI" });
  const path = join(dir, "puente.json");
  const config = JSON.parse(readFileSync(path, "utf8"));
  writeFileSync(path, JSON.stringify({ ...config, listen: { host: "127.0.0.1", port: 70000 } }));
  assert.throws(
    () => loadConfig(dir),
    (error: Error) =>
      error instanceof ConfigError && error.message === `${path}: listen.port: a port number from 0 to 65535`,
  );
  writeFileSync(path, JSON.stringify({ ...config, defaultMarkings: { tlp: "PURPLE" } }));
  assert.throws(() => loadConfig(dir), /defaultMarkings\.tlp/u);
  writeFileSync(path, JSON.stringify({ ...config, searchesAtOnce: 0 }));
  assert.throws(() => loadConfig(dir), /searchesAtOnce: a whole number of searches, at least 1/u);
  writeFileSync(path, JSON.stringify({ ...config, searchesAtOnce: 4 }));
  assert.equal(loadConfig(dir).config.searchesAtOnce, 4);
  writeFileSync(path, "{ not json");
  assert.throws(() => loadConfig(dir), /puente\.json: not valid JSON/u);
});

test("audit retention is a year unless set longer; shorter is refused naming the field", async () => {
  const dir = join(work, "retention");
  const { config } = await initNode({ dir, nodeId: "sv-pnc", country: "SV", agency: "PNC" });
  assert.equal(config.auditRetentionDays, 365);
  const path = join(dir, "puente.json");
  const retentionOfNode = async () => {
    const node = await openNode(dir, { databaseUrl: "" });
    try {
      return (await node.pruneAudit("system")).retentionDays;
    } finally {
      await node.close();
    }
  };
  const { auditRetentionDays: _, ...withoutRetention } = config;
  writeFileSync(path, JSON.stringify(withoutRetention));
  assert.equal(await retentionOfNode(), 365);
  writeFileSync(path, JSON.stringify({ ...config, auditRetentionDays: 730 }));
  assert.equal(await retentionOfNode(), 730);
  for (const invalid of [364, 30, "365", 365.5]) {
    writeFileSync(path, JSON.stringify({ ...config, auditRetentionDays: invalid }));
    assert.throws(
      () => loadConfig(dir),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message === `${path}: auditRetentionDays: a whole number of days, at least 365 (one year)`,
    );
  }
});
