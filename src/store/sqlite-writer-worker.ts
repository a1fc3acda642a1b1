// The worker thread of a parallel SQLite bulk write: it opens its own connection to the node's file and runs the
// repository's ordinary bulk write there, fed with batches of prepared rows from the main thread, so that SQLite
// writes on one core while the main thread reads and validates the next batch on the other.
import { parentPort, workerData } from "node:worker_threads";
import { type PreparedRows, SchemaConflictError, unpackRows } from "./bulk-write.ts";
import { type Database, openDatabase } from "./database.ts";
import { EntityRepository } from "./entity-repository.ts";
import type { ToWorker, WorkerReply } from "./sqlite-parallel-writer.ts";

const port = parentPort;
if (!port) throw new Error("sqlite-writer-worker runs only as a worker thread");
const { sqliteFile, now, newGeneration } = workerData as { sqliteFile: string; now: string; newGeneration: boolean };

const reply = (message: WorkerReply) => port.postMessage(message);

/** Messages from the main thread, in order, until it says commit (resolves) or rollback (throws). */
async function* batches(): AsyncGenerator<PreparedRows> {
  const queue: ToWorker[] = [];
  let wake: (() => void) | undefined;
  port?.on("message", (message: ToWorker) => {
    queue.push(message);
    wake?.();
  });
  for (;;) {
    const message = queue.shift();
    if (!message) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      continue;
    }
    if (message.kind === "commit") return;
    if (message.kind === "rollback") throw new RolledBack();
    yield unpackRows(message.rows);
  }
}

class RolledBack extends Error {}

let database: Database | undefined;
try {
  database = await openDatabase({ sqlitePath: sqliteFile });
  await new EntityRepository(database.db).bulkWrite(
    now,
    async (writer) => {
      for await (const rows of batches()) {
        await writer.write(rows);
        reply({ kind: "written" });
      }
    },
    { newGeneration },
  );
  reply({ kind: "committed" });
} catch (error) {
  if (error instanceof RolledBack) reply({ kind: "rolled-back" });
  else if (error instanceof SchemaConflictError)
    reply({ kind: "schema-conflict", entityId: error.entityId, existing: error.existing, given: error.given });
  else reply({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
} finally {
  await database?.close();
  port.close();
}
