// The node's own records over HTTP. Each handler is one call to the entity service, which checks access.
import type { FastifyInstance } from "fastify";
import { concreteSchemaNames } from "../../model/schema.ts";
import type { EntityInput, MarkingsInput, ValueInput } from "../../model/types.ts";
import type { PuenteNode } from "../../node/node.ts";
import type { ReviewDecision } from "../../records/review-service.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

const markingsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    tlp: { type: "string", maxLength: 20 },
    sourceGrade: { type: "string", maxLength: 1 },
    infoGrade: { type: "string", maxLength: 1 },
    grading: { type: "string", maxLength: 40 },
    handlingCode: { type: "string", maxLength: 2 },
    releasableCountries: { type: "array", maxItems: 250, items: { type: "string", maxLength: 2 } },
    releasableAgencies: { type: "array", maxItems: 200, items: { type: "string", maxLength: 100 } },
    useRestrictions: { type: "array", maxItems: 10, items: { type: "string", maxLength: 40 } },
    legalBasis: { type: "string", maxLength: 500 },
    criminalIntelligence: { type: "boolean" },
    reasonableSuspicion: { type: ["string", "null"], maxLength: 2000 },
    reviewBy: { type: "string", maxLength: 10 },
  },
} as const;

const valueSchema = {
  anyOf: [
    { type: "string", maxLength: 10_000 },
    { type: "number" },
    {
      type: "object",
      required: ["value"],
      additionalProperties: false,
      properties: {
        value: { type: ["string", "number"] },
        markings: markingsSchema,
        provenance: {
          type: "object",
          additionalProperties: false,
          properties: {
            sourceRecord: { type: "string", maxLength: 500 },
            collectedAt: { type: "string", maxLength: 40 },
          },
        },
      },
    },
  ],
} as const;

const statementSchema = { type: "object", additionalProperties: true } as const;
const entitySchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    schema: { type: "string" },
    statements: { type: "array", items: statementSchema },
  },
} as const;
const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 300 } } } as const;
const statementParams = {
  type: "object",
  required: ["id", "statementId"],
  properties: { id: { type: "string", maxLength: 300 }, statementId: { type: "string", maxLength: 64 } },
} as const;
type StatementParams = { Params: { id: string; statementId: string } };
const errors = { 404: problemSchema, 422: problemSchema } as const;

export function registerEntityRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.get(
    "/api/v1/schemata",
    {
      config: { unaudited: "the names of the schemata this node accepts: no record" },
      schema: { tags: ["model"], summary: "The entity schemata this node accepts" },
    },
    async () => ({
      schemata: concreteSchemaNames(),
    }),
  );

  app.post<{ Body: EntityInput }>(
    "/api/v1/entities",
    {
      config: { audit: "record.write", atomic: true },
      schema: {
        tags: ["entities"],
        summary: "Record an entity (statements for an existing id are added to it)",
        body: {
          type: "object",
          required: ["id", "schema", "properties"],
          additionalProperties: false,
          properties: {
            id: { type: "string", maxLength: 200 },
            schema: { type: "string", maxLength: 64 },
            properties: {
              type: "object",
              maxProperties: 100,
              additionalProperties: { anyOf: [valueSchema, { type: "array", maxItems: 200, items: valueSchema }] },
            },
            markings: markingsSchema,
            provenance: valueSchema.anyOf[2].properties.provenance,
          },
        },
        response: { 201: entitySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await node.entities.saveEntity(principalOf(request), request.body)),
  );

  app.get<{ Querystring: { schema?: string; after?: string; limit?: number } }>(
    "/api/v1/entities",
    {
      config: { audit: "record.list" },
      schema: {
        tags: ["entities"],
        summary: "List records, a page at a time",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            schema: { type: "string", maxLength: 64 },
            after: { type: "string", maxLength: 200 },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
          },
        },
        response: {
          200: {
            type: "object",
            properties: { entities: { type: "array", items: entitySchema }, next: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const { schema, after, limit = 50 } = request.query;
      return node.entities.listEntities(principalOf(request), {
        limit,
        ...(schema ? { schema } : {}),
        ...(after ? { after } : {}),
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/entities/:id",
    {
      config: { audit: "record.read" },
      schema: {
        tags: ["entities"],
        summary: "One record",
        params: idParams,
        response: { 200: entitySchema, ...errors },
      },
    },
    async (request) => node.entities.getEntity(principalOf(request), request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/entities/:id",
    {
      config: { audit: "record.purge", atomic: true },
      schema: {
        tags: ["entities"],
        summary: "Purge a record and all its statements",
        params: idParams,
        response: errors,
      },
    },
    async (request, reply) => {
      await node.entities.deleteEntity(principalOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { property: string; value: ValueInput } }>(
    "/api/v1/entities/:id/statements",
    {
      config: { audit: "record.write", atomic: true },
      schema: {
        tags: ["statements"],
        summary: "Add a statement to a record",
        params: idParams,
        body: {
          type: "object",
          required: ["property", "value"],
          additionalProperties: false,
          properties: { property: { type: "string", maxLength: 64 }, value: valueSchema },
        },
        response: { 201: entitySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await node.entities.addStatement(
            principalOf(request),
            request.params.id,
            request.body.property,
            request.body.value,
          ),
        ),
  );

  app.get<StatementParams>(
    "/api/v1/entities/:id/statements/:statementId",
    {
      config: { audit: "record.read" },
      schema: {
        tags: ["statements"],
        summary: "One statement",
        params: statementParams,
        response: { 200: statementSchema, ...errors },
      },
    },
    async (request) => node.entities.getStatement(principalOf(request), request.params.id, request.params.statementId),
  );

  app.patch<StatementParams & { Body: { markings: MarkingsInput } }>(
    "/api/v1/entities/:id/statements/:statementId/markings",
    {
      config: { audit: "record.remark", atomic: true },
      schema: {
        tags: ["statements"],
        summary: "Change a statement's markings",
        params: statementParams,
        body: {
          type: "object",
          required: ["markings"],
          additionalProperties: false,
          properties: { markings: markingsSchema },
        },
        response: { 200: statementSchema, ...errors },
      },
    },
    async (request) =>
      node.entities.remarkStatement(
        principalOf(request),
        request.params.id,
        request.params.statementId,
        request.body.markings,
      ),
  );

  app.post<StatementParams>(
    "/api/v1/entities/:id/statements/:statementId/retract",
    {
      config: { audit: "record.retract", atomic: true },
      schema: {
        tags: ["statements"],
        summary: "Retract a statement",
        params: statementParams,
        response: { 200: statementSchema, ...errors },
      },
    },
    async (request) =>
      node.entities.retractStatement(principalOf(request), request.params.id, request.params.statementId),
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/oversight/records/:id/access",
    {
      config: { audit: "oversight.record-access" },
      schema: {
        tags: ["oversight"],
        summary:
          "Who saw this record: partner users served a hit, asking for details or receiving a release (oversight)",
        params: idParams,
        response: {
          200: {
            type: "object",
            properties: { access: { type: "array", items: { type: "object", additionalProperties: true } } },
          },
          ...errors,
        },
      },
    },
    async (request) => ({ access: await node.oversight.whoSaw(principalOf(request), request.params.id) }),
  );

  app.get<{ Querystring: { withinDays?: number } }>(
    "/api/v1/review",
    {
      config: { audit: "review.queue-read" },
      schema: {
        tags: ["review"],
        summary: "Statements due for review (28 CFR Part 23) within the given days, overdue first (supervisors)",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { withinDays: { type: "integer", minimum: 0, maximum: 3650, default: 30 } },
        },
        response: { 200: { type: "object", properties: { statements: { type: "array", items: statementSchema } } } },
      },
    },
    async (request) => ({
      statements: await node.review.due(principalOf(request), request.query.withinDays ?? 30),
    }),
  );

  app.post<{ Body: ReviewDecision }>(
    "/api/v1/review/decision",
    {
      config: { audit: "review.decision", atomic: true },
      schema: {
        tags: ["review"],
        summary: "Keep a statement (with a reason and the next review date) or purge it (reaches every recipient)",
        body: {
          type: "object",
          required: ["entityId", "statementId", "decision", "reason"],
          additionalProperties: false,
          properties: {
            entityId: { type: "string", maxLength: 300 },
            statementId: { type: "string", maxLength: 64 },
            decision: { type: "string", enum: ["retain", "purge"] },
            reason: { type: "string", minLength: 1, maxLength: 2000 },
            reviewBy: { type: "string", maxLength: 10 },
          },
        },
        response: { 200: statementSchema, ...errors },
      },
    },
    async (request) => node.review.decide(principalOf(request), request.body),
  );

  app.get(
    "/api/v1/oversight/alerts",
    {
      config: { audit: "oversight.alerts" },
      schema: {
        tags: ["oversight"],
        summary: "Insider-threat alerts of the last week (bursts, off-hours, fishing, bulk requests) with evidence",
        response: {
          200: {
            type: "object",
            properties: { alerts: { type: "array", items: { type: "object", additionalProperties: true } } },
          },
        },
      },
    },
    async (request) => ({ alerts: await node.oversight.alerts(principalOf(request)) }),
  );
}
