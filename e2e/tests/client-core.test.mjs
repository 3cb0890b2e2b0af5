// The official Better Auth client (better-auth/client 1.2.12) against our server: the core
// email/password and session flows a browser app would drive. Each "browser" is a cookie jar
// (Node's fetch keeps no cookies) that also sends Origin, as a browser does on fetch().
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createAuthClient } from "better-auth/client";
import { startOurs, startReference } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const SESSION_COOKIE = "better-auth.session_token";
const PASSWORD = "password1234";

let server;
let counter = 0;

before(async () => {
  // E2E_CLIENT_TARGET=reference runs the same suite against the reference, to check that every
  // expectation here is the real Better Auth's (all pass but the bearer test: the reference does
  // not enable the bearer plugin).
  server = process.env.E2E_CLIENT_TARGET === "reference" ? await startReference() : await startOurs();
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

/** A fresh browser: its own cookie jar, and a client whose every request goes through it. */
function browser() {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({ baseURL: server.baseURL, fetchOptions: { customFetchImpl: jar.fetch } });
  return { jar, client };
}

/** A unique address per call, so tests never collide on the shared database. */
function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@client-core.test`;
}

/** Signs a new user up in a new browser; fails the test if sign-up does not succeed. */
async function signedUp(label, name = "Client Core") {
  const b = browser();
  const address = email(label);
  const { data, error } = await b.client.signUp.email({ email: address, password: PASSWORD, name });
  assert.equal(error, null, `sign-up failed: ${JSON.stringify(error)}`);
  return { ...b, email: address, user: data.user };
}

/** The raw session token (before the signature) held in a jar. */
function tokenIn(jar) {
  const value = jar.get(SESSION_COOKIE);
  return value && decodeURIComponent(value).split(".")[0];
}

describe("official client against our server", () => {
  test("sign up returns the user and sets the session cookie", async () => {
    const b = browser();
    const address = email("signup");
    const { data, error } = await b.client.signUp.email({ email: address, password: PASSWORD, name: "New User" });
    assert.equal(error, null);
    assert.equal(data.user.email, address);
    assert.equal(data.user.name, "New User");
    assert.equal(data.user.emailVerified, false);
    assert.match(data.token, /^[A-Za-z0-9]{32}$/);
    // The cookie the browser now holds is the signed form of the returned token.
    assert.equal(tokenIn(b.jar), data.token);
  });

  test("sign in with the right password starts a new session", async () => {
    const { email: address, user } = await signedUp("signin");
    const other = browser();
    const { data, error } = await other.client.signIn.email({ email: address, password: PASSWORD });
    assert.equal(error, null);
    assert.equal(data.user.id, user.id);
    assert.equal(data.redirect, false);
    assert.equal(tokenIn(other.jar), data.token);
  });

  test("get session returns the signed-in user and the cookie's session", async () => {
    const { client, jar, user } = await signedUp("getsession");
    const { data, error } = await client.getSession();
    assert.equal(error, null);
    assert.equal(data.user.id, user.id);
    assert.equal(data.user.email, user.email);
    assert.equal(data.session.userId, user.id);
    assert.equal(data.session.token, tokenIn(jar));
    assert.ok(Date.parse(data.session.expiresAt) > Date.now(), "session must expire in the future");
  });

  test("get session without a cookie is null", async () => {
    const { data, error } = await browser().client.getSession();
    assert.equal(error, null);
    assert.equal(data, null);
  });

  test("list sessions shows both sessions after two sign-ins", async () => {
    // Sign out of the sign-up session first, so exactly the two sign-ins remain.
    const { client, email: address } = await signedUp("list");
    assert.equal((await client.signOut()).error, null);
    const a = browser();
    const b = browser();
    assert.equal((await a.client.signIn.email({ email: address, password: PASSWORD })).error, null);
    assert.equal((await b.client.signIn.email({ email: address, password: PASSWORD })).error, null);
    const { data, error } = await a.client.listSessions();
    assert.equal(error, null);
    assert.equal(data.length, 2);
    assert.deepEqual(data.map((s) => s.token).sort(), [tokenIn(a.jar), tokenIn(b.jar)].sort());
  });

  test("update user: the new name shows in get-session", async () => {
    const { client } = await signedUp("update", "Old Name");
    const updated = await client.updateUser({ name: "New Name" });
    assert.equal(updated.error, null);
    assert.deepEqual(updated.data, { status: true });
    const { data } = await client.getSession();
    assert.equal(data.user.name, "New Name");
  });

  test("change password: the old one stops working, the new one works", async () => {
    const { client, email: address } = await signedUp("changepw");
    const changed = await client.changePassword({ currentPassword: PASSWORD, newPassword: "another-password-5678" });
    assert.equal(changed.error, null);
    assert.equal(changed.data.user.email, address);

    const old = await browser().client.signIn.email({ email: address, password: PASSWORD });
    assert.equal(old.data, null);
    assert.equal(old.error.status, 401);
    assert.equal(old.error.code, "INVALID_EMAIL_OR_PASSWORD");

    const fresh = await browser().client.signIn.email({ email: address, password: "another-password-5678" });
    assert.equal(fresh.error, null);
    assert.equal(fresh.data.user.email, address);
  });

  test("change password with a wrong current password is refused", async () => {
    const { client } = await signedUp("changepw-wrong");
    const { data, error } = await client.changePassword({ currentPassword: "not-the-password", newPassword: "whatever-5678" });
    assert.equal(data, null);
    assert.equal(error.status, 400);
    assert.equal(error.code, "INVALID_PASSWORD");
  });

  test("revoke other sessions: the other session is gone, the current one still works", async () => {
    const { client, jar, email: address } = await signedUp("revoke");
    const other = browser();
    assert.equal((await other.client.signIn.email({ email: address, password: PASSWORD })).error, null);
    assert.notEqual((await other.client.getSession()).data, null, "the other session must work before revoking");

    const revoked = await client.revokeOtherSessions();
    assert.equal(revoked.error, null);
    assert.deepEqual(revoked.data, { status: true });

    assert.equal((await other.client.getSession()).data, null);
    const mine = await client.getSession();
    assert.equal(mine.data?.session.token, tokenIn(jar));
    const list = await client.listSessions();
    assert.deepEqual(list.data.map((s) => s.token), [tokenIn(jar)]);
  });

  test("revoke all sessions ends every session of the user, this browser's included", async () => {
    const { client, email: address } = await signedUp("revoke-all");
    const other = browser();
    assert.equal((await other.client.signIn.email({ email: address, password: PASSWORD })).error, null);
    assert.equal((await client.listSessions()).data.length, 2);

    const revoked = await client.revokeSessions();
    assert.equal(revoked.error, null);
    assert.deepEqual(revoked.data, { status: true });
    assert.equal((await client.getSession()).data, null);
    assert.equal((await other.client.getSession()).data, null);
    const again = await other.client.signIn.email({ email: address, password: PASSWORD });
    assert.equal(again.error, null, "the account itself is untouched");
  });

  test("the error page (where failed OAuth flows land) shows the error code, escaped", async () => {
    const res = await fetch(`${server.apiURL}/error?error=access_denied`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^text\/html/);
    assert.match(await res.text(), /access_denied/);

    const hostile = await (await fetch(`${server.apiURL}/error?error=${encodeURIComponent("<script>alert(1)</script>")}`)).text();
    assert.doesNotMatch(hostile, /<script>alert/);
    assert.match(hostile, /&lt;script&gt;/);
  });

  test("sign out clears the cookie and ends the session on the server", async () => {
    const { client, jar } = await signedUp("signout");
    const cookieBefore = jar.header();
    const { data, error } = await client.signOut();
    assert.equal(error, null);
    assert.deepEqual(data, { success: true });
    assert.equal(jar.get(SESSION_COOKIE), undefined, "sign-out must delete the session cookie");
    assert.equal((await client.getSession()).data, null);

    // Replaying the old cookie must not bring the session back: the row is gone, not just the cookie.
    const replay = await fetch(`${server.apiURL}/get-session`, { headers: { cookie: cookieBefore } });
    assert.equal(replay.status, 200);
    assert.equal(await replay.json(), null);
  });

  test("wrong password: 401 INVALID_EMAIL_OR_PASSWORD and no cookie", async () => {
    const { email: address } = await signedUp("wrongpw");
    const b = browser();
    const { data, error } = await b.client.signIn.email({ email: address, password: "wrong-password-000" });
    assert.equal(data, null);
    assert.equal(error.status, 401);
    assert.equal(error.code, "INVALID_EMAIL_OR_PASSWORD");
    assert.equal(b.jar.get(SESSION_COOKIE), undefined);
  });

  test("unknown email signs in with the same error as a wrong password", async () => {
    const { error } = await browser().client.signIn.email({ email: email("nobody"), password: PASSWORD });
    assert.equal(error.status, 401);
    assert.equal(error.code, "INVALID_EMAIL_OR_PASSWORD");
  });

  test("duplicate email: 422 USER_ALREADY_EXISTS", async () => {
    const { email: address } = await signedUp("dup");
    const b = browser();
    const { data, error } = await b.client.signUp.email({ email: address, password: PASSWORD, name: "Twin" });
    assert.equal(data, null);
    assert.equal(error.status, 422);
    assert.equal(error.code, "USER_ALREADY_EXISTS");
    assert.equal(b.jar.get(SESSION_COOKIE), undefined);
  });

  test("bearer: the set-auth-token header works as Authorization: Bearer", async () => {
    const address = email("bearer");
    // A cookie-less client (like a mobile app) keeps only the header the server hands out, read in
    // a per-call onSuccess as Better Auth's bearer docs show (the client replaces a global onSuccess).
    let authToken;
    const capture = { onSuccess: (ctx) => { authToken = ctx.response.headers.get("set-auth-token"); } };
    const app = createAuthClient({ baseURL: server.baseURL });
    const signUp = await app.signUp.email({ email: address, password: PASSWORD, name: "Bearer" }, capture);
    assert.equal(signUp.error, null);
    assert.ok(authToken, "sign-up must send set-auth-token");
    assert.equal(decodeURIComponent(authToken).split(".")[0], signUp.data.token);

    const withBearer = createAuthClient({
      baseURL: server.baseURL,
      fetchOptions: { auth: { type: "Bearer", token: authToken } },
    });
    const { data, error } = await withBearer.getSession();
    assert.equal(error, null);
    assert.equal(data?.user.email, address);
    assert.equal(data.session.token, signUp.data.token);

    // Without the header the same client state has no session.
    assert.equal((await createAuthClient({ baseURL: server.baseURL }).getSession()).data, null);
  });
});
