// Audit log speed through the real AuditLog on a SQLite file in WAL mode, as a node runs it: committed appends per
// second (one caller at a time, and many callers whose appends share transactions), next to a raw better-sqlite3
// insert of the same rows; filling the log to 1M entries and signing its next head (next to a freshly opened node's
// first head, which reads every leaf as every head did before); `verify` over all of it (the code `puente audit
// verify` runs), next to a raw read-and-hash of the rows; inclusion and consistency proofs made and checked at random
// positions, next to building them from all the leaves as the log did before it kept its tree.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { type AuditEvent, AuditLog, type TreeHead } from "../src/audit/audit-log.ts";
import { leafHash, MerkleTree, verifyConsistency, verifyInclusion } from "../src/audit/merkle.ts";
import { generateNodeKeyPair } from "../src/crypto/keys.ts";
import { Random } from "../src/demo/random.ts";
import { AuditRepository } from "../src/store/audit-repository.ts";
import { type Database, openDatabase } from "../src/store/database.ts";
import { sqliteVersion } from "./import.bench.ts";
import { collectGarbage, percentile } from "./measure.ts";

const GOAL_APPENDS_PER_SECOND = 20_000;
const GOAL_VERIFY_SECONDS = 10;
const GOAL_PROOF_MS = 1;
const ONE_AT_A_TIME = 2_000;
const APPENDS = 100_000;
const FULL_SYNC_APPENDS = 10_000;
const CALLERS = 256;
const FILL_CHUNK = 10_000;
const HEAD_EVERY = 50_000;
const BASELINE_PROOFS = 3;

/** What the API hook logs for a federated search: who, what and why, never record values. */
function searchEvent(i: number): AuditEvent {
  return {
    kind: "federation.search",
    actor: `user:analyst-${i % 40}`,
    details: {
      status: 200,
      schema: "Person",
      purpose: "cross-border firearms trafficking investigation",
      caseReference: `FGR/UEIDAPLE/${2026_000 + i}`,
      urgency: i % 10 === 0 ? "urgent" : "standard",
    },
  };
}

const count = (n: number) => n.toLocaleString("en-US");
const perSecond = (n: number, seconds: number) => count(Math.round(n / seconds));
const goal = (met: boolean) => (met ? "met" : "NOT met");
const line = (label: string, figure: string) => console.log(`${label.padEnd(50)} ${figure}`);

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/** `appends` appends by `callers` callers, each waiting for its append to commit before making the next. */
async function appendFromCallers(log: AuditLog, appends: number, callers: number, first: number): Promise<void> {
  let next = first;
  const end = first + appends;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < end) await log.append(searchEvent(next++));
    }),
  );
}

/** The same rows as the log's, inserted with one prepared statement in one transaction into a fresh database. */
async function rawInsert(source: string, path: string, from: number, limit: number): Promise<number> {
  await (await openDatabase({ sqlitePath: path })).close();
  const reader = new SQLite(source, { readonly: true });
  const rows = reader
    .prepare("SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?")
    .raw()
    .all(from, limit) as unknown[][];
  reader.close();
  const target = new SQLite(path);
  target.pragma("journal_mode = WAL");
  target.pragma("synchronous = NORMAL");
  const insert = target.prepare("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)");
  const started = performance.now();
  target.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  const seconds = (performance.now() - started) / 1000;
  target.close();
  return seconds;
}

/** Reads every row with better-sqlite3 and hashes it once: what any check of every entry must at least do. */
function rawReadAndHash(source: string): number {
  const db = new SQLite(source, { readonly: true });
  const started = performance.now();
  for (const row of db.prepare("SELECT at, kind, actor, details FROM audit_log ORDER BY seq").raw().iterate())
    leafHash((row as string[]).join("\n"));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return seconds;
}

function latencies(label: string, milliseconds: number[]): { p50: number; p99: number } {
  const sorted = [...milliseconds].sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const p99 = percentile(sorted, 0.99);
  line(label, `median ${p50.toFixed(3)} ms  p99 ${p99.toFixed(3)} ms`);
  return { p50, p99 };
}

/** Appends one at a time, from many callers at once (with both sync modes), and the raw insert of the same rows. */
async function measureAppends(log: AuditLog, database: Database, path: string, rawPath: string, appends: number) {
  const single = await timed(async () => {
    for (let i = 0; i < ONE_AT_A_TIME; i++) await log.append(searchEvent(i));
  });
  line("append, one caller (a transaction each)", `${perSecond(ONE_AT_A_TIME, single.seconds).padStart(9)} appends/s`);
  const shared = await timed(() => appendFromCallers(log, appends, CALLERS, ONE_AT_A_TIME));
  line(
    `append, ${CALLERS} callers (shared transactions)`,
    `${perSecond(appends, shared.seconds).padStart(9)} appends/s`,
  );
  await sql`PRAGMA synchronous = FULL`.execute(database.db);
  const fullSync = await timed(() => appendFromCallers(log, FULL_SYNC_APPENDS, CALLERS, 0));
  await sql`PRAGMA synchronous = NORMAL`.execute(database.db);
  line("  the same with synchronous=FULL", `${perSecond(FULL_SYNC_APPENDS, fullSync.seconds).padStart(9)} appends/s`);
  const raw = await rawInsert(path, rawPath, ONE_AT_A_TIME, appends);
  line("baseline: raw insert, same rows, one transaction", `${perSecond(appends, raw).padStart(9)} appends/s`);
  return { single: single.seconds, shared: shared.seconds, raw };
}

/** Appends up to `entries` a chunk at a time, signing a head every HEAD_EVERY entries. */
async function fill(log: AuditLog, entries: number): Promise<void> {
  for (let size = await log.size(); size < entries; size = await log.size()) {
    const chunk = Math.min(FILL_CHUNK, entries - size);
    await Promise.all(Array.from({ length: chunk }, (_, i) => log.append(searchEvent(size + i))));
    if (Math.floor((size + chunk) / HEAD_EVERY) > Math.floor(size / HEAD_EVERY)) await log.signHead();
  }
}

/** Every leaf hash of the log in one buffer, 32 bytes each, and a tree of them made apart from the log's own. */
function referenceTree(path: string): { leafAt: (seq: number) => Buffer; build: () => MerkleTree } {
  const reader = new SQLite(path, { readonly: true });
  const hex = reader.prepare("SELECT leaf_hash FROM audit_log ORDER BY seq").pluck().all() as string[];
  reader.close();
  const bytes = Buffer.from(hex.join(""), "hex");
  const leafAt = (seq: number) => bytes.subarray(seq * 32, (seq + 1) * 32);
  const build = () => {
    const tree = new MerkleTree();
    for (let seq = 0; seq < hex.length; seq++) tree.append(leafAt(seq));
    return tree;
  };
  return { leafAt, build };
}

interface ProofCase {
  make(): Promise<string[]>;
  check(proof: Buffer[]): boolean;
}

/** Makes and checks `proofs` proofs, each case drawn by `draw`; the time of each step, in milliseconds. */
async function timeProofs(kind: string, proofs: number, draw: () => ProofCase) {
  const made: number[] = [];
  const checked: number[] = [];
  collectGarbage();
  for (let i = 0; i < proofs; i++) {
    const { make, check } = draw();
    let started = performance.now();
    const proof = (await make()).map((hex) => Buffer.from(hex, "hex"));
    made.push(performance.now() - started);
    started = performance.now();
    const ok = check(proof);
    checked.push(performance.now() - started);
    if (!ok) throw new Error(`a ${kind} proof does not verify`);
  }
  return { made: latencies(`${kind} proof: make`, made), checked: latencies(`${kind} proof: check`, checked) };
}

/** Proofs made by the log (warm, as a serving node makes them) and checked as a partner checks them. */
async function measureProofs(log: AuditLog, path: string, head: TreeHead, proofs: number) {
  const { leafAt, build } = referenceTree(path);
  const reference = build();
  const root = Buffer.from(head.rootHash, "hex");
  const random = new Random(9162);
  const firstProof = await timed(() => log.inclusion(0, head.size));
  line("first proof after opening (reads the leaves)", `${firstProof.seconds.toFixed(2).padStart(7)} s`);
  const inclusion = await timeProofs("inclusion", proofs, () => {
    const seq = random.int(0, head.size - 1);
    return {
      make: () => log.inclusion(seq, head.size),
      check: (proof) => verifyInclusion(leafAt(seq), seq, head.size, proof, root),
    };
  });
  const consistency = await timeProofs("consistency", proofs, () => {
    const older = random.int(1, head.size - 1);
    const olderRoot = reference.root(older);
    return {
      make: () => log.consistency(older, head.size),
      check: (proof) => verifyConsistency(older, head.size, proof, olderRoot, root),
    };
  });
  const rebuilt: number[] = [];
  for (let i = 0; i < BASELINE_PROOFS; i++) {
    const started = performance.now();
    build().inclusionProof(random.int(0, head.size - 1), head.size);
    rebuilt.push(performance.now() - started);
  }
  rebuilt.sort((a, b) => a - b);
  line(
    "baseline: proof rebuilt from all leaves",
    `median ${percentile(rebuilt, 0.5).toFixed(1)} ms (${BASELINE_PROOFS} proofs; the leaves already in memory)`,
  );
  return { inclusion, consistency };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { entries: { type: "string", default: "1000000" }, proofs: { type: "string", default: "1000" } },
  });
  const entries = Number(values.entries);
  const proofs = Number(values.proofs);
  const measured = ONE_AT_A_TIME + FULL_SYNC_APPENDS;
  if (!Number.isInteger(entries) || entries <= measured)
    throw new RangeError(`--entries must be a whole number above ${measured}`);
  if (!Number.isInteger(proofs) || proofs < 1) throw new RangeError("--proofs must be a positive integer");
  const appends = Math.min(APPENDS, entries - measured);

  const dir = mkdtempSync(join(tmpdir(), "puente-bench-audit-"));
  const path = join(dir, "node.db");
  const keys = generateNodeKeyPair();
  const node = { nodeId: "mx-bench", ...keys };
  let database: Database | undefined = await openDatabase({ sqlitePath: path });
  try {
    const cpu = cpus();
    console.log("audit benchmark: the node's AuditLog (RFC 9162 Merkle tree, signed heads) on a SQLite file");
    console.log(`  entries:        ${count(entries)} federated-search events (about 200 bytes each)`);
    console.log(
      `  appends:        ${count(ONE_AT_A_TIME)} one at a time, then ${count(appends)} from ${CALLERS} callers at once (and ${count(FULL_SYNC_APPENDS)} with synchronous=FULL)`,
    );
    console.log(`  proofs:         ${count(proofs)} inclusion and consistency proofs at random positions`);
    console.log(
      `  engine:         SQLite ${sqliteVersion()} (better-sqlite3, WAL, synchronous=NORMAL as the node runs: a committed append survives a crash of the process; FULL also a power cut)`,
    );
    console.log(`  node:           ${process.version}`);
    console.log(`  CPU:            ${cpu[0]?.model ?? "unknown"} × ${cpu.length} cores`);
    console.log("");

    let log = new AuditLog(new AuditRepository(database.db), node);
    const appended = await measureAppends(log, database, path, join(dir, "raw.db"), appends);
    const filled = await timed(() => fill(log, entries));
    const headCount = (await new AuditRepository(database.db).heads()).length;
    line(
      `fill to ${count(entries)} entries (${count(FILL_CHUNK)} appends at a time)`,
      `${filled.seconds.toFixed(1).padStart(7)} s, with ${headCount} heads signed along the way`,
    );
    // The next head of the node that filled the log: the new leaves, and a window of the kept ones re-read.
    const signed = await timed(() => log.signHead());
    const head = signed.result.head;
    line(`next head of ${count(head.size)}, running (a window re-read)`, `${signed.seconds.toFixed(2).padStart(7)} s`);

    // Verification and proofs as a freshly opened node does them: a new database connection and log.
    await database.close();
    database = await openDatabase({ sqlitePath: path });
    log = new AuditLog(new AuditRepository(database.db), node);
    const verified = await timed(() => log.verify());
    if (verified.result.problem) throw new Error(`the benchmark log does not verify: ${verified.result.problem}`);
    line(
      `verify ${count(verified.result.entries)} entries and ${verified.result.heads} heads`,
      `${verified.seconds.toFixed(2).padStart(7)} s`,
    );
    const rawVerify = rawReadAndHash(path);
    line("baseline: raw read and one hash per row", `${rawVerify.toFixed(2).padStart(7)} s`);

    const { inclusion, consistency } = await measureProofs(log, path, head, proofs);
    // A freshly opened node's first head reads every leaf: what each head cost when every head re-read the log.
    const reopened = new AuditLog(new AuditRepository(database.db), node);
    const firstHead = await timed(() => reopened.signHead());
    line("baseline: first head after opening (all leaves)", `${firstHead.seconds.toFixed(2).padStart(7)} s`);
    console.log("");
    console.log(
      `goal: ≥ ${count(GOAL_APPENDS_PER_SECOND)} committed appends/s on SQLite — ${goal(appends / appended.shared >= GOAL_APPENDS_PER_SECOND)} (${perSecond(appends, appended.shared)}/s with ${CALLERS} callers sharing transactions; ${perSecond(ONE_AT_A_TIME, appended.single)}/s for one caller waiting on each append; the raw insert of the same rows does ${perSecond(appends, appended.raw)}/s, ${(appended.shared / appended.raw).toFixed(1)}× as fast)`,
    );
    console.log(
      `goal: verify 1,000,000 entries in < ${GOAL_VERIFY_SECONDS} s — ${entries >= 1_000_000 ? goal(verified.seconds < GOAL_VERIFY_SECONDS) : "not measured (fewer entries)"} (${verified.seconds.toFixed(2)} s for ${count(verified.result.entries)}; the raw read-and-hash takes ${rawVerify.toFixed(2)} s)`,
    );
    const proofFigures = [inclusion.made, inclusion.checked, consistency.made, consistency.checked];
    const worst = Math.max(...proofFigures.map((figure) => figure.p99));
    console.log(
      `goal: proofs made and checked in < ${GOAL_PROOF_MS} ms — ${goal(worst < GOAL_PROOF_MS)} (the slowest p99 of the four is ${worst.toFixed(3)} ms; medians ${proofFigures.map((figure) => figure.p50.toFixed(3)).join(", ")} ms)`,
    );
  } finally {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
