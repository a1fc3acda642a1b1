// Seal monitoring in memory: for each shipment, its plan and corridor, its recent GPS fixes in time order, and the
// alerts raised. Fixes and seal reads may arrive out of order (trackers upload in bursts; reads and fixes come by
// different paths); each is placed by its own time and the rules are re-run from there. An alert is never withdrawn:
// a later fix or a "sealed" read does not undo an opened seal or a detour, and express-lane eligibility, lost on the
// first alert, does not come back by itself (a supervisor inspects). Pure and synchronous; the service persists.
//
// The rules, with the settings' defaults:
// - route deviation: two consecutive fixes outside the corridor (and outside every authorised place and scheduled
//   stop). One bad fix (multipath under an overpass, a cold start) must not cost a carrier its lane; a truck that
//   really left shows up outside on the next fix too, and one that leaves and then goes dark raises a dark period.
// - unscheduled stop: fixes staying within 50 m of where a stop began for more than 20 minutes, the stop beginning
//   outside authorised places and scheduled stops. 50 m is several times a parked tracker's jitter and less than a
//   truck crawling in traffic covers in a minute; 20 minutes is longer than a traffic light or a short jam and
//   shorter than unloading. Plans should list the port's approach (where trucks queue) as a scheduled stop.
// - dark period: no fix for more than 15 minutes while in transit (the last fix away from authorised places), seen
//   either when the next fix shows the gap or, while it lasts, by the node's clock. Trackers report every 30 s to
//   5 min; three or more missed reports in a row is jamming, a pulled antenna or a dead tracker.
// - seal opened outside an authorised place: seal reads are radio reads without authentication, so a read's own
//   position is not trusted alone: the opening must be corroborated by the GPS fix nearest in time (within 5
//   minutes) lying in an authorised place, and the read's own position, when it has one, must lie in one too. An
//   opening GPS cannot place is raised, whatever the read says of itself.
// - seal not on the manifest, once per seal; low battery (at most 20 %, where a seal may not last the trip), once
//   per seal.
import { createHash } from "node:crypto";
import { distanceM } from "../../deconfliction/geometry.ts";
import type { ExpressEligibility, GpsFix, SealAlert, SealAlertKind, SealEvent, ShipmentPlan } from "../model.ts";
import { Corridor, DEFAULT_CORRIDOR_BUFFER_M } from "./corridor.ts";
import { manifestSealId, sealId } from "./seal-input.ts";

export interface SealSettings {
  corridorBufferM: number;
  /** Movement below which a truck counts as stopped. */
  stopRadiusM: number;
  stopMinutes: number;
  darkMinutes: number;
  lowBatteryPercent: number;
  /** How far in time the GPS fix placing an opened seal may be from the read. */
  fixToleranceMinutes: number;
}

export const DEFAULT_SEAL_SETTINGS: SealSettings = {
  corridorBufferM: DEFAULT_CORRIDOR_BUFFER_M,
  stopRadiusM: 50,
  stopMinutes: 20,
  darkMinutes: 15,
  lowBatteryPercent: 20,
  fixToleranceMinutes: 5,
};

/**
 * Fixes kept per shipment: about two hours at one fix every 30 s, enough for the stop, gap and out-of-order rules.
 * A fix older than all of them that arrives when the track is full is stored by the service but not evaluated.
 */
export const FIXES_KEPT = 240;
/** A shipment with no fix or read for this long is dropped from memory (and loaded again from the store if needed). */
export const IDLE_MS = 24 * 3_600_000;

/** An alert with its stable id (the same facts always give the same id) and when this node raised it. */
export interface RaisedAlert extends SealAlert {
  id: string;
  raisedAt: string;
}

interface TrackedFix {
  t: number;
  lat: number;
  lon: number;
  /** Outside the corridor and outside every authorised place and scheduled stop. */
  away: boolean;
  /** The first fix of the stationary run this fix belongs to (itself when it moved). */
  anchor: TrackedFix;
  /** The first fix of the run of away fixes this one belongs to. */
  excursion: TrackedFix | undefined;
}

type Place = "authorised" | "scheduled-stop" | undefined;

interface Track {
  plan: ShipmentPlan;
  corridor: Corridor;
  manifest: Set<string>;
  fixes: TrackedFix[];
  alerts: Map<string, RaisedAlert>;
  /** The times (ms) each alert raised here is about: a stop, an excursion, a gap. Stored alerts cover their time. */
  spans: Map<string, [number, number]>;
  /** Node clock (ms) of the last time this shipment was registered, loaded or fed. */
  activeAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const minutes = (ms: number) => Math.round(ms / 60_000);

function alertId(shipmentId: string, kind: SealAlertKind, key: string): string {
  return createHash("sha256").update(`${shipmentId}\u0000${kind}\u0000${key}`).digest("hex").slice(0, 32);
}

export class SealMonitor implements ExpressEligibility {
  private readonly tracks = new Map<string, Track>();
  /** Alerts raised and not yet handed to the store. */
  private unsaved: RaisedAlert[] = [];

  constructor(
    readonly settings: SealSettings = DEFAULT_SEAL_SETTINGS,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  has(shipmentId: string): boolean {
    return this.tracks.has(shipmentId);
  }

  /** Starts monitoring a shipment (a second call for the same shipment changes nothing). Assumes a valid plan. */
  track(plan: ShipmentPlan): void {
    if (this.tracks.has(plan.shipmentId)) return;
    this.tracks.set(plan.shipmentId, {
      plan,
      corridor: new Corridor(plan.route, this.settings.corridorBufferM),
      manifest: new Set(plan.sealNumbers.map(manifestSealId)),
      fixes: [],
      alerts: new Map(),
      spans: new Map(),
      activeAt: this.clock().getTime(),
    });
  }

  /** Alerts already stored, for a shipment being loaded: kept, and never raised again. */
  restore(alerts: RaisedAlert[]): void {
    for (const alert of alerts) this.tracks.get(alert.shipmentId)?.alerts.set(alert.id, alert);
  }

  /** Takes the alerts raised since the last call, for the store; `requeue` gives back any it could not write. */
  takeUnsaved(): RaisedAlert[] {
    const taken = this.unsaved;
    this.unsaved = [];
    return taken;
  }

  requeue(alerts: RaisedAlert[]): void {
    this.unsaved.unshift(...alerts);
  }

  /** Feeds valid fixes of monitored shipments, in any order; answers the alerts they raised. */
  addFixes(fixes: GpsFix[]): RaisedAlert[] {
    const before = this.unsaved.length;
    const now = this.clock().getTime();
    const ordered = fixes.map((fix) => ({ fix, t: Date.parse(fix.time) })).sort((a, b) => a.t - b.t);
    for (const { fix, t } of ordered) {
      const track = this.tracks.get(fix.shipmentId);
      if (!track) continue;
      track.activeAt = now;
      this.insertFix(track, t, fix.lat, fix.lon);
    }
    return this.unsaved.slice(before);
  }

  /** Feeds valid seal reads of monitored shipments; answers the alerts they raised. */
  addEvents(events: SealEvent[]): RaisedAlert[] {
    const before = this.unsaved.length;
    const now = this.clock().getTime();
    const ordered = events.map((event) => ({ event, t: Date.parse(event.time) })).sort((a, b) => a.t - b.t);
    for (const { event, t } of ordered) {
      const track = this.tracks.get(event.shipmentId);
      if (!track) continue;
      track.activeAt = now;
      const seal = sealId(event.manufacturer, event.serial);
      const at = event.lat !== undefined && event.lon !== undefined ? { lat: event.lat, lon: event.lon } : undefined;
      if (!track.manifest.has(seal))
        this.raise(
          track,
          "seal-not-on-manifest",
          seal,
          t,
          `seal ${seal} was read on this shipment but is not on its manifest`,
          at,
        );
      if (event.battery !== undefined && event.battery <= this.settings.lowBatteryPercent)
        this.raise(
          track,
          "seal-battery-low",
          seal,
          t,
          `seal ${seal} reports ${event.battery} % battery (at most ${this.settings.lowBatteryPercent} %): it may stop reporting before the trip ends`,
          at,
        );
      if (event.state === "opened") this.checkOpening(track, seal, t, at);
    }
    return this.unsaved.slice(before);
  }

  /**
   * Whether the shipment may use the express lane: it asked for it, its tracking has started, and it has no alert.
   * A shipment this monitor does not hold (unknown, not loaded yet, or idle) is not eligible.
   */
  eligibility(shipmentId: string): { eligible: boolean; reasons: SealAlert[] } {
    const track = this.tracks.get(shipmentId);
    if (!track) return { eligible: false, reasons: [] };
    this.checkDark(track, this.clock().getTime());
    const reasons = this.alerts(shipmentId);
    return { eligible: track.plan.express && track.fixes.length > 0 && reasons.length === 0, reasons };
  }

  /** The shipment's alerts, oldest first by the time they describe. */
  alerts(shipmentId: string): RaisedAlert[] {
    return [...(this.tracks.get(shipmentId)?.alerts.values() ?? [])].sort(
      (a, b) => a.time.localeCompare(b.time) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
    );
  }

  /** Periodic work: dark periods by the clock, and dropping shipments idle for IDLE_MS. Answers the alerts raised. */
  sweep(): RaisedAlert[] {
    const before = this.unsaved.length;
    const now = this.clock().getTime();
    for (const [id, track] of this.tracks) {
      if (now - track.activeAt > IDLE_MS) this.tracks.delete(id);
      else this.checkDark(track, now);
    }
    return this.unsaved.slice(before);
  }

  // ── fixes ──────────────────────────────────────────────────────────────────────────────────────────────────

  private insertFix(track: Track, t: number, lat: number, lon: number): void {
    const fixes = track.fixes;
    let k = fixes.length;
    // Usually the newest: walk back from the end.
    while (k > 0 && (fixes[k - 1] as TrackedFix).t > t) k--;
    if (k > 0 && (fixes[k - 1] as TrackedFix).t === t) return; // the same fix again
    if (k === 0 && fixes.length >= FIXES_KEPT) return; // older than the whole window
    const away = !track.corridor.contains(lat, lon) && this.placeOf(track, lat, lon) === undefined;
    const fix: TrackedFix = { t, lat, lon, away, anchor: undefined as unknown as TrackedFix, excursion: undefined };
    fix.anchor = fix;
    fixes.splice(k, 0, fix);
    this.propagate(track, k);
    if (fixes.length > FIXES_KEPT + 32) fixes.splice(0, fixes.length - FIXES_KEPT);
  }

  /**
   * Re-derives the stationary runs and excursions from fix k on, and checks the rules on each fix whose facts
   * changed: the new fix, the one after it (its gap changed), and any later one whose run changed.
   */
  private propagate(track: Track, k: number): void {
    const fixes = track.fixes;
    const { stopRadiusM, stopMinutes, darkMinutes } = this.settings;
    for (let i = k; i < fixes.length; i++) {
      const fix = fixes[i] as TrackedFix;
      const prev = fixes[i - 1];
      const anchor =
        prev && distanceM([prev.anchor.lat, prev.anchor.lon], [fix.lat, fix.lon]) <= stopRadiusM ? prev.anchor : fix;
      const excursion = fix.away ? (prev?.away ? prev.excursion : fix) : undefined;
      if (i > k + 1 && anchor === fix.anchor && excursion === fix.excursion) break;
      fix.anchor = anchor;
      fix.excursion = excursion;
      if (!prev) continue;
      if (fix.t - prev.t > darkMinutes * 60_000 && this.placeOf(track, prev.lat, prev.lon) !== "authorised")
        this.raise(
          track,
          "dark-period",
          String(prev.t),
          prev.t,
          `no GPS fix for ${minutes(fix.t - prev.t)} min, from ${iso(prev.t)} to ${iso(fix.t)}, away from authorised places`,
          prev,
          [prev.t, fix.t],
        );
      if (fix.t - anchor.t > stopMinutes * 60_000 && this.placeOf(track, anchor.lat, anchor.lon) === undefined)
        this.raise(
          track,
          "unscheduled-stop",
          String(anchor.t),
          anchor.t,
          `stopped within ${stopRadiusM} m since ${iso(anchor.t)}, still there ${minutes(fix.t - anchor.t)} min later, outside authorised places and scheduled stops`,
          anchor,
          [anchor.t, fix.t],
        );
      if (fix.away && prev.away && excursion) {
        const km = (track.corridor.distanceM(fix.lat, fix.lon) / 1000).toFixed(1);
        this.raise(
          track,
          "route-deviation",
          String(excursion.t),
          excursion.t,
          `left the declared route: consecutive fixes from ${iso(excursion.t)} are outside its ${track.corridor.bufferM} m corridor, ${km} km from the route at ${iso(fix.t)}`,
          fix,
          [excursion.t, fix.t],
        );
      }
    }
  }

  private checkDark(track: Track, now: number): void {
    const last = track.fixes.at(-1);
    if (!last || now - last.t <= this.settings.darkMinutes * 60_000) return;
    if (this.placeOf(track, last.lat, last.lon) === "authorised") return;
    this.raise(
      track,
      "dark-period",
      String(last.t),
      last.t,
      `no GPS fix since ${iso(last.t)} (${minutes(now - last.t)} min when noticed), away from authorised places`,
      last,
      [last.t, now],
    );
  }

  // ── seals ──────────────────────────────────────────────────────────────────────────────────────────────────

  private checkOpening(track: Track, seal: string, t: number, at: { lat: number; lon: number } | undefined): void {
    const positions: Array<{ lat: number; lon: number; by: string }> = [];
    if (at) positions.push({ ...at, by: "the seal read's own position" });
    const fix = this.nearestFix(track, t);
    if (fix) positions.push({ lat: fix.lat, lon: fix.lon, by: `the GPS fix of ${iso(fix.t)}` });
    const outside = positions.find((p) => this.placeOf(track, p.lat, p.lon) !== "authorised");
    if (fix && !outside) return;
    const tolerance = this.settings.fixToleranceMinutes;
    const uncorroborated = at
      ? `its own position is in an authorised place, but no GPS fix within ${tolerance} min corroborates it`
      : `nothing places it: the read has no position and no GPS fix is within ${tolerance} min`;
    this.raise(
      track,
      "seal-opened-outside-authorised-place",
      `${seal}@${t}`,
      t,
      outside
        ? `seal ${seal} read as opened at ${iso(t)} outside every authorised place, by ${outside.by}`
        : `seal ${seal} read as opened at ${iso(t)}; ${uncorroborated}`,
      outside,
    );
  }

  private nearestFix(track: Track, t: number): TrackedFix | undefined {
    let best: TrackedFix | undefined;
    for (const fix of track.fixes)
      if (
        Math.abs(fix.t - t) <= this.settings.fixToleranceMinutes * 60_000 &&
        (!best || Math.abs(fix.t - t) < Math.abs(best.t - t))
      )
        best = fix;
    return best;
  }

  private placeOf(track: Track, lat: number, lon: number): Place {
    for (const place of track.plan.authorisedPlaces)
      if (distanceM([place.lat, place.lon], [lat, lon]) <= place.radiusM) return "authorised";
    for (const stop of track.plan.scheduledStops ?? [])
      if (distanceM([stop.lat, stop.lon], [lat, lon]) <= stop.radiusM) return "scheduled-stop";
    return undefined;
  }

  /**
   * Raises an alert once: the same kind and key give the same id. `span` is the stretch of time a track alert is
   * about (a stop, an excursion, a gap); fixes arriving out of order can move its start, so an alert of the same kind
   * whose span overlaps it is the same alert.
   */
  private raise(
    track: Track,
    kind: SealAlertKind,
    key: string,
    t: number,
    detail: string,
    at: { lat: number; lon: number } | undefined,
    span?: [number, number],
  ): void {
    const shipmentId = track.plan.shipmentId;
    const id = alertId(shipmentId, kind, key);
    if (track.alerts.has(id)) return;
    if (span)
      for (const [otherId, other] of track.alerts) {
        if (other.kind !== kind) continue;
        const [from, to] = track.spans.get(otherId) ?? [Date.parse(other.time), Date.parse(other.time)];
        if (from <= span[1] && span[0] <= to) return;
      }
    const alert: RaisedAlert = {
      id,
      shipmentId,
      kind,
      time: iso(t),
      detail,
      ...(at ? { lat: at.lat, lon: at.lon } : {}),
      raisedAt: this.clock().toISOString(),
    };
    track.alerts.set(id, alert);
    if (span) track.spans.set(id, span);
    this.unsaved.push(alert);
  }
}
