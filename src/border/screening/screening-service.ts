// Port-of-entry screening on one node: lookouts (its own, and its partners' from a local cache that a background sync
// keeps, so a decision never waits on a partner), the screening of crossings one at a time or up to 10,000 at once,
// the referral queue with what inspection found, and the suppression list of confirmed false matches (an officer or
// supervisor proposes, another supervisor confirms; a supervisor removes one, which brings its hits back).
//
// Screening writes nothing per crossing: a request is decided in memory, then its referred crossings are stored in one
// insert and one audit entry records the count, the referred crossings and the random inspections. A request with one
// bad crossing is refused whole, naming it, before anything is decided, observed or written.

import { randomUUID } from "node:crypto";
import type { AuditLog } from "../../audit/audit-log.ts";
import type { Federation } from "../../federation/federation.ts";
import type { Member } from "../../federation/manifest.ts";
import { parseInstant } from "../../model/dates.ts";
import { resolveMarkings } from "../../model/markings.ts";
import type { Markings } from "../../model/types.ts";
import type { PointOfContact } from "../../node/config.ts";
import { markingsReleasableToPartner, mayPerform, type Principal } from "../../policy/access.ts";
import type { Action } from "../../policy/roles.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../../records/entity-service.ts";
import type {
  BorderRepository,
  LookoutRow,
  PartnerLookoutRow,
  ReferralRow,
  SuppressionRow,
} from "../../store/border-repository.ts";
import { afterCommitOf, type TransactionScopes } from "../../store/transaction-scope.ts";
import {
  type CoordinatedArrivals,
  type Crossing,
  type ExpressEligibility,
  LANES,
  type ScreeningDecision,
  type Traveller,
} from "../model.ts";
import { LookoutIndex, lookoutKey } from "./lookout-index.ts";
import {
  type LookoutInput,
  type LookoutSubject,
  lookoutSubjectProblem,
  MAX_LOOKOUT_DAYS,
  minimalSubject,
  type PartnerLookout,
  SEVERITIES,
  type Severity,
} from "./lookouts.ts";
import { LOOKOUT_PAGE, type PartnerLookoutPage, PartnerLookoutSync, type SyncReport } from "./partner-sync.ts";
import { DEFAULT_RULES, type ScreeningRules } from "./rules.ts";
import { Screener } from "./screener.ts";
import { isProblem, type PreparedCrossing, prepareCrossing, type SubjectProblem } from "./subjects.ts";
import { identityKey, SuppressionList } from "./suppressions.ts";

/** Crossings one request may screen. */
export const MAX_BATCH = 10_000;
export const OUTCOMES = ["found", "nothing-found", "false-match"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const SUPPRESSION_STATUSES = ["pending", "active", "removed"] as const;

const DAY_MS = 86_400_000;

/** A crossing that cannot be screened: which one (its place in the request) and which of its fields. */
export class CrossingRefusedError extends ValidationFailedError {
  constructor(
    readonly index: number,
    readonly field: string,
    message: string,
  ) {
    super([
      { path: field ? `crossings[${index}].${field}` : `crossings[${index}]`, code: "invalid_crossing", message },
    ]);
  }
}

export interface ScreeningServiceOptions {
  federation: Federation;
  repository: BorderRepository;
  audit: AuditLog;
  /** The secret the random inspection floor is drawn from (a node uses its private key). */
  inspectionSeed: string;
  rules?: ScreeningRules;
  clock?: () => Date;
  /** Lookouts filed before the store's are added (a benchmark's synthetic million). */
  index?: LookoutIndex;
  coordinatedArrivals?: CoordinatedArrivals | undefined;
  expressEligibility?: ExpressEligibility | undefined;
  /**
   * The database's transaction scopes: the lookout index and the suppression list in memory follow a change only
   * once it is committed, and scopes wait for the lookouts and suppressions to load.
   */
  transactions?: TransactionScopes | undefined;
}

export interface LookoutView {
  id: string;
  version: number;
  subject: LookoutSubject;
  reason: string;
  severity: Severity;
  caseReference: string;
  expiresAt: string;
  markings: Markings;
  contact: PointOfContact;
  registeredBy: string;
  createdAt: string;
}

export interface PartnerLookoutView extends PartnerLookout {
  owner: string;
  receivedAt: string;
}

/** Whom an officer calls about a lookout in a referral's reasons. */
export interface LookoutContact {
  lookoutId: string;
  owner?: string;
  contact: PointOfContact;
}

export interface ReferralView {
  id: string;
  crossing: Crossing;
  decision: ScreeningDecision;
  screenedAt: string;
  contacts: LookoutContact[];
  outcome: string | null;
  outcomeNote: string | null;
  outcomeBy: string | null;
  outcomeAt: string | null;
}

export interface SuppressionInput {
  lookoutId: string;
  /** The partner that owns the lookout; absent for this node's own. */
  owner?: string;
  /** Known by their travel document, or without one by name and birth date. */
  traveller: Pick<Traveller, "name" | "birthDate" | "document">;
  reason: string;
  referralId?: string;
}

export interface SuppressionView {
  id: string;
  lookoutId: string;
  owner?: string;
  /** The traveller's identity key: "document:<country>:<number>" or "person:<folded name>:<birth date>". */
  identity: string;
  status: string;
  reason: string;
  referralId: string | null;
  proposedBy: string;
  proposedAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  removedBy: string | null;
  removedAt: string | null;
}

export interface OutcomeInput {
  outcome: Outcome;
  note?: string;
  /** For a false match: the lookouts and travellers (their place in the crossing) to propose suppressing. */
  suppress?: Array<{ lookoutId: string; owner?: string; traveller: number }>;
}

const invalid = (path: string, message: string) =>
  new ValidationFailedError([{ path, code: "invalid_border_input", message }]);

/**
 * The crossing's subjects prepared for screening, or the first thing in it screening cannot use (what its JSON schema
 * cannot say, and a caller's slips).
 */
function checkCrossing(crossing: Crossing): PreparedCrossing | SubjectProblem {
  if (typeof crossing?.id !== "string" || crossing.id === "") return { field: "id", message: "a crossing needs an id" };
  if (typeof crossing.port !== "string" || crossing.port === "") return { field: "port", message: "a port code" };
  if (!(LANES as readonly unknown[]).includes(crossing.lane))
    return { field: "lane", message: `one of ${LANES.join(", ")}` };
  if (typeof crossing.time !== "string" || Number.isNaN(Date.parse(crossing.time)))
    return { field: "time", message: "an ISO 8601 date-time" };
  if (!Array.isArray(crossing.people)) return { field: "people", message: "a list of travellers" };
  return prepareCrossing(crossing);
}

function lookoutView(row: LookoutRow): LookoutView {
  return {
    id: row.id,
    version: row.version,
    subject: JSON.parse(row.subject) as LookoutSubject,
    reason: row.reason,
    severity: row.severity as Severity,
    caseReference: row.case_reference,
    expiresAt: row.expires_at,
    markings: JSON.parse(row.markings) as Markings,
    contact: JSON.parse(row.contact) as PointOfContact,
    registeredBy: row.registered_by,
    createdAt: row.created_at,
  };
}

function partnerLookoutView(row: PartnerLookoutRow): PartnerLookoutView {
  return {
    id: row.lookout_id,
    owner: row.owner,
    subject: JSON.parse(row.subject) as LookoutSubject,
    severity: row.severity as Severity,
    expiresAt: row.expires_at,
    tlp: row.tlp as PartnerLookout["tlp"],
    contact: JSON.parse(row.contact) as PointOfContact,
    receivedAt: row.received_at,
  };
}

function suppressionView(row: SuppressionRow): SuppressionView {
  return {
    id: row.id,
    lookoutId: row.lookout_id,
    ...(row.owner ? { owner: row.owner } : {}),
    identity: row.identity_key,
    status: row.status,
    reason: row.reason,
    referralId: row.referral_id,
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    confirmedBy: row.confirmed_by,
    confirmedAt: row.confirmed_at,
    removedBy: row.removed_by,
    removedAt: row.removed_at,
  };
}

export class ScreeningService {
  private readonly index: LookoutIndex;
  private readonly suppressions = new SuppressionList();
  private readonly screener: Screener;
  private readonly sync: PartnerLookoutSync;
  private readonly clock: () => Date;
  private loading: Promise<void> | undefined;
  /** Lookout writes, one after another: each takes the next version. */
  private writes: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private background: Promise<unknown> | undefined;

  constructor(private readonly options: ScreeningServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.index = options.index ?? new LookoutIndex();
    this.screener = new Screener({
      index: this.index,
      rules: options.rules ?? DEFAULT_RULES,
      suppressions: this.suppressions,
      inspectionSeed: options.inspectionSeed,
      coordinatedArrivals: options.coordinatedArrivals,
      expressEligibility: options.expressEligibility,
    });
    this.sync = new PartnerLookoutSync(options.federation, options.repository, this.index, options.audit, this.clock);
  }

  private get rules(): ScreeningRules {
    return this.screener.rules;
  }

  private get repository(): BorderRepository {
    return this.options.repository;
  }

  private allow(principal: Principal, action: Action): void {
    if (!mayPerform(principal, action)) throw new NotFoundOrNoAccessError();
  }

  private log(principal: Principal, kind: string, details: Record<string, unknown>): Promise<number> {
    return this.options.audit.append({ kind, actor: `user:${principal.userId}`, details });
  }

  /** Files the stored lookouts (live ones, own and partners') and the suppressions in force; once it succeeds. */
  ready(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const now = this.clock().toISOString();
      for (const row of await this.repository.liveLookouts(now))
        this.index.add(row.id, undefined, row.severity as Severity, row.expires_at, JSON.parse(row.subject));
      for (const row of await this.repository.partnerLookouts(now))
        this.index.add(row.lookout_id, row.owner, row.severity as Severity, row.expires_at, JSON.parse(row.subject));
      for (const row of await this.repository.activeSuppressions())
        this.suppressions.add(lookoutKey(row.lookout_id, row.owner || undefined), row.identity_key, row.id);
    })().catch((error: unknown) => {
      // Tried again on the next use.
      this.loading = undefined;
      throw error;
    });
    this.options.transactions?.waitFor(this.loading);
    return this.loading;
  }

  /** Runs `work` (a change to the state in memory) once the caller's transaction commits; at once outside one. */
  private afterCommit(work: () => void): Promise<void> {
    return afterCommitOf(this.options.transactions, work);
  }

  /** Every `intervalMs`: reads partners' changed lookouts into the cache, and drops what expired. */
  watch(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.background ??= this.syncPartners()
        .then(() => this.prune())
        .catch(() => {
          // a partner that did not answer is asked again at the next tick
        })
        .finally(() => {
          this.background = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.background;
  }

  // ── lookouts ───────────────────────────────────────────────────────────────────────────────────────────────

  private serially<T>(write: () => Promise<T>): Promise<T> {
    const run = this.writes.then(write, write);
    this.writes = run.catch(() => {});
    return run;
  }

  async registerLookout(principal: Principal, input: LookoutInput): Promise<{ id: string; version: number }> {
    this.allow(principal, "border:supervise");
    const problem = lookoutSubjectProblem(input.subject ?? {});
    if (problem) throw invalid(problem.field, problem.message);
    if (!(SEVERITIES as readonly unknown[]).includes(input.severity))
      throw invalid("severity", `one of ${SEVERITIES.join(", ")}`);
    const now = this.clock();
    const expires = parseInstant(input.expiresAt);
    if (!(expires > now.getTime() && expires <= now.getTime() + MAX_LOOKOUT_DAYS * DAY_MS))
      throw invalid("expiresAt", `a date-time after now and at most ${MAX_LOOKOUT_DAYS} days ahead`);
    const config = this.options.federation.config;
    const resolved = resolveMarkings(
      [config.defaultMarkings, input.markings],
      now.toISOString().slice(0, 10),
      "markings",
    );
    if (!resolved.markings) throw new ValidationFailedError(resolved.issues);
    const subject = minimalSubject(input.subject);
    const row: Omit<LookoutRow, "version"> = {
      id: randomUUID(),
      subject: JSON.stringify(subject),
      reason: input.reason,
      severity: input.severity,
      case_reference: input.caseReference,
      expires_at: new Date(expires).toISOString(),
      markings: JSON.stringify(resolved.markings),
      contact: JSON.stringify(input.contact ?? config.pointOfContact),
      registered_by: principal.userId,
      created_at: now.toISOString(),
      withdrawn_by: null,
      withdrawn_at: null,
    };
    await this.ready();
    const version = await this.serially(() => this.repository.addLookout(row));
    await this.afterCommit(() => this.index.add(row.id, undefined, input.severity, row.expires_at, subject));
    await this.log(principal, "border.lookout-registered", {
      lookout: row.id,
      version,
      severity: row.severity,
      caseReference: row.case_reference,
      tlp: resolved.markings.tlp,
    });
    return { id: row.id, version };
  }

  /** Withdraws one of this node's lookouts: screening stops at once, partners drop it at their next sync. */
  async withdrawLookout(principal: Principal, id: string): Promise<{ id: string; version: number }> {
    this.allow(principal, "border:supervise");
    await this.ready();
    const version = await this.serially(() =>
      this.repository.withdrawLookout(id, principal.userId, this.clock().toISOString()),
    );
    if (version === undefined) throw new NotFoundOrNoAccessError();
    await this.afterCommit(() => this.index.remove(id, undefined));
    await this.log(principal, "border.lookout-withdrawn", { lookout: id, version });
    return { id, version };
  }

  /** This node's live lookouts, or the partners' in the cache; newest first. */
  async lookouts(
    principal: Principal,
    source: "local" | "partners",
    limit: number,
  ): Promise<LookoutView[] | PartnerLookoutView[]> {
    this.allow(principal, "border:supervise");
    const now = this.clock().toISOString();
    return source === "local"
      ? (await this.repository.liveLookouts(now, limit)).map(lookoutView)
      : (await this.repository.partnerLookouts(now, undefined, limit)).map(partnerLookoutView);
  }

  // ── partners ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The lookouts a partner may receive that changed after version `since`: live ones as partners see them, and
   * withdrawn ones by id. What its markings keep home is never sent, not even its id.
   */
  async lookoutsForPartner(peer: Member, since: number): Promise<PartnerLookoutPage> {
    const viewer = { nodeId: peer.nodeId, agency: peer.agency, country: peer.country, cfr28Trained: false };
    const rows = await this.repository.lookoutsSince(since, LOOKOUT_PAGE);
    const now = this.clock().toISOString();
    const page: PartnerLookoutPage = {
      lookouts: [],
      removed: [],
      next: rows.at(-1)?.version ?? since,
      more: rows.length === LOOKOUT_PAGE,
    };
    for (const row of rows) {
      const markings = JSON.parse(row.markings) as Markings;
      if (!markingsReleasableToPartner(markings, viewer)) continue;
      if (row.withdrawn_at) page.removed.push(row.id);
      else if (row.expires_at > now)
        page.lookouts.push({
          id: row.id,
          subject: JSON.parse(row.subject) as LookoutSubject,
          severity: row.severity as Severity,
          expiresAt: row.expires_at,
          tlp: markings.tlp,
          contact: JSON.parse(row.contact) as PointOfContact,
        });
    }
    if (page.lookouts.length + page.removed.length > 0)
      await this.options.audit.append({
        kind: "border.lookouts-shared",
        actor: `node:${peer.nodeId}`,
        details: { lookouts: page.lookouts.map((lookout) => lookout.id), removed: page.removed },
      });
    return page;
  }

  /** Reads every partner's changed lookouts into the cache now. */
  async syncPartners(): Promise<SyncReport[]> {
    await this.ready();
    return this.sync.syncAll();
  }

  /** Takes expired lookouts out of the index, and expired partners' lookouts out of the cache. */
  async prune(): Promise<void> {
    const now = this.clock();
    for (const lookout of this.index.expired(now.getTime())) this.index.remove(lookout.id, lookout.owner);
    await this.repository.deleteExpiredPartnerLookouts(now.toISOString());
  }

  // ── screening ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Decisions for the crossings, in order; refuses the whole request, naming the first bad crossing, if one is. */
  async screen(principal: Principal, crossings: Crossing[]): Promise<ScreeningDecision[]> {
    this.allow(principal, "border:screen");
    if (crossings.length > MAX_BATCH)
      throw new CrossingRefusedError(MAX_BATCH, "", `at most ${MAX_BATCH} crossings in one request`);
    const subjects: PreparedCrossing[] = [];
    for (const [index, crossing] of crossings.entries()) {
      const checked = checkCrossing(crossing);
      if (isProblem(checked)) throw new CrossingRefusedError(index, checked.field, checked.message);
      subjects.push(checked);
    }
    await this.ready();
    const now = this.clock();
    const decisions = crossings.map((crossing, index) =>
      this.screener.decide(crossing, now.getTime(), subjects[index]),
    );
    const referrals: ReferralRow[] = [];
    let randomInspections = 0;
    for (const [index, decision] of decisions.entries()) {
      if (decision.randomInspection) randomInspections++;
      if (decision.refer)
        referrals.push({
          id: randomUUID(),
          crossing_id: decision.crossingId,
          port: (crossings[index] as Crossing).port,
          screened_at: now.toISOString(),
          screened_by: principal.userId,
          crossing: JSON.stringify(crossings[index]),
          decision: JSON.stringify(decision),
          outcome: null,
          outcome_note: null,
          outcome_by: null,
          outcome_at: null,
        });
    }
    await Promise.all([
      this.repository.addReferrals(referrals),
      this.log(principal, "border.screen", {
        crossings: crossings.length,
        referred: referrals.map((row) => row.crossing_id),
        randomInspections,
        rulesVersion: this.rules.version,
      }),
    ]);
    return decisions;
  }

  // ── referrals ──────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Referred crossings, newest screened first (those of one batch by their arrival, latest first), at one port or
   * all, with whom to call about each lookout in their reasons.
   */
  async referrals(principal: Principal, port: string | undefined, limit: number): Promise<ReferralView[]> {
    this.allow(principal, "border:screen");
    const contacts = new Map<string, PointOfContact | undefined>();
    const views: ReferralView[] = [];
    for (const row of await this.repository.referrals(port, limit)) views.push(await this.referralView(row, contacts));
    return views.sort(
      (a, b) => b.screenedAt.localeCompare(a.screenedAt) || Date.parse(b.crossing.time) - Date.parse(a.crossing.time),
    );
  }

  private async referralView(
    row: ReferralRow,
    known = new Map<string, PointOfContact | undefined>(),
  ): Promise<ReferralView> {
    const decision = JSON.parse(row.decision) as ScreeningDecision;
    const contacts: LookoutContact[] = [];
    for (const { lookoutId, owner } of decision.reasons) {
      if (!lookoutId) continue;
      const key = lookoutKey(lookoutId, owner);
      if (!known.has(key)) {
        const stored = owner
          ? await this.repository.partnerLookout(owner, lookoutId)
          : await this.repository.lookout(lookoutId);
        known.set(key, stored && (JSON.parse(stored.contact) as PointOfContact));
      }
      const contact = known.get(key);
      if (contact) contacts.push({ lookoutId, ...(owner ? { owner } : {}), contact });
    }
    return {
      id: row.id,
      crossing: JSON.parse(row.crossing) as Crossing,
      decision,
      screenedAt: row.screened_at,
      contacts,
      outcome: row.outcome,
      outcomeNote: row.outcome_note,
      outcomeBy: row.outcome_by,
      outcomeAt: row.outcome_at,
    };
  }

  /**
   * What secondary inspection found, once per referral. A false match may propose suppressing lookouts of its reasons
   * for travellers of the crossing; the proposals wait for a supervisor.
   */
  async recordOutcome(
    principal: Principal,
    id: string,
    input: OutcomeInput,
  ): Promise<{ referral: ReferralView; suppressions: SuppressionView[] }> {
    this.allow(principal, "border:screen");
    const row = await this.repository.referral(id);
    if (!row) throw new NotFoundOrNoAccessError();
    if (!(OUTCOMES as readonly unknown[]).includes(input.outcome))
      throw invalid("outcome", `one of ${OUTCOMES.join(", ")}`);
    const suppress = input.suppress ?? [];
    if (suppress.length > 0 && input.outcome !== "false-match")
      throw invalid("suppress", "only a false match proposes suppressions");
    const crossing = JSON.parse(row.crossing) as Crossing;
    const decision = JSON.parse(row.decision) as ScreeningDecision;
    if (row.outcome) throw invalid("outcome", "an outcome was already recorded for this referral");
    // Every proposal is checked before anything is written.
    const proposals: SuppressionRow[] = [];
    for (const [position, item] of suppress.entries()) {
      const traveller = crossing.people[item.traveller];
      if (!traveller) throw invalid(`suppress[${position}].traveller`, "no such traveller in the crossing");
      if (!decision.reasons.some((reason) => reason.lookoutId === item.lookoutId && reason.owner === item.owner))
        throw invalid(`suppress[${position}].lookoutId`, "the lookout is not among the referral's reasons");
      proposals.push(
        await this.newSuppression(principal, {
          lookoutId: item.lookoutId,
          ...(item.owner ? { owner: item.owner } : {}),
          traveller,
          reason: input.note ?? "a false match found at secondary inspection",
          referralId: id,
        }),
      );
    }
    const at = this.clock().toISOString();
    if (!(await this.repository.recordOutcome(id, input.outcome, input.note ?? null, principal.userId, at)))
      throw invalid("outcome", "an outcome was already recorded for this referral");
    const suppressions: SuppressionView[] = [];
    for (const proposal of proposals) suppressions.push(await this.addSuppression(principal, proposal));
    await this.log(principal, "border.referral-outcome", {
      referral: id,
      crossing: row.crossing_id,
      outcome: input.outcome,
      suppressions: suppressions.map((suppression) => suppression.id),
    });
    const updated = (await this.repository.referral(id)) as ReferralRow;
    return { referral: await this.referralView(updated), suppressions };
  }

  // ── suppressions ───────────────────────────────────────────────────────────────────────────────────────────

  /** Proposes that a lookout's hits on a traveller are a false match; a supervisor other than the proposer confirms. */
  async proposeSuppression(principal: Principal, input: SuppressionInput): Promise<SuppressionView> {
    this.allow(principal, "border:screen");
    return this.addSuppression(principal, await this.newSuppression(principal, input));
  }

  /** A proposal checked and ready to store: a known lookout, an identifiable traveller, not suppressed already. */
  private async newSuppression(principal: Principal, input: SuppressionInput): Promise<SuppressionRow> {
    const identity = identityKey(input.traveller);
    if (!identity)
      throw invalid("traveller", "a travel document, or a name with a birth date, identifies the traveller");
    await this.ready();
    const known = input.owner
      ? this.index.has(input.lookoutId, input.owner)
      : (await this.repository.lookout(input.lookoutId)) !== undefined;
    if (!known) throw new NotFoundOrNoAccessError();
    const inForce = this.suppressions.find(lookoutKey(input.lookoutId, input.owner), [identity]);
    if (inForce) throw invalid("lookoutId", `already suppressed for this traveller (suppression ${inForce})`);
    return {
      id: randomUUID(),
      lookout_id: input.lookoutId,
      owner: input.owner ?? "",
      identity_key: identity,
      status: "pending",
      reason: input.reason,
      referral_id: input.referralId ?? null,
      proposed_by: principal.userId,
      proposed_at: this.clock().toISOString(),
      confirmed_by: null,
      confirmed_at: null,
      removed_by: null,
      removed_at: null,
    };
  }

  private async addSuppression(principal: Principal, row: SuppressionRow): Promise<SuppressionView> {
    await this.repository.addSuppression(row);
    await this.log(principal, "border.suppression-proposed", {
      suppression: row.id,
      lookout: row.lookout_id,
      ...(row.owner ? { owner: row.owner } : {}),
      referral: row.referral_id,
    });
    return suppressionView(row);
  }

  private async suppression(principal: Principal, id: string): Promise<SuppressionRow> {
    this.allow(principal, "border:supervise");
    const row = await this.repository.suppression(id);
    if (!row) throw new NotFoundOrNoAccessError();
    return row;
  }

  /** Puts a proposed suppression in force: the lookout's hits on that traveller count no more. */
  async confirmSuppression(principal: Principal, id: string): Promise<SuppressionView> {
    const row = await this.suppression(principal, id);
    if (row.proposed_by === principal.userId)
      throw invalid("confirmedBy", "a supervisor other than the one who proposed it confirms a suppression");
    await this.ready();
    const key = lookoutKey(row.lookout_id, row.owner || undefined);
    const inForce = this.suppressions.find(key, [row.identity_key]);
    if (inForce) throw invalid("status", `the same suppression is already in force (suppression ${inForce})`);
    if (!(await this.repository.confirmSuppression(id, principal.userId, this.clock().toISOString())))
      throw invalid("status", `the suppression is ${row.status}, not pending`);
    await this.afterCommit(() => this.suppressions.add(key, row.identity_key, row.id));
    await this.log(principal, "border.suppression-confirmed", { suppression: id, lookout: row.lookout_id });
    return suppressionView((await this.repository.suppression(id)) as SuppressionRow);
  }

  /** A supervisor's override: removes a suppression (proposed or in force), so the lookout's hits count again. */
  async removeSuppression(principal: Principal, id: string): Promise<SuppressionView> {
    const row = await this.suppression(principal, id);
    await this.ready();
    if (!(await this.repository.removeSuppression(id, principal.userId, this.clock().toISOString())))
      throw invalid("status", "the suppression was already removed");
    if (row.status === "active")
      await this.afterCommit(() =>
        this.suppressions.remove(lookoutKey(row.lookout_id, row.owner || undefined), row.identity_key),
      );
    await this.log(principal, "border.suppression-removed", {
      suppression: id,
      lookout: row.lookout_id,
      was: row.status,
    });
    return suppressionView((await this.repository.suppression(id)) as SuppressionRow);
  }

  async listSuppressions(principal: Principal, status: string | undefined, limit: number): Promise<SuppressionView[]> {
    this.allow(principal, "border:supervise");
    return (await this.repository.suppressions(status, limit)).map(suppressionView);
  }
}
