// Port-of-entry screening over HTTP: lookouts, screening crossings one at a time or in batches, the referral queue
// and its outcomes, and the suppression list. Each handler is one call to the screening service, which checks access.
// A crossing or batch that does not fit the schema is refused whole with 422, naming the first bad crossing's place
// in the batch and its field, exactly as the service names what the schema cannot check.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CONVEYANCE_KINDS, type Crossing, LANES } from "../../border/model.ts";
import { type LookoutInput, SEVERITIES } from "../../border/screening/lookouts.ts";
import {
  CrossingRefusedError,
  MAX_BATCH,
  OUTCOMES,
  type OutcomeInput,
  SUPPRESSION_STATUSES,
  type SuppressionInput,
} from "../../border/screening/screening-service.ts";
import { TLP_LEVELS } from "../../model/types.ts";
import type { PuenteNode } from "../../node/node.ts";
import { principalOf } from "../principal.ts";
import { handleError, problemSchema, problemType, sendProblem } from "../problems.ts";
import { contactSchema } from "./deconfliction.ts";

/** A full batch is 10,000 crossings of up to ~1 KiB of JSON each: far above the node's default body limit. */
const BATCH_BODY_BYTES = 16 * 1024 * 1024;
/** Lane systems of a whole port screen through one address: the per-address default (1200 a minute) is too low. */
const SCREENS_PER_MINUTE = 120_000;
const MAX_LIST = 1000;

const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength }) as const;
const countryCode = { type: "string", pattern: "^[A-Za-z]{2}$" } as const;
const birthDate = {
  type: "string",
  pattern: "^\\d{4}(-\\d{2}(-\\d{2})?)?$",
  description: "YYYY, YYYY-MM or YYYY-MM-DD",
};
const documentSchema = {
  type: "object",
  required: ["type", "number"],
  additionalProperties: false,
  properties: { type: text(40), number: text(40), country: countryCode },
} as const;
const vehicleProperties = {
  plate: text(20),
  plateJurisdiction: text(10),
  vin: text(30),
  usdot: text(20),
} as const;

export const crossingSchema = {
  type: "object",
  required: ["id", "port", "lane", "time", "conveyance", "people"],
  additionalProperties: false,
  properties: {
    id: text(100),
    port: text(20),
    lane: { type: "string", enum: [...LANES] },
    time: { type: "string", format: "date-time", maxLength: 40 },
    conveyance: {
      type: "object",
      required: ["kind"],
      additionalProperties: false,
      properties: {
        kind: { type: "string", enum: [...CONVEYANCE_KINDS] },
        ...vehicleProperties,
        registrant: text(300),
        insurer: text(300),
        registrantAddress: text(500),
        registrantPhone: text(50),
      },
    },
    people: {
      type: "array",
      maxItems: 100,
      items: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: {
          name: text(200),
          birthDate,
          nationality: countryCode,
          document: documentSchema,
          role: { type: "string", enum: ["driver", "passenger", "pedestrian"] },
        },
      },
    },
    manifest: {
      type: "object",
      additionalProperties: false,
      properties: {
        shipper: text(300),
        consignee: text(300),
        broker: text(300),
        commodity: text(300),
        sealNumbers: { type: "array", maxItems: 50, items: text(100) },
        shipmentId: text(100),
      },
    },
  },
} as const;

const lookoutSubjectSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    person: {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: {
        name: text(200),
        aliases: { type: "array", maxItems: 20, items: text(200) },
        birthDate,
        nationality: countryCode,
        document: documentSchema,
      },
    },
    conveyance: { type: "object", additionalProperties: false, properties: vehicleProperties },
  },
} as const;

/** What a partner receives of a lookout: the answer's schema filters out anything else. */
export const partnerLookoutPageSchema = {
  type: "object",
  properties: {
    lookouts: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          subject: lookoutSubjectSchema,
          severity: { type: "string" },
          expiresAt: { type: "string" },
          tlp: { type: "string" },
          contact: contactSchema,
        },
      },
    },
    removed: { type: "array", items: { type: "string" } },
    next: { type: "integer" },
    more: { type: "boolean" },
  },
} as const;

const reasonSchema = {
  type: "object",
  properties: {
    rule: { type: "string" },
    weight: { type: "number" },
    detail: { type: "string" },
    lookoutId: { type: "string" },
    owner: { type: "string" },
  },
} as const;
const decisionProperties = {
  crossingId: { type: "string" },
  band: { type: "string" },
  score: { type: "number" },
  refer: { type: "boolean" },
  randomInspection: { type: "boolean" },
  reasons: { type: "array", items: reasonSchema },
  rulesVersion: { type: "string" },
} as const;
const refusedSchema = {
  ...problemSchema,
  properties: {
    ...problemSchema.properties,
    index: { type: "integer", description: "the refused crossing's place in the batch (0 for a single crossing)" },
    field: { type: "string" },
  },
} as const;
const anyObject = { type: "object", additionalProperties: true } as const;
const idParams = { type: "object", required: ["id"], properties: { id: text(64) } } as const;
const limit = { type: "integer", minimum: 1, maximum: MAX_LIST, default: 100 } as const;

/** The first schema error of a screening request as a refusal of one crossing, if it was one. */
function schemaRefusal(error: FastifyError): CrossingRefusedError | undefined {
  const issue = error.validation?.find((candidate) => candidate.keyword !== "if");
  if (!issue || error.validationContext !== "body") return undefined;
  let path = issue.instancePath.split("/").slice(1);
  let index = 0;
  if (path[0] === "crossings") {
    if (/^\d+$/u.test(path[1] ?? "")) index = Number(path[1]);
    else if (issue.keyword === "maxItems") index = MAX_BATCH;
    path = path.slice(2);
  }
  const named = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof named === "string") path.push(named);
  const field = path
    .map((part) => (/^\d+$/u.test(part) ? `[${part}]` : `.${part}`))
    .join("")
    .replace(/^\./u, "");
  const allowed = Array.isArray(issue.params.allowedValues) ? ` (${issue.params.allowedValues.join(", ")})` : "";
  return new CrossingRefusedError(index, field, `${issue.message ?? "is not valid"}${allowed}`);
}

/** Screening's refusals name the crossing and field; anything else is answered as every route answers it. */
function screeningErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const refusal = error instanceof CrossingRefusedError ? error : schemaRefusal(error);
  if (!refusal) return handleError(error, request, reply);
  return sendProblem(reply, {
    type: problemType("validation-failed"),
    title: "The input is not valid",
    status: 422,
    detail: `crossing ${refusal.index}${refusal.field ? `, ${refusal.field}` : ""}: ${refusal.issues[0]?.message}`,
    index: refusal.index,
    field: refusal.field,
    issues: refusal.issues,
  });
}

export function registerBorderRoutes(app: FastifyInstance, node: PuenteNode): void {
  const service = node.screening;

  app.post<{ Body: Crossing | { crossings: Crossing[] } }>(
    "/api/v1/border/screen",
    {
      bodyLimit: BATCH_BODY_BYTES,
      config: {
        rateLimit: { max: SCREENS_PER_MINUTE, timeWindow: "1 minute" },
        unaudited: "the screening service logs each request itself (border.screen), with its counts and referrals",
      },
      errorHandler: screeningErrors,
      schema: {
        tags: ["border"],
        summary: "Screen one crossing, or a batch of up to 10,000 ({ crossings: [...] }): decisions in order",
        description:
          "A single crossing is answered with its decision; a batch with { decisions }. A batch with one bad " +
          "crossing is refused whole (422, with the crossing's index and field); nothing is screened or written.",
        body: {
          type: "object",
          if: { required: ["crossings"] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else
          then: {
            required: ["crossings"],
            additionalProperties: false,
            properties: { crossings: { type: "array", minItems: 1, maxItems: MAX_BATCH, items: crossingSchema } },
          },
          else: crossingSchema,
        },
        response: {
          200: {
            type: "object",
            description: "a decision, or for a batch { decisions }",
            properties: {
              ...decisionProperties,
              decisions: { type: "array", items: { type: "object", properties: decisionProperties } },
            },
          },
          422: refusedSchema,
        },
      },
    },
    async (request) => {
      const body = request.body;
      if ("crossings" in body) return { decisions: await service.screen(principalOf(request), body.crossings) };
      const [decision] = await service.screen(principalOf(request), [body]);
      return decision;
    },
  );

  app.post<{ Body: LookoutInput }>(
    "/api/v1/border/lookouts",
    {
      config: { audit: "border.lookout-register", atomic: true },
      schema: {
        tags: ["border"],
        summary: "Register a lookout (supervisors); partners its markings allow receive it at their next sync",
        body: {
          type: "object",
          required: ["subject", "reason", "severity", "caseReference", "expiresAt", "markings"],
          additionalProperties: false,
          properties: {
            subject: lookoutSubjectSchema,
            reason: text(2000),
            severity: { type: "string", enum: [...SEVERITIES] },
            caseReference: text(100),
            expiresAt: { type: "string", format: "date-time", maxLength: 40 },
            markings: {
              type: "object",
              required: ["tlp"],
              additionalProperties: false,
              properties: {
                tlp: { type: "string", enum: [...TLP_LEVELS] },
                releasableCountries: { type: "array", maxItems: 50, items: countryCode },
                releasableAgencies: { type: "array", maxItems: 50, items: text(100) },
                handlingCode: { type: "string", enum: ["H0", "H1", "H2", "H3"] },
              },
            },
            contact: contactSchema,
          },
        },
        response: {
          201: { type: "object", properties: { id: { type: "string" }, version: { type: "integer" } } },
          422: problemSchema,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await service.registerLookout(principalOf(request), request.body)),
  );

  app.get<{ Querystring: { source: "local" | "partners"; limit: number } }>(
    "/api/v1/border/lookouts",
    {
      config: { audit: "border.lookouts-read" },
      schema: {
        tags: ["border"],
        summary: "Live lookouts, newest first: this node's, or its partners' as cached here (supervisors)",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { source: { type: "string", enum: ["local", "partners"], default: "local" }, limit },
        },
        response: { 200: { type: "object", properties: { lookouts: { type: "array", items: anyObject } } } },
      },
    },
    async (request) => ({
      lookouts: await service.lookouts(principalOf(request), request.query.source, request.query.limit),
    }),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/border/lookouts/:id",
    {
      config: { audit: "border.lookout-withdraw", atomic: true },
      schema: { tags: ["border"], summary: "Withdraw a lookout (supervisors)", params: idParams },
    },
    async (request) => service.withdrawLookout(principalOf(request), request.params.id),
  );

  app.get<{ Querystring: { port?: string; limit: number } }>(
    "/api/v1/border/referrals",
    {
      config: { audit: "border.referrals-read" },
      schema: {
        tags: ["border"],
        summary: "Crossings referred to secondary inspection, newest first, with their reasons and whom to call",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { port: text(20), limit },
        },
        response: { 200: { type: "object", properties: { referrals: { type: "array", items: anyObject } } } },
      },
    },
    async (request) => ({
      referrals: await service.referrals(principalOf(request), request.query.port, request.query.limit),
    }),
  );

  app.post<{ Params: { id: string }; Body: OutcomeInput }>(
    "/api/v1/border/referrals/:id/outcome",
    {
      config: { audit: "border.referral-outcome", atomic: true },
      schema: {
        tags: ["border"],
        summary: "What secondary inspection found; a false match may propose suppressing lookouts for travellers",
        params: idParams,
        body: {
          type: "object",
          required: ["outcome"],
          additionalProperties: false,
          properties: {
            outcome: { type: "string", enum: [...OUTCOMES] },
            note: { type: "string", maxLength: 2000 },
            suppress: {
              type: "array",
              maxItems: 20,
              items: {
                type: "object",
                required: ["lookoutId", "traveller"],
                additionalProperties: false,
                properties: {
                  lookoutId: text(64),
                  owner: text(63),
                  traveller: { type: "integer", minimum: 0, description: "the traveller's place in the crossing" },
                },
              },
            },
          },
        },
        response: { 200: anyObject, 404: problemSchema, 422: problemSchema },
      },
    },
    async (request) => service.recordOutcome(principalOf(request), request.params.id, request.body),
  );

  app.post<{ Body: SuppressionInput }>(
    "/api/v1/border/suppressions",
    {
      config: { audit: "border.suppression-propose", atomic: true },
      schema: {
        tags: ["border"],
        summary: "Propose that a lookout's hits on a traveller are a confirmed false match (a supervisor confirms)",
        body: {
          type: "object",
          required: ["lookoutId", "traveller", "reason"],
          additionalProperties: false,
          properties: {
            lookoutId: text(64),
            owner: text(63),
            traveller: {
              type: "object",
              required: ["name"],
              additionalProperties: false,
              properties: { name: text(200), birthDate, document: documentSchema },
            },
            reason: text(2000),
            referralId: text(64),
          },
        },
        response: { 201: anyObject, 404: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.proposeSuppression(principalOf(request), request.body)),
  );

  app.get<{ Querystring: { status?: string; limit: number } }>(
    "/api/v1/border/suppressions",
    {
      config: { audit: "border.suppressions-read" },
      schema: {
        tags: ["border"],
        summary: "Suppressions, newest first: proposed, in force or removed (supervisors)",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { status: { type: "string", enum: [...SUPPRESSION_STATUSES] }, limit },
        },
        response: { 200: { type: "object", properties: { suppressions: { type: "array", items: anyObject } } } },
      },
    },
    async (request) => ({
      suppressions: await service.listSuppressions(principalOf(request), request.query.status, request.query.limit),
    }),
  );

  app.post<{ Params: { id: string } }>(
    "/api/v1/border/suppressions/:id/confirm",
    {
      config: { audit: "border.suppression-confirm", atomic: true },
      schema: {
        tags: ["border"],
        summary: "Confirm a proposed suppression (a supervisor other than the proposer)",
        params: idParams,
      },
    },
    async (request) => service.confirmSuppression(principalOf(request), request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/border/suppressions/:id",
    {
      config: { audit: "border.suppression-remove", atomic: true },
      schema: {
        tags: ["border"],
        summary: "Remove a suppression, proposed or in force: the lookout's hits count again (supervisors)",
        params: idParams,
      },
    },
    async (request) => service.removeSuppression(principalOf(request), request.params.id),
  );
}
