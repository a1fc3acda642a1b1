// Deconfliction: agencies register their targets and operations; each registration is checked against this node's
// own and sent to every partner, which checks it against theirs. A conflict puts a notice on both desks with the
// other side's point of contact and nothing of its case. Protected sources never leave their node in any form: a
// target, operation or search that touches one alerts its handler alone, and the partner receives either nothing
// or a notice indistinguishable from an ordinary target conflict, as the node's settings say. Every message to a
// partner goes through the outbox (stored, retried until acknowledged) and has one fixed size.

import { randomUUID } from "node:crypto";
import type { AuditLog } from "../audit/audit-log.ts";
import type { Federation } from "../federation/federation.ts";
import type { Member } from "../federation/manifest.ts";
import type { Outbox } from "../federation/outbox.ts";
import { MATCH_FIELDS } from "../matching/entity-records.ts";
import { parseInstant } from "../model/dates.ts";
import type { EntityInput } from "../model/types.ts";
import type { DeconflictionSettings, PointOfContact } from "../node/config.ts";
import { mayPerform, type Principal } from "../policy/access.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../records/entity-service.ts";
import type {
  DeconflictionRepository,
  NoticeRow,
  OperationRow,
  SourceRow,
  TargetRow,
} from "../store/deconfliction-repository.ts";
import { afterCommitOf, type TransactionScopes } from "../store/transaction-scope.ts";
import { type Area, validateArea } from "./geometry.ts";
import { OperationIndex } from "./operation-index.ts";
import { prepareSubject, TargetIndex, type TargetSubject, validateTargetSubject } from "./target-index.ts";

export const DECONFLICTION_CHECKS_PATH = "/federation/v1/deconfliction/checks";
export const DECONFLICTION_NOTICES_PATH = "/federation/v1/deconfliction/notices";

export const OPERATION_TYPES = [
  "search-warrant",
  "buy-bust",
  "controlled-delivery",
  "surveillance",
  "arrest",
  "undercover-meeting",
] as const;
export const RISK_LEVELS = ["low", "medium", "high"] as const;
export const OUTCOMES = ["joint-operation", "one-side-defers", "no-real-conflict"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const DEFAULT_DECONFLICTION: DeconflictionSettings = {
  bufferMeters: 500,
  bufferMinutes: 120,
  sourceConflictNotice: "desk",
};

/** Every notice a partner receives is padded to this many bytes of JSON, so its size tells nothing. */
export const NOTICE_BYTES = 1024;
/** Checks one partner may send in a minute; more are refused (and retried by its outbox later). */
export const CHECKS_PER_MINUTE = 600;

export type CheckedItem =
  | { kind: "target"; id: string; subject: TargetSubject }
  | { kind: "operation"; id: string; area: Area; startsAt: string; endsAt: string };

/** What a node sends each partner for every target or operation it registers. */
export interface CheckBody {
  checkId: string;
  item: CheckedItem;
  contact: PointOfContact;
}

/** What a partner receives about a conflict: whom to call about which of its items, and padding. */
export interface NoticeBody {
  noticeId: string;
  itemKind: "target" | "operation" | "search";
  itemId: string;
  contact: PointOfContact;
  padding: string;
}

export interface TargetInput {
  subject: TargetSubject;
  caseReference: string;
  contact: PointOfContact;
}

export interface OperationInput {
  type: (typeof OPERATION_TYPES)[number];
  area: Area;
  startsAt: string;
  endsAt: string;
  risk: (typeof RISK_LEVELS)[number];
  caseReference: string;
  contact: PointOfContact;
}

export interface SourceInput {
  subject: TargetSubject;
  area?: Area;
  /** The handling officer's user id on this node (default: whoever registers the source). */
  handlerUserId?: string;
}

export interface NoticeView {
  id: string;
  kind: "conflict" | "source-alert";
  itemKind: string;
  itemId: string | null;
  counterpartNode: string;
  counterpartContact: PointOfContact;
  createdAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  outcome: string | null;
  outcomeNote: string | null;
}

/** Answered with 429, like the HTTP rate limit: the outbox of the sending node tries again later. */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
}

interface Indexes {
  targets: TargetIndex;
  targetRows: Map<string, TargetRow>;
  operations: OperationIndex;
  operationRows: Map<string, OperationRow>;
  sources: TargetIndex;
  sourcePlaces: OperationIndex;
  sourceRows: Map<string, SourceRow>;
}

/** A source's places are "always": its window spans every operation. */
const ALWAYS = { start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER };

function invalid(path: string, message: string): ValidationFailedError {
  return new ValidationFailedError([{ path, code: "invalid_deconfliction", message }]);
}

export class DeconflictionService {
  private indexes: Promise<Indexes> | undefined;
  private readonly checksByPartner = new Map<string, number[]>();

  constructor(
    private readonly federation: Federation,
    private readonly repository: DeconflictionRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly settings: DeconflictionSettings,
    private readonly clock: () => Date = () => new Date(),
    /**
     * The database's transaction scopes: the indexes in memory follow a registration only once it is committed, and
     * scopes wait for the indexes to load.
     */
    private readonly transactions?: TransactionScopes,
  ) {}

  private get desk(): PointOfContact {
    return this.settings.desk ?? this.federation.config.pointOfContact;
  }

  private get rules() {
    return { bufferM: this.settings.bufferMeters, bufferMs: this.settings.bufferMinutes * 60_000 };
  }

  /** The in-memory indexes of what is active, built from the store on first use. */
  private ready(): Promise<Indexes> {
    this.indexes ??= (async () => {
      const now = this.clock().toISOString();
      const indexes: Indexes = {
        targets: new TargetIndex(),
        targetRows: new Map(),
        operations: new OperationIndex(),
        operationRows: new Map(),
        sources: new TargetIndex(),
        sourcePlaces: new OperationIndex(),
        sourceRows: new Map(),
      };
      for (const row of await this.repository.activeTargets()) this.indexTarget(indexes, row);
      for (const row of await this.repository.activeOperations(now)) this.indexOperation(indexes, row);
      for (const row of await this.repository.activeSources()) this.indexSource(indexes, row);
      return indexes;
    })();
    this.transactions?.waitFor(this.indexes);
    return this.indexes;
  }

  private indexTarget(indexes: Indexes, row: TargetRow): void {
    indexes.targets.add(row.id, JSON.parse(row.subject) as TargetSubject);
    indexes.targetRows.set(row.id, row);
  }

  private indexOperation(indexes: Indexes, row: OperationRow): void {
    const window = { start: Date.parse(row.starts_at), end: Date.parse(row.ends_at) };
    indexes.operations.add({ id: row.id, area: JSON.parse(row.area) as Area, ...window });
    indexes.operationRows.set(row.id, row);
  }

  private indexSource(indexes: Indexes, row: SourceRow): void {
    indexes.sources.add(row.id, JSON.parse(row.subject) as TargetSubject);
    if (row.area) indexes.sourcePlaces.add({ id: row.id, area: JSON.parse(row.area) as Area, ...ALWAYS });
    indexes.sourceRows.set(row.id, row);
  }

  // ── registering ────────────────────────────────────────────────────────────────────────────────────────────

  async registerTarget(principal: Principal, input: TargetInput): Promise<{ id: string }> {
    if (!mayPerform(principal, "deconfliction:register")) throw new NotFoundOrNoAccessError();
    const subject = prepareSubject(input.subject);
    if (typeof subject === "string") throw invalid("subject", subject);
    const row: TargetRow = {
      id: randomUUID(),
      kind: input.subject.kind,
      subject: JSON.stringify(input.subject),
      case_reference: input.caseReference,
      contact: JSON.stringify(input.contact),
      registered_by: principal.userId,
      created_at: this.clock().toISOString(),
      closed_at: null,
    };
    const indexes = await this.ready();
    await this.repository.addTarget(row);
    const item: CheckedItem = { kind: "target", id: row.id, subject: input.subject };
    // Against this node's own first: other cases' targets, and its sources.
    await this.checkAtHomeAndSend(
      row,
      indexes.targets.conflicts(subject).map((hit) => indexes.targetRows.get(hit.id)),
      indexes.sources.conflicts(subject).map((hit) => hit.id),
      item,
      input.contact,
    );
    await afterCommitOf(this.transactions, () => this.indexTarget(indexes, row));
    await this.audit.append({
      kind: "deconfliction.target-registered",
      actor: `user:${principal.userId}`,
      details: { target: row.id, kind: row.kind, caseReference: row.case_reference },
    });
    return { id: row.id };
  }

  async registerOperation(principal: Principal, input: OperationInput): Promise<{ id: string }> {
    if (!mayPerform(principal, "deconfliction:register")) throw new NotFoundOrNoAccessError();
    const problem = validateArea(input.area);
    if (problem) throw invalid("area", problem);
    const start = parseInstant(input.startsAt);
    const end = parseInstant(input.endsAt);
    if (Number.isNaN(start) || Number.isNaN(end) || end < start)
      throw invalid("endsAt", "startsAt and endsAt must be date-times, the end not before the start");
    const row: OperationRow = {
      id: randomUUID(),
      operation_type: input.type,
      area: JSON.stringify(input.area),
      starts_at: new Date(start).toISOString(),
      ends_at: new Date(end).toISOString(),
      risk: input.risk,
      case_reference: input.caseReference,
      contact: JSON.stringify(input.contact),
      registered_by: principal.userId,
      created_at: this.clock().toISOString(),
      closed_at: null,
    };
    const indexes = await this.ready();
    await this.repository.addOperation(row);
    const item: CheckedItem = {
      kind: "operation",
      id: row.id,
      area: input.area,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
    };
    await this.checkAtHomeAndSend(
      row,
      indexes.operations
        .conflicts({ area: input.area, start, end }, this.rules)
        .map((id) => indexes.operationRows.get(id)),
      indexes.sourcePlaces.conflicts({ area: input.area, start, end }, this.rules),
      item,
      input.contact,
    );
    await afterCommitOf(this.transactions, () => this.indexOperation(indexes, row));
    await this.audit.append({
      kind: "deconfliction.operation-registered",
      actor: `user:${principal.userId}`,
      details: { operation: row.id, type: row.operation_type, risk: row.risk, caseReference: row.case_reference },
    });
    return { id: row.id };
  }

  /** A confidential human source: kept on this node only, never sent, never shown to partners in any form. */
  async registerSource(principal: Principal, input: SourceInput): Promise<{ id: string }> {
    if (!mayPerform(principal, "source:manage")) throw new NotFoundOrNoAccessError();
    if (input.subject?.kind !== "person") throw invalid("subject", "a protected source is a person");
    const subjectProblem = validateTargetSubject(input.subject);
    if (subjectProblem) throw invalid("subject", subjectProblem);
    const areaProblem = input.area ? validateArea(input.area) : undefined;
    if (areaProblem) throw invalid("area", areaProblem);
    const row: SourceRow = {
      id: randomUUID(),
      subject: JSON.stringify(input.subject),
      area: input.area ? JSON.stringify(input.area) : null,
      handler_user_id: input.handlerUserId ?? principal.userId,
      registered_by: principal.userId,
      created_at: this.clock().toISOString(),
      closed_at: null,
    };
    const indexes = await this.ready();
    await this.repository.addSource(row);
    await afterCommitOf(this.transactions, () => this.indexSource(indexes, row));
    await this.audit.append({
      kind: "deconfliction.source-registered",
      actor: `user:${principal.userId}`,
      details: { source: row.id, handler: row.handler_user_id },
    });
    return { id: row.id };
  }

  async myTargets(principal: Principal): Promise<TargetRow[]> {
    if (!mayPerform(principal, "deconfliction:register")) throw new NotFoundOrNoAccessError();
    return this.repository.targetsBy(principal.userId, 500);
  }

  async myOperations(principal: Principal): Promise<OperationRow[]> {
    if (!mayPerform(principal, "deconfliction:register")) throw new NotFoundOrNoAccessError();
    return this.repository.operationsBy(principal.userId, 500);
  }

  /**
   * A new target or operation against this node's own (items of other cases, and sources), then sent to every
   * partner to be checked against theirs.
   */
  private async checkAtHomeAndSend(
    row: { id: string; contact: string; case_reference: string },
    conflicting: Array<{ id: string; contact: string; case_reference: string } | undefined>,
    sourceIds: string[],
    item: CheckedItem,
    contact: PointOfContact,
  ): Promise<void> {
    for (const other of conflicting)
      if (other && other.case_reference !== row.case_reference) await this.localConflict(item.kind, row, other);
    await this.alertHandlers(sourceIds, item, this.federation.nodeId, contact);
    await this.sendToPartners(item, contact);
  }

  // ── conflicts ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Two of this node's own items from different cases: a notice for each side, with the other's contact. */
  private async localConflict(
    kind: "target" | "operation",
    mine: { id: string; contact: string },
    theirs: { id: string; contact: string },
  ): Promise<void> {
    for (const [item, other] of [
      [mine, theirs],
      [theirs, mine],
    ] as const)
      await this.addNotice({
        audience: "desk",
        handler_user_id: null,
        item_kind: kind,
        item_id: item.id,
        counterpart_node: this.federation.nodeId,
        counterpart_contact: other.contact,
        remote_id: null,
      });
  }

  /** Each source's handler alone learns that someone touched it, and whom to call. */
  private async alertHandlers(
    sourceIds: string[],
    item: CheckedItem,
    fromNode: string,
    contact: PointOfContact,
  ): Promise<boolean> {
    const indexes = await this.ready();
    let alerted = false;
    for (const id of new Set(sourceIds)) {
      const source = indexes.sourceRows.get(id);
      if (!source) continue;
      alerted = true;
      await this.addNotice({
        audience: "handler",
        handler_user_id: source.handler_user_id,
        item_kind: "source",
        item_id: source.id,
        counterpart_node: fromNode,
        counterpart_contact: JSON.stringify(contact),
        remote_id: null,
      });
      // Oversight's probing alerts read these: who keeps touching sources, and with what.
      await this.audit.append({
        kind: "deconfliction.source-touched",
        actor: `node:${fromNode}`,
        details: { source: source.id, itemKind: item.kind, item: item.id },
      });
    }
    return alerted;
  }

  private async addNotice(
    row: Omit<NoticeRow, "id" | "created_at" | keyof NoticeDecision> & Partial<NoticeDecision>,
  ): Promise<boolean> {
    return this.repository.addNotice({
      id: randomUUID(),
      created_at: this.clock().toISOString(),
      acknowledged_by: null,
      acknowledged_at: null,
      outcome: null,
      outcome_note: null,
      decided_by: null,
      decided_at: null,
      ...row,
    });
  }

  private async sendToPartners(item: CheckedItem, contact: PointOfContact): Promise<void> {
    for (const partner of this.federation.partners()) {
      const body: CheckBody = { checkId: randomUUID(), item, contact };
      await this.outbox.send(partner.nodeId, DECONFLICTION_CHECKS_PATH, body);
    }
  }

  /** Sends a partner a notice about one of its items, padded to NOTICE_BYTES. */
  private async notifyPartner(
    partner: string,
    itemKind: NoticeBody["itemKind"],
    itemId: string,
    contact: PointOfContact,
  ): Promise<void> {
    const body: NoticeBody = { noticeId: randomUUID(), itemKind, itemId, contact, padding: "" };
    const size = Buffer.byteLength(JSON.stringify(body));
    body.padding = " ".repeat(Math.max(0, NOTICE_BYTES - size));
    await this.outbox.send(partner, DECONFLICTION_NOTICES_PATH, body);
  }

  /**
   * A partner's target or operation. Whatever it touches, the answer is the same; notices go out through the
   * outbox: for each of this node's conflicting targets or operations, its contact; for a protected source, the
   * desk's (or nothing), exactly like a target conflict.
   */
  async receiveCheck(peer: Member, body: CheckBody): Promise<{ accepted: true }> {
    this.countCheck(peer.nodeId);
    const indexes = await this.ready();
    const item = body.item;
    const conflicting: Array<{ id: string; contact: string }> = [];
    let sourceIds: string[];
    if (item.kind === "target") {
      const subject = prepareSubject(item.subject);
      if (typeof subject === "string") throw invalid("item.subject", subject);
      for (const hit of indexes.targets.conflicts(subject)) {
        const row = indexes.targetRows.get(hit.id);
        if (row) conflicting.push(row);
      }
      sourceIds = indexes.sources.conflicts(subject).map((hit) => hit.id);
    } else {
      const problem = validateArea(item.area);
      const window = { start: parseInstant(item.startsAt), end: parseInstant(item.endsAt) };
      if (problem) throw invalid("item.area", problem);
      if (Number.isNaN(window.start) || Number.isNaN(window.end) || window.end < window.start)
        throw invalid("item.startsAt", "startsAt and endsAt must be ISO 8601 date-times, the end not before the start");
      for (const id of indexes.operations.conflicts({ area: item.area, ...window }, this.rules)) {
        const row = indexes.operationRows.get(id);
        if (row) conflicting.push(row);
      }
      sourceIds = indexes.sourcePlaces.conflicts({ area: item.area, ...window }, this.rules);
    }
    await this.conflictsWithPartner(peer.nodeId, item.kind, item.id, body.contact, conflicting);
    if (await this.alertHandlers(sourceIds, item, peer.nodeId, body.contact))
      if (this.settings.sourceConflictNotice === "desk")
        await this.notifyPartner(peer.nodeId, item.kind, item.id, this.desk);
    return { accepted: true };
  }

  /**
   * A partner's search touched this node's targets or sources: the same treatment as a check, the searching node's
   * desk being the contact (its user is known to oversight from the search's own audit entry).
   */
  async searched(peer: Member, query: { schema: string; properties: EntityInput["properties"] }): Promise<void> {
    const searched = searchSubject(query);
    if (!searched) return;
    const subject = prepareSubject(searched);
    // A search's values that are no usable subject (a name of punctuation, say) are nothing to deconflict.
    if (typeof subject === "string") return;
    const indexes = await this.ready();
    const contact = peer.pointOfContact ?? { name: `${peer.agency} deconfliction desk`, email: "" };
    const searchId = randomUUID();
    const conflicting = indexes.targets
      .conflicts(subject)
      .map((hit) => indexes.targetRows.get(hit.id))
      .filter((row): row is TargetRow => row !== undefined);
    await this.conflictsWithPartner(peer.nodeId, "search", searchId, contact, conflicting);
    const item: CheckedItem = { kind: "target", id: searchId, subject: searched };
    const sourceIds = indexes.sources.conflicts(subject).map((hit) => hit.id);
    if (await this.alertHandlers(sourceIds, item, peer.nodeId, contact))
      if (this.settings.sourceConflictNotice === "desk")
        await this.notifyPartner(peer.nodeId, "search", searchId, this.desk);
  }

  private async conflictsWithPartner(
    partner: string,
    itemKind: NoticeBody["itemKind"],
    itemId: string,
    partnerContact: PointOfContact,
    mine: Array<{ id: string; contact: string }>,
  ): Promise<void> {
    for (const row of mine) {
      await this.addNotice({
        audience: "desk",
        handler_user_id: null,
        item_kind: itemKind === "operation" ? "operation" : "target",
        item_id: row.id,
        counterpart_node: partner,
        counterpart_contact: JSON.stringify(partnerContact),
        remote_id: null,
      });
      await this.notifyPartner(partner, itemKind, itemId, JSON.parse(row.contact) as PointOfContact);
      // Logged like a source touch, so both cost the same and oversight sees every conflict.
      await this.audit.append({
        kind: "deconfliction.conflict",
        actor: `node:${partner}`,
        details: { itemKind, item: itemId, mine: row.id },
      });
    }
  }

  /** A partner's notice about one of this node's items; kept once however often it is delivered. */
  async receiveNotice(peer: Member, body: NoticeBody): Promise<{ accepted: true }> {
    await this.addNotice({
      audience: "desk",
      handler_user_id: null,
      item_kind: body.itemKind,
      item_id: body.itemId,
      counterpart_node: peer.nodeId,
      counterpart_contact: JSON.stringify(body.contact),
      remote_id: body.noticeId,
    });
    return { accepted: true };
  }

  private countCheck(partner: string): void {
    const now = this.clock().getTime();
    const recent = (this.checksByPartner.get(partner) ?? []).filter((at) => at > now - 60_000);
    if (recent.length >= CHECKS_PER_MINUTE)
      throw new RateLimitedError(`more than ${CHECKS_PER_MINUTE} checks a minute`);
    recent.push(now);
    this.checksByPartner.set(partner, recent);
  }

  // ── the desk ───────────────────────────────────────────────────────────────────────────────────────────────

  /** The desk's notices, and the source alerts of which the user is the handler. */
  async notices(principal: Principal): Promise<NoticeView[]> {
    if (!mayPerform(principal, "deconfliction:desk")) throw new NotFoundOrNoAccessError();
    return (await this.repository.notices(principal.userId, 500)).map(noticeView);
  }

  private async visibleNotice(principal: Principal, id: string): Promise<NoticeRow> {
    if (!mayPerform(principal, "deconfliction:desk")) throw new NotFoundOrNoAccessError();
    const notice = await this.repository.notice(id);
    if (!notice || (notice.audience === "handler" && notice.handler_user_id !== principal.userId))
      throw new NotFoundOrNoAccessError();
    return notice;
  }

  async acknowledge(principal: Principal, id: string): Promise<NoticeView> {
    await this.visibleNotice(principal, id);
    await this.repository.acknowledge(id, principal.userId, this.clock().toISOString());
    return noticeView(await this.visibleNotice(principal, id));
  }

  async decide(principal: Principal, id: string, outcome: Outcome, note: string): Promise<NoticeView> {
    await this.visibleNotice(principal, id);
    if (!(OUTCOMES as readonly string[]).includes(outcome)) throw invalid("outcome", `one of ${OUTCOMES.join(", ")}`);
    const at = this.clock().toISOString();
    await this.repository.acknowledge(id, principal.userId, at);
    await this.repository.decide(id, outcome, note, principal.userId, at);
    await this.audit.append({
      kind: "deconfliction.outcome",
      actor: `user:${principal.userId}`,
      details: { notice: id, outcome },
    });
    return noticeView(await this.visibleNotice(principal, id));
  }
}

type NoticeDecision = Pick<
  NoticeRow,
  "acknowledged_by" | "acknowledged_at" | "outcome" | "outcome_note" | "decided_by" | "decided_at"
>;

function noticeView(row: NoticeRow): NoticeView {
  return {
    id: row.id,
    kind: row.audience === "handler" ? "source-alert" : "conflict",
    itemKind: row.item_kind,
    itemId: row.item_id,
    counterpartNode: row.counterpart_node,
    counterpartContact: JSON.parse(row.counterpart_contact) as PointOfContact,
    createdAt: row.created_at,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    outcome: row.outcome,
    outcomeNote: row.outcome_note,
  };
}

/** A searched person as a target subject (other schemata are not deconflicted on search). */
function searchSubject(query: { schema: string; properties: EntityInput["properties"] }): TargetSubject | undefined {
  const fields = MATCH_FIELDS[query.schema];
  if (!fields || query.schema !== "Person") return undefined;
  const values: Record<string, string[]> = {};
  for (const [property, raw] of Object.entries(query.properties)) {
    const field = fields[property];
    if (!field) continue;
    const list = (Array.isArray(raw) ? raw : [raw])
      .map((value) => (typeof value === "object" && value !== null ? value.value : value))
      .filter((value): value is string | number => typeof value === "string" || typeof value === "number")
      .map(String);
    values[field] = [...(values[field] ?? []), ...list];
  }
  return { kind: "person", values };
}
