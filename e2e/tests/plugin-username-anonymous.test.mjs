// The official client with usernameClient and anonymousClient (better-auth 1.2.12) against our server:
// username sign-up, sign-in and update; anonymous sign-in; an anonymous browser that signs up for real.
// E2E_CLIENT_TARGET=reference runs the same suite against the reference; the tests marked
// "deliberate difference" then check the reference's own (defective) behaviour instead.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createAuthClient } from "better-auth/client";
import { anonymousClient, usernameClient } from "better-auth/client/plugins";
import { startOurs, startReference } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const SESSION_COOKIE = "better-auth.session_token";
const PASSWORD = "password1234";
const onReference = process.env.E2E_CLIENT_TARGET === "reference";

let server;
let counter = 0;

before(async () => {
  server = onReference ? await startReference() : await startOurs();
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

/** A fresh browser: its own cookie jar, and a client with both plugins whose requests go through it. */
function browser() {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({
    baseURL: server.baseURL,
    plugins: [usernameClient(), anonymousClient()],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  return { jar, client };
}

/** A unique suffix per call (lower-case letters and digits), so tests never collide on the shared database. */
function unique() {
  counter += 1;
  return `${counter}${Date.now().toString(36)}`;
}

function tokenIn(jar) {
  const value = jar.get(SESSION_COOKIE);
  return value && decodeURIComponent(value).split(".")[0];
}

async function signedUpWithUsername(username) {
  const b = browser();
  const email = `${username.toLowerCase()}@username.test`;
  const { data, error } = await b.client.signUp.email({ email, password: PASSWORD, name: "Named", username });
  assert.equal(error, null, `sign-up failed: ${JSON.stringify(error)}`);
  return { ...b, email, user: data.user };
}

describe("username plugin with the official client", () => {
  test("sign up with a username, then sign in with it in any case", async () => {
    const username = `Ann_${unique()}`;
    const { user } = await signedUpWithUsername(username);

    const other = browser();
    const { data, error } = await other.client.signIn.username({ username: username.toUpperCase(), password: PASSWORD });
    assert.equal(error, null);
    assert.equal(data.user.id, user.id);
    assert.equal(data.user.username, username.toLowerCase());
    assert.deepEqual(Object.keys(data).sort(), ["token", "user"]);
    assert.equal(tokenIn(other.jar), data.token);

    const session = await other.client.getSession();
    assert.equal(session.data.user.username, username.toLowerCase());
    assert.equal(session.data.user.displayUsername, username);
  });

  test("wrong password and unknown username get the same 401", async () => {
    const username = `bob_${unique()}`;
    await signedUpWithUsername(username);
    const b = browser();
    const wrong = await b.client.signIn.username({ username, password: "not-the-password" });
    const unknown = await b.client.signIn.username({ username: `nobody_${unique()}`, password: PASSWORD });
    for (const { data, error } of [wrong, unknown]) {
      assert.equal(data, null);
      assert.equal(error.status, 401);
      assert.equal(error.code, "INVALID_USERNAME_OR_PASSWORD");
      assert.equal(error.message, "invalid username or password");
    }
    assert.equal(b.jar.get(SESSION_COOKIE), undefined);
  });

  test("a taken username is refused at sign-up with 422", async () => {
    const username = `cat_${unique()}`;
    await signedUpWithUsername(username);
    const b = browser();
    const { data, error } = await b.client.signUp.email({
      email: `other-${unique()}@username.test`, password: PASSWORD, name: "Copy", username: username.toUpperCase(),
    });
    assert.equal(data, null);
    assert.equal(error.status, 422);
    assert.equal(error.code, "USERNAME_IS_ALREADY_TAKEN_PLEASE_TRY_ANOTHER");
    assert.equal(b.jar.get(SESSION_COOKIE), undefined);
  });

  test("too short, too long and invalid usernames are refused with 422", async () => {
    const cases = [["ab", "USERNAME_IS_TOO_SHORT"], ["x".repeat(31), "USERNAME_IS_TOO_LONG"], ["has space", "USERNAME_IS_INVALID"]];
    for (const [username, code] of cases) {
      const signUp = await browser().client.signUp.email({ email: `bad-${unique()}@username.test`, password: PASSWORD, name: "Bad", username });
      assert.equal(signUp.error.status, 422, username);
      assert.equal(signUp.error.code, code, username);
      const signIn = await browser().client.signIn.username({ username, password: PASSWORD });
      assert.equal(signIn.error.status, 422, username);
      assert.equal(signIn.error.code, code, username);
    }
  });

  test("update user changes the username; the old one no longer signs in", async () => {
    const username = `dan_${unique()}`;
    const { client } = await signedUpWithUsername(username);
    const renamed = `Dan_New_${unique()}`;
    const updated = await client.updateUser({ username: renamed });
    assert.equal(updated.error, null);
    assert.deepEqual(updated.data, { status: true });

    const { data } = await client.getSession();
    assert.equal(data.user.username, renamed.toLowerCase());
    assert.equal(data.user.displayUsername, renamed);
    assert.equal((await browser().client.signIn.username({ username: renamed, password: PASSWORD })).error, null);
    assert.equal((await browser().client.signIn.username({ username, password: PASSWORD })).error.status, 401);
  });

  test("update user to another user's username is refused with 422", async () => {
    const taken = `eve_${unique()}`;
    await signedUpWithUsername(taken);
    const { client } = await signedUpWithUsername(`fay_${unique()}`);
    const { error } = await client.updateUser({ username: taken });
    assert.equal(error.status, 422);
    assert.equal(error.code, "USERNAME_IS_ALREADY_TAKEN_PLEASE_TRY_ANOTHER");
  });

  test("update user keeping one's own username (deliberate difference: the reference says it is taken)", async () => {
    const username = `gil_${unique()}`;
    const { client } = await signedUpWithUsername(username);
    const { error } = await client.updateUser({ username });
    if (onReference) assert.equal(error.code, "USERNAME_IS_ALREADY_TAKEN_PLEASE_TRY_ANOTHER");
    else assert.equal(error, null);
  });
});

describe("anonymous plugin with the official client", () => {
  test("anonymous sign-in creates a user with a placeholder email and a session", async () => {
    const b = browser();
    const { data, error } = await b.client.signIn.anonymous();
    assert.equal(error, null);
    assert.deepEqual(Object.keys(data.user).sort(), ["createdAt", "email", "emailVerified", "id", "name", "updatedAt"]);
    assert.equal(data.user.name, "Anonymous");
    assert.equal(data.user.emailVerified, false);
    // The default domain is the base URL's origin, scheme included, as Better Auth 1.2.12 builds it.
    assert.match(data.user.email, new RegExp(`^temp-[a-z0-9]{32}@${server.baseURL.replace(/[.]/g, "\\.")}$`));
    assert.equal(tokenIn(b.jar), data.token);

    const session = await b.client.getSession();
    assert.equal(session.data.user.id, data.user.id);
    assert.equal(session.data.user.isAnonymous, true);
  });

  test("an anonymous user cannot sign in anonymously again, and keeps their session", async () => {
    const b = browser();
    const first = await b.client.signIn.anonymous();
    assert.equal(first.error, null);
    const firstToken = tokenIn(b.jar);

    const again = await b.client.signIn.anonymous();
    assert.equal(again.data, null);
    assert.equal(again.error.status, 400);
    assert.equal(again.error.code, "ANONYMOUS_USERS_CANNOT_SIGN_IN_AGAIN_ANONYMOUSLY");
    if (onReference) {
      // The reference creates another anonymous user anyway and sets its cookie with the 400.
      assert.notEqual(tokenIn(b.jar), firstToken);
    } else {
      assert.equal(tokenIn(b.jar), firstToken);
      assert.equal((await b.client.getSession()).data.user.id, first.data.user.id);
    }
  });

  test("signing up from an anonymous browser links: the anonymous user and its session are gone", async () => {
    const b = browser();
    const anonymous = await b.client.signIn.anonymous();
    assert.equal(anonymous.error, null);
    const anonymousCookie = b.jar.header();

    const email = `linked-${unique()}@anonymous.test`;
    const up = await b.client.signUp.email({ email, password: PASSWORD, name: "Linked" });
    assert.equal(up.error, null);
    assert.equal(up.data.user.email, email);

    const session = await b.client.getSession();
    assert.equal(session.data.user.email, email);
    assert.equal(session.data.user.isAnonymous, null);

    // The anonymous session was deleted with its user: replaying its cookie gives no session.
    const replay = await fetch(`${server.apiURL}/get-session`, { headers: { cookie: anonymousCookie } });
    assert.equal(await replay.json(), null);
  });

  test("signing in with a username from an anonymous browser links too", async () => {
    const username = `hal_${unique()}`;
    const { user } = await signedUpWithUsername(username);
    const b = browser();
    assert.equal((await b.client.signIn.anonymous()).error, null);
    const anonymousCookie = b.jar.header();

    const { data, error } = await b.client.signIn.username({ username, password: PASSWORD });
    assert.equal(error, null);
    assert.equal(data.user.id, user.id);
    const replay = await fetch(`${server.apiURL}/get-session`, { headers: { cookie: anonymousCookie } });
    assert.equal(await replay.json(), null);
  });

  test("a failed sign-in from an anonymous browser keeps the anonymous session", async () => {
    const b = browser();
    const anonymous = await b.client.signIn.anonymous();
    const failed = await b.client.signIn.username({ username: `nobody_${unique()}`, password: PASSWORD });
    assert.equal(failed.error.status, 401);
    assert.equal((await b.client.getSession()).data.user.id, anonymous.data.user.id);
  });
});
