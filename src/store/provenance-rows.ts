// The provenance of statements as rows of their own: who recorded a value, when, from which source record at which
// node. The statements of one source record share one row, keyed by a hash of its content, so each is stored once.
import { hash } from "node:crypto";
import type { ProvenanceTable } from "./tables.ts";

export const PROVENANCE_COLUMNS = [
  "id",
  "origin_node",
  "source_record",
  "collected_at",
  "recorded_by",
  "recorded_at",
] as const satisfies ReadonlyArray<keyof ProvenanceTable>;

/** The row for these values, its id a hash of them (as for markings, 128 bits). */
export function provenanceRow(values: Omit<ProvenanceTable, "id">): ProvenanceTable {
  const key = `${values.origin_node}\u0000${values.source_record}\u0000${values.collected_at}\u0000${values.recorded_by}\u0000${values.recorded_at}`;
  return { id: hash("sha256", key).slice(0, 32), ...values };
}
