// Tests for route corridors: the buffer's edge along and past the route, a route across the antimeridian, route
// validation, and (property) that the grid-indexed test always agrees with testing every segment.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { wrapDegrees } from "../../deconfliction/geometry.ts";
import { Corridor, MAX_ROUTE_SPAN_DEG, routeProblem } from "./corridor.ts";
import { LAREDO, offset } from "./test-routes.ts";

test("a straight route: inside within the buffer on either side and past the ends, outside beyond it", () => {
  // 50 km due south from Laredo.
  const route = [LAREDO, offset(LAREDO, -25_000, 0), offset(LAREDO, -50_000, 0)];
  const corridor = new Corridor(route, 1_000);
  const onRoute = offset(LAREDO, -10_000, 0);
  assert.equal(corridor.contains(...onRoute), true);
  assert.equal(corridor.contains(...offset(onRoute, 0, 950)), true);
  assert.equal(corridor.contains(...offset(onRoute, 0, -950)), true);
  assert.equal(corridor.contains(...offset(onRoute, 0, 1_050)), false);
  assert.equal(corridor.contains(...offset(onRoute, 0, -1_050)), false);
  // The corridor's ends are rounded: 950 m past the last point is in, 1,050 m is out.
  assert.equal(corridor.contains(...offset(LAREDO, -50_950, 0)), true);
  assert.equal(corridor.contains(...offset(LAREDO, -51_050, 0)), false);
  assert.equal(corridor.contains(...offset(LAREDO, 950, 0)), true);
  // Far away, off the grid altogether.
  assert.equal(corridor.contains(40.7, -74), false);
  assert.equal(corridor.contains(-27.48, 80.49), false);
  // The distance in alert details is the distance to the nearest point of the route.
  assert.ok(Math.abs(corridor.distanceM(...offset(onRoute, 0, 3_000)) - 3_000) < 5);
});

test("the projection keeps the buffer's edge within a few metres on a 400 km north–south route", () => {
  // Tijuana to well south of Ensenada and on: 3.6° of latitude, the edge measured at the route's far end.
  const start: [number, number] = [32.53, -117.03];
  const route = Array.from({ length: 41 }, (_, i) => offset(start, -i * 10_000, 0));
  const corridor = new Corridor(route, 1_000);
  const end = route[40] as [number, number];
  // At the far end the equirectangular frame around the centre errs by about tan φ·Δφ ≈ 2 %: 20 m of 1 km.
  assert.equal(corridor.contains(...offset(end, 0, 975)), true);
  assert.equal(corridor.contains(...offset(end, 0, 1_025)), false);
});

test("a route across the antimeridian (Aleutians) is one corridor", () => {
  const route: Array<[number, number]> = [
    [52.0, 179.8],
    [52.0, -179.8],
  ];
  const corridor = new Corridor(route, 1_000);
  assert.equal(corridor.contains(52.0, 180), true);
  assert.equal(corridor.contains(52.0, -180), true);
  assert.equal(corridor.contains(52.0, 179.9), true);
  assert.equal(corridor.contains(52.0, 0), false);
  assert.equal(corridor.contains(52.05, 180), false);
});

test("routes are validated with the point at fault", () => {
  assert.equal(routeProblem([LAREDO, offset(LAREDO, -1000, 0)]), undefined);
  assert.match(routeProblem([LAREDO]) ?? "", /2 to 20000 \[lat, lon\] points, not 1/u);
  assert.match(routeProblem([LAREDO, [95, -99]]) ?? "", /^point 1: the latitude must be a number from -90 to 90/u);
  assert.match(routeProblem([LAREDO, [27, -181]]) ?? "", /^point 1: the longitude/u);
  assert.match(routeProblem([LAREDO, [27]]) ?? "", /^point 1 must be a \[lat, lon\] pair/u);
  assert.match(routeProblem([LAREDO, [LAREDO[0] - MAX_ROUTE_SPAN_DEG - 1, LAREDO[1]]]) ?? "", /span at most/u);
  assert.match(routeProblem("Laredo") ?? "", /a route is a list/u);
});

const region = {
  lat: fc.double({ min: -60, max: 60, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
};

test("property: the grid-indexed corridor agrees with testing every segment", () => {
  const scenario = fc
    .record({
      start: fc.record(region),
      // Steps of up to ±0.3° (tens of km): routes with short and long segments, doubling back and crossing.
      steps: fc.array(
        fc.tuple(fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true })),
        { minLength: 1, maxLength: 40 },
      ),
      bufferM: fc.double({ min: 10, max: 20_000, noNaN: true }),
      probes: fc.array(
        fc.record({
          along: fc.nat(),
          t: fc.double({ min: 0, max: 1, noNaN: true }),
          // Near the buffer's edge most of the time, anywhere nearby sometimes.
          scale: fc.oneof(fc.double({ min: 0.98, max: 1.02, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })),
          angle: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        }),
        { minLength: 1, maxLength: 60 },
      ),
    })
    .map(({ start, steps, bufferM, probes }) => {
      const route: Array<[number, number]> = [[start.lat, start.lon]];
      for (const [dLat, dLon] of steps) {
        const [lat, lon] = route[route.length - 1] as [number, number];
        route.push([lat + dLat, wrapDegrees(lon + dLon)]);
      }
      return { route, bufferM, probes };
    });
  fc.assert(
    fc.property(scenario, ({ route, bufferM, probes }) => {
      const corridor = new Corridor(route, bufferM);
      for (const probe of probes) {
        const i = probe.along % (route.length - 1);
        const a = route[i] as [number, number];
        const b = route[i + 1] as [number, number];
        const on: [number, number] = [a[0] + probe.t * (b[0] - a[0]), a[1] + probe.t * wrapDegrees(b[1] - a[1])];
        const reach = bufferM * probe.scale;
        const point = offset(on, reach * Math.cos(probe.angle), reach * Math.sin(probe.angle));
        if (Math.abs(point[0]) > 90) continue;
        assert.equal(corridor.contains(...point), corridor.containsByScan(...point), `at ${point}`);
      }
    }),
    { numRuns: 300 },
  );
});
