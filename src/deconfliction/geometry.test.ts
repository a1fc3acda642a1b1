// Tests for operation geometry: distances, circles and polygons within a buffer, time windows and area validation.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type Area,
  areasConflict,
  distanceM,
  EARTH_RADIUS_M,
  METRES_PER_DEGREE,
  validateArea,
  windowsConflict,
  wrapDegrees,
} from "./geometry.ts";

const HOUR = 3_600_000;
/** Ciudad Juárez, on the border. */
const JUAREZ: [number, number] = [31.69, -106.42];

/** The point `north` and `east` metres from `from` (locally flat: fine for test distances). */
function offset(from: [number, number], north: number, east: number): [number, number] {
  return [
    from[0] + north / METRES_PER_DEGREE,
    wrapDegrees(from[1] + east / (METRES_PER_DEGREE * Math.cos((from[0] * Math.PI) / 180))),
  ];
}

function circle(at: [number, number], radiusM: number): Area {
  return { kind: "circle", lat: at[0], lon: at[1], radiusM };
}

/** A square with sides `side` metres long centred `north` and `east` metres from `from`. */
function square(from: [number, number], north: number, east: number, side: number): Area {
  const h = side / 2;
  return {
    kind: "polygon",
    points: [
      offset(from, north - h, east - h),
      offset(from, north - h, east + h),
      offset(from, north + h, east + h),
      offset(from, north + h, east - h),
    ],
  };
}

test("distanceM is the haversine distance on the mean Earth radius", () => {
  assert.ok(Math.abs(distanceM([0, 0], [0, 90]) - (EARTH_RADIUS_M * Math.PI) / 2) < 1e-6);
  assert.ok(Math.abs(distanceM([10, 20], [11, 20]) - 111_195.08) < 0.01);
  // Los Angeles (LAX) to New York (JFK), the textbook great-circle example: 3,974 km on this radius.
  assert.ok(Math.abs(distanceM([33.9425, -118.4081], [40.6397, -73.7789]) - 3_974_000) < 1_000);
  assert.equal(distanceM(JUAREZ, JUAREZ), 0);
});

test("two points 300 m apart conflict under a 500 m buffer and not under 200 m", () => {
  const a = circle(JUAREZ, 0);
  const b = circle(offset(JUAREZ, 180, 240), 0);
  assert.ok(Math.abs(distanceM(JUAREZ, offset(JUAREZ, 180, 240)) - 300) < 0.5);
  assert.equal(areasConflict(a, b, 500), true);
  assert.equal(areasConflict(a, b, 200), false);
  // Radii count as part of the areas: 2 × 100 m leave a 100 m gap.
  assert.equal(areasConflict(circle(JUAREZ, 100), circle(offset(JUAREZ, 180, 240), 100), 150), true);
  assert.equal(areasConflict(circle(JUAREZ, 100), circle(offset(JUAREZ, 180, 240), 100), 50), false);
});

test("polygons that overlap or contain one another conflict, distant ones only under a buffer that spans the gap", () => {
  const big = square(JUAREZ, 0, 0, 4_000);
  assert.equal(areasConflict(big, square(JUAREZ, 1_500, 1_500, 2_000), 0), true, "overlapping corners");
  assert.equal(areasConflict(big, square(JUAREZ, 0, 0, 1_000), 0), true, "one inside the other, edges 1.5 km apart");
  assert.equal(areasConflict(square(JUAREZ, 0, 0, 1_000), big, 0), true, "and the other way round");
  // A plus sign: two long thin rectangles crossing, no corner of either inside the other.
  const wide: Area = {
    kind: "polygon",
    points: [
      offset(JUAREZ, -100, -3_000),
      offset(JUAREZ, -100, 3_000),
      offset(JUAREZ, 100, 3_000),
      offset(JUAREZ, 100, -3_000),
    ],
  };
  const tall: Area = {
    kind: "polygon",
    points: [
      offset(JUAREZ, -3_000, -100),
      offset(JUAREZ, -3_000, 100),
      offset(JUAREZ, 3_000, 100),
      offset(JUAREZ, 3_000, -100),
    ],
  };
  assert.equal(areasConflict(wide, tall, 0), true, "crossing edges");
  // Edges 1 km apart (east edge of big at +2 km, west edge of the other at +3 km).
  const east = square(JUAREZ, 0, 4_000, 2_000);
  assert.equal(areasConflict(big, east, 0), false);
  assert.equal(areasConflict(big, east, 900), false);
  assert.equal(areasConflict(big, east, 1_100), true);
  assert.equal(areasConflict(big, square(JUAREZ, 50_000, 0, 2_000), 10_000), false, "far apart");
});

test("a circle inside a polygon conflicts at any buffer; outside, its edge must come within the buffer", () => {
  const big = square(JUAREZ, 0, 0, 10_000);
  assert.equal(areasConflict(circle(offset(JUAREZ, 1_000, -500), 200), big, 0), true);
  assert.equal(areasConflict(big, circle(offset(JUAREZ, 1_000, -500), 200), 0), true);
  // Centre 6 km east of the middle: 1 km beyond the east edge, rim 700 m beyond.
  const outside = circle(offset(JUAREZ, 0, 6_000), 300);
  assert.equal(areasConflict(outside, big, 600), false);
  assert.equal(areasConflict(outside, big, 800), true);
  // A polygon inside a circle.
  assert.equal(areasConflict(circle(JUAREZ, 20_000), big, 0), true);
});

test("areas on either side of the antimeridian are measured across it", () => {
  const west = circle([52, 179.999], 100);
  const east = circle([52, -179.999], 100);
  assert.equal(areasConflict(west, east, 100), true);
  const straddling: Area = {
    kind: "polygon",
    points: [
      [51.9, 179.9],
      [51.9, -179.9],
      [52.1, -179.9],
      [52.1, 179.9],
    ],
  };
  assert.equal(validateArea(straddling), undefined);
  assert.equal(areasConflict(straddling, circle([52, 180], 0), 0), true, "the antimeridian runs through it");
  assert.equal(areasConflict(straddling, circle([52, 0], 0), 1_000), false);
});

test("windows one hour apart conflict with a 2 h buffer and not with 30 min", () => {
  const morning = { start: 8 * HOUR, end: 10 * HOUR };
  const noon = { start: 11 * HOUR, end: 13 * HOUR };
  assert.equal(windowsConflict(morning, noon, 2 * HOUR), true);
  assert.equal(windowsConflict(noon, morning, 2 * HOUR), true);
  assert.equal(windowsConflict(morning, noon, HOUR / 2), false);
  assert.equal(windowsConflict(noon, morning, HOUR / 2), false);
  assert.equal(windowsConflict(morning, { start: 9 * HOUR, end: 9 * HOUR }, 0), true, "overlap");
  assert.equal(windowsConflict(morning, { start: 10 * HOUR, end: 12 * HOUR }, 0), true, "touching");
});

test("validateArea accepts good areas and names what is wrong with bad ones", () => {
  assert.equal(validateArea(circle(JUAREZ, 500)), undefined);
  assert.equal(validateArea(square(JUAREZ, 0, 0, 1_000)), undefined);
  const problems: Array<[unknown, RegExp]> = [
    [null, /object with a kind/],
    [{ kind: "hexagon" }, /"circle" or "polygon", not "hexagon"/],
    [{ kind: "circle", lat: 95, lon: 0, radiusM: 1 }, /latitude must be a number from -90 to 90, not 95/],
    [{ kind: "circle", lat: 0, lon: -181, radiusM: 1 }, /longitude must be a number from -180 to 180/],
    [{ kind: "circle", lat: 0, lon: Number.NaN, radiusM: 1 }, /longitude/],
    [{ kind: "circle", lat: 0, lon: 0 }, /radiusM must be .* from 0 to 50000, not missing/],
    [{ kind: "circle", lat: 0, lon: 0, radiusM: 50_001 }, /radiusM/],
    [{ kind: "circle", lat: "31.7", lon: 0, radiusM: 1 }, /latitude .* not "31.7"/],
    [
      {
        kind: "polygon",
        points: [
          [0, 0],
          [0, 1],
        ],
      },
      /3 to 200 \[lat, lon\] pairs, not 2/,
    ],
    [{ kind: "polygon", points: Array.from({ length: 201 }, (_, i) => [0, i / 1000]) }, /not 201/],
    [{ kind: "polygon", points: [[0, 0], [0, 1], [1]] }, /point 3 must be a \[lat, lon\] pair/],
    [
      {
        kind: "polygon",
        points: [
          [0, 0],
          [0, 1],
          [1, Number.POSITIVE_INFINITY],
        ],
      },
      /point 3's longitude/,
    ],
    [
      {
        kind: "polygon",
        points: [
          [0, 0],
          [0, 11],
          [1, 0],
        ],
      },
      /at most 10°/,
    ],
  ];
  for (const [area, expected] of problems) assert.match(validateArea(area) ?? "", expected, JSON.stringify(area));
});

/** Areas within about 30 km of a random spot, so that pairs of them conflict under some buffers and not others. */
const nearbyAreas = (spot: [number, number]) => {
  const point = fc.tuple(
    fc.double({ min: -20_000, max: 20_000, noNaN: true }),
    fc.double({ min: -20_000, max: 20_000, noNaN: true }),
  );
  return fc.oneof(
    fc
      .record({ at: point, radiusM: fc.double({ min: 0, max: 5_000, noNaN: true }) })
      .map(({ at, radiusM }) => circle(offset(spot, ...at), radiusM)),
    fc
      .tuple(
        point,
        fc.array(
          point.map(([n, e]) => [n / 4, e / 4] as const),
          { minLength: 3, maxLength: 8 },
        ),
      )
      .map(
        ([at, corners]): Area => ({
          kind: "polygon",
          points: corners.map(([n, e]) => offset(spot, at[0] + n, at[1] + e)),
        }),
      ),
  );
};

test("areasConflict is symmetric and monotone in the buffer", () => {
  const spot = fc.tuple(fc.double({ min: -70, max: 70, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }));
  const pairs = spot.chain((at) => fc.tuple(nearbyAreas(at), nearbyAreas(at)));
  fc.assert(
    fc.property(
      pairs,
      fc.double({ min: 0, max: 20_000, noNaN: true }),
      fc.double({ min: 0, max: 20_000, noNaN: true }),
      ([a, b], x, y) => {
        const [small, large] = x <= y ? [x, y] : [y, x];
        assert.equal(validateArea(a), undefined);
        assert.equal(areasConflict(a, b, small), areasConflict(b, a, small), "symmetric");
        if (areasConflict(a, b, small)) assert.equal(areasConflict(a, b, large), true, "monotone");
      },
    ),
    { numRuns: 2_000 },
  );
});
