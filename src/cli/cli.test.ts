// Tests of the `puente` command as a user runs it: a real process, real files, exit codes and messages.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";

const run = promisify(execFile);
const BIN = new URL("../../bin/puente.js", import.meta.url).pathname;
let work = "";
let dir = "";

async function puente(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "puente-cli-"));
  dir = join(work, "node");
  const result = await puente("init", "--dir", dir, "--node-id", "mx-fgr", "--country", "MX", "--agency", "FGR");
  assert.equal(result.code, 0, result.stderr);
});
after(() => rmSync(work, { recursive: true, force: true }));

test("--help lists every command", async () => {
  const { stdout, code } = await puente("--help");
  assert.equal(code, 0);
  for (const command of ["init", "serve", "migrate", "import", "user", "token", "federation", "audit", "totp", "demo"])
    assert.match(stdout, new RegExp(`^\\s+${command}\\b`, "mu"), `${command} missing from --help`);
});

test("init writes the configuration and a private key readable only by its owner, and refuses to run twice", async () => {
  assert.equal(statSync(join(dir, "keys", "node.key")).mode & 0o777, 0o600);
  assert.ok(statSync(join(dir, "puente.json")).isFile());
  const again = await puente("init", "--dir", dir, "--node-id", "mx-fgr", "--country", "MX", "--agency", "FGR");
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already set up/u);
});

const importPeople = (file: string) =>
  puente(
    "import",
    file,
    "--dir",
    dir,
    "--schema",
    "Person",
    "--id",
    "id",
    "--map",
    "nombre=name,nacimiento=birthDate:DD/MM/YYYY",
  );

test("a bad line in an import writes nothing and names the file, line and field", async () => {
  const file = join(work, "people.csv");
  writeFileSync(file, "id,nombre,nacimiento\n1,Ana López,01/02/1980\n2,Luis Pérez,31/02/1981\n3,Eva Díaz,03/04/1982\n");
  const bad = await importPeople(file);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /people\.csv:3: nacimiento: /u);
  assert.match(bad.stderr, /nothing was written/u);
  const good = join(work, "good.csv");
  writeFileSync(good, "id,nombre,nacimiento\n1,Ana López,01/02/1980\n");
  const ok = await importPeople(good);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Imported: 1 records, 1 entities, 2 statements/u);
});

test("a missing file and a wrong mapping are one-line errors", async () => {
  const missing = await puente("import", join(work, "nope.csv"), "--dir", dir, "--schema", "Person");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^puente: cannot open .*nope\.csv/mu);
  const file = join(work, "columns.csv");
  writeFileSync(file, "id,nombre\n1,Ana\n");
  const wrongMap = await puente("import", file, "--dir", dir, "--schema", "Person", "--map", "apellido=lastName");
  assert.equal(wrongMap.code, 2);
  assert.match(wrongMap.stderr, /^puente: .*apellido/mu);
});

test("match links two files by the stable contract and explains its scores on request", async () => {
  const us = join(work, "us.csv");
  const mx = join(work, "mx.csv");
  writeFileSync(us, 'record_id, full_name, dob\nU1, "HERNANDEZ, PEPE", 03/07/1984\nU2, Mary Smith, 01/01/1970\n');
  writeFileSync(mx, "folio,nombre,paterno,materno,nacimiento\nM9,José,Hernández,García,07/03/1984\n");
  const out = join(work, "links.csv");
  const result = await puente(
    "match",
    us,
    mx,
    "--out",
    out,
    "--left-id",
    "record_id",
    "--right-id",
    "folio",
    "--left-map",
    "full_name=name,dob=birthDate:MM/DD/YYYY",
    "--right-map",
    "nombre=firstName,paterno=lastName,materno=secondLastName,nacimiento=birthDate:DD/MM/YYYY",
    "--explain",
  );
  assert.equal(result.code, 0, result.stderr);
  const [header, ...rows] = readFileSync(out, "utf8").trim().split("\n");
  assert.equal(header, "left_id,right_id,score,explanation");
  assert.deepEqual(
    rows.map((row) => row.split(",").slice(0, 2)),
    [["U1", "M9"]],
  );
  assert.match(rows[0] ?? "", /given name: nickname or variant/u);
  const bad = await puente("match", us, "--out", out, "--map", "nope=name");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /us\.csv:1: --map "nope=name": no column "nope"/u);
});

test("user add creates an account with a one-time-code secret and refuses unknown roles", async () => {
  const created = await puente("user", "add", "maria", "--dir", dir, "--roles", "analyst", "--cfr28-trained");
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /TOTP secret \(shown once\): [A-Z2-7]{32}/u);
  assert.match(created.stdout, /otpauth:\/\/totp\//u);
  const bad = await puente("user", "add", "pedro", "--dir", dir, "--roles", "wizard");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /roles: "wizard"/u);
});

test("commands on a directory without a node say so", async () => {
  const result = await puente("migrate", "--dir", join(work, "nowhere"));
  assert.equal(result.code, 2);
  assert.match(result.stderr, /run `puente init` first/u);
});

test("federation invite, join, show and revoke; audit head, verify (which names a tampered entry) and prune", async () => {
  const other = join(work, "other");
  assert.equal(
    (
      await puente(
        "init",
        "--dir",
        other,
        "--node-id",
        "ca-rcmp",
        "--country",
        "CA",
        "--agency",
        "RCMP",
        "--port",
        "7499",
      )
    ).code,
    0,
  );
  const manifestFile = join(work, "manifest-for-ca.json");
  const invited = await puente(
    "federation",
    "invite",
    "--dir",
    dir,
    "--node-id",
    "ca-rcmp",
    "--agency",
    "RCMP",
    "--country",
    "CA",
    "--endpoint",
    "http://127.0.0.1:7499",
    "--public-key",
    join(other, "keys", "node.pub"),
    "--out",
    manifestFile,
  );
  assert.equal(invited.code, 0, invited.stderr);
  const joined = await puente("federation", "join", manifestFile, "--dir", other);
  assert.equal(joined.code, 0, joined.stderr);
  assert.match(joined.stdout, /ca-rcmp .* \(signed\)/u);
  const wrongNode = await puente("federation", "join", manifestFile, "--dir", dir);
  assert.equal(wrongNode.code, 2);
  const revoked = await puente("federation", "revoke", "ca-rcmp", "--dir", dir, "--reason", "key compromised");
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match((await puente("federation", "show", "--dir", dir)).stdout, /revoked:\n\s+ca-rcmp .* key compromised/u);
  const broken = join(work, "broken.json");
  writeFileSync(broken, "{}");
  const bad = await puente("federation", "join", broken, "--dir", other);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /broken\.json: federation: required/u);

  // The imports above were logged; sign the head, check, then change an entry as an insider with SQL access would.
  const head = await puente("audit", "head", "--dir", dir);
  assert.equal(head.code, 0, head.stderr);
  assert.equal(JSON.parse(head.stdout).node, "mx-fgr");
  assert.ok(JSON.parse(head.stdout).size > 0, "imports are in the log");
  assert.match((await puente("audit", "verify", "--dir", dir)).stdout, /entries and 1 signed heads verify/u);
  const pruned = await puente("audit", "prune", "--dir", dir);
  assert.equal(pruned.code, 0, pruned.stderr);
  assert.match(pruned.stdout, /nothing to prune \(no entry older than 365 days still has its details\)/u);
  const db = new SQLite(join(dir, "puente.db"));
  db.prepare("UPDATE audit_log SET details = ? WHERE seq = 0").run('{"file":"nothing.csv"}');
  db.close();
  const leak = join(work, "leak.txt");
  writeFileSync(leak, "nothing released from this node is in here");
  const traced = await puente("audit", "trace", leak, "--dir", dir);
  assert.equal(traced.code, 0, traced.stderr);
  assert.match(traced.stdout, /no release of mx-fgr found/u);
  assert.equal((await puente("audit", "trace", join(work, "missing.txt"), "--dir", dir)).code, 2);
  const tampered = await puente("audit", "verify", "--dir", dir);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stderr, /first bad entry: 0: the entry does not match its hash/u);
});
