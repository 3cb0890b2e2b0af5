// Review round two (SECURITY.md) with the official client (better-auth 1.2.12, adminClient and phoneNumberClient)
// against our server with the session_data cookie cache on: a role change or a ban counts at once on protected
// actions, although get-session may still show the cached user until the cache expires; another admin's session token
// as listed by /admin/list-user-sessions is no bearer credential; and a phone number sent with sign-up is not stored,
// so the number's owner who verifies it gets an account of their own.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createAuthClient } from "better-auth/client";
import { adminClient, phoneNumberClient } from "better-auth/client/plugins";
import { startOurs } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const PASSWORD = "password1234";
const CACHE = { BetterAuth__Session__CookieCache__Enabled: "true" };

let server;
let root; // a browser signed in as the first admin (listed in AdminUserIds)
let counter = 0;

function browser() {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({
    baseURL: server.baseURL,
    plugins: [adminClient(), phoneNumberClient()],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  return { jar, client };
}

function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now().toString(36)}@live.test`;
}

async function signedUp(label) {
  const b = browser();
  const address = email(label);
  const { data, error } = await b.client.signUp.email({ email: address, password: PASSWORD, name: label });
  assert.equal(error, null, `sign-up failed: ${JSON.stringify(error)}`);
  return { ...b, email: address, id: data.user.id };
}

async function signedIn(address) {
  const b = browser();
  assert.equal((await b.client.signIn.email({ email: address, password: PASSWORD })).error, null);
  assert.ok(b.jar.get("better-auth.session_data"), "the cookie cache is on");
  return b;
}

before(async () => {
  const first = await startOurs({ env: CACHE });
  server = first;
  const admin = await signedUp("root");
  await first.stop();
  server = await startOurs({ port: first.port, dir: first.dir, dbPath: first.dbPath, outbox: first.outbox,
    env: { ...CACHE, Plugins__Admin__AdminUserIds__0: admin.id } });
  root = await signedIn(admin.email);
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

describe("cookie cache on: privileges are read live", () => {
  test("a demoted admin is refused at once, while get-session still shows the cached role", async () => {
    const alice = await signedUp("alice");
    assert.equal((await root.client.admin.setRole({ userId: alice.id, role: "admin" })).error, null);
    const aliceNow = await signedIn(alice.email);
    assert.equal((await aliceNow.client.admin.listUsers({ query: {} })).error, null);

    assert.equal((await root.client.admin.setRole({ userId: alice.id, role: "user" })).error, null);
    assert.equal((await aliceNow.client.getSession()).data.user.role, "admin", "get-session may answer from the cache");
    const refused = await aliceNow.client.admin.listUsers({ query: {} });
    assert.equal(refused.error?.status, 403);
    assert.equal(refused.error?.code, "YOU_ARE_NOT_ALLOWED_TO_LIST_USERS");
    const escalate = await aliceNow.client.admin.setRole({ userId: alice.id, role: "admin" });
    assert.equal(escalate.error?.status, 403);
  });

  test("a banned user's browser can no longer write or list its sessions", async () => {
    const bob = await signedUp("bob");
    assert.ok(bob.jar.get("better-auth.session_data"));
    assert.equal((await root.client.admin.banUser({ userId: bob.id })).error, null);
    assert.equal((await bob.client.updateUser({ name: "Still here" })).error?.status, 401);
    assert.equal((await bob.client.listSessions()).error?.status, 401);
    assert.equal((await bob.client.getSession({ query: { disableCookieCache: true } })).data, null);
  });
});

describe("admin on admin", () => {
  test("another admin's listed session token is no bearer credential, but still names the session to revoke", async () => {
    const mallory = await signedUp("mallory");
    assert.equal((await root.client.admin.setRole({ userId: mallory.id, role: "admin" })).error, null);
    const malloryNow = await signedIn(mallory.email);
    const victim = await signedUp("victim-admin");
    assert.equal((await root.client.admin.setRole({ userId: victim.id, role: "admin" })).error, null);
    const victimNow = await signedIn(victim.email);

    const { data } = await malloryNow.client.admin.listUserSessions({ userId: victim.id });
    const token = decodeURIComponent(victimNow.jar.get("better-auth.session_token")).split(".")[0];
    assert.ok(data.sessions.some((s) => s.token === token), "the listing shows the raw token");
    const asVictim = createAuthClient({
      baseURL: server.baseURL,
      plugins: [adminClient()],
      fetchOptions: { auth: { type: "Bearer", token } },
    });
    assert.equal((await asVictim.getSession()).data, null);
    assert.equal((await asVictim.admin.listUsers({ query: {} })).error?.status, 401);

    assert.equal((await malloryNow.client.admin.revokeUserSession({ sessionToken: token })).error, null);
    assert.equal((await victimNow.client.getSession({ query: { disableCookieCache: true } })).data, null);
  });
});

describe("phone number at sign-up", () => {
  test("is not stored, so the number's owner who verifies it gets an account of their own", async () => {
    const number = `+1415555${3000 + Math.floor(Math.random() * 6000)}`;
    const b = browser();
    const { data, error } = await b.client.signUp.email({ email: email("claimer"), password: PASSWORD, name: "Claimer", phoneNumber: number });
    assert.equal(error, null);
    assert.equal(data.user.phoneNumber ?? null, null);

    const owner = browser();
    assert.equal((await owner.client.phoneNumber.sendOtp({ phoneNumber: number })).error, null);
    const otp = server.lastMessage("phone-otp", number).otp;
    const verified = await owner.client.phoneNumber.verify({ phoneNumber: number, code: otp });
    assert.equal(verified.error, null);
    assert.notEqual(verified.data.user.id, data.user.id);
  });
});
