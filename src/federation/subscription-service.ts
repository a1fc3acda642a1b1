// Standing watches. A user subscribes to a person (a query, as for a search) with a legal basis, a purpose and an
// expiry of at most a year; every partner whose policy lets that user query it keeps the watch. When a partner
// later records something the watch matches, on what its markings let leave for the subscriber, it sends a
// notice like a step-one hit (reference, band, point of contact) through its outbox, once per record.

import { randomUUID } from "node:crypto";
import type { AuditLog } from "../audit/audit-log.ts";
import { matchRecordOf } from "../matching/entity-records.ts";
import { prepareRecord } from "../matching/prepare.ts";
import type { MatchRecord } from "../matching/record.ts";
import { scorePair } from "../matching/scoring.ts";
import { parseInstant } from "../model/dates.ts";
import type { EntityInput } from "../model/types.ts";
import type { PointOfContact } from "../node/config.ts";
import { mayPerform, type Principal, releasableEntity } from "../policy/access.ts";
import type { NodePolicy } from "../policy/node-policy.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../records/entity-service.ts";
import type { MatchService } from "../records/match-service.ts";
import type { EntityRepository } from "../store/entity-repository.ts";
import type { Subscription, SubscriptionNotice, SubscriptionRepository } from "../store/subscription-repository.ts";
import { callPartner, type PartnerStatus } from "./client.ts";
import type { Federation } from "./federation.ts";
import type { HitReferences } from "./hit-references.ts";
import type { Member } from "./manifest.ts";
import type { Outbox } from "./outbox.ts";
import { type PurposefulQuery, policyPrincipal } from "./search-service.ts";
import {
  assertionFor,
  SignatureRefusedError,
  signUserAssertion,
  type UserAssertion,
  verifyUserAssertion,
} from "./transport.ts";

export const WATCHES_PATH = "/federation/v1/watches";
export const NOTICES_PATH = "/federation/v1/notices";
const MAX_DAYS = 366;
/** A record at least "possible" for the watched person is worth a call. */
const NOTICE_THRESHOLD = 0.5;
const DEADLINE_MS = 5000;

export interface SubscribeRequest extends PurposefulQuery {
  legalBasis: string;
  /** ISO date-time, within a year. */
  expiresAt: string;
}

/** What one node sends another to set up a watch. */
export interface WatchBody {
  subscriptionId: string;
  query: { schema: string; properties: EntityInput["properties"] };
  legalBasis: string;
  purpose: string;
  caseReference: string;
  expiresAt: string;
  assertion: string;
}

export interface NoticeBody {
  subscriptionId: string;
  reference: string;
  band: "match" | "possible";
  pointOfContact: PointOfContact;
}

export class SubscriptionService {
  constructor(
    private readonly federation: Federation,
    private readonly subscriptions: SubscriptionRepository,
    private readonly matches: MatchService,
    private readonly entities: EntityRepository,
    private readonly references: HitReferences,
    private readonly outbox: Outbox,
    private readonly policy: NodePolicy,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  // ── subscriber ───────────────────────────────────────────────────────────────────────────────────────────

  async subscribe(
    principal: Principal,
    request: SubscribeRequest,
  ): Promise<Subscription & { partners: Array<{ nodeId: string; status: PartnerStatus; detail?: string }> }> {
    if (!mayPerform(principal, "federation:search")) throw new NotFoundOrNoAccessError();
    this.matches.queryRecord({ id: "query", schema: request.schema, properties: request.properties }, "subscription");
    const now = this.clock();
    const expires = parseInstant(request.expiresAt);
    if (Number.isNaN(expires) || expires <= now.getTime() || expires > now.getTime() + MAX_DAYS * 86_400_000)
      throw new ValidationFailedError([
        { path: "expiresAt", code: "invalid_expiry", message: `a date-time in the future, within ${MAX_DAYS} days` },
      ]);
    const subscription: Subscription = {
      id: randomUUID(),
      query: JSON.stringify({ schema: request.schema, properties: request.properties }),
      legal_basis: request.legalBasis,
      purpose: request.purpose,
      case_reference: request.caseReference,
      expires_at: new Date(expires).toISOString(),
      created_by: principal.userId,
      created_at: now.toISOString(),
    };
    await this.subscriptions.addSubscription(subscription);
    const config = this.federation.config;
    const user = assertionFor(principal, config, request.purpose, request.caseReference);
    const partners = await Promise.all(
      this.federation.partners().map(async (partner) => {
        const body: WatchBody = {
          subscriptionId: subscription.id,
          query: { schema: request.schema, properties: request.properties },
          legalBasis: request.legalBasis,
          purpose: request.purpose,
          caseReference: request.caseReference,
          expiresAt: subscription.expires_at,
          assertion: await signUserAssertion(this.federation.signer, partner.nodeId, user, this.clock()),
        };
        const outcome = await callPartner(this.federation, partner, WATCHES_PATH, body, DEADLINE_MS, this.clock);
        return outcome.status === "ok"
          ? { nodeId: partner.nodeId, status: outcome.status }
          : { nodeId: partner.nodeId, status: outcome.status, detail: outcome.detail };
      }),
    );
    return { ...subscription, partners };
  }

  /** The user's subscriptions (supervisors see all), each with the notices partners sent. */
  async mySubscriptions(principal: Principal): Promise<Array<Subscription & { notices: SubscriptionNotice[] }>> {
    if (!mayPerform(principal, "federation:search")) throw new NotFoundOrNoAccessError();
    const own = await this.subscriptions.subscriptionsBy(
      mayPerform(principal, "release:decide") ? undefined : principal.userId,
    );
    const notices = await this.subscriptions.noticesFor(own.map((s) => s.id));
    return own.map((s) => ({ ...s, notices: notices.filter((notice) => notice.subscription_id === s.id) }));
  }

  async receiveNotice(peer: Member, body: NoticeBody): Promise<{ received: string }> {
    // A notice for a subscription this node does not have is acknowledged and dropped: nothing to attach it to.
    if (await this.subscriptions.subscription(body.subscriptionId))
      await this.subscriptions.addNotice({
        subscription_id: body.subscriptionId,
        owner_node: peer.nodeId,
        reference: body.reference,
        band: body.band,
        point_of_contact: JSON.stringify(body.pointOfContact),
        received_at: this.clock().toISOString(),
      });
    return { received: body.subscriptionId };
  }

  // ── owner ────────────────────────────────────────────────────────────────────────────────────────────────

  /** A partner's watch over this node's records: kept if its user may query this node and it has a legal basis. */
  async receiveWatch(peer: Member, body: WatchBody): Promise<{ accepted: true; expiresAt: string }> {
    const now = this.clock();
    const user = await verifyUserAssertion(body.assertion, peer.nodeId, peer.publicKey, this.federation.nodeId, now);
    const context = { purpose: body.purpose, caseReference: body.caseReference, urgency: "other" };
    if (!body.legalBasis.trim() || !this.policy.mayQuery(policyPrincipal(peer, user), this.federation.nodeId, context))
      throw new SignatureRefusedError("policy-denied", "this node's policy does not let that user watch its records");
    // Checked and normalised now, so a bad query is refused rather than failing at every write.
    this.matches.queryRecord({ id: "query", schema: body.query.schema, properties: body.query.properties }, "watch");
    const latest = now.getTime() + MAX_DAYS * 86_400_000;
    const expiresAt = new Date(Math.min(parseInstant(body.expiresAt) || 0, latest)).toISOString();
    await this.subscriptions.addWatch({
      subscriber_node: peer.nodeId,
      subscription_id: body.subscriptionId,
      query: JSON.stringify(body.query),
      requester_user: JSON.stringify(user),
      legal_basis: body.legalBasis,
      purpose: body.purpose,
      case_reference: body.caseReference,
      expires_at: expiresAt,
      created_at: now.toISOString(),
    });
    return { accepted: true, expiresAt };
  }

  /** After this node recorded or changed a record: tells each subscriber whose watch it matches, once. */
  async recordChanged(entityId: string): Promise<void> {
    const now = this.clock().toISOString();
    const watches = await this.subscriptions.activeWatches(now);
    if (watches.length === 0) return;
    const [entity] = await this.entities.getEntities([entityId]);
    if (!entity) return;
    for (const watch of watches) {
      const subscriber = this.federation.member(watch.subscriber_node);
      if (!subscriber) continue;
      const user = JSON.parse(watch.requester_user) as UserAssertion;
      const visible = releasableEntity(
        {
          nodeId: subscriber.nodeId,
          agency: subscriber.agency,
          country: subscriber.country,
          cfr28Trained: user.cfr28Trained,
        },
        entity,
      );
      const record = visible ? matchRecordOf(visible, this.federation.config.country) : undefined;
      if (!record) continue;
      const query = JSON.parse(watch.query) as { schema: string; properties: EntityInput["properties"] };
      const wanted: MatchRecord = this.matches.queryRecord({ id: "query", ...query }, "watch");
      const score = scorePair(prepareRecord(wanted), prepareRecord(record));
      if (score.score < NOTICE_THRESHOLD) continue;
      if (!(await this.subscriptions.markNoticed(watch.subscriber_node, watch.subscription_id, entityId, now)))
        continue;
      const [reference = ""] = await this.references.issue(watch.subscriber_node, [entityId]);
      const notice: NoticeBody = {
        subscriptionId: watch.subscription_id,
        reference,
        band: score.band === "match" ? "match" : "possible",
        pointOfContact: this.federation.config.pointOfContact,
      };
      await this.outbox.send(watch.subscriber_node, NOTICES_PATH, notice);
      await this.audit.append({
        kind: "federation.notice-sent",
        actor: `node:${watch.subscriber_node}`,
        details: {
          user: user.username,
          userId: user.userId,
          purpose: watch.purpose,
          caseReference: watch.case_reference,
          legalBasis: watch.legal_basis,
          entities: [entityId],
        },
      });
    }
  }
}
