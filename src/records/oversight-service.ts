// Oversight: who saw a record. For one of the node's records, every partner user that was served a hit on it,
// asked for its details, or received a release of it, with when, purpose and case, read from the audit log. Only
// the oversight role may ask, so nothing of this reaches the record's subject or the investigators.

import { type Alert, insiderThreatAlerts } from "../audit/insider-threat.ts";
import type { Principal } from "../policy/access.ts";
import { mayPerform } from "../policy/access.ts";
import type { AuditRepository } from "../store/audit-repository.ts";
import { NotFoundOrNoAccessError } from "./entity-service.ts";

const ACCESS_KINDS = [
  "federation.hits-served",
  "exchange.request-received",
  "exchange.release-sent",
  "federation.notice-sent",
];

export interface RecordAccess {
  at: string;
  kind: string;
  node: string;
  user: string;
  purpose?: string;
  caseReference?: string;
  auditEntry: number;
}

/** How far back alerts look, and how much further back their baselines reach. */
const ALERT_DAYS = 7;
const BASELINE_DAYS = 90;

export class OversightService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

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
    const entries = await this.audit.mentioning(entityId, ACCESS_KINDS);
    return entries.flatMap((entry) => {
      const details = JSON.parse(entry.details) as {
        entities?: string[];
        user?: string;
        recipient?: string;
        purpose?: string;
        caseReference?: string;
      };
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
