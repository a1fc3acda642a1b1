// A node's dissemination policies, in Cedar: who among its partners' users may query it, what a hit shows in
// step one, and which releases need no supervisor. The policies live in policies.cedar in the node's data
// directory (read again when the file changes; the administration API replaces it after Cedar has parsed the new
// text), or are the documented defaults shipped in default-policies.cedar. Markings are enforced in code before any
// policy is asked; policies cannot loosen them.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkParsePolicySet,
  type DetailedError,
  type EntityJson,
  preparsePolicySet,
  statefulIsAuthorized,
} from "@cedar-policy/cedar-wasm/nodejs";

export const POLICY_FILE = "policies.cedar";
const DEFAULT_POLICIES_URL = new URL("./default-policies.cedar", import.meta.url);
const DEFAULT_POLICIES = readFileSync(DEFAULT_POLICIES_URL, "utf8");

export class PolicyError extends Error {}

/** A policy text Cedar cannot parse; nothing was changed. */
export class PolicyTextError extends PolicyError {
  constructor(readonly problems: PolicyProblem[]) {
    super(`the policies do not parse: ${problems.map((problem) => problem.message).join("; ")}`);
  }
}

/** The policies a node enforces and where they come from. */
export interface PolicySource {
  /** "file": the node's own policies.cedar; "default": the shipped defaults (the node has no file). */
  source: "file" | "default";
  /** The file the text was read from. */
  path: string;
  text: string;
  /** Hex SHA-256 of the text. */
  sha256: string;
  /** When the node's file was last written (absent for the defaults). */
  updatedAt?: string;
}

/** One reason Cedar refuses a policy text, with where in the text it is when Cedar says. */
export interface PolicyProblem {
  message: string;
  /** UTF-8 byte offsets of the offending text (as Cedar gives them). */
  start?: number;
  end?: number;
}

function problemOf(error: DetailedError): PolicyProblem {
  const location = error.sourceLocations?.[0];
  const message = error.help ? `${error.message} (${error.help})` : error.message;
  return location ? { message, start: location.start, end: location.end } : { message };
}

/** Why Cedar cannot parse this policy text; empty when it can. */
export function policyTextProblems(text: string): PolicyProblem[] {
  const answer = checkParsePolicySet({ staticPolicies: text });
  return answer.type === "success" ? [] : answer.errors.map(problemOf);
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

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
  /** What `revealed` answered, by principal, schema and properties: one key for a hit rather than one per property. */
  private readonly revealedBy = new Map<string, string[]>();

  constructor(private readonly dir: string) {
    // Fails now, naming the file, rather than at the first partner's request.
    this.policySetId();
  }

  private policySetId(): string {
    const path = join(this.dir, POLICY_FILE);
    // Without the file (the default policies) stat answers undefined rather than throwing: this runs for every
    // partner request, and an error object with its stack costs more than the stat itself.
    let stamp = "default";
    try {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat) stamp = `${stat.mtimeMs}:${stat.size}`;
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
    this.revealedBy.clear();
    return id;
  }

  /** The policy text in force and where it comes from. */
  current(): PolicySource {
    const path = join(this.dir, POLICY_FILE);
    try {
      const stat = statSync(path);
      const text = readFileSync(path, "utf8");
      return { source: "file", path, text, sha256: sha256(text), updatedAt: stat.mtime.toISOString() };
    } catch {
      return {
        source: "default",
        path: fileURLToPath(DEFAULT_POLICIES_URL),
        text: DEFAULT_POLICIES,
        sha256: sha256(DEFAULT_POLICIES),
      };
    }
  }

  /**
   * Makes `text` the node's policies: checked by Cedar first (a text it cannot parse throws PolicyError listing the
   * problems and changes nothing), then written to the node's policies.cedar at once (a temporary file renamed over
   * the old one, so no decision ever reads half a file) and loaded for the next decision.
   */
  replace(text: string): PolicySource {
    const problems = policyTextProblems(text);
    if (problems.length > 0) throw new PolicyTextError(problems);
    const previous = this.current();
    this.write(text);
    // The file's time and size may not change (a quick edit to text of the same length): load it regardless.
    this.cached = undefined;
    try {
      this.policySetId();
    } catch (error) {
      // Cedar parsed the text but would not load it: the node goes on with what it had.
      this.restore(previous);
      throw error;
    }
    return this.current();
  }

  /** Puts back policies `current` returned earlier: the node's file as it was, or none (the shipped defaults). */
  restore(previous: PolicySource): void {
    if (previous.source === "file") this.write(previous.text);
    else rmSync(join(this.dir, POLICY_FILE), { force: true });
    this.cached = undefined;
  }

  /** Writes the node's policy file whole: a reader sees the old text or the new, never half of one. */
  private write(text: string): void {
    const path = join(this.dir, POLICY_FILE);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  }

  /**
   * Cedar's decision under `policySetId`, which each public call finds once: a call deciding many things (every
   * property of a schema) reads the policy file's stamp once.
   */
  private allows(
    policySetId: string,
    who: PolicyPrincipal,
    action: string,
    resource: { type: string; id: string },
    context: Record<string, string>,
  ): boolean {
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
    return this.allows(this.policySetId(), who, "search", { type: "Puente::Node", id: me }, { ...context });
  }

  mayRequest(who: PolicyPrincipal, me: string, context: QueryContext): boolean {
    return this.allows(this.policySetId(), who, "request", { type: "Puente::Node", id: me }, { ...context });
  }

  /** Of these properties of a schema, those whose values a hit may show in step one. */
  revealed(who: PolicyPrincipal, schema: string, properties: string[]): string[] {
    const policySetId = this.policySetId();
    const key = JSON.stringify([who, schema, properties]);
    const known = this.revealedBy.get(key);
    if (known) return [...known];
    const shown = properties.filter((property) =>
      this.allows(policySetId, who, "reveal", { type: "Puente::Property", id: `${schema}.${property}` }, { schema }),
    );
    if (this.revealedBy.size >= MAX_CACHED_DECISIONS) this.revealedBy.clear();
    this.revealedBy.set(key, shown);
    return [...shown];
  }

  mayAutoRelease(who: PolicyPrincipal, me: string, context: QueryContext): boolean {
    return this.allows(this.policySetId(), who, "autoRelease", { type: "Puente::Node", id: me }, { ...context });
  }
}
