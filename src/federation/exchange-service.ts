// Step two of the exchange. A user asks the owner of a hit for its details, with a justification; the owner's
// supervisors decide from a queue (approve, approve with properties redacted, or deny with a reason) against a
// response clock that escalates when it runs out. An approved release is built from what the owner's markings let
// leave for the requester, signed by the owner node, marked for its recipient, and delivered through the outbox;
// the requester checks the signature and keeps it with every statement's provenance and markings, so "lead only"
// and "not for court" travel with the data. The marks and tracing a leaked copy back to its release are in
// watermark.ts.
import { createHmac, randomUUID } from "node:crypto";
import type { AuditLog } from "../audit/audit-log.ts";
import { signCompact, verifyCompact } from "../crypto/jws.ts";
import { propertyType } from "../model/property-types.ts";
import { getSchema } from "../model/schema.ts";
import type { Statement } from "../model/types.ts";
import {
  mayPerform,
  mayReadStatement,
  type PartnerViewer,
  type Principal,
  releasableEntity,
} from "../policy/access.ts";
import type { NodePolicy } from "../policy/node-policy.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../records/entity-service.ts";
import type { ReleasedRecord } from "../records/graph-service.ts";
import type { EntityRepository } from "../store/entity-repository.ts";
import type {
  ExchangeRepository,
  IncomingRequest,
  OutgoingRequest,
  SentRelease,
} from "../store/exchange-repository.ts";
import { callPartner } from "./client.ts";
import type { Federation } from "./federation.ts";
import type { HitReferences } from "./hit-references.ts";
import type { Member } from "./manifest.ts";
import type { Outbox } from "./outbox.ts";
import { releaseContentProblem } from "./release-content.ts";
import { policyPrincipal, type Urgency } from "./search-service.ts";
import {
  assertionFor,
  SignatureRefusedError,
  signUserAssertion,
  type UserAssertion,
  verifyUserAssertion,
} from "./transport.ts";
import {
  type CopyEvidence,
  pickReleaseId,
  releaseCode,
  releaseWatermark,
  renderValue,
  type SentMarks,
  statementValue,
  traceCopy,
} from "./watermark.ts";

export const REQUESTS_PATH = "/federation/v1/requests";
export const RELEASES_PATH = "/federation/v1/releases";
export const DECISIONS_PATH = "/federation/v1/decisions";
export const RETRACTIONS_PATH = "/federation/v1/retractions";
export const RELEASE_TYPE = "puente-release+jws";
const REQUEST_DEADLINE_MS = 5000;

/** How long an owner has to answer, by urgency (hours), unless the node's configuration says otherwise. */
export const DEFAULT_RESPONSE_HOURS: Record<Urgency, number> = { urgent: 8, standard: 72, other: 168 };

export interface DetailsRequest {
  partner: string;
  reference: string;
  justification: string;
  purpose: string;
  caseReference: string;
  urgency: Urgency;
}

/** What one node sends another to ask for a hit's details. */
export interface PartnerRequestBody {
  requestId: string;
  reference: string;
  justification: string;
  purpose: string;
  caseReference: string;
  urgency: Urgency;
  assertion: string;
}

export interface ReleasedStatement {
  statementId: string;
  property: string;
  /** The value as this release writes it: one of its equivalent layouts, marking the copy as the recipient's. */
  value: string;
  /** The layout a date is written in when not ISO 8601, for reading it back with the model's date normaliser. */
  format?: string;
  provenance: Statement["provenance"];
  markings: Statement["markings"];
}

/** The signed content of a release. */
export interface ReleaseContent {
  releaseId: string;
  requestId: string;
  owner: string;
  recipient: string;
  issuedAt: string;
  /** Marks this copy as the recipient's, so a leaked copy names the release it came from. */
  watermark: string;
  /** A line to travel with the copy: who released it to whom, under which release code. */
  caveat: string;
  reference: string;
  schema: string;
  statements: ReleasedStatement[];
  redacted: string[];
}

export interface ReleaseView extends Omit<ReleaseContent, "statements"> {
  statements: Array<ReleasedStatement & { usableInEvidence: boolean }>;
  /** Statements the owner has since retracted or purged: their values are gone from this node, their ids remain. */
  withdrawn: string[];
}

/** A received release as one user of the recipient may see it. */
function viewOfRelease(principal: Principal, release: ReleaseContent, withdrawn: string | null): ReleaseView {
  return {
    ...release,
    withdrawn: JSON.parse(withdrawn ?? "[]") as string[],
    statements: release.statements
      .filter((statement) => mayReadStatement(principal, { ...statement, retractedAt: null } as unknown as Statement))
      .map((statement) => ({
        ...statement,
        usableInEvidence:
          statement.markings.handlingCode !== "H1" &&
          !statement.markings.useRestrictions.some((r) => r === "lead-only" || r === "not-for-court"),
      })),
  };
}

export interface LeakMatch extends CopyEvidence {
  releaseId: string;
  recipient: string;
  entityId: string;
}

export interface Decision {
  decision: "approve" | "deny";
  redact?: string[];
  reason?: string;
}

export class ExchangeService {
  private readonly watermarkKey: Buffer;

  constructor(
    private readonly federation: Federation,
    private readonly exchange: ExchangeRepository,
    private readonly entities: EntityRepository,
    private readonly references: HitReferences,
    private readonly outbox: Outbox,
    private readonly policy: NodePolicy,
    private readonly audit: AuditLog,
    private readonly privateKeyPem: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.watermarkKey = createHmac("sha256", privateKeyPem).update("puente release watermarks").digest();
  }

  // ── requester ────────────────────────────────────────────────────────────────────────────────────────────

  /** Asks a partner for the details of one of its hits; the owner queues it for a decision. */
  async requestDetails(principal: Principal, request: DetailsRequest): Promise<OutgoingRequest> {
    if (!mayPerform(principal, "federation:search")) throw new NotFoundOrNoAccessError();
    const partner = this.federation.partners().find((member) => member.nodeId === request.partner);
    if (!partner) throw new NotFoundOrNoAccessError();
    const now = this.clock().toISOString();
    const config = this.federation.config;
    const row: OutgoingRequest = {
      id: randomUUID(),
      owner_node: partner.nodeId,
      reference: request.reference,
      requested_by: principal.userId,
      justification: request.justification,
      purpose: request.purpose,
      case_reference: request.caseReference,
      urgency: request.urgency,
      status: "pending",
      decision_reason: null,
      created_at: now,
      updated_at: now,
    };
    const user = assertionFor(principal, config, request.purpose, request.caseReference);
    const body: PartnerRequestBody = {
      requestId: row.id,
      reference: request.reference,
      justification: request.justification,
      purpose: request.purpose,
      caseReference: request.caseReference,
      urgency: request.urgency,
      assertion: await signUserAssertion(this.federation.signer, partner.nodeId, user, this.clock()),
    };
    // Recorded before asking: an owner whose policy releases at once may deliver before it answers.
    await this.exchange.addOutgoing(row);
    const outcome = await callPartner(this.federation, partner, REQUESTS_PATH, body, REQUEST_DEADLINE_MS, this.clock);
    if (outcome.status !== "ok") {
      await this.exchange.updateOutgoing(row.id, partner.nodeId, "failed", outcome.detail, this.clock().toISOString());
      throw new ValidationFailedError([
        { path: "partner", code: `partner_${outcome.status}`, message: `${partner.nodeId}: ${outcome.detail}` },
      ]);
    }
    return row;
  }

  /**
   * The user's own requests (supervisors see all), each with the releases received for it. The recipient enforces
   * the markings too: a user sees only released statements their clearance and training allow, and each says
   * whether it may be used in evidence (not if it is lead only, not for court, or H1 without consent).
   */
  async myRequests(principal: Principal): Promise<Array<OutgoingRequest & { releases: ReleaseView[] }>> {
    if (!mayPerform(principal, "federation:search")) throw new NotFoundOrNoAccessError();
    const all = mayPerform(principal, "release:decide");
    const requests = await this.exchange.outgoingBy(all ? undefined : principal.userId);
    const releases = await this.exchange.releasesFor(requests.map((request) => request.id));
    return requests.map((request) => ({
      ...request,
      releases: releases
        .filter((release) => release.request_id === request.id)
        .map((release) => viewOfRelease(principal, JSON.parse(release.content) as ReleaseContent, release.withdrawn)),
    }));
  }

  /**
   * The records partners released to this user for the user's own requests, as the link chart shows them: only the
   * statements the user may read, each value read back from the release's layout into canonical form, and of
   * several releases of one record (one owner's reference) the latest.
   */
  async releasedRecords(principal: Principal): Promise<ReleasedRecord[]> {
    if (!mayPerform(principal, "entity:read")) return [];
    const requests = await this.exchange.outgoingBy(principal.userId);
    const latest = new Map<string, ReleasedRecord>();
    for (const row of await this.exchange.releasesFor(requests.map((request) => request.id))) {
      const content = JSON.parse(row.content) as ReleaseContent;
      const ownerCountry = this.federation.member(content.owner)?.country ?? this.federation.config.country;
      const schema = getSchema(content.schema);
      const statements = content.statements.flatMap((released): Statement[] => {
        const type = schema?.properties.get(released.property)?.type ?? "text";
        const read = propertyType(type).normalize(released.value, {
          defaultCountry: ownerCountry,
          nodeId: content.owner,
          format: released.format,
        });
        const statement: Statement = {
          id: released.statementId,
          entityId: `release:${content.releaseId}`,
          schema: content.schema,
          property: released.property,
          value: read.ok ? read.value : released.value,
          originalValue: released.value,
          provenance: released.provenance,
          markings: released.markings,
          recordedAt: content.issuedAt,
          retractedAt: null,
        };
        return mayReadStatement(principal, statement) ? [statement] : [];
      });
      if (statements.length === 0) continue;
      const key = `${content.owner}\u0000${content.reference}`;
      const known = latest.get(key);
      if (!known || known.issuedAt < content.issuedAt)
        latest.set(key, {
          releaseId: content.releaseId,
          owner: content.owner,
          ownerCountry,
          reference: content.reference,
          schema: content.schema,
          issuedAt: content.issuedAt,
          statements,
        });
    }
    return [...latest.values()].sort((a, b) => (a.issuedAt < b.issuedAt ? 1 : a.issuedAt > b.issuedAt ? -1 : 0));
  }

  /** A release from an owner: kept only if its signature, sender and recipient are right and we asked for it. */
  async receiveRelease(peer: Member, body: { release: unknown }): Promise<{ received: string }> {
    if (typeof body.release !== "string") throw new SignatureRefusedError("wrong-request", "no release");
    let content: ReleaseContent;
    try {
      const { payload } = verifyCompact(body.release, (header) => {
        if (header.typ !== RELEASE_TYPE || header.kid !== peer.nodeId)
          throw new SignatureRefusedError("bad-signature", "not a release signed by its sender");
        return peer.publicKey;
      });
      content = JSON.parse(payload.toString("utf8")) as ReleaseContent;
    } catch (error) {
      if (error instanceof SignatureRefusedError) throw error;
      throw new SignatureRefusedError("bad-signature", "the release signature does not verify");
    }
    const problem = releaseContentProblem(content);
    if (problem) throw new ValidationFailedError([{ path: "release", code: "malformed_release", message: problem }]);
    const request = await this.exchange.outgoing(content.requestId);
    if (
      content.owner !== peer.nodeId ||
      content.recipient !== this.federation.nodeId ||
      request?.owner_node !== peer.nodeId
    )
      throw new SignatureRefusedError("wrong-request", "this node did not ask that node for this release");
    const now = this.clock().toISOString();
    await this.exchange.addRelease({
      id: content.releaseId,
      owner_node: peer.nodeId,
      request_id: content.requestId,
      signed_release: body.release,
      content: JSON.stringify(content),
      received_at: now,
      withdrawn: null,
    });
    await this.exchange.updateOutgoing(content.requestId, peer.nodeId, "released", null, now);
    return { received: content.releaseId };
  }

  async receiveDecision(peer: Member, body: { requestId: string; status: string; reason?: string }) {
    await this.exchange.updateOutgoing(
      body.requestId,
      peer.nodeId,
      body.status,
      body.reason ?? null,
      this.clock().toISOString(),
    );
    return { received: body.requestId };
  }

  // ── owner ────────────────────────────────────────────────────────────────────────────────────────────────

  /** A partner's request for one of this node's hits: queued with its response clock. */
  async receiveRequest(peer: Member, body: PartnerRequestBody): Promise<{ status: string; dueAt: string }> {
    const now = this.clock();
    const user = await verifyUserAssertion(body.assertion, peer.nodeId, peer.publicKey, this.federation.nodeId, now);
    const who = policyPrincipal(peer, user);
    const context = { purpose: body.purpose, caseReference: body.caseReference, urgency: body.urgency };
    if (!this.policy.mayRequest(who, this.federation.nodeId, context))
      throw new SignatureRefusedError("policy-denied", "this node's policy does not let that user ask for details");
    const entityId = await this.references.resolve(body.reference, peer.nodeId);
    // A reference this node never gave that partner is answered like a missing record.
    if (!entityId) throw new NotFoundOrNoAccessError();
    await this.audit.append({
      kind: "exchange.request-received",
      actor: `node:${peer.nodeId}`,
      details: {
        user: user.username,
        userId: user.userId,
        purpose: body.purpose,
        caseReference: body.caseReference,
        justification: body.justification,
        entities: [entityId],
      },
    });
    const hours = this.federation.config.responseHours?.[body.urgency] ?? DEFAULT_RESPONSE_HOURS[body.urgency];
    const stored = await this.exchange.addIncoming({
      id: randomUUID(),
      requester_node: peer.nodeId,
      requester_request_id: body.requestId,
      reference: body.reference,
      entity_id: entityId,
      requester_user: JSON.stringify(user),
      justification: body.justification,
      purpose: body.purpose,
      case_reference: body.caseReference,
      urgency: body.urgency,
      status: "pending",
      due_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      escalated_at: null,
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      redacted: null,
      created_at: now.toISOString(),
    });
    // A policy may let some releases go without a supervisor; they are decided at once, in the policy's name.
    if (stored.status === "pending" && this.policy.mayAutoRelease(who, this.federation.nodeId, context)) {
      const decided = await this.approve(stored, "policy:autoRelease", []);
      return { status: decided.status, dueAt: decided.due_at };
    }
    return { status: stored.status, dueAt: stored.due_at };
  }

  /** The decision queue, for supervisors: requests waiting, escalated ones first. */
  async queue(principal: Principal): Promise<IncomingRequest[]> {
    if (!mayPerform(principal, "release:decide")) throw new NotFoundOrNoAccessError();
    await this.escalateOverdue();
    return this.exchange.pendingIncoming();
  }

  /** Flags requests whose response clock ran out, so the queue puts them first. */
  escalateOverdue(): Promise<number> {
    return this.exchange.escalateOverdue(this.clock().toISOString());
  }

  async decide(principal: Principal, id: string, decision: Decision): Promise<IncomingRequest> {
    if (!mayPerform(principal, "release:decide")) throw new NotFoundOrNoAccessError();
    const request = await this.exchange.incoming(id);
    if (!request) throw new NotFoundOrNoAccessError();
    if (request.status !== "pending")
      throw new ValidationFailedError([{ path: "id", code: "already_decided", message: `already ${request.status}` }]);
    if (decision.decision === "deny" && !decision.reason?.trim())
      throw new ValidationFailedError([
        { path: "reason", code: "reason_required", message: "a denial needs a reason" },
      ]);
    if (decision.decision === "approve")
      return this.approve(request, principal.userId, [...new Set(decision.redact ?? [])].sort());
    const now = this.clock().toISOString();
    const reason = decision.reason ?? null;
    const denied = { status: "denied" as const, decidedBy: principal.userId, at: now, reason, redacted: [] };
    if (!(await this.exchange.decide(id, denied)))
      throw new ValidationFailedError([{ path: "id", code: "already_decided", message: "decided meanwhile" }]);
    await this.outbox.send(request.requester_node, DECISIONS_PATH, {
      requestId: request.requester_request_id,
      status: "denied",
      reason,
    });
    return (await this.exchange.incoming(id)) as IncomingRequest;
  }

  private async approve(request: IncomingRequest, decidedBy: string, redacted: string[]): Promise<IncomingRequest> {
    const now = this.clock().toISOString();
    if (!(await this.exchange.decide(request.id, { status: "approved", decidedBy, at: now, reason: null, redacted })))
      throw new ValidationFailedError([{ path: "id", code: "already_decided", message: "decided meanwhile" }]);
    const release = await this.buildRelease(request, redacted, now);
    await this.outbox.send(request.requester_node, RELEASES_PATH, { release });
    const user = JSON.parse(request.requester_user) as UserAssertion;
    await this.audit.append({
      kind: "exchange.release-sent",
      actor: decidedBy.startsWith("policy:") ? decidedBy : `user:${decidedBy}`,
      details: {
        recipient: request.requester_node,
        user: user.username,
        userId: user.userId,
        purpose: request.purpose,
        caseReference: request.case_reference,
        entities: [request.entity_id],
        redacted,
      },
    });
    return (await this.exchange.incoming(request.id)) as IncomingRequest;
  }

  /** A statement this node retracted: every partner that received it is told to withdraw it. */
  async retract(entityId: string, statementId: string): Promise<void> {
    for (const release of await this.exchange.sentReleasesOf(entityId, statementId))
      await this.outbox.send(release.recipient, RETRACTIONS_PATH, {
        releaseId: release.release_id,
        kind: "retract",
        statementIds: [statementId],
      });
  }

  /** A record this node purged: every partner that received any of it is told to delete those releases. */
  async purge(entityId: string): Promise<void> {
    for (const release of await this.exchange.sentReleasesOf(entityId))
      await this.outbox.send(release.recipient, RETRACTIONS_PATH, { releaseId: release.release_id, kind: "purge" });
  }

  /**
   * A retraction or purge from the owner of a release this node holds: the withdrawn values are removed (with the
   * owner's signed copy, which contains them), or the whole release is deleted. Repeating one changes nothing.
   */
  async receiveRetraction(
    peer: Member,
    body: { releaseId: string; kind: "retract" | "purge"; statementIds?: string[] },
  ): Promise<{ applied: string }> {
    const release = await this.exchange.receivedRelease(body.releaseId, peer.nodeId);
    if (release && body.kind === "purge") await this.exchange.deleteRelease(body.releaseId, peer.nodeId);
    else if (release) {
      const withdrawn = [
        ...new Set([...(JSON.parse(release.withdrawn ?? "[]") as string[]), ...(body.statementIds ?? [])]),
      ];
      const content = JSON.parse(release.content) as ReleaseContent;
      content.statements = content.statements.filter((statement) => !withdrawn.includes(statement.statementId));
      await this.exchange.withdrawFromRelease(body.releaseId, JSON.stringify(content), withdrawn);
    }
    return { applied: body.releaseId };
  }

  /** Sent releases with the values they held, read from the owner's records (a purged record's only by its code). */
  private async marksOf(sent: SentRelease[]): Promise<Array<SentMarks & { entityId: string }>> {
    const entities = await this.entities.getEntities([...new Set(sent.map((release) => release.entity_id))]);
    const statements = new Map(entities.flatMap((entity) => entity.statements).map((s) => [s.id, s]));
    return sent.map((release) => ({
      releaseId: release.release_id,
      recipient: release.recipient,
      entityId: release.entity_id,
      values: (JSON.parse(release.statement_ids) as string[]).flatMap((id) => {
        const statement = statements.get(id);
        return statement ? [statementValue(statement)] : [];
      }),
    }));
  }

  /**
   * Which release a leaked copy (any text: a paste, a re-serialised JSON, a printout's text) came from: releases
   * whose values appear in it, best first, by the release code if it survived and by how many values the copy
   * writes in that release's layouts; the first is marked attributed only when the evidence names it.
   */
  async traceLeak(text: string): Promise<LeakMatch[]> {
    const sent = await this.marksOf(await this.exchange.sentReleases());
    return traceCopy(this.watermarkKey, text, sent).map(({ release, ...evidence }) => ({
      releaseId: release.releaseId,
      recipient: release.recipient,
      entityId: release.entityId,
      ...evidence,
    }));
  }

  /** The signed release: what the owner's markings let leave for the requester, without the redacted properties. */
  private async buildRelease(request: IncomingRequest, redacted: string[], now: string): Promise<string> {
    const requester = this.federation.member(request.requester_node);
    if (!requester) throw new NotFoundOrNoAccessError();
    const user = JSON.parse(request.requester_user) as UserAssertion;
    const viewer: PartnerViewer = {
      nodeId: requester.nodeId,
      agency: requester.agency,
      country: requester.country,
      cfr28Trained: user.cfr28Trained,
    };
    const entity = releasableEntity(viewer, await this.entities.getEntity(request.entity_id));
    const statements = (entity?.statements ?? []).filter((statement) => !redacted.includes(statement.property));
    const earlier = await this.marksOf(await this.exchange.sentReleasesOf(request.entity_id));
    const releaseId = pickReleaseId(this.watermarkKey, statements.map(statementValue), earlier);
    const watermark = releaseWatermark(this.watermarkKey, releaseId, requester.nodeId);
    const content: ReleaseContent = {
      releaseId,
      requestId: request.requester_request_id,
      owner: this.federation.nodeId,
      recipient: requester.nodeId,
      issuedAt: now,
      watermark,
      caveat: `Released by ${this.federation.nodeId} to ${requester.nodeId} as ${releaseCode(watermark)}; each statement's handling and use restrictions apply.`,
      reference: request.reference,
      schema: entity?.schema ?? "Thing",
      // Each value in this release's own layout: a copy that keeps the values names its release.
      statements: statements.map((statement) => {
        const { text, format } = renderValue(this.watermarkKey, releaseId, statementValue(statement));
        return {
          statementId: statement.id,
          property: statement.property,
          value: text,
          ...(format === undefined ? {} : { format }),
          provenance: statement.provenance,
          markings: statement.markings,
        };
      }),
      redacted,
    };
    await this.exchange.addSentRelease({
      release_id: releaseId,
      recipient: requester.nodeId,
      entity_id: request.entity_id,
      statement_ids: JSON.stringify(content.statements.map((statement) => statement.statementId)),
      created_at: now,
    });
    return signCompact(
      { alg: "EdDSA", typ: RELEASE_TYPE, kid: this.federation.nodeId },
      JSON.stringify(content),
      this.privateKeyPem,
    );
  }
}
