// Prometheus metrics for one node: request counts and latencies by route, plus the process defaults.
// Each node has its own registry, so several nodes in one process (the demo) do not mix their figures.
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export function installMetrics(app: FastifyInstance, nodeId: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ node: nodeId });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "puente_http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "puente_http_request_duration_seconds",
    help: "HTTP request latency by route",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook("onResponse", async (request, reply) => {
    // The route pattern, never the raw URL: raw URLs would carry entity ids into the metrics.
    const route = request.routeOptions.url ?? "unmatched";
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  return registry;
}
