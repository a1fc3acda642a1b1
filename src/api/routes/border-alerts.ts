// Burst alerts over HTTP: the port supervisor's list of coordinated arrivals (bursts of linked crossings at one
// port), with every crossing of each burst, the ones referred and what links them. One call to the alert service,
// which checks access (border:supervise); reads are audited, since the links name registrants and addresses.
import type { FastifyInstance } from "fastify";
import { type BurstAlertQuery, MAX_ALERTS } from "../../border/burst-alerts.ts";
import { LINK_KINDS } from "../../border/coordinated-arrivals.ts";
import type { PuenteNode } from "../../node/node.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

const ids = { type: "array", items: { type: "string" } } as const;
const alertSchema = {
  type: "object",
  properties: {
    burstId: { type: "string" },
    port: { type: "string" },
    firstSeen: { type: "string" },
    lastSeen: { type: "string" },
    size: { type: "integer" },
    crossingIds: ids,
    referred: ids,
    links: {
      type: "array",
      items: {
        type: "object",
        properties: {
          kind: { type: "string", enum: [...LINK_KINDS] },
          value: { type: "string" },
          crossings: { type: "integer" },
        },
      },
    },
    raisedAt: { type: "string" },
    updatedAt: { type: "string" },
  },
} as const;

export function registerBorderAlertRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.get<{ Querystring: BurstAlertQuery }>(
    "/api/v1/border/alerts",
    {
      config: { audit: "border.alerts-read" },
      schema: {
        tags: ["border"],
        summary: "Bursts of linked crossings (coordinated arrivals) by port, newest first (port supervisors)",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            port: { type: "string", pattern: "^[0-9]{4}$", description: "CBP port code" },
            since: { type: "string", format: "date-time", maxLength: 40, description: "last crossing at or after" },
            limit: { type: "integer", minimum: 1, maximum: MAX_ALERTS, default: 100 },
          },
        },
        response: {
          200: { type: "object", properties: { alerts: { type: "array", items: alertSchema } } },
          400: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request) => ({ alerts: await node.burstAlerts.list(principalOf(request), request.query) }),
  );
}
