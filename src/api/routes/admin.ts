// Node administration over HTTP, for administrators: accounts, the federation's membership and the node's Cedar
// policies. Every request is audited. Each handler is one call to the admin service, which checks access.
import type { FastifyInstance } from "fastify";
import type { NewUserInput } from "../../admin/admin-service.ts";
import { TLP_LEVELS } from "../../model/types.ts";
import type { PuenteNode } from "../../node/node.ts";
import { ROLES } from "../../policy/roles.ts";
import { principalOf } from "../principal.ts";
import { problemSchema } from "../problems.ts";

const errors = { 400: problemSchema, 404: problemSchema, 422: problemSchema } as const;

const rolesSchema = {
  type: "array",
  minItems: 1,
  maxItems: ROLES.length,
  uniqueItems: true,
  items: { type: "string", enum: [...ROLES] },
} as const;
const clearanceSchema = { type: "string", enum: [...TLP_LEVELS] } as const;

const userSchema = {
  type: "object",
  required: ["username", "displayName", "roles", "clearance", "cfr28Trained", "disabled", "locked", "createdAt"],
  properties: {
    username: { type: "string" },
    displayName: { type: "string" },
    roles: { type: "array", items: { type: "string" } },
    clearance: { type: "string" },
    cfr28Trained: { type: "boolean" },
    disabled: { type: "boolean" },
    locked: { type: "boolean" },
    lockedUntil: { type: "string" },
    createdAt: { type: "string" },
    lastSignInAt: { type: "string" },
  },
} as const;

const policySchema = {
  type: "object",
  required: ["source", "path", "text", "sha256"],
  properties: {
    source: { type: "string", enum: ["file", "default"] },
    path: { type: "string" },
    text: { type: "string" },
    sha256: { type: "string" },
    updatedAt: { type: "string" },
  },
} as const;

const usernameParams = {
  type: "object",
  required: ["username"],
  properties: { username: { type: "string", minLength: 1, maxLength: 64 } },
} as const;

export function registerAdminRoutes(app: FastifyInstance, node: PuenteNode): void {
  app.get(
    "/api/v1/admin/users",
    {
      config: { audit: "admin.users-read" },
      schema: {
        tags: ["admin"],
        summary: "The node's accounts: roles, clearance, locked or disabled, last sign-in (administrators)",
        response: {
          200: { type: "object", required: ["users"], properties: { users: { type: "array", items: userSchema } } },
          404: problemSchema,
        },
      },
    },
    async (request) => ({ users: await node.admin.listUsers(principalOf(request)) }),
  );

  app.post<{ Body: NewUserInput }>(
    "/api/v1/admin/users",
    {
      config: { audit: "admin.user-create", atomic: true },
      schema: {
        tags: ["admin"],
        summary: "Create an account; answers its TOTP secret (and a generated password) this once (administrators)",
        body: {
          type: "object",
          required: ["username", "roles"],
          additionalProperties: false,
          properties: {
            username: { type: "string", minLength: 2, maxLength: 64 },
            displayName: { type: "string", minLength: 1, maxLength: 200 },
            roles: rolesSchema,
            clearance: clearanceSchema,
            cfr28Trained: { type: "boolean" },
            password: { type: "string", minLength: 1, maxLength: 256 },
          },
        },
        response: {
          201: {
            type: "object",
            required: ["user", "totpSecret", "otpauthUri"],
            properties: {
              user: userSchema,
              password: { type: "string" },
              totpSecret: { type: "string" },
              otpauthUri: { type: "string" },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .header("cache-control", "no-store")
        .send(await node.admin.createUser(principalOf(request), request.body)),
  );

  app.put<{ Params: { username: string }; Body: { roles: string[]; clearance?: string } }>(
    "/api/v1/admin/users/:username/roles",
    {
      config: { audit: "admin.user-roles", atomic: true },
      schema: {
        tags: ["admin"],
        summary: "Give another account new roles and clearance (by default the roles' own) (administrators)",
        params: usernameParams,
        body: {
          type: "object",
          required: ["roles"],
          additionalProperties: false,
          properties: { roles: rolesSchema, clearance: clearanceSchema },
        },
        response: { 200: userSchema, ...errors },
      },
    },
    async (request) =>
      node.admin.setRoles(principalOf(request), request.params.username, request.body.roles, request.body.clearance),
  );

  app.get(
    "/api/v1/admin/federation",
    {
      config: { audit: "admin.federation-read" },
      schema: {
        tags: ["admin"],
        summary: "The federation as this node's manifest lists it: members, revoked nodes, this node (administrators)",
        response: {
          200: {
            type: "object",
            required: ["nodeId", "federation", "members"],
            properties: {
              nodeId: { type: "string" },
              federation: { type: ["string", "null"] },
              version: { type: "integer" },
              issuedAt: { type: "string" },
              issuedBy: { type: "string" },
              members: {
                type: "array",
                items: {
                  type: "object",
                  required: ["nodeId", "fingerprint", "roles", "self", "signed", "revoked"],
                  properties: {
                    nodeId: { type: "string" },
                    agency: { type: "string" },
                    country: { type: "string" },
                    endpoint: { type: "string" },
                    fingerprint: { type: "string" },
                    roles: { type: "array", items: { type: "string" } },
                    self: { type: "boolean" },
                    signed: { type: "boolean" },
                    revoked: { type: "boolean" },
                    revokedAt: { type: "string" },
                    reason: { type: "string" },
                  },
                },
              },
            },
          },
          404: problemSchema,
        },
      },
    },
    async (request) => node.admin.federationView(principalOf(request)),
  );

  app.get(
    "/api/v1/admin/policies",
    {
      config: { audit: "admin.policies-read" },
      schema: {
        tags: ["admin"],
        summary: "The Cedar policies this node enforces for partners, and where they come from (administrators)",
        response: { 200: policySchema, 404: problemSchema },
      },
    },
    async (request) => node.admin.policies(principalOf(request)),
  );

  app.put<{ Body: { text: string } }>(
    "/api/v1/admin/policies",
    {
      config: { audit: "admin.policies-replace" },
      schema: {
        tags: ["admin"],
        summary: "Replace the node's Cedar policies; text Cedar cannot parse is refused and changes nothing",
        body: {
          type: "object",
          required: ["text"],
          additionalProperties: false,
          properties: { text: { type: "string", maxLength: 262_144 } },
        },
        response: { 200: policySchema, ...errors },
      },
    },
    async (request) => node.admin.replacePolicies(principalOf(request), request.body.text),
  );
}
