// A node's dissemination policies, in Cedar: who among its partners' users may query it, what a hit shows in
// step one, and which releases need no supervisor. The policies live in policies.cedar in the node's data
// directory (read again when the file changes), or are the documented defaults shipped in
// default-policies.cedar. Markings are enforced in code before any policy is asked; policies cannot loosen them.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type EntityJson, preparsePolicySet, statefulIsAuthorized } from "@cedar-policy/cedar-wasm/nodejs";

export const POLICY_FILE = "policies.cedar";
const DEFAULT_POLICIES = readFileSync(new URL("./default-policies.cedar", import.meta.url), "utf8");

export class PolicyError extends Error {}

const MAX_CACHED_DECISIONS = 50_000;

/** The partner's user as the federation vouches for them. */
export interface PolicyPrincipal {
  node: { nodeId: string; country: string; agency: string; roles: string[] };
  user: { userId: string; country: string; agency: string; roles: string[]; cfr28Trained: boolean };
}

export interface QueryContext {
  purpose: string;
  caseReference: string;
  urgency: string;
}

let loaded = 0;

export class NodePolicy {
  private cached: { stamp: string; id: string } | undefined;
  /** Decisions of the current policy set by request, so a busy node asks Cedar once per distinct question. */
  private readonly decisions = new Map<string, boolean>();

  constructor(private readonly dir: string) {
    // Fails now, naming the file, rather than at the first partner's request.
    this.policySetId();
  }

  private policySetId(): string {
    const path = join(this.dir, POLICY_FILE);
    let stamp = "default";
    try {
      const stat = statSync(path);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      stamp = "default";
    }
    if (this.cached?.stamp === stamp) return this.cached.id;
    const text = stamp === "default" ? DEFAULT_POLICIES : readFileSync(path, "utf8");
    const id = `puente-${++loaded}`;
    const parsed = preparsePolicySet(id, { staticPolicies: text });
    if (parsed.type !== "success")
      throw new PolicyError(
        `${stamp === "default" ? "default-policies.cedar" : path}: ${parsed.errors.map((error) => error.message).join("; ")}`,
      );
    this.cached = { stamp, id };
    this.decisions.clear();
    return id;
  }

  private allows(
    who: PolicyPrincipal,
    action: string,
    resource: { type: string; id: string },
    context: Record<string, string>,
  ): boolean {
    const policySetId = this.policySetId();
    const key = JSON.stringify([who, action, resource, context]);
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    const nodeUid = { type: "Puente::Node", id: who.node.nodeId };
    const userUid = { type: "Puente::PartnerUser", id: `${who.node.nodeId}/${who.user.userId}` };
    const entities: EntityJson[] = [
      {
        uid: nodeUid,
        attrs: { country: who.node.country, agency: who.node.agency, roles: who.node.roles },
        parents: [],
      },
      {
        uid: userUid,
        attrs: {
          node: { __entity: nodeUid },
          country: who.user.country,
          agency: who.user.agency,
          roles: who.user.roles,
          cfr28Trained: who.user.cfr28Trained,
        },
        parents: [nodeUid],
      },
    ];
    const answer = statefulIsAuthorized({
      principal: userUid,
      action: { type: "Puente::Action", id: action },
      resource,
      context,
      entities,
      preparsedPolicySetId: policySetId,
    });
    // An error in evaluation denies: a policy that cannot be evaluated releases nothing.
    const allowed = answer.type === "success" && answer.response.decision === "allow";
    if (this.decisions.size >= MAX_CACHED_DECISIONS) this.decisions.clear();
    this.decisions.set(key, allowed);
    return allowed;
  }

  mayQuery(who: PolicyPrincipal, me: string, context: QueryContext): boolean {
    return this.allows(who, "search", { type: "Puente::Node", id: me }, { ...context });
  }

  mayRequest(who: PolicyPrincipal, me: string, context: QueryContext): boolean {
    return this.allows(who, "request", { type: "Puente::Node", id: me }, { ...context });
  }

  /** Of these properties of a schema, those whose values a hit may show in step one. */
  revealed(who: PolicyPrincipal, schema: string, properties: string[]): string[] {
    return properties.filter((property) =>
      this.allows(who, "reveal", { type: "Puente::Property", id: `${schema}.${property}` }, { schema }),
    );
  }

  mayAutoRelease(who: PolicyPrincipal, me: string, context: QueryContext): boolean {
    return this.allows(who, "autoRelease", { type: "Puente::Node", id: me }, { ...context });
  }
}
