// A bulk write into an SQLite file from a worker thread (see sqlite-writer-worker.ts). The main thread sends each
// batch packed into a few strings (cheaper to pass between threads than arrays of many small strings) and keeps a
// bounded number of batches in flight, so memory stays flat and validation never runs far ahead of the disk.
import { Worker } from "node:worker_threads";
import { type BulkWriter, type PackedRows, type PreparedRows, packRows, SchemaConflictError } from "./bulk-write.ts";

export type ToWorker = { kind: "rows"; rows: PackedRows } | { kind: "commit" } | { kind: "rollback" };
export type WorkerReply =
  | { kind: "written" }
  | { kind: "committed" }
  | { kind: "rolled-back" }
  | { kind: "schema-conflict"; entityId: string; existing: string; given: string }
  | { kind: "failed"; message: string };

/**
 * Batches sent and not yet written. The writer thread needs about half a second to start (it loads its modules
 * anew); this many batches (32,000 records; a 100k-person import peaked at 379 MB RSS with 64 as with 2) let validation
 * go on through that start instead of waiting for it, and once started the writer keeps up. With two in flight an
 * import waited 0.5–1.2 s for it.
 */
const IN_FLIGHT = 64;
/** Plain JavaScript packages the worker module uses: loaded before tsx is registered, they skip its loader hooks. */
const NATIVE_DEPENDENCIES = ["kysely", "better-sqlite3", "pg"];
// The worker runs the TypeScript sources too: a small bootstrap registers tsx in the new thread (Node 20 does not
// apply `--import` to workers), then loads the worker module. Its packages load meanwhile without tsx's hooks,
// which cost more than the loading itself (kysely: about 0.4 s through tsx, 0.17 s without).
const BOOTSTRAP = `Promise.all([import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}), ${NATIVE_DEPENDENCIES.map((name) => `import(${JSON.stringify(import.meta.resolve(name))})`).join(", ")}])
  .then(([{ register }]) => { register(); return import(${JSON.stringify(new URL("./sqlite-writer-worker.ts", import.meta.url).href)}); })`;

export async function parallelSqliteWrite<T>(
  sqliteFile: string,
  now: string,
  work: (writer: BulkWriter) => Promise<T>,
  options: { newGeneration: boolean },
): Promise<T> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { sqliteFile, now, ...options } });
  let failure: Error | undefined;
  let sent = 0;
  let written = 0;
  let waiting: (() => void) | undefined;
  const finished = new Promise<WorkerReply>((resolve) => {
    worker.on("message", (reply: WorkerReply) => {
      if (reply.kind === "written") written++;
      else {
        if (reply.kind === "schema-conflict")
          failure = new SchemaConflictError(reply.entityId, reply.existing, reply.given);
        else if (reply.kind === "failed") failure = new Error(`the SQLite writer failed: ${reply.message}`);
        resolve(reply);
      }
      waiting?.();
    });
    worker.on("error", (error) => {
      failure = new Error(`the SQLite writer failed: ${error.message}`, { cause: error });
      resolve({ kind: "failed", message: error.message });
      waiting?.();
    });
    worker.on("exit", () => {
      failure ??= new Error("the SQLite writer stopped unexpectedly");
      resolve({ kind: "failed", message: failure.message });
      waiting?.();
    });
  });
  /** Waits until at most `pending` batches are unwritten; throws what the worker reported. */
  const drain = async (pending: number) => {
    while (!failure && sent - written > pending)
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
    if (failure) throw failure;
  };
  const writer: BulkWriter = {
    async write(rows: PreparedRows) {
      await drain(IN_FLIGHT - 1);
      worker.postMessage({ kind: "rows", rows: packRows(rows) } satisfies ToWorker);
      sent++;
    },
    flush: () => drain(0),
  };
  let result: T;
  try {
    result = await work(writer);
    await writer.flush();
  } catch (error) {
    worker.postMessage({ kind: "rollback" } satisfies ToWorker);
    await finished;
    throw error;
  }
  worker.postMessage({ kind: "commit" } satisfies ToWorker);
  const outcome = await finished;
  if (outcome.kind !== "committed") throw failure ?? new Error(`the SQLite writer ended with ${outcome.kind}`);
  return result;
}
