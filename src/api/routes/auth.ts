// Sign-in, sign-out and "who am I". Sign-in has a tighter rate limit than the rest of the API.
import type { FastifyInstance } from "fastify";
import { DEFAULT_AUTH_POLICY } from "../../auth/auth-service.ts";
import type { PuenteNode } from "../../node/node.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

export function registerAuthRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.post<{ Body: { username: string; password: string; totp: string } }>(
    "/api/v1/auth/sign-in",
    {
      config: { public: true, audit: "auth.sign-in", rateLimit: { max: 30, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        summary: "Sign in with password and one-time code; returns a bearer session token",
        security: [],
        body: {
          type: "object",
          required: ["username", "password", "totp"],
          additionalProperties: false,
          properties: {
            username: { type: "string", minLength: 1, maxLength: 64 },
            password: { type: "string", minLength: 1, maxLength: 256 },
            totp: { type: "string", minLength: 6, maxLength: 10 },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              token: { type: "string" },
              idleTimeoutSeconds: { type: "integer" },
              user: {
                type: "object",
                properties: {
                  username: { type: "string" },
                  displayName: { type: "string" },
                  roles: { type: "array", items: { type: "string" } },
                },
              },
            },
          },
          401: problemSchema,
          423: problemSchema,
        },
      },
    },
    async (request) => {
      const { username, password, totp } = request.body;
      const { token, user } = await node.auth.signIn(username, password, totp);
      return {
        token,
        idleTimeoutSeconds: DEFAULT_AUTH_POLICY.idleTimeoutMs / 1000,
        user: { username: user.username, displayName: user.displayName, roles: user.roles },
      };
    },
  );

  app.post(
    "/api/v1/auth/sign-out",
    { config: { audit: "auth.sign-out" }, schema: { tags: ["auth"], summary: "End this session" } },
    async (request, reply) => {
      const token = /^Bearer\s+(\S+)$/iu.exec(request.headers.authorization ?? "")?.[1];
      if (token) await node.auth.signOut(token);
      return reply.status(204).send();
    },
  );

  app.get(
    "/api/v1/auth/me",
    { config: { unaudited: "the caller's own account" }, schema: { tags: ["auth"], summary: "The signed-in user" } },
    async (request) => {
      const { userId: _id, ...principal } = principalOf(request);
      return principal;
    },
  );
}
