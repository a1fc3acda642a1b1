// Admission of federated searches: never more than the limit at once, the waiting admitted in the order they came
// (also after a failure), and a full queue refused at once without running the work.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Admission, BusyError } from "./admission.ts";

/** Work that runs until `finish` is called, recording when it started. */
function gate(started: number[], id: number) {
  let finish: (fail?: boolean) => void = () => {};
  const work = () =>
    new Promise<number>((resolve, reject) => {
      started.push(id);
      finish = (fail = false) => (fail ? reject(new Error(`work ${id} failed`)) : resolve(id));
    });
  return { work, finish: (fail?: boolean) => finish(fail) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test("at most the limit runs at once; the others start in the order they came, after failures too", async () => {
  const admission = new Admission(2);
  const started: number[] = [];
  const gates = [0, 1, 2, 3, 4].map((id) => gate(started, id));
  const results = gates.map((g) => admission.run(g.work).catch((error: Error) => error.message));
  await turn();
  assert.deepEqual(started, [0, 1]);
  assert.equal(admission.queued, 3);
  gates[1]?.finish(true);
  await turn();
  assert.deepEqual(started, [0, 1, 2], "a failed search lets the next in");
  gates[0]?.finish();
  gates[2]?.finish();
  await turn();
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  gates[3]?.finish();
  gates[4]?.finish();
  assert.deepEqual(await Promise.all(results), [0, "work 1 failed", 2, 3, 4]);
  assert.equal(admission.queued, 0);
  // All slots free again: two run at once without waiting.
  const later = [gate(started, 5), gate(started, 6)];
  const running = later.map((g) => admission.run(g.work));
  await turn();
  assert.deepEqual(started.slice(5), [5, 6]);
  for (const g of later) g.finish();
  await Promise.all(running);
});

test("with the queue full a search is refused at once and its work never runs", async () => {
  const admission = new Admission(1, 1);
  const started: number[] = [];
  const first = gate(started, 0);
  const second = gate(started, 1);
  const running = [admission.run(first.work), admission.run(second.work)];
  let ranThird = false;
  await assert.rejects(
    admission.run(async () => {
      ranThird = true;
    }),
    BusyError,
  );
  assert.equal(ranThird, false);
  await turn();
  first.finish();
  await turn();
  second.finish();
  assert.deepEqual(await Promise.all(running), [0, 1]);
  assert.throws(() => new Admission(0), RangeError);
});
