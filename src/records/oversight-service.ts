// Oversight: who saw a record. For one of the node's records, every partner user that was served a hit on it,
// asked for its details, or received a release of it, with when, purpose and case, and every user of this node who
// opened it, read from the audit log. Only the oversight role may ask, so nothing of this reaches the record's
// subject or the investigators. Oversight also reads the audit log itself, newest first and filtered, and has its
// integrity checked (AuditLog.verify).

import type { AuditLog } from "../audit/audit-log.ts";
import { type Alert, insiderThreatAlerts } from "../audit/insider-threat.ts";
import type { Principal } from "../policy/access.ts";
import { mayPerform } from "../policy/access.ts";
import type { AuditEntry, AuditQuery, AuditRepository } from "../store/audit-repository.ts";
import type { UserRepository } from "../store/user-repository.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "./entity-service.ts";

const ACCESS_KINDS = [
  "federation.hits-served",
  "exchange.request-received",
  "exchange.release-sent",
  "federation.notice-sent",
];
/** Reads of a record by this node's own users (the record, a statement, its neighbourhood or its timeline). */
const LOCAL_ACCESS_KINDS = ["record.read"];

export interface RecordAccess {
  at: string;
  kind: string;
  node: string;
  user: string;
  purpose?: string;
  caseReference?: string;
  auditEntry: number;
}

/** What oversight filters the audit log by; every filter given narrows the page. */
export interface AuditFilter {
  /** A kind ("auth.sign-in"), or every kind starting with a prefix written with a final "*" ("record.*"). */
  kind?: string | undefined;
  /** An actor as the log writes it ("user:<id>", "node:mx", "system"), or a username of this node. */
  actor?: string | undefined;
  /** ISO 8601 date or date-time: entries recorded at or after it. */
  from?: string | undefined;
  /** ISO 8601 date or date-time: entries recorded before it. */
  to?: string | undefined;
  /** The `next` of the previous page: only entries older than it. */
  before?: number | undefined;
  limit: number;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  /** For a user of this node: their username. */
  actorUsername?: string;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries checked (up to the first bad one). */
  entries: number;
  /** Signed tree heads checked. */
  heads: number;
  /** The first entry that no longer fits its hash or the heads signed before. */
  firstBadSeq?: number;
  reason?: string;
}

function isoTime(value: string | undefined, path: string): string | undefined {
  if (value === undefined) return undefined;
  const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/u.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new ValidationFailedError([{ path, code: "invalid_time", message: "an ISO 8601 date or date-time" }]);
  return new Date(time).toISOString();
}

/** How far back alerts look, and how much further back their baselines reach. */
const ALERT_DAYS = 7;
const BASELINE_DAYS = 90;

export class OversightService {
  constructor(
    private readonly audit: AuditRepository,
    /** This node's id, for the reads of its own users. */
    private readonly nodeId: string,
    private readonly clock: () => Date = () => new Date(),
    private readonly log?: AuditLog,
    private readonly users?: UserRepository,
  ) {}

  /** This node's usernames by user id. */
  private async usernames(): Promise<Map<string, string>> {
    return new Map((await this.users?.listUsers())?.map((user) => [user.id, user.username]) ?? []);
  }

  /** The audit log, newest first, a page at a time, as the filter narrows it. */
  async auditLog(principal: Principal, filter: AuditFilter): Promise<AuditPage> {
    if (!mayPerform(principal, "oversight:read")) throw new NotFoundOrNoAccessError();
    const query: AuditQuery = {
      from: isoTime(filter.from, "from"),
      to: isoTime(filter.to, "to"),
      before: filter.before,
      limit: filter.limit,
    };
    if (filter.kind?.endsWith("*")) query.kindPrefix = filter.kind.slice(0, -1);
    else query.kind = filter.kind;
    const users = await this.usernames();
    if (filter.actor !== undefined) {
      if (filter.actor.includes(":")) query.actor = filter.actor;
      else {
        const id = [...users].find(([, username]) => username === filter.actor)?.[0];
        // An unknown username has no entries; no actor is written "user:" alone.
        query.actor = `user:${id ?? ""}`;
      }
    }
    // Events appended before this request may still wait for their commit: read after it.
    await this.log?.size();
    const entries = await this.audit.search(query);
    const last = entries.at(-1);
    return {
      entries: entries.map((entry) => entryView(entry, users)),
      ...(entries.length === filter.limit && last && last.seq > 0 ? { next: last.seq } : {}),
    };
  }

  /** Recomputes every entry's hash and every signed head (AuditLog.verify) and says whether the log holds. */
  async verifyAudit(principal: Principal): Promise<AuditVerification> {
    if (!mayPerform(principal, "oversight:read") || !this.log) throw new NotFoundOrNoAccessError();
    const report = await this.log.verify();
    return {
      ok: report.problem === undefined && report.firstBadEntry === undefined,
      entries: report.entries,
      heads: report.heads,
      ...(report.firstBadEntry !== undefined ? { firstBadSeq: report.firstBadEntry } : {}),
      ...(report.problem !== undefined ? { reason: report.problem } : {}),
    };
  }

  /** Insider-threat alerts for the last week, against each user's baseline of the quarter before. */
  async alerts(principal: Principal): Promise<Alert[]> {
    if (!mayPerform(principal, "oversight:read")) throw new NotFoundOrNoAccessError();
    const now = this.clock().getTime();
    const since = new Date(now - ALERT_DAYS * 86_400_000).toISOString();
    const from = new Date(now - (ALERT_DAYS + BASELINE_DAYS) * 86_400_000).toISOString();
    return insiderThreatAlerts(await this.audit.since(from), since);
  }

  async whoSaw(principal: Principal, entityId: string): Promise<RecordAccess[]> {
    if (!mayPerform(principal, "oversight:read")) throw new NotFoundOrNoAccessError();
    // Reads appended before this request may still wait for their commit.
    await this.log?.size();
    const entries = await this.audit.mentioning(entityId, [...ACCESS_KINDS, ...LOCAL_ACCESS_KINDS]);
    const users = await this.usernames();
    return entries.flatMap((entry) => {
      const details = JSON.parse(entry.details) as {
        entities?: string[];
        target?: { id?: string };
        status?: number;
        user?: string;
        recipient?: string;
        purpose?: string;
        caseReference?: string;
      };
      if (LOCAL_ACCESS_KINDS.includes(entry.kind))
        // A read that was refused ("not found or no access") showed nothing.
        return details.target?.id === entityId && details.status === 200
          ? [
              {
                at: entry.at,
                kind: entry.kind,
                node: this.nodeId,
                user: users.get(entry.actor.replace(/^user:/u, "")) ?? entry.actor,
                auditEntry: entry.seq,
              },
            ]
          : [];
      if (!details.entities?.includes(entityId)) return [];
      return [
        {
          at: entry.at,
          kind: entry.kind,
          node: details.recipient ?? entry.actor.replace(/^node:/u, ""),
          user: details.user ?? "",
          ...(details.purpose !== undefined ? { purpose: details.purpose } : {}),
          ...(details.caseReference !== undefined ? { caseReference: details.caseReference } : {}),
          auditEntry: entry.seq,
        },
      ];
    });
  }
}

function entryView(entry: AuditEntry, users: Map<string, string>): AuditEntryView {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(entry.details);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) details = parsed as typeof details;
  } catch {
    // A damaged entry shows without details; verify names it.
  }
  const username = entry.actor.startsWith("user:") ? users.get(entry.actor.slice(5)) : undefined;
  return {
    seq: entry.seq,
    at: entry.at,
    kind: entry.kind,
    actor: entry.actor,
    ...(username !== undefined ? { actorUsername: username } : {}),
    details,
  };
}
