// What seal monitoring accepts: a shipment's plan, seal reads and GPS fixes, checked value by value so a refusal names
// the item and field at fault. Times are ISO 8601 date-times with a zone, turned into one canonical UTC form. Pure.

import { validateArea } from "../../deconfliction/geometry.ts";
import { parseInstant } from "../../model/dates.ts";
import type { ValidationIssue } from "../../model/types.ts";
import type { GpsFix, SealEvent, ShipmentPlan } from "../model.ts";
import { positionProblem, routeProblem } from "./corridor.ts";

/** Most items in one batch of seal reads or GPS fixes. */
export const MAX_BATCH = 10_000;
/** How far ahead of this node's clock a read may be dated (trackers' clocks drift; GPS time does not, much). */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
export const MAX_PLACES = 100;
export const MAX_SEALS = 50;
/** Fastest credible road speed a tracker may report, km/h. */
export const MAX_SPEED_KMH = 300;
const MAX_ID = 100;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/u;

const describe = (value: unknown): string =>
  value === undefined ? "missing" : (JSON.stringify(value) ?? String(value));

/** A seal's identity as the manifest and the reads both name it: "MANUFACTURER:SERIAL", upper case, no spaces. */
export function sealId(manufacturer: string, serial: string): string {
  return `${manufacturer}:${serial}`.replace(/\s+/gu, "").toUpperCase();
}

/** A manifest's seal number in the same form as sealId. */
export function manifestSealId(sealNumber: string): string {
  return sealNumber.replace(/\s+/gu, "").toUpperCase();
}

function issue(path: string, message: string): ValidationIssue {
  return { path, code: "invalid_border_seal", message };
}

function idProblem(value: unknown, what: string): string | undefined {
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_ID || CONTROL.test(value))
    return `${what} must be 1 to ${MAX_ID} printable characters, not ${describe(value)}`;
  return undefined;
}

/** Epoch milliseconds of an ISO 8601 date-time with a zone, or why it is not one (or is dated ahead of `nowMs`). */
export function readTime(value: unknown, nowMs: number): number | string {
  const ms = parseInstant(value);
  if (Number.isNaN(ms))
    return `a time must be an ISO 8601 date-time with a zone, e.g. 2026-03-01T14:05:00Z, not ${describe(value)}`;
  if (ms > nowMs + MAX_CLOCK_AHEAD_MS)
    return `${value} is more than ${MAX_CLOCK_AHEAD_MS / 60_000} minutes ahead of this node's clock`;
  return ms;
}

function placesProblem(places: unknown, path: string, named: boolean): ValidationIssue | undefined {
  if (!Array.isArray(places) || places.length > MAX_PLACES)
    return issue(path, `a list of at most ${MAX_PLACES} places, not ${describe(places)}`);
  for (const [i, place] of places.entries()) {
    const { lat, lon, radiusM, name } = (place ?? {}) as Record<string, unknown>;
    const problem =
      validateArea({ kind: "circle", lat, lon, radiusM }) ?? (named ? idProblem(name, "a name") : undefined);
    if (problem) return issue(`${path}[${i}]`, problem);
  }
  return undefined;
}

/** The first thing wrong with a plan, or undefined. */
export function planProblem(plan: ShipmentPlan): ValidationIssue | undefined {
  const id = idProblem(plan.shipmentId, "a shipment id");
  if (id) return issue("shipmentId", id);
  const route = routeProblem(plan.route);
  if (route) return issue("route", route);
  const places = placesProblem(plan.authorisedPlaces, "authorisedPlaces", true);
  if (places) return places;
  if (plan.scheduledStops !== undefined) {
    const stops = placesProblem(plan.scheduledStops, "scheduledStops", false);
    if (stops) return stops;
  }
  if (!Array.isArray(plan.sealNumbers) || plan.sealNumbers.length > MAX_SEALS)
    return issue("sealNumbers", `a list of at most ${MAX_SEALS} seal numbers`);
  for (const [i, seal] of plan.sealNumbers.entries()) {
    const problem = idProblem(seal, "a seal number");
    if (problem) return issue(`sealNumbers[${i}]`, problem);
    if (!/^[^:]+:[^:]+$/u.test(manifestSealId(seal)))
      return issue(`sealNumbers[${i}]`, `a seal number is "MANUFACTURER:SERIAL", not ${describe(seal)}`);
  }
  if (typeof plan.express !== "boolean") return issue("express", "express must be true or false");
  return undefined;
}

/** A GPS fix as stored: its time in canonical form, and epoch milliseconds for the monitor. */
export interface CheckedFix extends GpsFix {
  ms: number;
}

export interface CheckedEvent extends SealEvent {
  ms: number;
}

/** Checks every fix of a batch, in order; answers the checked fixes or the first issue, with its index. */
export function checkFixes(
  fixes: GpsFix[],
  known: (shipmentId: string) => boolean,
  nowMs: number,
): CheckedFix[] | ValidationIssue {
  if (fixes.length > MAX_BATCH) return issue("fixes", `at most ${MAX_BATCH} fixes in one batch, not ${fixes.length}`);
  const checked: CheckedFix[] = [];
  for (const [i, fix] of fixes.entries()) {
    const at = (field: string) => `fixes[${i}].${field}`;
    if (!known(fix.shipmentId))
      return issue(at("shipmentId"), `no plan is registered for shipment ${describe(fix.shipmentId)}`);
    const ms = readTime(fix.time, nowMs);
    if (typeof ms === "string") return issue(at("time"), ms);
    const position = positionProblem(fix.lat, fix.lon);
    if (position) return issue(at(position.field), position.message);
    if (fix.speed !== undefined && !(Number.isFinite(fix.speed) && fix.speed >= 0 && fix.speed <= MAX_SPEED_KMH))
      return issue(at("speed"), `a speed is 0 to ${MAX_SPEED_KMH} km/h, not ${describe(fix.speed)}`);
    checked.push({ ...fix, time: new Date(ms).toISOString(), ms });
  }
  return checked;
}

/** Checks every seal read of a batch, in order; answers the checked reads or the first issue, with its index. */
export function checkEvents(
  events: SealEvent[],
  known: (shipmentId: string) => boolean,
  nowMs: number,
): CheckedEvent[] | ValidationIssue {
  if (events.length > MAX_BATCH)
    return issue("events", `at most ${MAX_BATCH} seal reads in one batch, not ${events.length}`);
  const checked: CheckedEvent[] = [];
  for (const [i, event] of events.entries()) {
    const at = (field: string) => `events[${i}].${field}`;
    if (!known(event.shipmentId))
      return issue(at("shipmentId"), `no plan is registered for shipment ${describe(event.shipmentId)}`);
    for (const field of ["manufacturer", "serial"] as const) {
      const problem =
        idProblem(event[field], `a seal's ${field}`) ??
        (event[field].includes(":") ? `a seal's ${field} cannot hold ":"` : undefined);
      if (problem) return issue(at(field), problem);
    }
    if (event.state !== "sealed" && event.state !== "opened")
      return issue(at("state"), `a seal's state is "sealed" or "opened", not ${describe(event.state)}`);
    const ms = readTime(event.time, nowMs);
    if (typeof ms === "string") return issue(at("time"), ms);
    if (event.battery !== undefined && !(Number.isFinite(event.battery) && event.battery >= 0 && event.battery <= 100))
      return issue(at("battery"), `a battery level is 0 to 100 %, not ${describe(event.battery)}`);
    if (event.lat !== undefined || event.lon !== undefined) {
      const position = positionProblem(event.lat, event.lon);
      if (position) return issue(at(position.field), `${position.message} (give both or neither)`);
    }
    checked.push({ ...event, time: new Date(ms).toISOString(), ms });
  }
  return checked;
}
