// Step one of the exchange: a federated search. The asking node searches its own records and, in parallel and
// under a deadline, asks every partner; each owner matches with its own engine on what its markings let leave,
// and answers only hit or no hit: an opaque reference, a score band and its point of contact, plus what its
// policy releases in step one (nothing by default). Record content stays home until a release (step two).
import type { AuditLog } from "../audit/audit-log.ts";
import type { Band } from "../matching/scoring.ts";
import { getSchema } from "../model/schema.ts";
import type { EntityInput } from "../model/types.ts";
import type { PointOfContact } from "../node/config.ts";
import { mayPerform, type PartnerViewer, type Principal, releasableEntity } from "../policy/access.ts";
import type { NodePolicy, PolicyPrincipal } from "../policy/node-policy.ts";
import { NotFoundOrNoAccessError } from "../records/entity-service.ts";
import type { MatchHit, MatchService } from "../records/match-service.ts";
import type { EntityRepository } from "../store/entity-repository.ts";
import { Admission } from "./admission.ts";
import { callPartner, type PartnerStatus } from "./client.ts";
import type { Federation } from "./federation.ts";
import type { HitReferences } from "./hit-references.ts";
import type { Member } from "./manifest.ts";
import {
  assertionFor,
  SignatureRefusedError,
  signUserAssertion,
  type UserAssertion,
  verifyUserAssertion,
} from "./transport.ts";

export const URGENCIES = ["urgent", "standard", "other"] as const;
export type Urgency = (typeof URGENCIES)[number];
export const SEARCH_PATH = "/federation/v1/search";
export const DEFAULT_DEADLINE_MS = 3000;
/** Lowest band a partner hears of: "possible" and better. */
const PARTNER_THRESHOLD = 0.5;
const PARTNER_HITS = 10;

/** Who a user is looking for, and why: what every search, request and watch states. */
export interface PurposefulQuery {
  schema: string;
  properties: EntityInput["properties"];
  purpose: string;
  caseReference: string;
}

export interface FederatedSearchRequest extends PurposefulQuery {
  urgency: Urgency;
  deadlineMs?: number;
}

/** What a partner's hit says: that it holds something, how sure it is, and whom to call. */
export interface PartnerHit {
  reference: string;
  band: Exclude<Band, "no-match">;
  pointOfContact: PointOfContact;
  /** Values the owner's policy releases with the hit in step one (none by default). */
  released: Record<string, string[]>;
}

export interface PartnerResult {
  nodeId: string;
  agency: string;
  country: string;
  status: PartnerStatus;
  latencyMs: number;
  hits: PartnerHit[];
  detail?: string;
}

export interface FederatedSearchResult {
  local: MatchHit[];
  partners: PartnerResult[];
}

/** The body one node sends another for step one. */
export interface PartnerSearchBody {
  query: { schema: string; properties: EntityInput["properties"] };
  purpose: string;
  caseReference: string;
  urgency: Urgency;
  assertion: string;
}

/**
 * Searches worked on at once by default: a bound on the fan-out a flood of searches can start, not a speed-up. The
 * federated-search bench (3 nodes on 2 cores, 32 searches in flight) showed no difference between 16 and no limit
 * that its run-to-run noise did not cover; 8 and 12 were sometimes slower.
 */
export const DEFAULT_SEARCHES_AT_ONCE = 16;

export class FederatedSearchService {
  constructor(
    private readonly federation: Federation,
    private readonly matches: MatchService,
    private readonly references: HitReferences,
    private readonly entities: EntityRepository,
    private readonly policy: NodePolicy,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
    /**
     * Told of every partner search this node answers (deconfliction checks it against targets and sources). It
     * runs after the answer and the answer never waits for it, so its work cannot show in the answer's timing.
     */
    private readonly onAnswered?: (peer: Member, query: PartnerSearchBody["query"]) => Promise<void>,
    /** How many of this node's users' searches are worked on at once (the node's `searchesAtOnce`). */
    private readonly admission = new Admission(DEFAULT_SEARCHES_AT_ONCE),
  ) {}

  async search(principal: Principal, request: FederatedSearchRequest): Promise<FederatedSearchResult> {
    if (!mayPerform(principal, "federation:search")) throw new NotFoundOrNoAccessError();
    const query = this.matches.queryRecord(
      { id: "query", schema: request.schema, properties: request.properties },
      `user:${principal.username}`,
    );
    const deadline = request.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const config = this.federation.config;
    const user = assertionFor(principal, config, request.purpose, request.caseReference);
    return this.admission.run(async () => {
      const [local, partners] = await Promise.all([
        this.matches.search(principal, query),
        Promise.all(this.federation.partners().map((partner) => this.askPartner(partner, user, request, deadline))),
      ]);
      return { local, partners };
    });
  }

  private async askPartner(
    partner: Member,
    user: UserAssertion,
    request: FederatedSearchRequest,
    deadlineMs: number,
  ): Promise<PartnerResult> {
    const body: PartnerSearchBody = {
      query: { schema: request.schema, properties: request.properties },
      purpose: request.purpose,
      caseReference: request.caseReference,
      urgency: request.urgency,
      assertion: await signUserAssertion(this.federation.signer, partner.nodeId, user, this.clock()),
    };
    const outcome = await callPartner<{ hits?: unknown }>(
      this.federation,
      partner,
      SEARCH_PATH,
      body,
      deadlineMs,
      this.clock,
    );
    const base = { nodeId: partner.nodeId, agency: partner.agency, country: partner.country };
    if (outcome.status !== "ok")
      return { ...base, status: outcome.status, latencyMs: outcome.latencyMs, hits: [], detail: outcome.detail };
    const hits = Array.isArray(outcome.body.hits) ? outcome.body.hits.filter(isPartnerHit) : undefined;
    if (!hits) return { ...base, status: "error", latencyMs: outcome.latencyMs, hits: [], detail: "malformed answer" };
    return { ...base, status: "ok", latencyMs: outcome.latencyMs, hits };
  }

  /** Answers a partner's step-one search: hits on what may leave this node for that partner, and nothing more. */
  async answer(peer: Member, body: PartnerSearchBody): Promise<{ hits: PartnerHit[] }> {
    const me = this.federation.nodeId;
    const user = await verifyUserAssertion(body.assertion, peer.nodeId, peer.publicKey, me, this.clock());
    if (!user.purpose.trim() || !user.caseReference.trim())
      throw new SignatureRefusedError("bad-assertion", "a search needs a purpose and a case reference");
    const who = policyPrincipal(peer, user);
    const context = { purpose: body.purpose, caseReference: body.caseReference, urgency: body.urgency };
    if (!this.policy.mayQuery(who, me, context))
      throw new SignatureRefusedError("policy-denied", "this node's policy does not let that user search it");
    const viewer: PartnerViewer = {
      nodeId: peer.nodeId,
      agency: peer.agency,
      country: peer.country,
      cfr28Trained: user.cfr28Trained,
    };
    const query = this.matches.queryRecord(
      { id: "query", schema: body.query.schema, properties: body.query.properties },
      `node:${peer.nodeId}`,
    );
    const hits = await this.matches.searchVisible(query, (entity) => releasableEntity(viewer, entity), {
      threshold: PARTNER_THRESHOLD,
      limit: PARTNER_HITS,
    });
    const references = await this.references.issue(
      peer.nodeId,
      hits.map((hit) => hit.id),
    );
    const released = await this.releasedInStepOne(who, viewer, hits);
    if (this.onAnswered)
      setImmediate(() => {
        this.onAnswered?.(peer, body.query).catch(() => {
          // deconfliction of a search is best effort; the search itself was answered
        });
      });
    // Every answer, hit or not, with the partner's user: the baselines and alerts of oversight read these.
    await this.audit.append({
      kind: hits.length > 0 ? "federation.hits-served" : "federation.no-hit",
      actor: `node:${peer.nodeId}`,
      details: {
        user: user.username,
        userId: user.userId,
        agency: user.agency,
        purpose: user.purpose,
        caseReference: user.caseReference,
        entities: hits.map((hit) => hit.id),
        references,
      },
    });
    return {
      hits: hits.map((hit, index) => ({
        reference: references[index] ?? "",
        band: hit.band === "match" ? "match" : "possible",
        pointOfContact: this.federation.config.pointOfContact,
        released: released[index] ?? {},
      })),
    };
  }

  /** Per hit, the values the node's policy shows in step one: of properties the markings let leave, only those. */
  private async releasedInStepOne(
    who: PolicyPrincipal,
    viewer: PartnerViewer,
    hits: MatchHit[],
  ): Promise<Array<Record<string, string[]>>> {
    const shownBySchema = new Map<string, Set<string>>();
    for (const hit of hits)
      if (!shownBySchema.has(hit.schema)) {
        const properties = [...(getSchema(hit.schema)?.properties.keys() ?? [])];
        shownBySchema.set(hit.schema, new Set(this.policy.revealed(who, hit.schema, properties)));
      }
    // Nothing to read when the policy shows nothing, as the defaults do.
    if (![...shownBySchema.values()].some((shown) => shown.size > 0)) return hits.map(() => ({}));
    const entities = await this.entities.getEntities(hits.map((hit) => hit.id));
    const byId = new Map(entities.map((entity) => [entity.id, releasableEntity(viewer, entity)]));
    return hits.map((hit) => {
      const shown = shownBySchema.get(hit.schema) ?? new Set<string>();
      const values: Record<string, string[]> = {};
      for (const statement of byId.get(hit.id)?.statements ?? [])
        if (shown.has(statement.property))
          values[statement.property] = [...(values[statement.property] ?? []), statement.value];
      return values;
    });
  }
}

/** Whether a partner's hit has the shape the screens show, to the last value: a partner's answer is checked, not trusted. */
function isPartnerHit(value: unknown): value is PartnerHit {
  const hit = value as Partial<PartnerHit>;
  const contact = hit?.pointOfContact;
  const released = hit?.released;
  return (
    typeof hit === "object" &&
    hit !== null &&
    typeof hit.reference === "string" &&
    (hit.band === "match" || hit.band === "possible") &&
    typeof contact?.name === "string" &&
    typeof contact.email === "string" &&
    (contact.phone === undefined || typeof contact.phone === "string") &&
    typeof released === "object" &&
    released !== null &&
    !Array.isArray(released) &&
    Object.values(released).every((values) => Array.isArray(values) && values.every((v) => typeof v === "string"))
  );
}

/** A partner's user as Cedar policies see them. */
export function policyPrincipal(peer: Member, user: UserAssertion): PolicyPrincipal {
  return {
    node: { nodeId: peer.nodeId, country: peer.country, agency: peer.agency, roles: peer.roles },
    user: {
      userId: user.userId,
      country: user.country,
      agency: user.agency,
      roles: user.roles,
      cfr28Trained: user.cfr28Trained,
    },
  };
}
