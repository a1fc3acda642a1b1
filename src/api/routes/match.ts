// Matching against this node's own records over HTTP: "who in our records is this person?", answered with scores
// and their explanations. The federation's search (step one of the exchange) builds on the same service.
import type { FastifyInstance } from "fastify";
import { MATCH_FIELDS } from "../../matching/entity-records.ts";
import type { EntityInput } from "../../model/types.ts";
import type { PuenteNode } from "../../node/node.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

interface MatchBody {
  schema: string;
  properties: Record<string, string | string[]>;
  threshold?: number;
  limit?: number;
}

const queryValue = { type: "string", minLength: 1, maxLength: 500 } as const;

const hitSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    schema: { type: "string" },
    score: { type: "number" },
    band: { type: "string", enum: ["match", "possible", "no-match"] },
    explanation: {
      type: "array",
      items: {
        type: "object",
        properties: { feature: { type: "string" }, outcome: { type: "string" }, weight: { type: "number" } },
      },
    },
  },
} as const;

export function registerMatchRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.post<{ Body: MatchBody }>(
    "/api/v1/match",
    {
      config: { audit: "match.query" },
      schema: {
        tags: ["matching"],
        summary: "Find this node's records that may describe the given person, with explained scores",
        body: {
          type: "object",
          required: ["schema", "properties"],
          additionalProperties: false,
          properties: {
            schema: { type: "string", enum: Object.keys(MATCH_FIELDS) },
            properties: {
              type: "object",
              minProperties: 1,
              maxProperties: 30,
              additionalProperties: { anyOf: [queryValue, { type: "array", maxItems: 20, items: queryValue }] },
            },
            threshold: { type: "number", minimum: 0, maximum: 1, default: 0.5 },
            limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
          },
        },
        response: {
          200: { type: "object", properties: { hits: { type: "array", items: hitSchema } } },
          422: problemSchema,
        },
      },
    },
    async (request) => {
      const { schema, properties, threshold, limit } = request.body;
      const query: EntityInput = { id: "query", schema, properties };
      const hits = await node.matches.searchEntity(principalOf(request), query, {
        ...(threshold !== undefined ? { threshold } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      return { hits };
    },
  );
}
