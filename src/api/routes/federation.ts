// The federation over HTTP. Users ask through POST /api/v1/search; partner nodes talk to /federation/v1/*, where
// no session exists: every request must carry a valid node signature (checked in one hook before any handler),
// and every answer is signed in turn. Refusals are logged with their reason for the audit trail.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Member } from "../../federation/manifest.ts";
import {
  DEFAULT_DEADLINE_MS,
  type FederatedSearchRequest,
  type PartnerSearchBody,
  SEARCH_PATH,
  URGENCIES,
} from "../../federation/search-service.ts";
import {
  type RequestClaims,
  SIGNATURE_HEADER,
  SignatureRefusedError,
  signResponse,
  verifyRequest,
} from "../../federation/transport.ts";
import { MATCH_FIELDS } from "../../matching/entity-records.ts";
import type { PuenteNode } from "../../node/node.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

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
        },
      },
    },
    async (request) => node.federatedSearch.search(principalOf(request), request.body),
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
          now: new Date(),
        });
        const member = node.federation.member(claims.iss) as Member;
        request.peer = { member, claims };
      } catch (error) {
        if (error instanceof SignatureRefusedError)
          request.log.warn({ event: "federation.refused", reason: error.code, url: request.url }, error.message);
        throw error;
      }
    });
    peers.addHook("onSend", async (request, reply, payload) => {
      if (!request.peer) return payload;
      const body = typeof payload === "string" ? payload : payload === null ? "" : String(payload);
      reply.header(
        SIGNATURE_HEADER,
        await signResponse(node.federation.signer, request.peer.claims, reply.statusCode, body, new Date()),
      );
      return body;
    });

    peers.post<{ Body: PartnerSearchBody }>(
      SEARCH_PATH,
      {
        config: { public: true, rateLimit: { max: 60_000, timeWindow: "1 minute" } },
        schema: {
          hide: true,
          body: {
            type: "object",
            required: ["query", "purpose", "caseReference", "urgency", "assertion"],
            additionalProperties: false,
            properties: {
              query: {
                type: "object",
                required: ["schema", "properties"],
                additionalProperties: false,
                properties: {
                  schema: { type: "string", enum: Object.keys(MATCH_FIELDS) },
                  properties: queryProperties,
                },
              },
              purpose: text(500),
              caseReference: text(100),
              urgency: { type: "string", enum: [...URGENCIES] },
              assertion: { type: "string", maxLength: 8192 },
            },
          },
          response: { 200: { type: "object", properties: { hits: { type: "array", items: partnerHitSchema } } } },
        },
      },
      async (request) => node.federatedSearch.answer((request.peer as { member: Member }).member, request.body),
    );
  });
}
