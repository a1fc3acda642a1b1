// Geometry for deconfliction: operation areas (circles and polygons on the Earth), whether two of them come within a
// buffer of each other, and whether two time windows do. Pure: no I/O.
//
// Distances between circle centres are haversine on the mean Earth radius. Distances involving polygon edges are
// measured in an equirectangular projection centred on one of the two areas (x = Δlon·cos φ₀, y = Δlat), in which
// polygon edges are straight lines. At the scale of operations this is fine: the error in a distance is about
// tan φ·Δφ of it, where Δφ is the latitude between the measured spot and the projection's centre — for areas within
// 50 km of each other on the US–Mexico border (φ ≈ 32°), under 0.5 %: 2.5 m on a 500 m buffer.
// Longitudes are compared modulo 360°, so areas on either side of the antimeridian (the Aleutians) are measured
// across it. The error grows with latitude (2.2 % at 70° N for the same 50 km; distances poleward of the centre come
// out a little long, equatorward a little short), so near the poles a buffer should allow for it.

export type Area =
  | { kind: "circle"; lat: number; lon: number; radiusM: number }
  /** [lat, lon] points, at least three, the last not repeating the first. */
  | { kind: "polygon"; points: Array<[number, number]> };

export const EARTH_RADIUS_M = 6_371_008.8;
export const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;
export const MAX_RADIUS_M = 50_000;
export const MIN_POLYGON_POINTS = 3;
export const MAX_POLYGON_POINTS = 200;
/** Largest extent of a polygon in latitude and in longitude: beyond it the local projection no longer holds. */
export const MAX_POLYGON_SPAN_DEG = 10;

const RADIANS = Math.PI / 180;

/** Great-circle distance in metres between two [lat, lon] points (haversine). */
export function distanceM(a: [number, number], b: [number, number]): number {
  const dLat = (b[0] - a[0]) * RADIANS;
  const dLon = (b[1] - a[1]) * RADIANS;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * RADIANS) * Math.cos(b[0] * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A longitude difference brought into [-180, 180]. */
export function wrapDegrees(degrees: number): number {
  return degrees - 360 * Math.round(degrees / 360);
}

/** Latitudes, and longitudes continuous from the area's anchor: minLon may be below -180, maxLon above 180. */
export interface Box {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** An area with what comparing it needs, computed once: an index keeps these rather than recomputing per query. */
export interface PreparedArea {
  area: Area;
  /** The circle's centre or the polygon's first point. */
  anchor: [number, number];
  /** The polygon's points with longitudes continuous from the anchor; for a circle, its centre. */
  points: Array<[number, number]>;
  /** The circle's radius; 0 for a polygon. */
  radiusM: number;
  box: Box;
  /** Centre and radius of a circle holding the whole area, to rule out distant pairs with one haversine. */
  boundCentre: [number, number];
  boundRadiusM: number;
}

function circleBox(lat: number, lon: number, radiusM: number): Box {
  const radiusDeg = radiusM / METRES_PER_DEGREE;
  const minLat = lat - radiusDeg;
  const maxLat = lat + radiusDeg;
  if (minLat <= -90 || maxLat >= 90)
    return { minLat: Math.max(-90, minLat), maxLat: Math.min(90, maxLat), minLon: -180, maxLon: 180 };
  // The cosine at the poleward edge: longitudes are widest there, so the box holds the whole circle.
  const halfLon = radiusDeg / Math.cos(Math.max(Math.abs(minLat), Math.abs(maxLat)) * RADIANS);
  if (halfLon >= 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon: lon - halfLon, maxLon: lon + halfLon };
}

/** Assumes a valid area (see validateArea). */
export function prepareArea(area: Area): PreparedArea {
  if (area.kind === "circle") {
    const centre: [number, number] = [area.lat, area.lon];
    return {
      area,
      anchor: centre,
      points: [centre],
      radiusM: area.radiusM,
      box: circleBox(area.lat, area.lon, area.radiusM),
      boundCentre: centre,
      boundRadiusM: area.radiusM,
    };
  }
  const anchor = area.points[0] as [number, number];
  const points = area.points.map(([lat, lon]): [number, number] => [lat, anchor[1] + wrapDegrees(lon - anchor[1])]);
  const box: Box = { minLat: 90, maxLat: -90, minLon: Number.POSITIVE_INFINITY, maxLon: Number.NEGATIVE_INFINITY };
  for (const [lat, lon] of points) {
    box.minLat = Math.min(box.minLat, lat);
    box.maxLat = Math.max(box.maxLat, lat);
    box.minLon = Math.min(box.minLon, lon);
    box.maxLon = Math.max(box.maxLon, lon);
  }
  const boundCentre: [number, number] = [(box.minLat + box.maxLat) / 2, (box.minLon + box.maxLon) / 2];
  let boundRadiusM = 0;
  for (const point of points) boundRadiusM = Math.max(boundRadiusM, distanceM(boundCentre, point));
  return { area, anchor, points, radiusM: 0, box, boundCentre, boundRadiusM };
}

/**
 * Both areas' points in metres, projected around the anchor nearer the equator (the same for either order of the
 * pair, which keeps the test symmetric; and the one whose longitudes are least squeezed, which keeps an index's
 * search box wide enough). Each area is shifted by whole turns as one piece, so a polygon stays in one piece.
 */
function project(a: PreparedArea, b: PreparedArea): [Float64Array, Float64Array] {
  const [lat0, lon0] = nearerEquator(a.anchor, b.anchor);
  const scale = Math.cos(lat0 * RADIANS) * METRES_PER_DEGREE;
  const projectArea = (area: PreparedArea): Float64Array => {
    const turns = wrapDegrees(area.anchor[1] - lon0) - (area.anchor[1] - lon0);
    const xy = new Float64Array(area.points.length * 2);
    area.points.forEach(([lat, lon], i) => {
      xy[2 * i] = (lon - lon0 + turns) * scale;
      xy[2 * i + 1] = (lat - lat0) * METRES_PER_DEGREE;
    });
    return xy;
  };
  return [projectArea(a), projectArea(b)];
}

function nearerEquator(a: [number, number], b: [number, number]): [number, number] {
  const byLat = Math.abs(a[0]) - Math.abs(b[0]) || a[0] - b[0] || a[1] - b[1];
  return byLat <= 0 ? a : b;
}

/** Distance from point p to segment ab, all projected. */
function pointSegmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Which side of line ab point c lies on (the sign of the cross product). */
function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/** Even–odd rule on a projected polygon (x, y pairs). Points on an edge are left to the distance tests. */
function insidePolygon(px: number, py: number, polygon: Float64Array): boolean {
  let inside = false;
  const n = polygon.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = polygon[2 * i] as number;
    const yi = polygon[2 * i + 1] as number;
    const xj = polygon[2 * j] as number;
    const yj = polygon[2 * j + 1] as number;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether point p is inside the polygon or within `reach` metres of an edge. */
function pointReachesPolygon(px: number, py: number, polygon: Float64Array, reach: number): boolean {
  if (insidePolygon(px, py, polygon)) return true;
  const n = polygon.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const d = pointSegmentDistance(
      px,
      py,
      polygon[2 * j] as number,
      polygon[2 * j + 1] as number,
      polygon[2 * i] as number,
      polygon[2 * i + 1] as number,
    );
    if (d <= reach) return true;
  }
  return false;
}

/** Whether two segments come within `reach` metres: they cross, or an end of one is that close to the other. */
function segmentsMeet(
  p: Float64Array,
  i: number,
  j: number,
  q: Float64Array,
  k: number,
  l: number,
  reach: number,
): boolean {
  const [ax, ay, bx, by] = [p[2 * i] as number, p[2 * i + 1] as number, p[2 * j] as number, p[2 * j + 1] as number];
  const [cx, cy, dx, dy] = [q[2 * k] as number, q[2 * k + 1] as number, q[2 * l] as number, q[2 * l + 1] as number];
  // A proper crossing: each segment's ends lie strictly on opposite sides of the other (the same test either way
  // round, so the pair's order does not matter).
  if (
    orientation(ax, ay, bx, by, cx, cy) * orientation(ax, ay, bx, by, dx, dy) < 0 &&
    orientation(cx, cy, dx, dy, ax, ay) * orientation(cx, cy, dx, dy, bx, by) < 0
  )
    return true;
  return (
    pointSegmentDistance(ax, ay, cx, cy, dx, dy) <= reach ||
    pointSegmentDistance(bx, by, cx, cy, dx, dy) <= reach ||
    pointSegmentDistance(cx, cy, ax, ay, bx, by) <= reach ||
    pointSegmentDistance(dx, dy, ax, ay, bx, by) <= reach
  );
}

function polygonsMeet(p: Float64Array, q: Float64Array, reach: number): boolean {
  // One inside the other (or overlapping with a corner inside): a corner of one lies in the other.
  if (insidePolygon(p[0] as number, p[1] as number, q) || insidePolygon(q[0] as number, q[1] as number, p)) return true;
  const n = p.length / 2;
  const m = q.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++)
    for (let k = 0, l = m - 1; k < m; l = k++) if (segmentsMeet(p, j, i, q, l, k, reach)) return true;
  return false;
}

/**
 * Whether two prepared areas come within `bufferM` metres of each other (overlap and containment count). Symmetric,
 * and monotone in the buffer: a pair that conflicts under a buffer conflicts under any larger one.
 */
export function preparedAreasConflict(a: PreparedArea, b: PreparedArea, bufferM: number): boolean {
  const reach = a.radiusM + b.radiusM + bufferM;
  // Bounding circles that are clearly apart (with a margin for the projection's error): nothing to measure.
  const boundGap = distanceM(a.boundCentre, b.boundCentre) - a.boundRadiusM - b.boundRadiusM;
  if (boundGap > 1.02 * bufferM + 0.02 * (a.boundRadiusM + b.boundRadiusM) + 1) return false;
  if (a.area.kind === "circle" && b.area.kind === "circle") return distanceM(a.anchor, b.anchor) <= reach;
  const [pa, pb] = project(a, b);
  if (a.area.kind === "circle") return pointReachesPolygon(pa[0] as number, pa[1] as number, pb, reach);
  if (b.area.kind === "circle") return pointReachesPolygon(pb[0] as number, pb[1] as number, pa, reach);
  return polygonsMeet(pa, pb, bufferM);
}

/** Whether two areas come within `bufferM` metres of each other; see preparedAreasConflict. Assumes valid areas. */
export function areasConflict(a: Area, b: Area, bufferM: number): boolean {
  return preparedAreasConflict(prepareArea(a), prepareArea(b), bufferM);
}

/** Whether two time windows (epoch ms) overlap or leave a gap of at most `bufferMs` between them. */
export function windowsConflict(
  a: { start: number; end: number },
  b: { start: number; end: number },
  bufferMs: number,
): boolean {
  return Math.max(a.start, b.start) - Math.min(a.end, b.end) <= bufferMs;
}

const describe = (value: unknown): string =>
  value === undefined ? "missing" : (JSON.stringify(value) ?? String(value));

function coordinateProblem(lat: unknown, lon: unknown, what: string): string | undefined {
  if (typeof lat !== "number" || !Number.isFinite(lat) || lat < -90 || lat > 90)
    return `${what}'s latitude must be a number from -90 to 90, not ${describe(lat)}`;
  if (typeof lon !== "number" || !Number.isFinite(lon) || lon < -180 || lon > 180)
    return `${what}'s longitude must be a number from -180 to 180, not ${describe(lon)}`;
  return undefined;
}

/** Why `area` is not a usable area, in words an API client can act on; undefined when it is one. */
export function validateArea(area: unknown): string | undefined {
  if (typeof area !== "object" || area === null) return `an area must be an object with a kind, not ${describe(area)}`;
  const fields = area as Record<string, unknown>;
  if (fields.kind === "circle") {
    const problem = coordinateProblem(fields.lat, fields.lon, "the circle's centre");
    if (problem) return problem;
    const radius = fields.radiusM;
    if (typeof radius !== "number" || !Number.isFinite(radius) || radius < 0 || radius > MAX_RADIUS_M)
      return `a circle's radiusM must be a number of metres from 0 to ${MAX_RADIUS_M}, not ${describe(radius)}`;
    return undefined;
  }
  if (fields.kind === "polygon") {
    const points = fields.points;
    if (!Array.isArray(points) || points.length < MIN_POLYGON_POINTS || points.length > MAX_POLYGON_POINTS)
      return `a polygon's points must be a list of ${MIN_POLYGON_POINTS} to ${MAX_POLYGON_POINTS} [lat, lon] pairs${Array.isArray(points) ? `, not ${points.length}` : ""}`;
    for (const [i, point] of points.entries()) {
      if (!Array.isArray(point) || point.length !== 2)
        return `the polygon's point ${i + 1} must be a [lat, lon] pair, not ${describe(point)}`;
      const problem = coordinateProblem(point[0], point[1], `the polygon's point ${i + 1}`);
      if (problem) return problem;
    }
    const { box } = prepareArea(fields as Area);
    if (box.maxLat - box.minLat > MAX_POLYGON_SPAN_DEG || box.maxLon - box.minLon > MAX_POLYGON_SPAN_DEG)
      return `a polygon may span at most ${MAX_POLYGON_SPAN_DEG}° of latitude and of longitude; split a larger one`;
    return undefined;
  }
  return `an area's kind must be "circle" or "polygon", not ${describe(fields.kind)}`;
}
