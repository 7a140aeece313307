/** Prometheus metrics at /metrics: request counts and durations by route. */
import fp from "fastify-plugin";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const requests = new Counter({
  name: "http_requests_total",
  help: "HTTP requests by method, route and status",
  labelNames: ["method", "route", "status"] as const,
  registers: [registry],
});
const duration = new Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP request duration by method and route",
  labelNames: ["method", "route"] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const metricsPlugin = fp(async (app) => {
  app.addHook("onResponse", async (req, reply) => {
    // Unmatched URLs share one label so that scanners cannot blow up the series count.
    const route = req.routeOptions.url ?? "(unmatched)";
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
});
