// Tests for sign-in: TOTP required, lockout after five failures in fifteen minutes, idle sessions end, API tokens.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Database } from "../store/database.ts";
import { openTestSqlite } from "../store/test-databases.ts";
import { UserRepository } from "../store/user-repository.ts";
import {
  AccountLockedError,
  AuthenticationFailedError,
  AuthService,
  InvalidUserError,
  UnauthenticatedError,
} from "./auth-service.ts";
import { totp } from "./totp.ts";

let database: Database;
let auth: AuthService;
let now = Date.parse("2026-05-01T08:00:00.000Z");
const tick = (ms: number) => {
  now += ms;
};
let secret = "";
const password = "correct horse battery";

before(async () => {
  database = await openTestSqlite();
  auth = new AuthService(new UserRepository(database.db), "Puente test", () => new Date(now));
  ({ totpSecret: secret } = await auth.createAccount({ username: "ana", password, roles: ["analyst"] }));
});
after(async () => database.close());

test("accounts need a valid username, known roles and a policy-conforming password", async () => {
  await assert.rejects(auth.createAccount({ username: "Bad Name", password, roles: ["analyst"] }), InvalidUserError);
  await assert.rejects(auth.createAccount({ username: "bob", password, roles: ["wizard"] }), /roles/u);
  await assert.rejects(auth.createAccount({ username: "bob", password: "short", roles: ["analyst"] }), /password/u);
});

test("sign-in needs the password and a current one-time code, and each code works once", async () => {
  await assert.rejects(auth.signIn("ana", password, "000000"), AuthenticationFailedError);
  tick(30_000);
  const code = totp(secret, now);
  const { token } = await auth.signIn("ana", password, code);
  const principal = await auth.authenticate(token);
  assert.equal(principal.username, "ana");
  assert.deepEqual(principal.roles, ["analyst"]);
  assert.equal(principal.clearance, "AMBER+STRICT");
  await assert.rejects(auth.signIn("ana", password, code), AuthenticationFailedError, "a replayed code is refused");
  await auth.signOut(token);
  await assert.rejects(auth.authenticate(token), UnauthenticatedError);
});

test("a session ends after thirty minutes without activity, but activity keeps it alive", async () => {
  tick(60_000);
  const { token } = await auth.signIn("ana", password, totp(secret, now));
  tick(29 * 60_000);
  await auth.authenticate(token);
  tick(29 * 60_000);
  await auth.authenticate(token);
  tick(30 * 60_000 + 1);
  await assert.rejects(auth.authenticate(token), /without activity/u);
  await assert.rejects(auth.authenticate(token), UnauthenticatedError, "an expired session stays ended");
});

test("five failures within fifteen minutes lock the account, even for the right password, until the window passes", async () => {
  tick(60_000);
  for (let i = 0; i < 5; i++) {
    await assert.rejects(auth.signIn("ana", "wrong password!!", totp(secret, now)), AuthenticationFailedError);
    tick(60_000);
  }
  await assert.rejects(auth.signIn("ana", password, totp(secret, now)), AccountLockedError);
  tick(11 * 60_000);
  const { token } = await auth.signIn("ana", password, totp(secret, now));
  assert.equal((await auth.authenticate(token)).username, "ana");
});

test("unknown users fail like wrong passwords", async () => {
  await assert.rejects(auth.signIn("nobody", password, "123456"), AuthenticationFailedError);
});

test("API tokens authenticate service clients until revoked, and garbage tokens are refused", async () => {
  const { id, token } = await auth.createApiToken("ana", "nightly export");
  assert.match(token, /^pat_/u);
  assert.equal((await auth.authenticate(token)).via, "api-token");
  assert.equal(await auth.revokeApiToken(id), true);
  await assert.rejects(auth.authenticate(token), UnauthenticatedError);
  await assert.rejects(auth.authenticate("pat_not-a-real-token"), UnauthenticatedError);
  await assert.rejects(auth.authenticate("Basic abc"), UnauthenticatedError);
});
