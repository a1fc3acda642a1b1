// The audit explorer over HTTP, for the oversight role: the log newest first, filtered and paged by position, and
// its integrity check. Reading the log is itself logged (each route names an audit kind). Each handler is one call
// to the oversight service, which checks access.
import type { FastifyInstance } from "fastify";
import type { PuenteNode } from "../../node/node.ts";
import type { AuditFilter } from "../../records/oversight-service.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

const errors = { 400: problemSchema, 404: problemSchema, 422: problemSchema } as const;

export function registerOversightRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.get<{ Querystring: Partial<AuditFilter> }>(
    "/api/v1/oversight/audit",
    {
      config: { audit: "oversight.audit-read" },
      schema: {
        tags: ["oversight"],
        summary: "The audit log, newest first, filtered by kind, actor and time, a page at a time (oversight)",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            kind: { type: "string", minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9._:-]*\\*?$" },
            actor: { type: "string", minLength: 1, maxLength: 200 },
            from: { type: "string", minLength: 4, maxLength: 40 },
            to: { type: "string", minLength: 4, maxLength: 40 },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
            before: { type: "integer", minimum: 1 },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["entries"],
            properties: {
              entries: {
                type: "array",
                items: {
                  type: "object",
                  required: ["seq", "at", "kind", "actor", "details"],
                  properties: {
                    seq: { type: "integer" },
                    at: { type: "string" },
                    kind: { type: "string" },
                    actor: { type: "string" },
                    actorUsername: { type: "string" },
                    details: { type: "object", additionalProperties: true },
                  },
                },
              },
              next: { type: "integer" },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const { kind, actor, from, to, before, limit = 100 } = request.query;
      return node.oversight.auditLog(principalOf(request), { kind, actor, from, to, before, limit });
    },
  );

  app.get(
    "/api/v1/oversight/audit/verify",
    {
      config: { audit: "oversight.audit-verify" },
      schema: {
        tags: ["oversight"],
        summary: "Recompute every audit entry's hash and every signed tree head; name the first bad entry (oversight)",
        response: {
          200: {
            type: "object",
            required: ["ok", "entries", "heads"],
            properties: {
              ok: { type: "boolean" },
              entries: { type: "integer" },
              heads: { type: "integer" },
              firstBadSeq: { type: "integer" },
              reason: { type: "string" },
            },
          },
          404: problemSchema,
        },
      },
    },
    async (request) => node.oversight.verifyAudit(principalOf(request)),
  );
}
