// Routes that answer without sign-in: health, the OpenAPI document and Prometheus metrics. They reveal nothing
// about records.
import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import type { PuenteNode } from "../../node/node.ts";

export function registerPublicRoutes(app: FastifyInstance, node: PuenteNode, metrics: Registry): void {
  app.get(
    "/api/v1/health",
    {
      config: { public: true },
      schema: {
        tags: ["node"],
        summary: "Whether the node and its database answer",
        security: [],
        response: {
          200: {
            type: "object",
            properties: {
              status: { type: "string" },
              nodeId: { type: "string" },
              agency: { type: "string" },
              country: { type: "string" },
              database: { type: "string" },
            },
          },
        },
      },
    },
    async () => {
      await node.entityRepository.countEntities("Case");
      return {
        status: "ok",
        nodeId: node.config.nodeId,
        agency: node.config.agency,
        country: node.config.country,
        database: node.database.engine,
      };
    },
  );

  app.get("/api/v1/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  app.get("/metrics", { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );
}
