// Builds a node's HTTP API: security headers, rate limits, body limits, problem+json errors, OpenAPI at
// /api/v1/openapi.json, metrics at /metrics, and authentication resolved in one hook for every route that is
// not explicitly public. Routes are thin: they call the node's services.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type RouteOptions } from "fastify";
import { UnauthenticatedError } from "../auth/auth-service.ts";
import { ConfigError } from "../node/config.ts";
import type { PuenteNode } from "../node/node.ts";
import { AfterCommitError } from "../store/transaction-scope.ts";
import "./principal.ts";
import { installMetrics } from "./metrics.ts";
import {
  AUDIT_UNAVAILABLE,
  handleError,
  NOT_FOUND_OR_NO_ACCESS,
  PROBLEM_CONTENT_TYPE,
  sendProblem,
} from "./problems.ts";
import { registerAdminRoutes } from "./routes/admin.ts";
import { registerAuthRoutes } from "./routes/auth.ts";
import { registerBorderRoutes } from "./routes/border.ts";
import { registerBorderAlertRoutes } from "./routes/border-alerts.ts";
import { registerBorderSealRoutes } from "./routes/border-seals.ts";
import { registerDeconflictionRoutes } from "./routes/deconfliction.ts";
import { registerEntityRoutes } from "./routes/entities.ts";
import { registerFederationRoutes } from "./routes/federation.ts";
import { registerGraphRoutes } from "./routes/graph.ts";
import { registerMatchRoutes } from "./routes/match.ts";
import { registerOversightRoutes } from "./routes/oversight.ts";
import { registerPublicRoutes } from "./routes/public.ts";
import { registerWebApp } from "./web-app.ts";

/** Request fields kept in the audit log: what was asked and why. Passwords, codes and tokens are never listed. */
const AUDITED_FIELDS = [
  "username",
  "schema",
  "properties",
  "purpose",
  "caseReference",
  "urgency",
  "partner",
  "reference",
  "justification",
  "decision",
  "redact",
  "reason",
  "legalBasis",
  "expiresAt",
  "requestId",
  "releaseId",
  "subscriptionId",
  "kind",
  "statementIds",
  "query",
  "roles",
  "clearance",
  "cfr28Trained",
] as const;

const RECORD_FIELDS = ["id", "schema", "property", "markings"] as const;

export interface ServerOptions {
  /** pino logger options, or false for none. */
  logger?: boolean | object;
  /** Called with every route as it is added (tests read the schemas of routes the OpenAPI document hides). */
  onRoute?: (route: RouteOptions) => void;
}

/** The certificate and key of a node configured for TLS, read from its data directory. */
function tlsOptions(node: PuenteNode): { cert: Buffer; key: Buffer } | undefined {
  const tls = node.config.tls;
  if (!tls) return undefined;
  const read = (file: string, what: string) => {
    const path = resolve(node.dir, file);
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError(`${path}: cannot read the TLS ${what}: ${(error as Error).message}`);
    }
  };
  return { cert: read(tls.certFile, "certificate"), key: read(tls.keyFile, "key") };
}

export async function buildServer(node: PuenteNode, options: ServerOptions = {}): Promise<FastifyInstance> {
  const https = tlsOptions(node);
  const app = Fastify({
    ...(https ? { https } : {}),
    logger: options.logger ?? false,
    bodyLimit: node.config.bodyLimitBytes,
    routerOptions: { maxParamLength: 300 },
    // Refuse unknown fields instead of silently dropping them, and never turn an array into a scalar.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allowUnionTypes: true } },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, NOT_FOUND_OR_NO_ACCESS));

  await app.register(helmet, { global: true });
  await app.register(rateLimit, { max: node.config.rateLimitPerMinute ?? 1200, timeWindow: "1 minute" });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: `Puente node API (${node.config.nodeId})`,
        version: "1.0.0",
        description: "The API of one Puente node. Errors are application/problem+json with a stable type URI.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
  const metrics = installMetrics(app, node.config.nodeId);

  // A route that forgets its audit kind fails at start, not silently in production.
  const auditKinds = new Set<string>();
  app.decorate("auditKinds", auditKinds);
  app.addHook("onRoute", (route) => {
    options.onRoute?.(route);
    const config = route.config;
    if (config?.atomic && !config.audit)
      throw new Error(`${route.method} ${route.url}: an atomic route names its audit kind`);
    if (config?.audit) auditKinds.add(config.audit);
    if (config?.audit || config?.public || config?.unaudited) return;
    throw new Error(
      `${route.method} ${route.url}: name the route's audit kind (config.audit), or say why it is not audited (config.unaudited)`,
    );
  });

  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/iu.exec(header);
    if (!match?.[1]) throw new UnauthenticatedError("send Authorization: Bearer <session or API token>");
    request.principal = await node.auth.authenticate(match[1]);
  });

  // An atomic route's request runs inside a transaction from here on (after authentication and validation).
  const transactions = node.database.transactions;
  app.addHook("preHandler", (request, _reply, done) => {
    if (!request.routeOptions.config?.atomic) return done();
    transactions.open().then(
      (scope) => {
        request.transaction = scope;
        transactions.enter(scope, () => done());
      },
      (error: Error) => done(error),
    );
  });

  // A request that ended without its transaction ending (an earlier hook failed) gives the connection back.
  app.addHook("onResponse", async (request) => {
    if (request.transaction?.open) await transactions.rollback(request.transaction);
  });

  // Audit in one place: requests to routes that name an audit kind are logged with who made them, the fields that
  // say what and why (never secrets: only the fields listed here), and the status they got. The entry is written
  // before the answer leaves: an answer whose entry cannot be written is withheld (503), so nothing is disclosed
  // that the log does not show. An atomic route's entry is written in the request's transaction, which then
  // commits: a change is kept only with its entry. A server error undoes whatever the request had half done.
  app.addHook("onSend", async (request, reply, payload) => {
    const kind = request.routeOptions.config?.audit;
    if (!kind) return payload;
    const scope = request.transaction;
    const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >;
    const details: Record<string, unknown> = { status: reply.statusCode };
    // For a record, which one (the route's ids, the body's id and schema) and the markings a change sets, never its
    // values: a purge must not leave them behind in the log.
    const fields = kind.startsWith("record.") ? RECORD_FIELDS : AUDITED_FIELDS;
    for (const field of fields) if (body[field] !== undefined) details[field] = body[field];
    if (typeof request.params === "object" && request.params !== null && Object.keys(request.params).length > 0)
      details.target = request.params;
    // What a read asked for (the audit explorer's filters, say): query strings carry no secrets or record values.
    if (
      request.method === "GET" &&
      typeof request.query === "object" &&
      request.query !== null &&
      Object.keys(request.query).length > 0
    )
      details.filter = request.query;
    if (request.auditNote) details.refused = request.auditNote;
    const actor = request.principal
      ? `user:${request.principal.userId}`
      : request.peer
        ? `node:${request.peer.member.nodeId}`
        : `address:${request.ip}`;
    try {
      if (scope && reply.statusCode >= 500) await transactions.rollback(scope);
      await node.audit.append({ kind, actor, details });
      if (scope?.open) await transactions.commit(scope);
      return payload;
    } catch (error) {
      if (error instanceof AfterCommitError) {
        // The change and its entry are kept; what follows them (the matching index, say) did not keep up.
        request.log.error({ err: error.cause }, "work after a committed change failed");
        return payload;
      }
      if (scope) await transactions.rollback(scope);
      request.log.error({ err: error }, "could not write the audit log; the answer is withheld");
      reply.status(AUDIT_UNAVAILABLE.status).type(PROBLEM_CONTENT_TYPE);
      return JSON.stringify(AUDIT_UNAVAILABLE);
    }
  });

  await app.register(
    async (api) => {
      registerPublicRoutes(api, node, metrics);
      registerAuthRoutes(api, node);
      registerEntityRoutes(api, node);
      registerMatchRoutes(api, node);
      registerFederationRoutes(api, node);
      registerDeconflictionRoutes(api, node);
      registerBorderRoutes(api, node);
      registerBorderSealRoutes(api, node);
      registerBorderAlertRoutes(api, node);
      registerGraphRoutes(api, node);
      registerOversightRoutes(api, node);
      registerAdminRoutes(api, node);
      registerWebApp(api);
    },
    { prefix: "" },
  );
  return app;
}
