// Tests for the operation index: it finds exactly what a scan of every operation finds, across the antimeridian and
// for operations too wide for the grid, and forgets removed and replaced operations.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type Area, areasConflict, METRES_PER_DEGREE, windowsConflict, wrapDegrees } from "./geometry.ts";
import { type ConflictRules, type IndexedOperation, OperationIndex } from "./operation-index.ts";

const HOUR = 3_600_000;
const RULES: ConflictRules = { bufferM: 500, bufferMs: HOUR };

function bruteForce(
  operations: IndexedOperation[],
  query: Omit<IndexedOperation, "id">,
  rules: ConflictRules,
): string[] {
  return operations
    .filter(
      (operation) =>
        windowsConflict(operation, query, rules.bufferMs) && areasConflict(operation.area, query.area, rules.bufferM),
    )
    .map((operation) => operation.id)
    .sort();
}

const at = (spot: [number, number], north: number, east: number): [number, number] => [
  spot[0] + north / METRES_PER_DEGREE,
  wrapDegrees(spot[1] + east / (METRES_PER_DEGREE * Math.cos((spot[0] * Math.PI) / 180))),
];

/** Ciudad Juárez, the Aleutians across the antimeridian, northern Alaska, and the equator. */
const SPOTS: Array<[number, number]> = [
  [31.69, -106.42],
  [52.0, 180],
  [70.2, -148.5],
  [0, -78.5],
];

/** Operations within about 60 km of a spot: small circles, city-block polygons and a few polygons wider than 1°. */
function operations(spot: [number, number]): fc.Arbitrary<Omit<IndexedOperation, "id">> {
  const offset = fc.tuple(
    fc.double({ min: -60_000, max: 60_000, noNaN: true }),
    fc.double({ min: -60_000, max: 60_000, noNaN: true }),
  );
  const circle = fc
    .record({ centre: offset, radiusM: fc.double({ min: 0, max: 8_000, noNaN: true }) })
    .map(({ centre, radiusM }): Area => {
      const [lat, lon] = at(spot, ...centre);
      return { kind: "circle", lat, lon, radiusM };
    });
  const polygon = (size: number) =>
    fc
      .tuple(
        offset,
        fc.array(
          fc.tuple(
            fc.double({ min: -size, max: size, noNaN: true }),
            fc.double({ min: -size, max: size, noNaN: true }),
          ),
          { minLength: 3, maxLength: 7 },
        ),
      )
      .map(
        ([centre, corners]): Area => ({
          kind: "polygon",
          points: corners.map(([north, east]) => at(spot, centre[0] + north, centre[1] + east)),
        }),
      );
  const window = fc
    .tuple(fc.integer({ min: 0, max: 48 * HOUR }), fc.integer({ min: 0, max: 12 * HOUR }))
    .map(([start, length]) => ({ start, end: start + length }));
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: circle, weight: 3 },
        { arbitrary: polygon(3_000), weight: 2 },
        { arbitrary: polygon(90_000), weight: 1 },
      ),
      window,
    )
    .map(([area, { start, end }]) => ({ area, start, end }));
}

test("conflicts agrees with a scan of every operation, before and after removals", () => {
  const scenario = fc.constantFrom(...SPOTS).chain((spot) =>
    fc.record({
      indexed: fc.array(operations(spot), { minLength: 1, maxLength: 60 }),
      queries: fc.array(operations(spot), { minLength: 1, maxLength: 8 }),
      removed: fc.array(fc.nat(), { maxLength: 20 }),
      rules: fc.record({
        bufferM: fc.double({ min: 0, max: 20_000, noNaN: true }),
        bufferMs: fc.integer({ min: 0, max: 6 * HOUR }),
      }),
    }),
  );
  let conflictsSeen = 0;
  fc.assert(
    fc.property(scenario, ({ indexed, queries, removed, rules }) => {
      const index = new OperationIndex();
      let live = indexed.map((operation, i) => ({ id: `op-${i}`, ...operation }));
      for (const operation of live) index.add(operation);
      const agree = () => {
        for (const query of queries) {
          const expected = bruteForce(live, query, rules);
          conflictsSeen += expected.length;
          assert.deepEqual(index.conflicts(query, rules).sort(), expected);
        }
      };
      agree();
      for (const i of removed) {
        const id = `op-${i % indexed.length}`;
        assert.equal(
          index.remove(id),
          live.some((operation) => operation.id === id),
        );
        live = live.filter((operation) => operation.id !== id);
      }
      assert.equal(index.size, live.length);
      agree();
    }),
    { numRuns: 300 },
  );
  assert.ok(conflictsSeen > 1_000, `the scenarios should produce conflicts to agree on (${conflictsSeen})`);
});

test("remove and replace: a removed operation is no longer found, a replaced one only where it now is", () => {
  const index = new OperationIndex();
  const here: Area = { kind: "circle", lat: 32.54, lon: -117.03, radiusM: 300 };
  const elsewhere: Area = { kind: "circle", lat: 25.87, lon: -97.5, radiusM: 300 };
  const window = { start: 10 * HOUR, end: 12 * HOUR };
  index.add({ id: "a", area: here, ...window });
  index.add({ id: "b", area: here, ...window });
  assert.deepEqual(index.conflicts({ area: here, ...window }, RULES).sort(), ["a", "b"]);
  assert.deepEqual(index.conflicts({ area: here, start: 14 * HOUR, end: 15 * HOUR }, RULES), [], "two hours later");
  assert.equal(index.remove("a"), true);
  assert.equal(index.remove("a"), false);
  assert.deepEqual(index.conflicts({ area: here, ...window }, RULES), ["b"]);
  index.add({ id: "b", area: elsewhere, ...window });
  assert.equal(index.size, 1);
  assert.deepEqual(index.conflicts({ area: here, ...window }, RULES), []);
  assert.deepEqual(index.conflicts({ area: elsewhere, ...window }, RULES), ["b"]);
  // A slot freed by a removal is reused without confusing the two.
  index.remove("b");
  index.add({ id: "c", area: here, ...window });
  assert.deepEqual(index.conflicts({ area: elsewhere, ...window }, RULES), []);
  assert.deepEqual(index.conflicts({ area: here, ...window }, RULES), ["c"]);
});

test("operations on either side of the antimeridian are found from the other", () => {
  const index = new OperationIndex();
  const window = { start: 0, end: HOUR };
  index.add({ id: "west", area: { kind: "circle", lat: 52, lon: 179.99, radiusM: 100 }, ...window });
  index.add({
    id: "straddling",
    area: {
      kind: "polygon",
      points: [
        [52.5, 179.95],
        [52.5, -179.95],
        [52.6, -179.95],
        [52.6, 179.95],
      ],
    },
    ...window,
  });
  const east = { area: { kind: "circle", lat: 52, lon: -179.99, radiusM: 100 } satisfies Area, ...window };
  assert.deepEqual(index.conflicts(east, { bufferM: 1_500, bufferMs: 0 }), ["west"]);
  assert.deepEqual(index.conflicts(east, { bufferM: 1_000, bufferMs: 0 }), [], "1.37 km apart, less two radii");
  const north = { area: { kind: "circle", lat: 52.55, lon: 180, radiusM: 0 } satisfies Area, ...window };
  assert.deepEqual(index.conflicts(north, { bufferM: 0, bufferMs: 0 }), ["straddling"]);
});

test("invalid areas, windows and rules are refused", () => {
  const index = new OperationIndex();
  const area: Area = { kind: "circle", lat: 32.54, lon: -117.03, radiusM: 300 };
  assert.throws(() => index.add({ id: "x", area: { ...area, lat: 91 }, start: 0, end: 1 }), /operation x: .*latitude/);
  assert.throws(() => index.add({ id: "x", area, start: 2, end: 1 }), /start ≤ end/);
  assert.throws(() => index.conflicts({ area, start: 0, end: 1 }, { bufferM: -1, bufferMs: 0 }), /bufferM/);
  assert.equal(index.size, 0);
});
