// Seal monitoring as a node service: registering shipments' plans, taking batches of seal reads and GPS fixes
// (checked whole, stored in one transaction, then fed to the in-memory monitor), and showing a shipment's track,
// alerts and express-lane eligibility. Access is checked here. At start the monitor is rebuilt from the store: the
// shipments registered in the last LOAD_DAYS, their stored alerts, and their latest fixes and reads replayed (which
// also raises any alert a crash kept from being written). A shipment dropped from memory as idle, or older, is
// loaded again when it is fed or asked about.

import type { AuditLog } from "../../audit/audit-log.ts";
import { mayPerform, type Principal } from "../../policy/access.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../../records/entity-service.ts";
import type { SealAlertRow, SealEventRow, SealRepository, ShipmentRow } from "../../store/seal-repository.ts";
import { afterCommitOf, type TransactionScopes } from "../../store/transaction-scope.ts";
import type { ExpressEligibility, GpsFix, SealAlert, SealAlertKind, SealEvent, ShipmentPlan } from "../model.ts";
import { checkEvents, checkFixes, planProblem, readTime } from "./seal-input.ts";
import { DEFAULT_SEAL_SETTINGS, FIXES_KEPT, type RaisedAlert, SealMonitor, type SealSettings } from "./seal-monitor.ts";

/** A starting monitor loads the shipments registered in this many days (longer than a trip to the border). */
export const LOAD_DAYS = 3;
/** Seal reads replayed per shipment when it is loaded. */
const EVENTS_REPLAYED = 200;
/** Fixes and reads shown with a shipment. */
const SHOWN = 100;
export const DEFAULT_ALERT_PAGE = 500;
export const MAX_ALERT_PAGE = 1_000;

export interface ShipmentView {
  plan: ShipmentPlan;
  /** The latest fixes and seal reads, oldest first. */
  fixes: GpsFix[];
  events: SealEvent[];
  alerts: RaisedAlert[];
  eligibility: { eligible: boolean; reasons: SealAlert[] };
}

export interface IngestResult {
  accepted: number;
  /** Alerts the batch raised. */
  alerts: RaisedAlert[];
}

function invalid(path: string, message: string): ValidationFailedError {
  return new ValidationFailedError([{ path, code: "invalid_border_seal", message }]);
}

const orUndefined = <K extends string>(key: K, value: number | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, number>>;

function fixOf(row: { shipment_id: string; time: string; lat: number; lon: number; speed: number | null }): GpsFix {
  return {
    shipmentId: row.shipment_id,
    time: row.time,
    lat: row.lat,
    lon: row.lon,
    ...orUndefined("speed", row.speed),
  };
}

function eventOf(row: SealEventRow): SealEvent {
  return {
    shipmentId: row.shipment_id,
    manufacturer: row.manufacturer,
    serial: row.serial,
    state: row.state as SealEvent["state"],
    time: row.time,
    ...orUndefined("battery", row.battery),
    ...orUndefined("lat", row.lat),
    ...orUndefined("lon", row.lon),
  };
}

function alertOf(row: SealAlertRow): RaisedAlert {
  return {
    id: row.id,
    shipmentId: row.shipment_id,
    kind: row.kind as SealAlertKind,
    time: row.time,
    detail: row.detail,
    ...orUndefined("lat", row.lat),
    ...orUndefined("lon", row.lon),
    raisedAt: row.raised_at,
  };
}

function alertRow(alert: RaisedAlert): SealAlertRow {
  return {
    id: alert.id,
    shipment_id: alert.shipmentId,
    kind: alert.kind,
    time: alert.time,
    detail: alert.detail,
    lat: alert.lat ?? null,
    lon: alert.lon ?? null,
    raised_at: alert.raisedAt,
  };
}

export class SealService implements ExpressEligibility {
  readonly monitor: SealMonitor;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly repository: SealRepository,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
    settings: SealSettings = DEFAULT_SEAL_SETTINGS,
    /**
     * The database's transaction scopes: the monitor tracks a registered plan only once it is committed, and scopes
     * wait for the monitor to load.
     */
    private readonly transactions?: TransactionScopes,
  ) {
    this.monitor = new SealMonitor(settings, clock);
  }

  /** Rebuilds the monitor from the store, once (again after a failure). */
  ready(): Promise<void> {
    this.loaded ??= (async () => {
      const since = new Date(this.clock().getTime() - LOAD_DAYS * 86_400_000).toISOString();
      await this.load(await this.repository.plansSince(since));
      await this.flush();
    })().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    this.transactions?.waitFor(this.loaded);
    return this.loaded;
  }

  /** What screening asks: may this shipment use the express lane, and if not, which alerts say why. */
  eligibility(shipmentId: string): { eligible: boolean; reasons: SealAlert[] } {
    return this.monitor.eligibility(shipmentId);
  }

  async registerPlan(principal: Principal, plan: ShipmentPlan): Promise<{ shipmentId: string }> {
    await this.ready();
    if (!mayPerform(principal, "border:ingest")) throw new NotFoundOrNoAccessError();
    const problem = planProblem(plan);
    if (problem) throw new ValidationFailedError([problem]);
    const added = await this.repository.addPlan({
      shipment_id: plan.shipmentId,
      plan: JSON.stringify(plan),
      registered_by: principal.userId,
      created_at: this.clock().toISOString(),
    });
    if (!added)
      throw invalid(
        "shipmentId",
        "this shipment already has a plan; a declared route cannot be replaced once registered",
      );
    await afterCommitOf(this.transactions, () => this.monitor.track(plan));
    await this.audit.append({
      kind: "border.shipment-registered",
      actor: `user:${principal.userId}`,
      details: { shipmentId: plan.shipmentId, express: plan.express, seals: plan.sealNumbers.length },
    });
    return { shipmentId: plan.shipmentId };
  }

  /** A batch of GPS fixes: refused whole at the first bad one (named by its index), else stored and monitored. */
  async ingestFixes(principal: Principal, fixes: GpsFix[]): Promise<IngestResult> {
    await this.ready();
    if (!mayPerform(principal, "border:ingest")) throw new NotFoundOrNoAccessError();
    await this.ensureLoaded(fixes.map((fix) => fix.shipmentId));
    const now = this.clock();
    const checked = checkFixes(fixes, (id) => this.monitor.has(id), now.getTime());
    if (!Array.isArray(checked)) throw new ValidationFailedError([checked]);
    const receivedAt = now.toISOString();
    await this.repository.addFixes(
      checked.map((fix) => ({
        shipment_id: fix.shipmentId,
        time: fix.time,
        lat: fix.lat,
        lon: fix.lon,
        speed: fix.speed ?? null,
        received_at: receivedAt,
      })),
    );
    const alerts = this.monitor.addFixes(checked);
    await this.flush();
    return { accepted: checked.length, alerts };
  }

  /** A batch of seal reads: refused whole at the first bad one (named by its index), else stored and monitored. */
  async ingestEvents(principal: Principal, events: SealEvent[]): Promise<IngestResult> {
    await this.ready();
    if (!mayPerform(principal, "border:ingest")) throw new NotFoundOrNoAccessError();
    await this.ensureLoaded(events.map((event) => event.shipmentId));
    const now = this.clock();
    const checked = checkEvents(events, (id) => this.monitor.has(id), now.getTime());
    if (!Array.isArray(checked)) throw new ValidationFailedError([checked]);
    const receivedAt = now.toISOString();
    await this.repository.addEvents(
      checked.map((event) => ({
        shipment_id: event.shipmentId,
        time: event.time,
        manufacturer: event.manufacturer,
        serial: event.serial,
        state: event.state,
        battery: event.battery ?? null,
        lat: event.lat ?? null,
        lon: event.lon ?? null,
        received_at: receivedAt,
      })),
    );
    const alerts = this.monitor.addEvents(checked);
    await this.flush();
    return { accepted: checked.length, alerts };
  }

  /** A shipment's plan, latest fixes and reads, alerts and eligibility. */
  async shipment(principal: Principal, shipmentId: string): Promise<ShipmentView> {
    await this.ready();
    if (!mayPerform(principal, "border:screen")) throw new NotFoundOrNoAccessError();
    const [row] = await this.repository.plans([shipmentId]);
    if (!row) throw new NotFoundOrNoAccessError();
    await this.load([row]);
    const [fixes, events] = await Promise.all([
      this.repository.recentFixes([shipmentId], SHOWN),
      this.repository.recentEvents([shipmentId], SHOWN),
    ]);
    const eligibility = this.monitor.eligibility(shipmentId);
    await this.flush();
    return {
      plan: JSON.parse(row.plan) as ShipmentPlan,
      fixes: fixes.map(fixOf),
      events: events.map(eventOf),
      alerts: this.monitor.alerts(shipmentId),
      eligibility,
    };
  }

  /**
   * Alerts raised at or after `since` (all without it), in the order raised; `after` is the `next` of the previous
   * page. A client polling keeps the last `next` and asks again with it.
   */
  async alertsSince(
    principal: Principal,
    query: { since?: string; after?: string; limit?: number },
  ): Promise<{ alerts: RaisedAlert[]; next: string | null }> {
    await this.ready();
    if (!mayPerform(principal, "border:screen")) throw new NotFoundOrNoAccessError();
    await this.flush();
    let since = "";
    if (query.since !== undefined) {
      const ms = readTime(query.since, Number.POSITIVE_INFINITY);
      if (typeof ms === "string") throw invalid("since", ms);
      since = new Date(ms).toISOString();
    }
    let after: { raisedAt: string; id: string } | undefined;
    if (query.after !== undefined) {
      const [raisedAt, id, ...rest] = query.after.split("|");
      if (!raisedAt || !id || rest.length > 0) throw invalid("after", "pass back the `next` of the previous page");
      after = { raisedAt, id };
    }
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_ALERT_PAGE), MAX_ALERT_PAGE);
    const alerts = (await this.repository.alertsRaisedSince(since, after, limit)).map(alertOf);
    const last = alerts.at(-1);
    return { alerts, next: alerts.length === limit && last ? `${last.raisedAt}|${last.id}` : null };
  }

  /** Periodic work: dark periods by the clock, idle shipments dropped, and alerts not yet written written. */
  async sweep(): Promise<void> {
    this.monitor.sweep();
    await this.flush();
  }

  /** Loads the shipments of a batch that the monitor does not hold; those without a plan stay unknown. */
  private async ensureLoaded(shipmentIds: string[]): Promise<void> {
    const missing = [...new Set(shipmentIds)].filter((id) => typeof id === "string" && !this.monitor.has(id));
    if (missing.length > 0) await this.load(await this.repository.plans(missing));
  }

  /**
   * Puts shipments in the monitor with their stored alerts, and replays their latest fixes and reads. Everything is
   * read first and applied at once, so no batch can interleave with a half-loaded shipment; loading twice is harmless.
   */
  private async load(rows: ShipmentRow[]): Promise<void> {
    const fresh = rows.filter((row) => !this.monitor.has(row.shipment_id));
    if (fresh.length === 0) return;
    const ids = fresh.map((row) => row.shipment_id);
    const [alerts, fixes, events] = await Promise.all([
      this.repository.alertsOf(ids),
      this.repository.recentFixes(ids, FIXES_KEPT),
      this.repository.recentEvents(ids, EVENTS_REPLAYED),
    ]);
    for (const row of fresh) this.monitor.track(JSON.parse(row.plan) as ShipmentPlan);
    this.monitor.restore(alerts.map(alertOf));
    this.monitor.addFixes(fixes.map(fixOf));
    this.monitor.addEvents(events.map(eventOf));
  }

  /** Writes the alerts the monitor raised and has not yet handed over; on failure they wait for the next flush. */
  private async flush(): Promise<void> {
    const alerts = this.monitor.takeUnsaved();
    if (alerts.length === 0) return;
    try {
      await this.repository.addAlerts(alerts.map(alertRow));
    } catch (error) {
      this.monitor.requeue(alerts);
      throw error;
    }
  }
}
