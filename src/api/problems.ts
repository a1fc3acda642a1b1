// Errors as RFC 9457 problem details with stable `type` URIs, so clients can branch on them. Internal errors
// are logged but never described to the caller.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import {
  AccountLockedError,
  AuthenticationFailedError,
  InvalidUserError,
  UnauthenticatedError,
} from "../auth/auth-service.ts";
import { BusyError } from "../federation/admission.ts";
import { SignatureRefusedError } from "../federation/transport.ts";
import { AccessDeniedError } from "../policy/access.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../records/entity-service.ts";
import { UsernameTakenError } from "../store/user-repository.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export const problemType = (slug: string) => `urn:puente:problem:${slug}`;

/** JSON schema of a problem, for the OpenAPI document. */
export const problemSchema = {
  type: "object",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    issues: {
      type: "array",
      items: {
        type: "object",
        properties: { path: { type: "string" }, code: { type: "string" }, message: { type: "string" } },
      },
    },
  },
} as const;

export const NOT_FOUND_OR_NO_ACCESS: Problem = {
  type: problemType("not-found-or-no-access"),
  title: "Not found or no access",
  status: 404,
};

/** An answer withheld because its audit entry could not be written. */
export const AUDIT_UNAVAILABLE: Problem = {
  type: problemType("audit-unavailable"),
  title: "The audit log cannot be written; the answer is withheld",
  status: 503,
};

function fromError(error: FastifyError | Error): Problem {
  if (error instanceof NotFoundOrNoAccessError || error instanceof AccessDeniedError) return NOT_FOUND_OR_NO_ACCESS;
  if (error instanceof ValidationFailedError)
    return {
      type: problemType("validation-failed"),
      title: "The input is not valid",
      status: 422,
      issues: error.issues,
    };
  if (error instanceof InvalidUserError || error instanceof UsernameTakenError)
    return {
      type: problemType("validation-failed"),
      title: "The input is not valid",
      status: 422,
      detail: error.message,
    };
  if (error instanceof AuthenticationFailedError)
    return { type: problemType("authentication-failed"), title: "Sign-in failed", status: 401, detail: error.message };
  if (error instanceof AccountLockedError)
    return { type: problemType("account-locked"), title: "Account locked", status: 423, detail: error.message };
  if (error instanceof SignatureRefusedError) {
    // A node that is not (or no longer) a member is refused outright; a bad signature is an authentication failure.
    const forbidden = error.code === "unknown-node" || error.code === "revoked-node" || error.code === "policy-denied";
    return {
      type: problemType("federation-refused"),
      title: "Refused by this node",
      status: forbidden ? 403 : 401,
      detail: error.code,
    };
  }
  if (error instanceof BusyError)
    return { type: problemType("busy"), title: "The node is busy; try again shortly", status: 503 };
  if (error instanceof UnauthenticatedError)
    return { type: problemType("unauthenticated"), title: "Sign-in required", status: 401, detail: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation)
    return {
      type: problemType("request-invalid"),
      title: "The request does not match the API schema",
      status: 400,
      detail: error.message,
    };
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { type: problemType("body-too-large"), title: "The request body is too large", status: 413 };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { type: problemType("unsupported-media-type"), title: "Send application/json", status: 415 };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { type: problemType("malformed-json"), title: "The request body is not valid JSON", status: 400 };
  }
  if (fastifyError.statusCode === 429)
    return { type: problemType("rate-limited"), title: "Too many requests", status: 429, detail: error.message };
  if (fastifyError.statusCode === 400 && error instanceof SyntaxError)
    return { type: problemType("malformed-json"), title: "The request body is not valid JSON", status: 400 };
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500)
    return {
      type: problemType("bad-request"),
      title: "Bad request",
      status: fastifyError.statusCode,
      detail: error.message,
    };
  return { type: problemType("internal"), title: "Internal error", status: 500 };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = fromError(error);
  if (problem.status >= 500) request.log.error({ err: error }, "request failed");
  return sendProblem(reply, problem);
}
