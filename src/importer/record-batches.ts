// Validates a stream of raw records in batches, in order. Batches keep memory flat for large files and give the
// writer rows of a size that amortises each INSERT. (A worker thread for validation was measured and gained
// nothing on a two-core machine: moving the results between threads cost what the parallelism saved.)
import { type RawRecord, type RecordSpec, RecordValidator, type ValidatedBatch, validateBatch } from "./records.ts";

const BATCH = 500;

async function* batches(records: AsyncIterable<RawRecord>): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length < BATCH) continue;
    yield batch;
    batch = [];
  }
  if (batch.length > 0) yield batch;
}

export async function* validateRecords(
  spec: RecordSpec,
  records: AsyncIterable<RawRecord>,
  prepare: boolean,
): AsyncGenerator<ValidatedBatch> {
  const validator = new RecordValidator(spec);
  for await (const batch of batches(records)) yield validateBatch(validator, batch, prepare);
}
