// The federation over HTTP. Users ask through POST /api/v1/search; partner nodes talk to /federation/v1/*, where
// no session exists: every request must carry a valid node signature (checked in one hook before any handler),
// and every answer is signed in turn. Refusals are logged with their reason for the audit trail.
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from "fastify";
import { BORDER_LOOKOUTS_PATH } from "../../border/screening/partner-sync.ts";
import {
  type CheckBody,
  DECONFLICTION_CHECKS_PATH,
  DECONFLICTION_NOTICES_PATH,
  type NoticeBody as DeconflictionNoticeBody,
} from "../../deconfliction/deconfliction-service.ts";
import {
  DECISIONS_PATH,
  type Decision,
  type DetailsRequest,
  type PartnerRequestBody,
  RELEASES_PATH,
  REQUESTS_PATH,
  RETRACTIONS_PATH,
} from "../../federation/exchange-service.ts";
import type { Member } from "../../federation/manifest.ts";
import {
  DEFAULT_DEADLINE_MS,
  type FederatedSearchRequest,
  type PartnerSearchBody,
  SEARCH_PATH,
  URGENCIES,
} from "../../federation/search-service.ts";
import {
  NOTICES_PATH,
  type NoticeBody,
  type SubscribeRequest,
  WATCHES_PATH,
  type WatchBody,
} from "../../federation/subscription-service.ts";
import {
  type RequestClaims,
  SIGNATURE_HEADER,
  SignatureRefusedError,
  signResponse,
  verifyRequest,
} from "../../federation/transport.ts";
import { CONSISTENCY_PATH, HEADS_PATH } from "../../federation/witness.ts";
import { MATCH_FIELDS } from "../../matching/entity-records.ts";
import type { PuenteNode } from "../../node/node.ts";
import type { Principal } from "../../policy/access.ts";
import { ValidationFailedError } from "../../records/entity-service.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";
import { partnerLookoutPageSchema } from "./border.ts";
import { areaSchema, contactSchema, subjectSchema } from "./deconfliction.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The raw body of a node-to-node request, whose digest the signature covers. */
    rawBody?: Buffer;
    /** The partner node that signed this request, once verified. */
    peer?: { member: Member; claims: RequestClaims };
  }
}

const queryValue = { type: "string", minLength: 1, maxLength: 500 } as const;
const queryProperties = {
  type: "object",
  minProperties: 1,
  maxProperties: 30,
  additionalProperties: { anyOf: [queryValue, { type: "array", maxItems: 20, items: queryValue }] },
} as const;
const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength }) as const;

const partnerHitSchema = {
  type: "object",
  properties: {
    reference: { type: "string" },
    band: { type: "string" },
    pointOfContact: {
      type: "object",
      properties: { name: { type: "string" }, email: { type: "string" }, phone: { type: "string" } },
    },
    released: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
  },
} as const;

export function registerFederationRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.post<{ Body: FederatedSearchRequest }>(
    "/api/v1/search",
    {
      config: { audit: "federation.search" },
      schema: {
        tags: ["federation"],
        summary: "Search this node and every partner (step one: partners answer hit or no hit)",
        body: {
          type: "object",
          required: ["schema", "properties", "purpose", "caseReference", "urgency"],
          additionalProperties: false,
          properties: {
            schema: { type: "string", enum: Object.keys(MATCH_FIELDS) },
            properties: queryProperties,
            purpose: text(500),
            caseReference: text(100),
            urgency: { type: "string", enum: [...URGENCIES] },
            deadlineMs: { type: "integer", minimum: 100, maximum: 30_000, default: DEFAULT_DEADLINE_MS },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              local: { type: "array", items: { type: "object", additionalProperties: true } },
              partners: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    nodeId: { type: "string" },
                    agency: { type: "string" },
                    country: { type: "string" },
                    status: { type: "string", enum: ["ok", "timeout", "refused", "error"] },
                    latencyMs: { type: "integer" },
                    hits: { type: "array", items: partnerHitSchema },
                    detail: { type: "string" },
                  },
                },
              },
            },
          },
          422: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request) => node.federatedSearch.search(principalOf(request), request.body),
  );

  const requestBody = {
    type: "object",
    required: ["partner", "reference", "justification", "purpose", "caseReference", "urgency"],
    additionalProperties: false,
    properties: {
      partner: { type: "string", maxLength: 63 },
      reference: { type: "string", maxLength: 64 },
      justification: text(2000),
      purpose: text(500),
      caseReference: text(100),
      urgency: { type: "string", enum: [...URGENCIES] },
    },
  } as const;
  const anyObject = { type: "object", additionalProperties: true } as const;
  /**
   * A GET route answering `{ [key]: [...] }` from one service call for the signed-in user; `audit` names it in the
   * audit log (or, as `{ unaudited }`, says why it is not logged).
   */
  const listRoute = (
    path: string,
    summary: string,
    key: string,
    audit: Pick<FastifyContextConfig, "audit" | "unaudited">,
    list: (principal: Principal) => Promise<unknown[]>,
  ) =>
    app.get(
      path,
      {
        config: audit,
        schema: {
          tags: ["federation"],
          summary,
          response: { 200: { type: "object", properties: { [key]: { type: "array", items: anyObject } } } },
        },
      },
      async (request) => ({ [key]: await list(principalOf(request)) }),
    );

  app.post<{ Body: DetailsRequest }>(
    "/api/v1/requests",
    {
      config: { audit: "exchange.request-sent" },
      schema: {
        tags: ["federation"],
        summary: "Ask a partner for the details of one of its hits (step two), with a justification",
        body: requestBody,
        response: { 201: anyObject, 422: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await node.exchange.requestDetails(principalOf(request), request.body)),
  );

  listRoute(
    "/api/v1/requests",
    "Your requests to partners, with the releases received (supervisors see all)",
    "requests",
    { audit: "exchange.requests-read" },
    (principal) => node.exchange.myRequests(principal),
  );

  listRoute(
    "/api/v1/requests/incoming",
    "Partners' requests for this node's records awaiting a decision (supervisors)",
    "requests",
    { audit: "exchange.queue-read" },
    (principal) => node.exchange.queue(principal),
  );

  app.post<{ Params: { id: string }; Body: Decision }>(
    "/api/v1/requests/incoming/:id/decision",
    {
      config: { audit: "exchange.decision" },
      schema: {
        tags: ["federation"],
        summary: "Approve (optionally redacting properties) or deny (with a reason) a partner's request",
        params: { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 64 } } },
        body: {
          type: "object",
          required: ["decision"],
          additionalProperties: false,
          properties: {
            decision: { type: "string", enum: ["approve", "deny"] },
            redact: { type: "array", maxItems: 100, items: { type: "string", maxLength: 64 } },
            reason: { type: "string", maxLength: 2000 },
          },
        },
        response: { 200: anyObject, 404: problemSchema, 422: problemSchema },
      },
    },
    async (request) => node.exchange.decide(principalOf(request), request.params.id, request.body),
  );

  app.post<{ Body: SubscribeRequest }>(
    "/api/v1/subscriptions",
    {
      config: { audit: "federation.subscribe" },
      schema: {
        tags: ["federation"],
        summary: "Watch for a person at every partner, with a legal basis and an expiry (at most a year)",
        body: {
          type: "object",
          required: ["schema", "properties", "legalBasis", "purpose", "caseReference", "expiresAt"],
          additionalProperties: false,
          properties: {
            schema: { type: "string", enum: Object.keys(MATCH_FIELDS) },
            properties: queryProperties,
            legalBasis: text(500),
            purpose: text(500),
            caseReference: text(100),
            expiresAt: { type: "string", maxLength: 40 },
          },
        },
        response: { 201: anyObject, 422: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await node.subscriptions.subscribe(principalOf(request), request.body)),
  );

  // Who the partners are, for any signed-in user: screens name them by agency rather than by node id.
  listRoute(
    "/api/v1/partners",
    "The federation's partner nodes: node id, agency and country",
    "partners",
    { unaudited: "the federation's members, which every user of the node may know" },
    async () => node.federation.partners().map(({ nodeId, agency, country }) => ({ nodeId, agency, country })),
  );

  listRoute(
    "/api/v1/subscriptions",
    "Your subscriptions with the notices partners sent (supervisors see all)",
    "subscriptions",
    { audit: "federation.subscriptions-read" },
    (principal) => node.subscriptions.mySubscriptions(principal),
  );

  app.register(async (peers) => {
    // Node-to-node bodies are kept as received: the signature covers their exact bytes.
    peers.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
      const raw = body as Buffer;
      (request as FastifyRequest).rawBody = raw;
      try {
        done(null, raw.length === 0 ? {} : JSON.parse(raw.toString("utf8")));
      } catch (error) {
        (error as { statusCode?: number }).statusCode = 400;
        done(error as Error, undefined);
      }
    });
    peers.addHook("preValidation", async (request) => {
      try {
        const claims = await verifyRequest({
          header: request.headers[SIGNATURE_HEADER] as string | undefined,
          me: node.federation.nodeId,
          method: request.method,
          path: request.url,
          body: request.rawBody ?? "",
          peers: node.federation,
          replay: node.federation.replay,
          now: node.clock(),
        });
        const member = node.federation.member(claims.iss) as Member;
        request.peer = { member, claims };
      } catch (error) {
        if (error instanceof SignatureRefusedError) {
          request.auditNote = error.code;
          request.log.warn({ event: "federation.refused", reason: error.code, url: request.url }, error.message);
        }
        throw error;
      }
    });
    peers.addHook("onSend", async (request, reply, payload) => {
      if (!request.peer) return payload;
      const body = typeof payload === "string" ? payload : payload === null ? "" : String(payload);
      reply.header(
        SIGNATURE_HEADER,
        await signResponse(node.federation.signer, request.peer.claims, reply.statusCode, body, node.clock()),
      );
      return body;
    });

    const peerOf = (request: FastifyRequest) => (request.peer as { member: Member }).member;
    const peerConfig = (kind: string) =>
      ({ public: true, audit: kind, rateLimit: { max: 60_000, timeWindow: "1 minute" } }) as const;
    /**
     * A node-to-node route: audited under `kind`, its body an object of exactly `properties` (all required but
     * `optional`), answered by `handle` for the verified sending node.
     */
    const peerRoute = <Body>(
      path: string,
      kind: string,
      properties: Record<string, object>,
      handle: (peer: Member, body: Body) => Promise<unknown>,
      optional: string[] = [],
      response?: object,
    ) =>
      peers.post<{ Body: Body }>(
        path,
        {
          config: peerConfig(kind),
          schema: {
            hide: true,
            body: {
              type: "object",
              required: Object.keys(properties).filter((name) => !optional.includes(name)),
              additionalProperties: false,
              properties,
            },
            // An answer's schema also filters it: nothing outside it is sent.
            ...(response ? { response: { 200: response } } : {}),
          },
        },
        async (request) => handle(peerOf(request), request.body as Body),
      );
    const querySchema = {
      type: "object",
      required: ["schema", "properties"],
      additionalProperties: false,
      properties: { schema: { type: "string", enum: Object.keys(MATCH_FIELDS) }, properties: queryProperties },
    };
    const id = { type: "string", maxLength: 64 };
    const urgency = { type: "string", enum: [...URGENCIES] };
    const assertion = { type: "string", maxLength: 8192 };

    peerRoute<PartnerSearchBody>(
      SEARCH_PATH,
      "federation.search-received",
      { query: querySchema, purpose: text(500), caseReference: text(100), urgency, assertion },
      (peer, body) => node.federatedSearch.answer(peer, body),
      [],
      { type: "object", properties: { hits: { type: "array", items: partnerHitSchema } } },
    );
    peerRoute<PartnerRequestBody>(
      REQUESTS_PATH,
      "exchange.request-received",
      {
        requestId: id,
        reference: id,
        justification: text(2000),
        purpose: text(500),
        caseReference: text(100),
        urgency,
        assertion,
      },
      (peer, body) => node.exchange.receiveRequest(peer, body),
    );
    peerRoute<{ release: string }>(
      RELEASES_PATH,
      "exchange.release-received",
      { release: { type: "string", maxLength: 1_000_000 } },
      (peer, body) => node.exchange.receiveRelease(peer, body),
    );
    peerRoute<{ requestId: string; status: string; reason?: string }>(
      DECISIONS_PATH,
      "exchange.decision-received",
      { requestId: id, status: { type: "string", enum: ["denied"] }, reason: { type: "string", maxLength: 2000 } },
      (peer, body) => node.exchange.receiveDecision(peer, body),
      ["reason"],
    );
    peerRoute<{ releaseId: string; kind: "retract" | "purge"; statementIds?: string[] }>(
      RETRACTIONS_PATH,
      "exchange.retraction-received",
      {
        releaseId: id,
        kind: { type: "string", enum: ["retract", "purge"] },
        statementIds: { type: "array", maxItems: 1000, items: id },
      },
      (peer, body) => node.exchange.receiveRetraction(peer, body),
      ["statementIds"],
    );
    peerRoute<WatchBody>(
      WATCHES_PATH,
      "federation.watch-received",
      {
        subscriptionId: id,
        query: querySchema,
        legalBasis: text(500),
        purpose: text(500),
        caseReference: text(100),
        expiresAt: { type: "string", maxLength: 40 },
        assertion,
      },
      (peer, body) => node.subscriptions.receiveWatch(peer, body),
    );
    peerRoute<NoticeBody>(
      NOTICES_PATH,
      "federation.notice-received",
      {
        subscriptionId: id,
        reference: id,
        band: { type: "string", enum: ["match", "possible"] },
        pointOfContact: {
          type: "object",
          required: ["name", "email"],
          additionalProperties: false,
          properties: {
            name: { type: "string", maxLength: 200 },
            email: { type: "string", maxLength: 200 },
            phone: { type: "string", maxLength: 50 },
          },
        },
      },
      (peer, body) => node.subscriptions.receiveNotice(peer, body),
    );
    const accepted = { type: "object", properties: { accepted: { type: "boolean" } } };
    peerRoute<CheckBody>(
      DECONFLICTION_CHECKS_PATH,
      "deconfliction.check-received",
      {
        checkId: id,
        item: {
          oneOf: [
            {
              type: "object",
              required: ["kind", "id", "subject"],
              additionalProperties: false,
              properties: { kind: { const: "target" }, id, subject: subjectSchema },
            },
            {
              type: "object",
              required: ["kind", "id", "area", "startsAt", "endsAt"],
              additionalProperties: false,
              properties: {
                kind: { const: "operation" },
                id,
                area: areaSchema,
                startsAt: text(40),
                endsAt: text(40),
              },
            },
          ],
        },
        contact: contactSchema,
      },
      (peer, body) => node.deconfliction.receiveCheck(peer, body),
      [],
      accepted,
    );
    peerRoute<DeconflictionNoticeBody>(
      DECONFLICTION_NOTICES_PATH,
      "deconfliction.notice-received",
      {
        noticeId: id,
        itemKind: { type: "string", enum: ["target", "operation", "search"] },
        itemId: id,
        contact: contactSchema,
        padding: { type: "string", maxLength: 2048 },
      },
      (peer, body) => node.deconfliction.receiveNotice(peer, body),
      [],
      accepted,
    );
    peerRoute<{ signedHead: string }>(
      HEADS_PATH,
      "audit.head-received",
      { signedHead: { type: "string", maxLength: 4096 } },
      (peer, body) => node.witness.receiveHead(peer, body),
    );
    peerRoute<{ from: number; to: number }>(
      CONSISTENCY_PATH,
      "audit.proof-served",
      { from: { type: "integer", minimum: 0 }, to: { type: "integer", minimum: 0 } },
      async (_peer, { from, to }) => {
        if (from > to || to > (await node.audit.size()))
          throw new ValidationFailedError([{ path: "to", code: "no_such_size", message: "no log of that size" }]);
        return node.witness.consistency({ from, to });
      },
    );
    // Read, not sent: each partner asks for the lookouts that changed since the version it holds.
    peers.get<{ Querystring: { since: number } }>(
      BORDER_LOOKOUTS_PATH,
      {
        config: peerConfig("border.lookouts-served"),
        schema: {
          hide: true,
          querystring: {
            type: "object",
            required: ["since"],
            additionalProperties: false,
            properties: { since: { type: "integer", minimum: 0 } },
          },
          response: { 200: partnerLookoutPageSchema },
        },
      },
      async (request) => node.screening.lookoutsForPartner(peerOf(request), request.query.since),
    );
  });
}
