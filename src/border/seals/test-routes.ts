// Fixtures for seal-monitoring tests: a declared route from Nuevo Laredo 100 km south towards Monterrey, a plan with
// an authorised origin and destination and a scheduled fuel stop, and trucks' GPS fixes along it.
import { METRES_PER_DEGREE, wrapDegrees } from "../../deconfliction/geometry.ts";
import type { GpsFix, ShipmentPlan } from "../model.ts";

/** Nuevo Laredo, at the border. */
export const LAREDO: [number, number] = [27.48, -99.51];
/** 08:00 UTC on a test day: trips start here. */
export const T0 = Date.parse("2026-03-02T08:00:00.000Z");
export const MINUTE = 60_000;
export const FUEL_STOP_KM = 40;
export const ROUTE_KM = 100;

/** The point `north` and `east` metres from `from` (locally flat: fine at test distances). */
export function offset(from: readonly [number, number], north: number, east: number): [number, number] {
  return [
    from[0] + north / METRES_PER_DEGREE,
    wrapDegrees(from[1] + east / (METRES_PER_DEGREE * Math.cos((from[0] * Math.PI) / 180))),
  ];
}

/** The route's point `km` kilometres from its start: south, with a gentle bend of up to 1 km. */
export function along(km: number): [number, number] {
  return offset(LAREDO, -km * 1_000, 1_000 * Math.sin(km / 15));
}

/** The declared route: a point every kilometre. */
export const ROUTE: Array<[number, number]> = Array.from({ length: ROUTE_KM + 1 }, (_, km) => along(km));

const circle = ([lat, lon]: [number, number], radiusM: number) => ({ lat, lon, radiusM });

export function testPlan(shipmentId: string, overrides: Partial<ShipmentPlan> = {}): ShipmentPlan {
  return {
    shipmentId,
    route: ROUTE,
    authorisedPlaces: [
      { name: "origin warehouse", ...circle(along(0), 300) },
      { name: "destination", ...circle(along(ROUTE_KM), 300) },
    ],
    scheduledStops: [circle(along(FUEL_STOP_KM), 200)],
    sealNumbers: ["ACME:S-1001", "ACME:S-1002"],
    express: true,
    ...overrides,
  };
}

export function fixAt(shipmentId: string, ms: number, [lat, lon]: [number, number]): GpsFix {
  return { shipmentId, time: new Date(ms).toISOString(), lat, lon };
}

/** A fix a minute from `startMs`, driving at 1 km a minute from `fromKm` to `toKm` along the route. */
export function drive(shipmentId: string, fromKm: number, toKm: number, startMs: number): GpsFix[] {
  return Array.from({ length: toKm - fromKm + 1 }, (_, i) =>
    fixAt(shipmentId, startMs + i * MINUTE, along(fromKm + i)),
  );
}

/** A fix a minute from `startMs` for `minutes` minutes, parked at `at` (with a few metres of jitter). */
export function park(shipmentId: string, at: [number, number], startMs: number, minutes: number): GpsFix[] {
  return Array.from({ length: minutes + 1 }, (_, i) =>
    fixAt(shipmentId, startMs + i * MINUTE, offset(at, 8 * Math.sin(i), 8 * Math.cos(i))),
  );
}
