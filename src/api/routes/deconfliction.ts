// Deconfliction over HTTP: registering targets, operations and protected sources, and the desk's notices. Each
// handler is one call to the deconfliction service, which checks access.
import type { FastifyInstance } from "fastify";
import {
  OPERATION_TYPES,
  type OperationInput,
  OUTCOMES,
  type Outcome,
  RISK_LEVELS,
  type SourceInput,
  type TargetInput,
} from "../../deconfliction/deconfliction-service.ts";
import { TARGET_KINDS } from "../../deconfliction/target-index.ts";
import type { PuenteNode } from "../../node/node.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength });
export const contactSchema = {
  type: "object",
  required: ["name", "email"],
  additionalProperties: false,
  properties: { name: text(200), email: { type: "string", maxLength: 200 }, phone: { type: "string", maxLength: 50 } },
} as const;
export const subjectSchema = {
  type: "object",
  required: ["kind", "values"],
  additionalProperties: false,
  properties: {
    kind: { type: "string", enum: [...TARGET_KINDS] },
    values: {
      type: "object",
      maxProperties: 20,
      additionalProperties: { type: "array", maxItems: 20, items: { type: "string", maxLength: 300 } },
    },
    country: { type: "string", minLength: 2, maxLength: 2 },
  },
} as const;
const coordinate = { type: "number" };
export const areaSchema = {
  oneOf: [
    {
      type: "object",
      required: ["kind", "lat", "lon", "radiusM"],
      additionalProperties: false,
      properties: { kind: { const: "circle" }, lat: coordinate, lon: coordinate, radiusM: { type: "number" } },
    },
    {
      type: "object",
      required: ["kind", "points"],
      additionalProperties: false,
      properties: {
        kind: { const: "polygon" },
        points: {
          type: "array",
          minItems: 3,
          maxItems: 200,
          items: { type: "array", minItems: 2, maxItems: 2, items: coordinate },
        },
      },
    },
  ],
} as const;
const created = {
  201: { type: "object", properties: { id: { type: "string" } } },
  404: problemSchema,
  422: problemSchema,
};
const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 64 } } } as const;
const noticeSchema = { type: "object", additionalProperties: true } as const;

export function registerDeconflictionRoutes(app: FastifyInstance, node: PuenteNode): void {
  const service = node.deconfliction;
  app.post<{ Body: TargetInput }>(
    "/api/v1/deconfliction/targets",
    {
      config: { audit: "deconfliction.register-target", atomic: true },
      schema: {
        tags: ["deconfliction"],
        summary: "Register an investigation target; it is checked here and at every partner",
        body: {
          type: "object",
          required: ["subject", "caseReference", "contact"],
          additionalProperties: false,
          properties: { subject: subjectSchema, caseReference: text(100), contact: contactSchema },
        },
        response: created,
      },
    },
    async (request, reply) => reply.status(201).send(await service.registerTarget(principalOf(request), request.body)),
  );
  app.get(
    "/api/v1/deconfliction/targets",
    {
      config: { audit: "deconfliction.targets-read" },
      schema: { tags: ["deconfliction"], summary: "The targets this user registered" },
    },
    async (request) => ({ targets: await service.myTargets(principalOf(request)) }),
  );
  app.post<{ Body: OperationInput }>(
    "/api/v1/deconfliction/operations",
    {
      config: { audit: "deconfliction.register-operation", atomic: true },
      schema: {
        tags: ["deconfliction"],
        summary: "Register an operation (place and time window); it is checked here and at every partner",
        body: {
          type: "object",
          required: ["type", "area", "startsAt", "endsAt", "risk", "caseReference", "contact"],
          additionalProperties: false,
          properties: {
            type: { type: "string", enum: [...OPERATION_TYPES] },
            area: areaSchema,
            startsAt: text(40),
            endsAt: text(40),
            risk: { type: "string", enum: [...RISK_LEVELS] },
            caseReference: text(100),
            contact: contactSchema,
          },
        },
        response: created,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.registerOperation(principalOf(request), request.body)),
  );
  app.get(
    "/api/v1/deconfliction/operations",
    {
      config: { audit: "deconfliction.operations-read" },
      schema: { tags: ["deconfliction"], summary: "The operations this user registered" },
    },
    async (request) => ({ operations: await service.myOperations(principalOf(request)) }),
  );
  app.post<{ Body: SourceInput }>(
    "/api/v1/deconfliction/sources",
    {
      config: { audit: "deconfliction.register-source", atomic: true },
      schema: {
        tags: ["deconfliction"],
        summary: "Register a confidential human source; it never leaves this node",
        body: {
          type: "object",
          required: ["subject"],
          additionalProperties: false,
          properties: { subject: subjectSchema, area: areaSchema, handlerUserId: text(64) },
        },
        response: created,
      },
    },
    async (request, reply) => reply.status(201).send(await service.registerSource(principalOf(request), request.body)),
  );
  app.get(
    "/api/v1/deconfliction/notices",
    {
      config: { audit: "deconfliction.notices-read" },
      schema: {
        tags: ["deconfliction"],
        summary: "The deconfliction desk: notices, and the source alerts of which the user is the handler",
        response: { 200: { type: "object", properties: { notices: { type: "array", items: noticeSchema } } } },
      },
    },
    async (request) => ({ notices: await service.notices(principalOf(request)) }),
  );
  app.post<{ Params: { id: string } }>(
    "/api/v1/deconfliction/notices/:id/acknowledge",
    {
      config: { audit: "deconfliction.acknowledge", atomic: true },
      schema: { tags: ["deconfliction"], summary: "Acknowledge a notice", params: idParams },
    },
    async (request) => service.acknowledge(principalOf(request), request.params.id),
  );
  app.post<{ Params: { id: string }; Body: { outcome: Outcome; note?: string } }>(
    "/api/v1/deconfliction/notices/:id/outcome",
    {
      config: { audit: "deconfliction.outcome", atomic: true },
      schema: {
        tags: ["deconfliction"],
        summary: "Record how a conflict was resolved",
        params: idParams,
        body: {
          type: "object",
          required: ["outcome"],
          additionalProperties: false,
          properties: { outcome: { type: "string", enum: [...OUTCOMES] }, note: { type: "string", maxLength: 2000 } },
        },
      },
    },
    async (request) =>
      service.decide(principalOf(request), request.params.id, request.body.outcome, request.body.note ?? ""),
  );
}
