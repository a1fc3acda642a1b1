// Insider-threat analytics over the audit log, for oversight. Each partner user (as their home node vouched for
// them) and each local user gets a baseline from the past weeks; alerts name who, what and why, with the audit
// entries that are the evidence:
//   burst       many more searches in an hour than the user's own busiest hour so far (and more than a floor)
//   off-hours   searches at night by a user who almost never works at night
//   fishing     many searches in a day that find nothing: probing with guesses
//   bulk        many requests for details in a day
//   bulk reads  a local user opening far more of the node's records in a day than on any day before
//   probing     a partner's targets, operations or searches touching this node's protected sources again and again
// Thresholds are data (ALERT_RULES) so a node can review them; the defaults are conservative to keep alerts rare.
import type { AuditEntry } from "../store/audit-repository.ts";

export const ALERT_RULES = {
  /** An hour's searches must exceed both this and twice the user's busiest earlier hour. */
  burstFloor: 30,
  /** Night is from this hour (UTC) … */
  nightFrom: 2,
  /** … to this one. */
  nightTo: 6,
  /** Off-hours alerts only for users with fewer than this share of their earlier searches at night. */
  nightShare: 0.05,
  /** At least this many earlier searches before a user has a baseline for bursts and nights. */
  baselineMinimum: 20,
  /** Searches in a day finding nothing, and the share of misses, that look like fishing. */
  fishingCount: 25,
  fishingShare: 0.95,
  /** Requests for details from one user in a day. */
  bulkRequests: 15,
  /** Touches of protected sources by one partner within the period looked at (each one alerts the handler). */
  sourceTouches: 2,
  /** Distinct records a local user opens in a day: at least this many … */
  bulkReadsFloor: 100,
  /** … and more than this many times as many as on the user's busiest earlier day. */
  bulkReadsOverBusiest: 3,
} as const;

export type AlertKind = "burst" | "off-hours" | "fishing" | "bulk-requests" | "bulk-reads" | "source-probing";

const SOURCE_TOUCHED = "deconfliction.source-touched";

export interface Alert {
  kind: AlertKind;
  /** "node:<id>/<user>" for a partner's user, "user:<id>" for a local one. */
  who: string;
  window: string;
  summary: string;
  /** Audit log positions of the entries that raised it. */
  evidence: number[];
}

/** Searches: partners' searches answered here, and this node's users' searches of the federation and of its own records. */
const SEARCHES = new Set(["federation.hits-served", "federation.no-hit", "federation.search", "match.query"]);

function whoOf(entry: AuditEntry, details: { userId?: string }): string {
  return entry.actor.startsWith("node:") ? `${entry.actor}/${details.userId ?? "?"}` : entry.actor;
}

/** Alerts for the entries at or after `since`, against baselines from the entries before it. */
export function insiderThreatAlerts(entries: readonly AuditEntry[], since: string): Alert[] {
  const alerts: Alert[] = [];
  const history = new Map<string, { searches: number; night: number; hours: Map<string, number> }>();
  const recent = new Map<string, AuditEntry[]>();
  const sourceTouches = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    if (entry.kind === SOURCE_TOUCHED && entry.at >= since)
      sourceTouches.set(entry.actor, [...(sourceTouches.get(entry.actor) ?? []), entry]);
    const isSearch = SEARCHES.has(entry.kind);
    if (!isSearch && entry.kind !== "exchange.request-received") continue;
    const who = whoOf(entry, JSON.parse(entry.details) as { userId?: string });
    if (entry.at < since) {
      if (!isSearch) continue;
      const past = history.get(who) ?? { searches: 0, night: 0, hours: new Map<string, number>() };
      past.searches += 1;
      const hour = Number(entry.at.slice(11, 13));
      if (hour >= ALERT_RULES.nightFrom && hour < ALERT_RULES.nightTo) past.night += 1;
      past.hours.set(entry.at.slice(0, 13), (past.hours.get(entry.at.slice(0, 13)) ?? 0) + 1);
      history.set(who, past);
    } else recent.set(who, [...(recent.get(who) ?? []), entry]);
  }
  for (const [who, list] of recent) {
    const past = history.get(who);
    const searches = list.filter((entry) => SEARCHES.has(entry.kind));
    const byHour = groupBy(searches, (entry) => entry.at.slice(0, 13));
    const busiest = Math.max(0, ...(past?.hours.values() ?? []));
    for (const [hour, inHour] of byHour)
      if (inHour.length > ALERT_RULES.burstFloor && inHour.length > 2 * busiest)
        alerts.push({
          kind: "burst",
          who,
          window: `${hour}:00Z`,
          summary: `${inHour.length} searches in an hour; the busiest hour before had ${busiest}`,
          evidence: inHour.map((entry) => entry.seq),
        });
    if (past && past.searches >= ALERT_RULES.baselineMinimum && past.night / past.searches < ALERT_RULES.nightShare) {
      const night = searches.filter((entry) => {
        const hour = Number(entry.at.slice(11, 13));
        return hour >= ALERT_RULES.nightFrom && hour < ALERT_RULES.nightTo;
      });
      if (night.length > 0)
        alerts.push({
          kind: "off-hours",
          who,
          window: `${night[0]?.at.slice(0, 10)}`,
          summary: `${night.length} searches at night by a user with ${past.night} of ${past.searches} before`,
          evidence: night.map((entry) => entry.seq),
        });
    }
    for (const [day, inDay] of groupBy(searches, (entry) => entry.at.slice(0, 10))) {
      const misses = inDay.filter((entry) => entry.kind === "federation.no-hit");
      if (misses.length >= ALERT_RULES.fishingCount && misses.length / inDay.length >= ALERT_RULES.fishingShare)
        alerts.push({
          kind: "fishing",
          who,
          window: day,
          summary: `${misses.length} of ${inDay.length} searches in a day found nothing`,
          evidence: misses.map((entry) => entry.seq),
        });
    }
    const requests = list.filter((entry) => entry.kind === "exchange.request-received");
    for (const [day, inDay] of groupBy(requests, (entry) => entry.at.slice(0, 10)))
      if (inDay.length >= ALERT_RULES.bulkRequests)
        alerts.push({
          kind: "bulk-requests",
          who,
          window: day,
          summary: `${inDay.length} requests for details in a day`,
          evidence: inDay.map((entry) => entry.seq),
        });
  }
  for (const [who, touches] of sourceTouches)
    if (touches.length >= ALERT_RULES.sourceTouches)
      alerts.push({
        kind: "source-probing",
        who,
        window: `since ${since}`,
        summary: `${touches.length} targets, operations or searches of this partner touched protected sources`,
        evidence: touches.map((entry) => entry.seq),
      });
  alerts.push(...bulkReadAlerts(entries, since));
  return alerts;
}

/** By user, by day (UTC), the records they opened and the entries that opened each. */
type ReadsByDay = Map<string, Map<string, Map<string, number[]>>>;

/** Days since `since` on which a local user opened far more distinct records than on any day before. */
function bulkReadAlerts(entries: readonly AuditEntry[], since: string): Alert[] {
  const past: ReadsByDay = new Map();
  const recent: ReadsByDay = new Map();
  for (const entry of entries) {
    if (entry.kind !== "record.read") continue;
    const details = JSON.parse(entry.details) as { status?: number; target?: { id?: string } };
    const id = details.target?.id;
    // A refused read showed nothing.
    if (details.status !== 200 || !id) continue;
    const byUser = entry.at < since ? past : recent;
    const days = byUser.get(entry.actor) ?? new Map<string, Map<string, number[]>>();
    byUser.set(entry.actor, days);
    const day = entry.at.slice(0, 10);
    const records = days.get(day) ?? new Map<string, number[]>();
    days.set(day, records);
    records.set(id, [...(records.get(id) ?? []), entry.seq]);
  }
  const alerts: Alert[] = [];
  for (const [who, days] of recent) {
    const busiest = Math.max(0, ...[...(past.get(who)?.values() ?? [])].map((records) => records.size));
    for (const [day, records] of days)
      if (records.size >= ALERT_RULES.bulkReadsFloor && records.size > ALERT_RULES.bulkReadsOverBusiest * busiest)
        alerts.push({
          kind: "bulk-reads",
          who,
          window: day,
          summary: `${records.size} records opened in a day; the busiest day before had ${busiest}`,
          evidence: [...records.values()].flat(),
        });
  }
  return alerts;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
