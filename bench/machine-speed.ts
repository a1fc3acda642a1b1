// How fast this machine is right now, by two fixed workloads timed before a benchmark: the same VM has been measured
// up to twice as slow on one day as on another, so a figure is comparable with another run only next to these.
import { generateKeyPairSync, sign } from "node:crypto";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";

const WINDOW_MS = 1000;
const SQLITE_ROWS = 200_000;

/** Ed25519 signatures per second on one thread (OpenSSL, no allocation to speak of). */
function signsPerSecond(): number {
  const { privateKey } = generateKeyPairSync("ed25519");
  const message = Buffer.alloc(200, 7);
  const started = performance.now();
  let signed = 0;
  while (performance.now() - started < WINDOW_MS) {
    sign(null, message, privateKey);
    signed++;
  }
  return signed / ((performance.now() - started) / 1000);
}

/** Rows per second into an in-memory SQLite table with a text primary key, in one transaction. */
function sqliteRowsPerSecond(): number {
  const db = new SQLite(":memory:");
  try {
    db.exec("CREATE TABLE reference (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID");
    const insert = db.prepare("INSERT INTO reference VALUES (?, ?)");
    const started = performance.now();
    db.transaction(() => {
      for (let i = 0; i < SQLITE_ROWS; i++) insert.run(`key-${(i * 7919) % SQLITE_ROWS}`, "value");
    })();
    return SQLITE_ROWS / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}

/** One line describing the machine's speed now, for a benchmark's header. */
export function machineSpeed(): string {
  const signs = Math.round(signsPerSecond()).toLocaleString("en-US");
  const rows = Math.round(sqliteRowsPerSecond()).toLocaleString("en-US");
  return `machine speed now: ${signs} Ed25519 signs/s on one thread; ${rows} SQLite rows/s (in memory, text key)`;
}
