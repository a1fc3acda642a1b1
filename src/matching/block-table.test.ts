// The block table against a Map of lists: the same blocks after any sequence of filings, through its growth, for
// any 32-bit hashes (zero, negatives, and hashes that crowd one place included).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type Block, BlockTable } from "./block-table.ts";

const asList = (block: Block | undefined) =>
  block === undefined ? undefined : typeof block === "number" ? [block] : [...block];

test("the block table holds what a Map of lists holds, through growth", () => {
  const hash = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.constantFrom(0, -1, 1, 2 ** 31 - 1),
    fc.integer({ min: 0, max: 40 }),
  );
  fc.assert(
    fc.property(
      fc.array(fc.array(hash, { minLength: 1, maxLength: 6 }), { minLength: 1500, maxLength: 3000 }),
      fc.array(hash, { maxLength: 50 }),
      (records, absent) => {
        const table = new BlockTable();
        const model = new Map<number, number[]>();
        records.forEach((hashes, slot) => {
          for (const h of hashes) {
            table.add(h, slot);
            const list = model.get(h) ?? [];
            if (list.at(-1) !== slot) list.push(slot);
            model.set(h, list);
          }
        });
        for (const [h, list] of model) assert.deepEqual(asList(table.get(h)), list);
        for (const h of absent) if (!model.has(h)) assert.equal(table.get(h), undefined);
      },
    ),
    { numRuns: 30, endOnFailure: true },
  );
});

test("a lone slot is kept as a number and becomes a list at the second", () => {
  const table = new BlockTable();
  table.add(7, 0);
  table.add(7, 0);
  assert.equal(table.get(7), 0);
  table.add(7, 3);
  assert.deepEqual(table.get(7), [0, 3]);
  assert.equal(table.get(8), undefined);
});
