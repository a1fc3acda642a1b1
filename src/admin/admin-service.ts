// Administering a node: its user accounts, the federation it belongs to as its manifest says, and the Cedar
// policies it enforces for partners. Only administrators may, and administrators read no intelligence (separation
// of duties, CJIS 5.5.2.2): an account is an administrator or something else, never both, and no administrator
// changes their own roles. Password hashes and TOTP secrets never leave the store; a new account's secret is
// answered once, when it is made.
import type { AuditLog } from "../audit/audit-log.ts";
import type { AuthService } from "../auth/auth-service.ts";
import { generatePassword } from "../auth/password.ts";
import { publicKeyFingerprint } from "../crypto/keys.ts";
import type { Federation } from "../federation/federation.ts";
import { mayPerform, type Principal } from "../policy/access.ts";
import { type NodePolicy, type PolicySource, PolicyTextError } from "../policy/node-policy.ts";
import type { Action } from "../policy/roles.ts";
import { NotFoundOrNoAccessError, ValidationFailedError } from "../records/entity-service.ts";
import type { UserRecord, UserRepository } from "../store/user-repository.ts";

/** An account as administrators see it: never its password hash or TOTP secret. */
export interface UserView {
  username: string;
  displayName: string;
  roles: string[];
  clearance: string;
  cfr28Trained: boolean;
  disabled: boolean;
  /** Locked after repeated failed sign-ins, until `lockedUntil`. */
  locked: boolean;
  lockedUntil?: string;
  createdAt: string;
  lastSignInAt?: string;
}

export interface NewUserInput {
  username: string;
  displayName?: string;
  roles: string[];
  clearance?: string;
  cfr28Trained?: boolean;
  /** The initial password; one is generated (and answered once) when none is given. */
  password?: string;
}

export interface CreatedUser {
  user: UserView;
  /** The generated password, when none was given; shown this once. */
  password?: string;
  /** The TOTP secret (base32) and the authenticator URI, shown this once. */
  totpSecret: string;
  otpauthUri: string;
}

export interface FederationMemberView {
  nodeId: string;
  agency?: string;
  country?: string;
  endpoint?: string;
  /** SHA-256 of the raw Ed25519 public key, first 16 bytes in hex (as `puente federation show` prints it). */
  fingerprint: string;
  roles: string[];
  /** This node itself. */
  self: boolean;
  /** The member signed the current manifest version. */
  signed: boolean;
  revoked: boolean;
  revokedAt?: string;
  reason?: string;
}

export interface FederationView {
  nodeId: string;
  /** The federation's name; null when this node has joined none. */
  federation: string | null;
  version?: number;
  issuedAt?: string;
  issuedBy?: string;
  members: FederationMemberView[];
}

function fingerprint(publicKey: string): string {
  try {
    return publicKeyFingerprint(publicKey);
  } catch {
    return "";
  }
}

/** "line L, column C" (both from 1) of a UTF-8 byte offset, as Cedar gives them. */
function where(text: string, offset: number): string {
  const before = Buffer.from(text, "utf8").subarray(0, offset).toString("utf8").split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

function invalid(path: string, code: string, message: string): ValidationFailedError {
  return new ValidationFailedError([{ path, code, message }]);
}

/** An administrator holds no other role, so account administration never comes with access to intelligence. */
function checkSeparation(roles: string[]): void {
  if (roles.includes("admin") && roles.length > 1)
    throw invalid("roles", "separation_of_duties", "an administrator account may hold no other role");
}

export class AdminService {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UserRepository,
    private readonly federation: Federation,
    private readonly policy: NodePolicy,
    private readonly audit: AuditLog,
  ) {}

  private require(principal: Principal, action: Action): void {
    if (!mayPerform(principal, action)) throw new NotFoundOrNoAccessError();
  }

  private async view(user: UserRecord, lastSignIn: string | undefined): Promise<UserView> {
    const lockedUntil = await this.auth.lockedUntil(user.username);
    return {
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      clearance: user.clearance,
      cfr28Trained: user.cfr28Trained,
      disabled: user.disabled,
      locked: lockedUntil !== undefined,
      ...(lockedUntil !== undefined ? { lockedUntil } : {}),
      createdAt: user.createdAt,
      ...(lastSignIn !== undefined ? { lastSignInAt: lastSignIn } : {}),
    };
  }

  async listUsers(principal: Principal): Promise<UserView[]> {
    this.require(principal, "user:manage");
    const lastSignIns = await this.users.lastSignIns();
    const views: UserView[] = [];
    for (const user of await this.users.listUsers()) views.push(await this.view(user, lastSignIns.get(user.username)));
    return views;
  }

  /** Creates an account with a fresh TOTP secret (as `puente user add` does); its secrets are answered once. */
  async createUser(principal: Principal, input: NewUserInput): Promise<CreatedUser> {
    this.require(principal, "user:manage");
    checkSeparation(input.roles);
    const password = input.password ?? generatePassword();
    const created = await this.auth.createAccount({
      username: input.username,
      password,
      roles: input.roles,
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.clearance !== undefined ? { clearance: input.clearance } : {}),
      cfr28Trained: input.cfr28Trained ?? false,
    });
    return {
      user: await this.view(created.user, undefined),
      ...(input.password === undefined ? { password } : {}),
      totpSecret: created.totpSecret,
      otpauthUri: created.otpauthUri,
    };
  }

  /** New roles (and clearance, by default the roles' own) for another account; applies from its next request. */
  async setRoles(principal: Principal, username: string, roles: string[], clearance?: string): Promise<UserView> {
    this.require(principal, "user:manage");
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundOrNoAccessError();
    if (user.id === principal.userId)
      throw invalid("username", "own_roles", "administrators do not change their own roles; another one must");
    checkSeparation(roles);
    const changed = await this.auth.changeRoles(username, roles, clearance);
    if (!changed) throw new NotFoundOrNoAccessError();
    return this.view(changed, (await this.users.lastSignIns()).get(username));
  }

  /** The federation as this node's manifest lists it: members (current and revoked) and this node's id. */
  federationView(principal: Principal): FederationView {
    this.require(principal, "federation:manage");
    const nodeId = this.federation.nodeId;
    const manifest = this.federation.manifest();
    if (!manifest) return { nodeId, federation: null, members: [] };
    const current = manifest.members.map(
      (member): FederationMemberView => ({
        nodeId: member.nodeId,
        agency: member.agency,
        country: member.country,
        endpoint: member.endpoint,
        fingerprint: fingerprint(member.publicKey),
        roles: member.roles,
        self: member.nodeId === nodeId,
        signed: manifest.signatures[member.nodeId] !== undefined,
        revoked: false,
      }),
    );
    const revoked = manifest.revoked.map(
      (revocation): FederationMemberView => ({
        nodeId: revocation.nodeId,
        fingerprint: fingerprint(revocation.publicKey),
        roles: [],
        self: revocation.nodeId === nodeId,
        signed: false,
        revoked: true,
        revokedAt: revocation.revokedAt,
        reason: revocation.reason,
      }),
    );
    return {
      nodeId,
      federation: manifest.federation,
      version: manifest.version,
      issuedAt: manifest.issuedAt,
      issuedBy: manifest.issuedBy,
      members: [...current, ...revoked],
    };
  }

  policies(principal: Principal): PolicySource {
    this.require(principal, "federation:manage");
    return this.policy.current();
  }

  /**
   * Replaces the node's Cedar policies: a text Cedar cannot parse is refused with Cedar's reasons and changes
   * nothing; otherwise it is written to the node's policies.cedar and decides from the next partner request on.
   * Which text was replaced by which (their SHA-256) goes into the audit log.
   */
  async replacePolicies(principal: Principal, text: string): Promise<PolicySource> {
    this.require(principal, "federation:manage");
    const previous = this.policy.current();
    let replaced: PolicySource;
    try {
      replaced = this.policy.replace(text);
    } catch (error) {
      if (error instanceof PolicyTextError)
        throw new ValidationFailedError(
          error.problems.map((problem) => ({
            path: "text",
            code: "invalid_policy",
            message:
              problem.start === undefined ? problem.message : `${problem.message} (${where(text, problem.start)})`,
          })),
        );
      throw error;
    }
    try {
      await this.audit.append({
        kind: "admin.policies-replaced",
        actor: `user:${principal.userId}`,
        details: {
          previous: { source: previous.source, sha256: previous.sha256 },
          sha256: replaced.sha256,
          bytes: Buffer.byteLength(text),
        },
      });
    } catch (error) {
      // A change to who may see what is never in force without its entry: the policies go back as they were.
      this.policy.restore(previous);
      throw error;
    }
    return replaced;
  }
}
