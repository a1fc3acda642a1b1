// The port supervisor's burst alerts: the node's coordinated-arrival detector (which screening asks about every
// crossing) reports each burst here when it is raised and whenever it grows, and the alert is kept in the store
// (one row per burst) so that it outlives a restart and can be listed by port. Writes are queued in order behind
// the detector, which never waits for the store; a listing waits for the queue first.
import { parseInstant } from "../model/dates.ts";
import { mayPerform, type Principal } from "../policy/access.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../records/entity-service.ts";
import type { BorderAlertRepository, BorderAlertRow } from "../store/border-alert-repository.ts";
import {
  type BurstAlert,
  type BurstLink,
  CoordinatedArrivalDetector,
  type CoordinatedArrivalSettings,
} from "./coordinated-arrivals.ts";

export const MAX_ALERTS = 500;

/** An alert as listed: the burst, and when this node raised it and last updated it. */
export interface BurstAlertView extends Omit<BurstAlert, "absorbed"> {
  size: number;
  raisedAt: string;
  updatedAt: string;
}

export interface BurstAlertQuery {
  port?: string | undefined;
  /** ISO 8601 date-time: bursts whose last crossing is at or after it. */
  since?: string | undefined;
  limit?: number | undefined;
}

export class BurstAlertService {
  /** The detector screening asks about each crossing, in arrival order. */
  readonly detector: CoordinatedArrivalDetector;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: BorderAlertRepository,
    settings: Partial<CoordinatedArrivalSettings> = {},
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.detector = new CoordinatedArrivalDetector(settings, (alert) => this.record(alert));
  }

  /** Queues the alert's write; a failure is logged and the next write goes ahead. */
  record(alert: BurstAlert): void {
    const now = this.clock().toISOString();
    const row: BorderAlertRow = {
      id: alert.burstId,
      port: alert.port,
      first_seen: alert.firstSeen,
      last_seen: alert.lastSeen,
      size: alert.crossingIds.length,
      crossing_ids: JSON.stringify(alert.crossingIds),
      referred: JSON.stringify(alert.referred),
      links: JSON.stringify(alert.links),
      raised_at: now,
      updated_at: now,
    };
    this.writes = this.writes
      .then(() => this.repository.save(row, alert.absorbed))
      .catch((error: unknown) => {
        console.error(`burst alert ${alert.burstId} was not stored: ${String(error)}`);
      });
  }

  /** Resolves when every alert recorded so far is in the store. */
  async flush(): Promise<void> {
    await this.writes;
  }

  /** Burst alerts for the port supervisor (border:supervise), newest first. */
  async list(principal: Principal, query: BurstAlertQuery = {}): Promise<BurstAlertView[]> {
    if (!mayPerform(principal, "border:supervise")) throw new NotFoundOrNoAccessError();
    const since = query.since === undefined ? undefined : parseInstant(query.since);
    if (Number.isNaN(since))
      throw new ValidationFailedError([{ path: "since", code: "invalid_date", message: "an ISO 8601 date-time" }]);
    await this.flush();
    const rows = await this.repository.list({
      port: query.port,
      since: since === undefined ? undefined : new Date(since).toISOString(),
      limit: Math.min(query.limit ?? 100, MAX_ALERTS),
    });
    return rows.map((row) => ({
      burstId: row.id,
      port: row.port,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      size: Number(row.size),
      crossingIds: JSON.parse(row.crossing_ids) as string[],
      referred: JSON.parse(row.referred) as string[],
      links: JSON.parse(row.links) as BurstLink[],
      raisedAt: row.raised_at,
      updatedAt: row.updated_at,
    }));
  }
}
