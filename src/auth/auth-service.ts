// Sign-in and authentication to the CJIS Security Policy baseline: memory-hard password hashes, a TOTP second
// factor for every interactive account, lockout after repeated failures, sessions that end when idle, and API
// tokens for service clients. Failures never say which factor was wrong.

import { tlpRank } from "../model/markings.ts";
import { TLP_LEVELS, type Tlp } from "../model/types.ts";
import type { Principal } from "../policy/access.ts";
import { DEFAULT_CLEARANCE, isRole, type Role } from "../policy/roles.ts";
import type { UserRecord, UserRepository } from "../store/user-repository.ts";
import { hashPassword, passwordPolicyError, verifyPassword } from "./password.ts";
import { hashToken, newSecretToken } from "./tokens.ts";
import { generateTotpSecret, otpauthUri, verifyTotp } from "./totp.ts";

/** How stale a session's or token's last-use time may get before a request writes it again. */
const TOUCH_EVERY_MS = 5_000;

/** Whom a user acts as, signed in through a session or an API token: the account's roles and clearance. */
export function principalOfUser(user: UserRecord, via: Principal["via"]): Principal {
  return {
    userId: user.id,
    username: user.username,
    roles: user.roles,
    clearance: user.clearance as Tlp,
    cfr28Trained: user.cfr28Trained,
    via,
  };
}

export interface AuthPolicy {
  /** CJIS 5.5.3: lock after this many failed sign-ins … */
  maxFailures: number;
  /** … within this window, and keep the account locked for the rest of it. */
  failureWindowMs: number;
  /** CJIS 5.5.5: a session ends after this long without activity. */
  idleTimeoutMs: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  maxFailures: 5,
  failureWindowMs: 15 * 60_000,
  idleTimeoutMs: 30 * 60_000,
};

export const SESSION_PREFIX = "pst";
export const API_TOKEN_PREFIX = "pat";

export class AuthenticationFailedError extends Error {
  constructor() {
    super("sign-in failed: wrong username, password or one-time code");
  }
}
export class AccountLockedError extends Error {
  constructor(readonly lockedUntil: string) {
    super(`too many failed sign-ins; try again after ${lockedUntil}`);
  }
}
export class UnauthenticatedError extends Error {
  constructor(reason: string) {
    super(reason);
  }
}
export class InvalidUserError extends Error {}

export interface NewAccount {
  username: string;
  displayName?: string;
  password: string;
  roles: string[];
  clearance?: string;
  cfr28Trained?: boolean;
  /** Only for reproducible demo and test accounts; real accounts always get a fresh random secret. */
  totpSecret?: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/u;

function checkRoles(roles: string[]): void {
  const badRole = roles.find((role) => !isRole(role));
  if (roles.length === 0 || badRole)
    throw new InvalidUserError(
      `roles: "${badRole ?? ""}" is not one of analyst, supervisor, oversight, prosecutor, border-officer, admin`,
    );
}

export class AuthService {
  // Verifying against a real hash for unknown users keeps their sign-in as slow as a known user's.
  private readonly decoyHash: Promise<string> = hashPassword("decoy-password-for-unknown-users");

  constructor(
    private readonly users: UserRepository,
    private readonly issuer: string,
    private readonly clock: () => Date = () => new Date(),
    private readonly policy: AuthPolicy = DEFAULT_AUTH_POLICY,
  ) {}

  async createAccount(account: NewAccount): Promise<{ user: UserRecord; totpSecret: string; otpauthUri: string }> {
    if (!USERNAME.test(account.username))
      throw new InvalidUserError(
        "username: 2–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
      );
    checkRoles(account.roles);
    const passwordProblem = passwordPolicyError(account.password);
    if (passwordProblem) throw new InvalidUserError(`password: ${passwordProblem}`);
    const clearance = this.clearanceFor(account.roles as Role[], account.clearance);
    const totpSecret = account.totpSecret ?? generateTotpSecret();
    const user = await this.users.createUser(
      {
        username: account.username,
        displayName: account.displayName ?? account.username,
        passwordHash: await hashPassword(account.password),
        roles: account.roles,
        cfr28Trained: account.cfr28Trained ?? false,
        clearance,
        totpSecret,
      },
      this.now(),
    );
    return {
      user,
      totpSecret,
      otpauthUri: otpauthUri({ secret: totpSecret, account: user.username, issuer: this.issuer }),
    };
  }

  private defaultClearance(roles: Role[]): Tlp {
    return roles.map((role) => DEFAULT_CLEARANCE[role]).reduce((a, b) => (tlpRank(a) >= tlpRank(b) ? a : b));
  }

  /** The clearance given, checked, or else the default of the roles. */
  private clearanceFor(roles: Role[], given: string | undefined): Tlp {
    const clearance = (given ?? this.defaultClearance(roles)).toUpperCase();
    if (!(TLP_LEVELS as readonly string[]).includes(clearance))
      throw new InvalidUserError(`clearance: "${given}" is not a TLP level`);
    return clearance as Tlp;
  }

  /**
   * Gives an account new roles and a clearance (the roles' default when none is given); the change applies from
   * the account's next request. Undefined when there is no such account.
   */
  async changeRoles(username: string, roles: string[], clearance?: string): Promise<UserRecord | undefined> {
    checkRoles(roles);
    const user = await this.users.findByUsername(username);
    if (!user) return undefined;
    const tlp = this.clearanceFor(roles as Role[], clearance);
    await this.users.updateRoles(user.id, roles, tlp, this.now());
    return this.users.findById(user.id);
  }

  /** Until when repeated failed sign-ins lock this account, or undefined when it is not locked. */
  async lockedUntil(username: string): Promise<string | undefined> {
    const now = this.clock();
    const windowStart = new Date(now.getTime() - this.policy.failureWindowMs).toISOString();
    const failures = await this.users.recentFailures(username, windowStart);
    if (failures.length < this.policy.maxFailures) return undefined;
    const oldest = failures[failures.length - this.policy.maxFailures] as string;
    return new Date(Date.parse(oldest) + this.policy.failureWindowMs).toISOString();
  }

  /** Checks password and one-time code together; returns a bearer session token shown once. */
  async signIn(username: string, password: string, totpCode: string): Promise<{ token: string; user: UserRecord }> {
    const now = this.clock();
    const locked = await this.lockedUntil(username);
    if (locked) throw new AccountLockedError(locked);
    const user = await this.users.findByUsername(username);
    const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    const step =
      user?.totpSecret && passwordOk
        ? verifyTotp(user.totpSecret, totpCode, now.getTime(), { lastUsedStep: user.totpLastStep })
        : null;
    const ok = user !== undefined && !user.disabled && passwordOk && step !== null;
    if (!ok || !(await this.users.claimTotpStep(user.id, step, now.toISOString()))) {
      await this.users.recordSignInAttempt(username, now.toISOString(), false);
      throw new AuthenticationFailedError();
    }
    await this.users.recordSignInAttempt(username, now.toISOString(), true);
    const session = newSecretToken(SESSION_PREFIX);
    await this.users.createSession(session.hash, user.id, now.toISOString());
    return { token: session.token, user };
  }

  async signOut(token: string): Promise<void> {
    await this.users.endSession(hashToken(token), this.now());
  }

  /** Resolves a bearer token (session or API token) to the principal it stands for. */
  async authenticate(token: string): Promise<Principal> {
    const now = this.clock();
    const hash = hashToken(token);
    let userId: string;
    let via: Principal["via"];
    if (token.startsWith(`${SESSION_PREFIX}_`)) {
      const session = await this.users.findSession(hash);
      if (!session || session.ended_at) throw new UnauthenticatedError("the session has ended; sign in again");
      if (now.getTime() - Date.parse(session.last_seen_at) > this.policy.idleTimeoutMs) {
        await this.users.endSession(hash, now.toISOString());
        throw new UnauthenticatedError("the session ended after 30 minutes without activity; sign in again");
      }
      // Activity is written at most every few seconds: the idle clock needs no finer grain, and a write on every
      // request would cost a busy node more than its searches.
      if (now.getTime() - Date.parse(session.last_seen_at) >= TOUCH_EVERY_MS)
        await this.users.touchSession(hash, now.toISOString());
      userId = session.user_id;
      via = "session";
    } else if (token.startsWith(`${API_TOKEN_PREFIX}_`)) {
      const apiToken = await this.users.findApiToken(hash);
      if (!apiToken || apiToken.revoked_at) throw new UnauthenticatedError("the API token is not valid");
      if (!apiToken.last_used_at || now.getTime() - Date.parse(apiToken.last_used_at) >= TOUCH_EVERY_MS)
        await this.users.touchApiToken(apiToken.id, now.toISOString());
      userId = apiToken.user_id;
      via = "api-token";
    } else {
      throw new UnauthenticatedError("the credentials are not a Puente session or API token");
    }
    const user = await this.users.findById(userId);
    if (!user || user.disabled) throw new UnauthenticatedError("the account is disabled");
    return principalOfUser(user, via);
  }

  /** Creates an API token for a service client; the token is returned once and only its hash is kept. */
  async createApiToken(username: string, name: string): Promise<{ id: string; token: string }> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new InvalidUserError(`no user "${username}"`);
    const { token, hash } = newSecretToken(API_TOKEN_PREFIX);
    const id = await this.users.createApiToken(user.id, name, hash, this.now());
    return { id, token };
  }

  async revokeApiToken(id: string): Promise<boolean> {
    return this.users.revokeApiToken(id, this.now());
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
