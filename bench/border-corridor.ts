// Benchmark of route corridors: GPS fixes checked per second on one core against a 400 km declared route of 2,000
// points (a winding Nuevo Laredo → Monterrey-like highway), with the grid index and with the naive test of every
// segment (the baseline), and the whole seal monitor's rate on trucks driving that route. The border benchmark
// calls corridorBenchmark(); the fixes are generated before the clock starts.
import type { GpsFix } from "../src/border/model.ts";
import { Corridor, DEFAULT_CORRIDOR_BUFFER_M } from "../src/border/seals/corridor.ts";
import { DEFAULT_SEAL_SETTINGS, SealMonitor } from "../src/border/seals/seal-monitor.ts";
import { METRES_PER_DEGREE } from "../src/deconfliction/geometry.ts";
import { Random } from "../src/demo/random.ts";

const ROUTE_POINTS = 2_000;
const STEP_M = 200;
const FIXES = 1_000_000;
const BASELINE_FIXES = 50_000;
const RUNS = 3;
const TRUCKS = 1_000;
const FIXES_PER_TRUCK = 240;
/** Nuevo Laredo, heading for Monterrey (south-west). */
const START: [number, number] = [27.48, -99.51];
const BEARING = (-160 * Math.PI) / 180;

export interface CorridorBenchmarkResult {
  /** Grid-indexed corridor: fixes checked per second (median of RUNS passes over FIXES fixes). */
  fixesPerSecond: number;
  /** Every segment tested (the naive check), over BASELINE_FIXES fixes. */
  baselineFixesPerSecond: number;
  speedup: number;
  fixes: number;
  baselineFixes: number;
  routePoints: number;
  routeKm: number;
  bufferM: number;
  /** Share of the fixes inside the corridor. */
  insideShare: number;
  /** Building the corridor and its grid. */
  buildMs: number;
  /** The grid and the naive check agreed on every baseline fix. */
  agreement: boolean;
  /** The whole seal monitor (corridor, stops, gaps, out-of-order insertion), in fixes per second. */
  monitorFixesPerSecond: number;
}

function toLatLon(x: number, y: number): [number, number] {
  return [START[0] + y / METRES_PER_DEGREE, START[1] + x / (METRES_PER_DEGREE * Math.cos((START[0] * Math.PI) / 180))];
}

/** A winding highway: 200 m steps whose heading swings ±80° around the general bearing every 30 km. */
function winding(): { route: Array<[number, number]>; xy: Float64Array } {
  const xy = new Float64Array(ROUTE_POINTS * 2);
  let x = 0;
  let y = 0;
  for (let i = 0; i < ROUTE_POINTS; i++) {
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    const heading = BEARING + 1.4 * Math.sin((2 * Math.PI * i * STEP_M) / 30_000);
    x += STEP_M * Math.sin(heading);
    y += STEP_M * Math.cos(heading);
  }
  const route = Array.from({ length: ROUTE_POINTS }, (_, i) => toLatLon(xy[2 * i] as number, xy[2 * i + 1] as number));
  return { route, xy };
}

/** Normal deviate (Box–Muller). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

/**
 * Fixes: 50 % on the road with GPS error (σ 30 m), 20 % up to 3 km either side (around the corridor's edge), 30 %
 * anywhere in the route's bounding box widened by 20 km (mostly far outside).
 */
function fixes(xy: Float64Array): { lat: Float64Array; lon: Float64Array } {
  const random = new Random(2504);
  const lat = new Float64Array(FIXES);
  const lon = new Float64Array(FIXES);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ROUTE_POINTS; i++) {
    minX = Math.min(minX, xy[2 * i] as number);
    maxX = Math.max(maxX, xy[2 * i] as number);
    minY = Math.min(minY, xy[2 * i + 1] as number);
    maxY = Math.max(maxY, xy[2 * i + 1] as number);
  }
  for (let i = 0; i < FIXES; i++) {
    const kind = random.next();
    let x: number;
    let y: number;
    if (kind < 0.7) {
      const s = random.int(0, ROUTE_POINTS - 2);
      const t = random.next();
      const ax = xy[2 * s] as number;
      const ay = xy[2 * s + 1] as number;
      const dx = (xy[2 * s + 2] as number) - ax;
      const dy = (xy[2 * s + 3] as number) - ay;
      const off = kind < 0.5 ? 30 * gaussian(random) : (random.next() * 2 - 1) * 3_000;
      x = ax + t * dx + (off * -dy) / STEP_M;
      y = ay + t * dy + (off * dx) / STEP_M;
    } else {
      x = minX - 20_000 + random.next() * (maxX - minX + 40_000);
      y = minY - 20_000 + random.next() * (maxY - minY + 40_000);
    }
    [lat[i], lon[i]] = toLatLon(x, y);
  }
  return { lat, lon };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** Trucks driving the route with a fix every 30 s (about 2 km), fed to the monitor in uploads of one fix per truck. */
function monitorRate(route: Array<[number, number]>): number {
  const t0 = Date.parse("2026-03-02T08:00:00.000Z");
  const clock = () => new Date(t0 + FIXES_PER_TRUCK * 30_000);
  const monitor = new SealMonitor(DEFAULT_SEAL_SETTINGS, clock);
  const plan = { route, authorisedPlaces: [], sealNumbers: [], express: true };
  for (let truck = 0; truck < TRUCKS; truck++) monitor.track({ shipmentId: `T-${truck}`, ...plan });
  const uploads: GpsFix[][] = [];
  for (let i = 0; i < FIXES_PER_TRUCK; i++) {
    const upload: GpsFix[] = [];
    for (let truck = 0; truck < TRUCKS; truck++) {
      const [lat, lon] = route[(i * 4 + truck) % ROUTE_POINTS] as [number, number];
      upload.push({ shipmentId: `T-${truck}`, time: new Date(t0 + i * 30_000).toISOString(), lat, lon });
    }
    uploads.push(upload);
  }
  const started = performance.now();
  for (const upload of uploads) monitor.addFixes(upload);
  return (TRUCKS * FIXES_PER_TRUCK) / ((performance.now() - started) / 1000);
}

export async function corridorBenchmark(): Promise<CorridorBenchmarkResult> {
  const { route, xy } = winding();
  const { lat, lon } = fixes(xy);
  const built = performance.now();
  const corridor = new Corridor(route, DEFAULT_CORRIDOR_BUFFER_M);
  const buildMs = performance.now() - built;

  let inside = 0;
  const rates: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const started = performance.now();
    inside = 0;
    for (let i = 0; i < FIXES; i++) if (corridor.contains(lat[i] as number, lon[i] as number)) inside++;
    // The first pass warms the JIT up and is not counted.
    if (run > 0) rates.push(FIXES / ((performance.now() - started) / 1000));
  }

  const started = performance.now();
  let baselineInside = 0;
  for (let i = 0; i < BASELINE_FIXES; i++)
    if (corridor.containsByScan(lat[i] as number, lon[i] as number)) baselineInside++;
  const baselineFixesPerSecond = BASELINE_FIXES / ((performance.now() - started) / 1000);
  let agreement = true;
  for (let i = 0; i < BASELINE_FIXES && agreement; i++)
    agreement =
      corridor.contains(lat[i] as number, lon[i] as number) ===
      corridor.containsByScan(lat[i] as number, lon[i] as number);
  if (baselineInside === 0) agreement = false;

  const fixesPerSecond = median(rates);
  return {
    fixesPerSecond,
    baselineFixesPerSecond,
    speedup: fixesPerSecond / baselineFixesPerSecond,
    fixes: FIXES,
    baselineFixes: BASELINE_FIXES,
    routePoints: ROUTE_POINTS,
    routeKm: ((ROUTE_POINTS - 1) * STEP_M) / 1000,
    bufferM: DEFAULT_CORRIDOR_BUFFER_M,
    insideShare: inside / FIXES,
    buildMs,
    agreement,
    monitorFixesPerSecond: monitorRate(route),
  };
}
