// A record's link chart and timeline over HTTP, for the web application. Each handler is one call to the graph
// service, which reads every entity through the same access check as GET /api/v1/entities/{id}.
import type { FastifyInstance } from "fastify";
import type { PuenteNode } from "../../node/node.ts";
import { MAX_DEPTH } from "../../records/graph-service.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 300 } } } as const;
const errors = { 400: problemSchema, 404: problemSchema } as const;

const nodeSchema = {
  type: "object",
  required: ["id", "schema", "caption"],
  properties: {
    id: { type: "string" },
    schema: { type: "string" },
    caption: { type: "string" },
    latitude: { type: "number" },
    longitude: { type: "number" },
    date: { type: "string" },
    released: { type: "boolean" },
    owner: { type: "string" },
    releaseId: { type: "string" },
  },
} as const;

const edgeSchema = {
  type: "object",
  required: ["source", "target", "label"],
  properties: {
    source: { type: "string" },
    target: { type: "string" },
    label: { type: "string" },
    relation: { type: "string" },
    score: { type: "number" },
  },
} as const;

const eventSchema = {
  type: "object",
  required: ["id"],
  properties: {
    id: { type: "string" },
    eventType: { type: "string" },
    date: { type: "string" },
    port: { type: "string" },
    location: { type: "string" },
    latitude: { type: "number" },
    longitude: { type: "number" },
    summary: { type: "string" },
    via: { type: "string" },
  },
} as const;

export function registerGraphRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.get<{ Params: { id: string }; Querystring: { depth?: number } }>(
    "/api/v1/entities/:id/neighbourhood",
    {
      config: { audit: "record.read" },
      schema: {
        tags: ["entities"],
        summary:
          "A record and the records linked to it, one or two steps out, as nodes and edges (only what the user may read)",
        params: idParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { depth: { type: "integer", minimum: 1, maximum: MAX_DEPTH, default: 1 } },
        },
        response: {
          200: {
            type: "object",
            required: ["root", "nodes", "edges", "truncated"],
            properties: {
              root: { type: "string" },
              nodes: { type: "array", items: nodeSchema },
              edges: { type: "array", items: edgeSchema },
              truncated: { type: "boolean" },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => node.graph.neighbourhood(principalOf(request), request.params.id, request.query.depth ?? 1),
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/entities/:id/timeline",
    {
      config: { audit: "record.read" },
      schema: {
        tags: ["entities"],
        summary: "Events involving a record (and a person's or organisation's vehicles), in date order",
        params: idParams,
        response: {
          200: {
            type: "object",
            required: ["events"],
            properties: { events: { type: "array", items: eventSchema } },
          },
          ...errors,
        },
      },
    },
    async (request) => ({ events: await node.graph.timeline(principalOf(request), request.params.id) }),
  );
}
