// Seal monitoring over HTTP: shipments' plans, batches of electronic-seal reads and GPS fixes from lane systems and
// carriers' trackers, and what officers see: a shipment's track, alerts and express-lane eligibility. Each handler is
// one call to the seal service, which checks access and values; the schemas here check shapes.
import type { FastifyInstance } from "fastify";
import { type GpsFix, SEAL_ALERT_KINDS, type SealEvent, type ShipmentPlan } from "../../border/model.ts";
import { MAX_ROUTE_POINTS } from "../../border/seals/corridor.ts";
import { MAX_BATCH, MAX_PLACES, MAX_SEALS } from "../../border/seals/seal-input.ts";
import { MAX_ALERT_PAGE } from "../../border/seals/seal-service.ts";
import type { PuenteNode } from "../../node/node.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

/** A full batch is 10,000 items of up to ~500 bytes of JSON each: more than the node's default body limit. */
const BATCH_BODY_BYTES = 5 * 1024 * 1024;

const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength });
const number = { type: "number" };
const time = { type: "string", maxLength: 40, description: "ISO 8601 date-time with a zone" };
const place = (named: boolean) =>
  ({
    type: "object",
    required: named ? ["name", "lat", "lon", "radiusM"] : ["lat", "lon", "radiusM"],
    additionalProperties: false,
    properties: { ...(named ? { name: text(100) } : {}), lat: number, lon: number, radiusM: number },
  }) as const;

const planSchema = {
  type: "object",
  required: ["shipmentId", "route", "authorisedPlaces", "sealNumbers", "express"],
  additionalProperties: false,
  properties: {
    shipmentId: text(100),
    route: {
      type: "array",
      maxItems: MAX_ROUTE_POINTS,
      description: "the declared route as [lat, lon] points, in order",
      items: { type: "array", minItems: 2, maxItems: 2, items: number },
    },
    authorisedPlaces: { type: "array", maxItems: MAX_PLACES, items: place(true) },
    scheduledStops: { type: "array", maxItems: MAX_PLACES, items: place(false) },
    sealNumbers: { type: "array", maxItems: MAX_SEALS, items: text(100) },
    express: { type: "boolean" },
  },
} as const;

const fixSchema = {
  type: "object",
  required: ["shipmentId", "time", "lat", "lon"],
  additionalProperties: false,
  properties: { shipmentId: text(100), time, lat: number, lon: number, speed: number },
} as const;

const eventSchema = {
  type: "object",
  required: ["shipmentId", "manufacturer", "serial", "state", "time"],
  additionalProperties: false,
  properties: {
    shipmentId: text(100),
    manufacturer: text(100),
    serial: text(100),
    state: { type: "string", enum: ["sealed", "opened"] },
    battery: number,
    time,
    lat: number,
    lon: number,
  },
} as const;

const alertSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    shipmentId: { type: "string" },
    kind: { type: "string", enum: [...SEAL_ALERT_KINDS] },
    time: { type: "string" },
    detail: { type: "string" },
    lat: number,
    lon: number,
    raisedAt: { type: "string" },
  },
} as const;

const ingested = {
  200: {
    type: "object",
    properties: { accepted: { type: "integer" }, alerts: { type: "array", items: alertSchema } },
  },
  404: problemSchema,
  422: problemSchema,
};

export function registerBorderSealRoutes(app: FastifyInstance, node: PuenteNode): void {
  const service = node.seals;
  app.post<{ Body: ShipmentPlan }>(
    "/api/v1/border/shipments",
    {
      config: { audit: "border.shipment-register", atomic: true },
      schema: {
        tags: ["border"],
        summary: "Register a shipment's plan: declared route, authorised places, scheduled stops and seals",
        body: planSchema,
        response: {
          201: { type: "object", properties: { shipmentId: { type: "string" } } },
          404: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await service.registerPlan(principalOf(request), request.body)),
  );
  app.post<{ Body: { events: SealEvent[] } }>(
    "/api/v1/border/seal-events",
    {
      bodyLimit: BATCH_BODY_BYTES,
      config: { audit: "border.seal-events" },
      schema: {
        tags: ["border"],
        summary: `Electronic-seal reads, up to ${MAX_BATCH}; one bad read refuses the batch, naming its index`,
        body: {
          type: "object",
          required: ["events"],
          additionalProperties: false,
          properties: { events: { type: "array", maxItems: MAX_BATCH, items: eventSchema } },
        },
        response: ingested,
      },
    },
    async (request) => service.ingestEvents(principalOf(request), request.body.events),
  );
  app.post<{ Body: { fixes: GpsFix[] } }>(
    "/api/v1/border/gps-fixes",
    {
      bodyLimit: BATCH_BODY_BYTES,
      config: { audit: "border.gps-fixes" },
      schema: {
        tags: ["border"],
        summary: `GPS fixes, up to ${MAX_BATCH}; one bad fix refuses the batch, naming its index`,
        body: {
          type: "object",
          required: ["fixes"],
          additionalProperties: false,
          properties: { fixes: { type: "array", maxItems: MAX_BATCH, items: fixSchema } },
        },
        response: ingested,
      },
    },
    async (request) => service.ingestFixes(principalOf(request), request.body.fixes),
  );
  app.get<{ Params: { id: string } }>(
    "/api/v1/border/shipments/:id",
    {
      config: { audit: "border.shipment-read" },
      schema: {
        tags: ["border"],
        summary: "A shipment's plan, latest fixes and seal reads, alerts and express-lane eligibility",
        params: { type: "object", required: ["id"], properties: { id: text(100) } },
        response: {
          200: {
            type: "object",
            properties: {
              plan: planSchema,
              fixes: { type: "array", items: fixSchema },
              events: { type: "array", items: eventSchema },
              alerts: { type: "array", items: alertSchema },
              eligibility: {
                type: "object",
                properties: { eligible: { type: "boolean" }, reasons: { type: "array", items: alertSchema } },
              },
            },
          },
          404: problemSchema,
        },
      },
    },
    async (request) => service.shipment(principalOf(request), request.params.id),
  );
  app.get<{ Querystring: { since?: string; after?: string; limit?: number } }>(
    "/api/v1/border/seal-alerts",
    {
      config: { audit: "border.seal-alerts-read" },
      schema: {
        tags: ["border"],
        summary: "Seal alerts raised at or after `since`, in the order raised; page on with `after` = `next`",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            since: time,
            after: { type: "string", maxLength: 200 },
            limit: { type: "integer", minimum: 1, maximum: MAX_ALERT_PAGE },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              alerts: { type: "array", items: alertSchema },
              next: { type: ["string", "null"] },
            },
          },
          404: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request) => service.alertsSince(principalOf(request), request.query),
  );
}
