// Users, sign-in attempts, sessions and API tokens in the store. Secrets are stored only as hashes.
import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Tables, UsersTable } from "./tables.ts";

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: string[];
  cfr28Trained: boolean;
  clearance: string;
  totpSecret: string | null;
  totpLastStep: number | null;
  disabled: boolean;
  createdAt: string;
}

export type NewUser = Omit<UserRecord, "id" | "createdAt" | "totpLastStep" | "disabled">;

export class UsernameTakenError extends Error {}

function userFromRow(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    roles: JSON.parse(row.roles),
    cfr28Trained: Number(row.cfr28_trained) === 1,
    clearance: row.clearance,
    totpSecret: row.totp_secret,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    disabled: Number(row.disabled) === 1,
    createdAt: row.created_at,
  };
}

export class UserRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async createUser(user: NewUser, now: string): Promise<UserRecord> {
    const existing = await this.findByUsername(user.username);
    if (existing) throw new UsernameTakenError(`username "${user.username}" is already taken`);
    const id = randomUUID();
    await this.db
      .insertInto("users")
      .values({
        id,
        username: user.username,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        roles: JSON.stringify(user.roles),
        cfr28_trained: user.cfr28Trained ? 1 : 0,
        clearance: user.clearance,
        totp_secret: user.totpSecret,
        totp_last_step: null,
        disabled: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { ...user, id, createdAt: now, totpLastStep: null, disabled: false };
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
    return row ? userFromRow(row) : undefined;
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? userFromRow(row) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom("users").selectAll().orderBy("username").execute();
    return rows.map(userFromRow);
  }

  /** Gives a user new roles and clearance; false when there is no such user. */
  async updateRoles(id: string, roles: string[], clearance: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable("users")
      .set({ roles: JSON.stringify(roles), clearance, updated_at: now })
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The time of each user's last successful sign-in, by username (users who never signed in are absent). */
  async lastSignIns(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom("sign_in_attempts")
      .select(["username", (eb) => eb.fn.max<string>("at").as("at")])
      .where("succeeded", "=", 1)
      .groupBy("username")
      .execute();
    return new Map(rows.map((row) => [row.username, row.at]));
  }

  /**
   * Stores the TOTP time step just used, only if it is newer than the last one, so a code is accepted once.
   * Returns false when another sign-in already used this step or a later one.
   */
  async claimTotpStep(userId: string, step: number, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable("users")
      .set({ totp_last_step: step, updated_at: now })
      .where("id", "=", userId)
      .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async recordSignInAttempt(username: string, at: string, succeeded: boolean): Promise<void> {
    await this.db
      .insertInto("sign_in_attempts")
      .values({ id: randomUUID(), username, at, succeeded: succeeded ? 1 : 0 })
      .execute();
  }

  /** Failed attempts since `since` that came after the last successful one. */
  async recentFailures(username: string, since: string): Promise<string[]> {
    const lastSuccess = await this.db
      .selectFrom("sign_in_attempts")
      .select("at")
      .where("username", "=", username)
      .where("succeeded", "=", 1)
      .orderBy("at", "desc")
      .limit(1)
      .executeTakeFirst();
    const from = lastSuccess && lastSuccess.at > since ? lastSuccess.at : since;
    const rows = await this.db
      .selectFrom("sign_in_attempts")
      .select("at")
      .where("username", "=", username)
      .where("succeeded", "=", 0)
      .where("at", ">", from)
      .orderBy("at")
      .execute();
    return rows.map((row) => row.at);
  }

  async createSession(idHash: string, userId: string, now: string): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({ id_hash: idHash, user_id: userId, created_at: now, last_seen_at: now, ended_at: null })
      .execute();
  }

  async findSession(idHash: string) {
    return this.db.selectFrom("sessions").selectAll().where("id_hash", "=", idHash).executeTakeFirst();
  }

  async touchSession(idHash: string, now: string): Promise<void> {
    await this.db.updateTable("sessions").set({ last_seen_at: now }).where("id_hash", "=", idHash).execute();
  }

  async endSession(idHash: string, now: string): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ ended_at: now })
      .where("id_hash", "=", idHash)
      .where("ended_at", "is", null)
      .execute();
  }

  async createApiToken(userId: string, name: string, tokenHash: string, now: string): Promise<string> {
    const id = randomUUID();
    await this.db
      .insertInto("api_tokens")
      .values({
        id,
        user_id: userId,
        name,
        token_hash: tokenHash,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return id;
  }

  async findApiToken(tokenHash: string) {
    return this.db.selectFrom("api_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
  }

  async touchApiToken(id: string, now: string): Promise<void> {
    await this.db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", id).execute();
  }

  async revokeApiToken(id: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable("api_tokens")
      .set({ revoked_at: now })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
