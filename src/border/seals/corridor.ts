// A shipment's declared route as a corridor: the polyline of [lat, lon] points buffered by a distance, and a fast
// test of whether a GPS fix lies inside it. Pure: no I/O.
//
// Projection: one equirectangular frame centred on the route's bounding box (x = Δlon·cos φ₀, y = Δlat, in metres),
// in which the route's segments are straight lines. For a route of a few hundred kilometres this is ample: an
// east–west distance at latitude φ comes out wrong by about tan φ₀·(φ − φ₀) of itself, so a 400 km north–south
// route at the border (φ₀ ≈ 30°, ±1.8°) measures the corridor's edge within 1.8 % (18 m of a 1 km buffer, less than
// GPS error). Routes may span at most MAX_ROUTE_SPAN_DEG of latitude and of longitude (±5°: 5 % at 30°, 9 % at 45°
// N); a longer trip is declared as several shipments' legs. Longitudes are taken modulo 360° around the centre.
//
// Speed: the segments are indexed in a uniform grid whose cells are at least the buffer wide. Each segment is
// listed in every cell whose centre lies within buffer + half a cell diagonal of it, which is every cell holding a
// point within the buffer of it (triangle inequality); a fix then tests only the segments of its own cell, with the
// same exact distance test as the scan of every segment, so the two always agree.
import { METRES_PER_DEGREE, wrapDegrees } from "../../deconfliction/geometry.ts";

/**
 * Default buffer either side of the declared route. GPS fixes from a truck's tracker are off by 10–30 m (more under
 * overpasses and in urban canyons), highways have frontage roads, interchanges and toll-plaza bypasses a few hundred
 * metres from the centreline, and short detours around road works are common; 1 km absorbs all of these. Much wider
 * and a truck could visit a warehouse or yard beside the highway (where loads are switched) without leaving the
 * corridor, which is what the corridor exists to catch; the stop rule covers what happens inside it.
 */
export const DEFAULT_CORRIDOR_BUFFER_M = 1_000;
export const MIN_CORRIDOR_BUFFER_M = 10;
export const MAX_CORRIDOR_BUFFER_M = 50_000;
export const MIN_ROUTE_POINTS = 2;
export const MAX_ROUTE_POINTS = 20_000;
/** Largest extent of a route in latitude and in longitude: beyond it the one projection no longer holds. */
export const MAX_ROUTE_SPAN_DEG = 10;
/** Smallest grid cell: with a small buffer, cells of the buffer's size would only multiply the cells. */
const MIN_CELL_M = 250;
/** Per segment in `segments`: start x, start y, Δx, Δy, and 1 / length² (0 for a zero-length segment). */
const STRIDE = 5;

const RADIANS = Math.PI / 180;

export class Corridor {
  readonly bufferM: number;
  private readonly lat0: number;
  private readonly lon0: number;
  private readonly xScale: number;
  private readonly segments: Float64Array;
  private readonly count: number;
  private readonly buffer2: number;
  private readonly cellM: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly columns: number;
  private readonly rows: number;
  /** Cell number (column + row · columns) → indexes of the segments listed in it. */
  private readonly cells = new Map<number, Int32Array>();

  /** Assumes a valid route (see routeProblem) and a buffer in metres. */
  constructor(route: ReadonlyArray<readonly [number, number]>, bufferM: number = DEFAULT_CORRIDOR_BUFFER_M) {
    if (route.length < MIN_ROUTE_POINTS) throw new RangeError(`a route needs at least ${MIN_ROUTE_POINTS} points`);
    this.bufferM = bufferM;
    this.buffer2 = bufferM * bufferM;
    const box = routeBox(route);
    this.lat0 = (box.minLat + box.maxLat) / 2;
    this.lon0 = wrapDegrees((box.minLon + box.maxLon) / 2);
    this.xScale = Math.cos(this.lat0 * RADIANS) * METRES_PER_DEGREE;

    const xy = new Float64Array(route.length * 2);
    for (const [i, [lat, lon]] of route.entries()) this.project(lat, lon, xy, 2 * i);
    this.count = route.length - 1;
    this.segments = new Float64Array(this.count * STRIDE);
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < route.length; i++) {
      const x = xy[2 * i] as number;
      const y = xy[2 * i + 1] as number;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
      if (i === this.count) break;
      const dx = (xy[2 * i + 2] as number) - x;
      const dy = (xy[2 * i + 3] as number) - y;
      const length2 = dx * dx + dy * dy;
      this.segments.set([x, y, dx, dy, length2 === 0 ? 0 : 1 / length2], i * STRIDE);
    }

    this.cellM = Math.max(bufferM, MIN_CELL_M);
    // One cell of margin around the buffered route: a point outside the grid is farther than the buffer from it.
    this.minX = minX - bufferM - this.cellM;
    this.minY = minY - bufferM - this.cellM;
    this.columns = Math.floor((maxX + bufferM + this.cellM - this.minX) / this.cellM) + 1;
    this.rows = Math.floor((maxY + bufferM + this.cellM - this.minY) / this.cellM) + 1;
    this.indexSegments();
  }

  /** Whether the fix lies within the buffer of the route. */
  contains(lat: number, lon: number): boolean {
    const x = this.x(lon);
    const y = (lat - this.lat0) * METRES_PER_DEGREE;
    const column = Math.floor((x - this.minX) / this.cellM);
    const row = Math.floor((y - this.minY) / this.cellM);
    if (column < 0 || row < 0 || column >= this.columns || row >= this.rows) return false;
    const listed = this.cells.get(column + row * this.columns);
    if (!listed) return false;
    for (let i = 0; i < listed.length; i++) if (this.distance2(listed[i] as number, x, y) <= this.buffer2) return true;
    return false;
  }

  /** The same answer as `contains`, by testing every segment: the baseline the grid is measured and checked against. */
  containsByScan(lat: number, lon: number): boolean {
    const xy = new Float64Array(2);
    this.project(lat, lon, xy, 0);
    for (let i = 0; i < this.count; i++)
      if (this.distance2(i, xy[0] as number, xy[1] as number) <= this.buffer2) return true;
    return false;
  }

  /** Distance in metres from the fix to the nearest point of the route (in the projection), for alert details. */
  distanceM(lat: number, lon: number): number {
    const xy = new Float64Array(2);
    this.project(lat, lon, xy, 0);
    let nearest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.count; i++)
      nearest = Math.min(nearest, this.distance2(i, xy[0] as number, xy[1] as number));
    return Math.sqrt(nearest);
  }

  /** The projected x of a longitude in [-180, 180] (the centre is too, so one turn brings the difference in range). */
  private x(lon: number): number {
    let dLon = lon - this.lon0;
    if (dLon > 180) dLon -= 360;
    else if (dLon < -180) dLon += 360;
    return dLon * this.xScale;
  }

  private project(lat: number, lon: number, into: Float64Array, at: number): void {
    into[at] = this.x(lon);
    into[at + 1] = (lat - this.lat0) * METRES_PER_DEGREE;
  }

  /** Squared distance from (x, y) to segment i. */
  private distance2(i: number, x: number, y: number): number {
    const s = this.segments;
    const o = i * STRIDE;
    const ax = s[o] as number;
    const ay = s[o + 1] as number;
    const dx = s[o + 2] as number;
    const dy = s[o + 3] as number;
    let t = ((x - ax) * dx + (y - ay) * dy) * (s[o + 4] as number);
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const ex = x - ax - t * dx;
    const ey = y - ay - t * dy;
    return ex * ex + ey * ey;
  }

  private indexSegments(): void {
    const lists = new Map<number, number[]>();
    // Half a cell's diagonal, and a hair for rounding: the bound is exact in real numbers.
    const reach = this.bufferM + (this.cellM * Math.SQRT2) / 2 + 1e-6 * (this.bufferM + this.cellM);
    const reach2 = reach * reach;
    for (let i = 0; i < this.count; i++) {
      const o = i * STRIDE;
      const ax = this.segments[o] as number;
      const ay = this.segments[o + 1] as number;
      const bx = ax + (this.segments[o + 2] as number);
      const by = ay + (this.segments[o + 3] as number);
      const first = (v: number, min: number) => Math.max(0, Math.floor((v - reach - min) / this.cellM));
      const last = (v: number, min: number, n: number) => Math.min(n - 1, Math.floor((v + reach - min) / this.cellM));
      for (let row = first(Math.min(ay, by), this.minY); row <= last(Math.max(ay, by), this.minY, this.rows); row++)
        for (
          let column = first(Math.min(ax, bx), this.minX);
          column <= last(Math.max(ax, bx), this.minX, this.columns);
          column++
        ) {
          const cx = this.minX + (column + 0.5) * this.cellM;
          const cy = this.minY + (row + 0.5) * this.cellM;
          if (this.distance2(i, cx, cy) > reach2) continue;
          const key = column + row * this.columns;
          const list = lists.get(key);
          if (list) list.push(i);
          else lists.set(key, [i]);
        }
    }
    for (const [key, list] of lists) this.cells.set(key, Int32Array.from(list));
  }
}

/** Latitudes, and longitudes continuous from the route's first point (they may pass ±180°). */
function routeBox(route: ReadonlyArray<readonly [number, number]>) {
  const firstLon = route[0]?.[1] ?? 0;
  const box = { minLat: 90, maxLat: -90, minLon: Number.POSITIVE_INFINITY, maxLon: Number.NEGATIVE_INFINITY };
  for (const [lat, lon] of route) {
    const continuous = firstLon + wrapDegrees(lon - firstLon);
    box.minLat = Math.min(box.minLat, lat);
    box.maxLat = Math.max(box.maxLat, lat);
    box.minLon = Math.min(box.minLon, continuous);
    box.maxLon = Math.max(box.maxLon, continuous);
  }
  return box;
}

const describe = (value: unknown): string =>
  value === undefined ? "missing" : (JSON.stringify(value) ?? String(value));

/** Which of a latitude and longitude is not a position on Earth, and why, in words an API client can act on. */
export function positionProblem(lat: unknown, lon: unknown): { field: "lat" | "lon"; message: string } | undefined {
  if (typeof lat !== "number" || !Number.isFinite(lat) || lat < -90 || lat > 90)
    return { field: "lat", message: `the latitude must be a number from -90 to 90, not ${describe(lat)}` };
  if (typeof lon !== "number" || !Number.isFinite(lon) || lon < -180 || lon > 180)
    return { field: "lon", message: `the longitude must be a number from -180 to 180, not ${describe(lon)}` };
  return undefined;
}

/** Why `route` is not a usable declared route, with the point at fault; undefined when it is one. */
export function routeProblem(route: unknown): string | undefined {
  if (!Array.isArray(route) || route.length < MIN_ROUTE_POINTS || route.length > MAX_ROUTE_POINTS)
    return `a route is a list of ${MIN_ROUTE_POINTS} to ${MAX_ROUTE_POINTS} [lat, lon] points${Array.isArray(route) ? `, not ${route.length}` : ""}`;
  for (const [i, point] of route.entries()) {
    if (!Array.isArray(point) || point.length !== 2)
      return `point ${i} must be a [lat, lon] pair, not ${describe(point)}`;
    const problem = positionProblem(point[0], point[1]);
    if (problem) return `point ${i}: ${problem.message}`;
  }
  const box = routeBox(route as Array<[number, number]>);
  if (box.maxLat - box.minLat > MAX_ROUTE_SPAN_DEG || box.maxLon - box.minLon > MAX_ROUTE_SPAN_DEG)
    return `a route may span at most ${MAX_ROUTE_SPAN_DEG}° of latitude and of longitude; declare a longer trip in legs`;
  return undefined;
}
