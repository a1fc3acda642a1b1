// Where a request's signed-in user is kept. The authentication hook in server.ts sets it for every non-public route.
import type { FastifyRequest } from "fastify";
import { UnauthenticatedError } from "../auth/auth-service.ts";
import type { Principal } from "../policy/access.ts";
import type { TransactionScope } from "../store/transaction-scope.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The audit kinds the server's routes name (see server.ts), for the catalogues' checks. */
    auditKinds: ReadonlySet<string>;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** Why the request was refused, for the audit log (e.g. a node-to-node signature problem). */
    auditNote?: string;
    /** The transaction of an atomic route's request: its writes and its audit entry commit together. */
    transaction?: TransactionScope;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a signed-in user (health, OpenAPI, metrics, sign-in). */
    public?: boolean;
    /** The audit log's name for what a request to this route does; such requests are logged with their outcome. */
    audit?: string;
    /**
     * Why requests to this route are not audited (they touch no record, user or policy: the caller's own profile,
     * lists of the node's schemata). Every route that is not public names an audit kind or gives this reason.
     */
    unaudited?: string;
    /**
     * The route's changes are written in one transaction with its audit entry: if the entry cannot be written,
     * nothing the request changed is kept (and the answer is withheld). For routes whose work stays in the node's
     * database; a route that waits on partners would hold the transaction open meanwhile.
     */
    atomic?: boolean;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError("sign in first");
  return request.principal;
}
