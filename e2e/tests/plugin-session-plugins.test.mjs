// The official Better Auth client (1.2.12) with its magicLinkClient, multiSessionClient and oneTimeTokenClient
// plugins against our server (multi-session and one-time token switched on; magic link is on by default): links read
// from the server's outbox, several accounts in one browser, one-time tokens handed to another client.
// E2E_CLIENT_TARGET=reference runs the suite against the reference (REF_EXTRA_PLUGINS=magicLink,multiSession,oneTimeToken);
// the checks of our deliberate differences are skipped there.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { createAuthClient } from "better-auth/client";
import { magicLinkClient, multiSessionClient, oneTimeTokenClient } from "better-auth/client/plugins";
import { startOurs, startReference } from "../lib/servers.mjs";
import { clientBrowser } from "../lib/browser.mjs";

const PASSWORD = "password1234";
const MULTI = "better-auth.session_token_multi-";
const onReference = process.env.E2E_CLIENT_TARGET === "reference";
const ours = (name, fn) => test(name, { skip: onReference && "a deliberate difference from the reference" }, fn);

let server;
let counter = 0;

before(async () => {
  server = onReference
    ? await startReference({ env: { REF_EXTRA_PLUGINS: "magicLink,multiSession,oneTimeToken" } })
    : await startOurs({ env: { Plugins__MultiSession__Enabled: "true", Plugins__OneTimeToken__Enabled: "true" } });
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

const browser = () => clientBrowser(createAuthClient, server.baseURL, { plugins: [magicLinkClient(), multiSessionClient(), oneTimeTokenClient()] });
const email = (label) => `${label}-${++counter}-${Date.now()}@session-plugins.test`;
const sql = (statement) => execFileSync("sqlite3", ["-cmd", ".timeout 10000", server.dbPath, statement], { encoding: "utf8" }).trim();

function link(to) {
  const message = server.lastMessage("magic-link", to);
  assert.ok(message, `no magic-link message to ${to}`);
  return message;
}

async function signUp(b, label) {
  const address = email(label);
  const { data, error } = await b.client.signUp.email({ email: address, password: PASSWORD, name: label });
  assert.equal(error, null);
  return { email: address, token: data.token, userId: data.user.id };
}

describe("magic link with the official client", () => {
  test("a new email is signed up by its link and signed in", async () => {
    const b = browser();
    const address = email("ml-new");
    const sent = await b.client.signIn.magicLink({ email: address, name: "Link User" });
    assert.equal(sent.error, null);
    assert.deepEqual(sent.data, { status: true });
    const message = link(address);
    assert.match(message.token, /^[A-Za-z]{32}$/);
    assert.equal(message.url, `${server.apiURL}/magic-link/verify?token=${message.token}&callbackURL=%2F`);

    const { data, error } = await b.client.magicLink.verify({ query: { token: message.token } });
    assert.equal(error, null);
    assert.equal(data.user.email, address);
    assert.equal(data.user.name, "Link User");
    assert.equal(data.user.emailVerified, true);
    const session = await b.client.getSession();
    assert.equal(session.data.session.token, data.token);

    const again = await browser().client.magicLink.verify({ query: { token: message.token } });
    assert.equal(again.data, null, "a link works once");
  });

  test("the mailed link redirects to the callbackURL with the session cookie", async () => {
    const b = browser();
    const address = email("ml-callback");
    await b.client.signIn.magicLink({ email: address, callbackURL: "/dashboard?tab=1" });
    const message = link(address);
    assert.ok(message.url.endsWith("&callbackURL=%2Fdashboard%3Ftab%3D1"));
    const res = await b.jar.fetch(message.url, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/dashboard?tab=1");
    assert.ok(b.jar.get("better-auth.session_token"));
    assert.equal((await b.client.getSession()).data.user.email, address);
  });

  test("bad input is refused with Better Auth's codes", async () => {
    const b = browser();
    const invalid = await b.client.signIn.magicLink({ email: "not-an-email" });
    assert.equal(invalid.error.status, 400);
    const untrusted = await b.client.signIn.magicLink({ email: email("ml-bad"), callbackURL: "https://evil.example/" });
    assert.equal(untrusted.error.status, 403);
    assert.equal(untrusted.error.code, "INVALID_CALLBACKURL");
  });

  ours("a failed link returns to the callback with a well-formed error parameter", async () => {
    const b = browser();
    const res = await b.jar.fetch(`${server.apiURL}/magic-link/verify?token=NoSuchToken&callbackURL=${encodeURIComponent("/done?step=2")}`, { redirect: "manual" });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location"));
    assert.equal(location.pathname, "/done");
    assert.equal(location.searchParams.get("step"), "2");
    assert.equal(location.searchParams.get("error"), "INVALID_TOKEN");
  });

  ours("the owner of the mailbox takes over an unverified account: the earlier password stops working", async () => {
    const squatter = browser();
    const { email: address } = await signUp(squatter, "ml-squat");
    const owner = browser();
    await owner.client.signIn.magicLink({ email: address });
    const { error } = await owner.client.magicLink.verify({ query: { token: link(address).token } });
    assert.equal(error, null);
    assert.equal((await squatter.client.getSession()).data, null);
    const withPassword = await browser().client.signIn.email({ email: address, password: PASSWORD });
    assert.equal(withPassword.error.status, 401);
  });
});

describe("multi-session with the official client", () => {
  test("accounts signed in one after the other are listed, switched between and revoked", async () => {
    const b = browser();
    const first = await signUp(b, "ms-1");
    const second = await signUp(b, "ms-2");
    const third = await signUp(b, "ms-3");
    for (const account of [first, second, third]) assert.ok(b.jar.get(MULTI + account.token.toLowerCase()), "a device cookie per account");

    const listed = await b.client.multiSession.listDeviceSessions();
    assert.equal(listed.error, null);
    assert.deepEqual(listed.data.map((s) => s.user.email).sort(), [first.email, second.email, third.email].sort());
    assert.equal((await b.client.getSession()).data.user.email, third.email);

    const active = await b.client.multiSession.setActive({ sessionToken: first.token });
    assert.equal(active.error, null);
    assert.equal(active.data.session.token, first.token);
    assert.equal((await b.client.getSession()).data.user.email, first.email);

    const revoked = await b.client.multiSession.revoke({ sessionToken: second.token });
    assert.deepEqual(revoked.data, { status: true });
    assert.equal(b.jar.get(MULTI + second.token.toLowerCase()), undefined);
    assert.equal((await b.client.multiSession.listDeviceSessions()).data.length, 2);

    // Revoking the active account switches to the one left, then revoking that signs the browser out.
    await b.client.multiSession.revoke({ sessionToken: first.token });
    assert.equal((await b.client.getSession()).data.user.email, third.email);
    await b.client.multiSession.revoke({ sessionToken: third.token });
    assert.equal((await b.client.getSession()).data, null);
  });

  test("a session this browser holds no device cookie for cannot be made active", async () => {
    const other = await signUp(browser(), "ms-other");
    const b = browser();
    await signUp(b, "ms-mine");
    const { error } = await b.client.multiSession.setActive({ sessionToken: other.token });
    assert.equal(error.status, 401);
    assert.equal(error.code, "INVALID_SESSION_TOKEN");
  });

  test("sign-out ends every account of the browser", async () => {
    const b = browser();
    const first = await signUp(b, "ms-out-1");
    const second = await signUp(b, "ms-out-2");
    assert.equal((await b.client.signOut()).error, null);
    for (const account of [first, second]) assert.equal(sql(`SELECT count(*) FROM session WHERE token = '${account.token}'`), "0");
    assert.deepEqual((await b.client.multiSession.listDeviceSessions()).data, []);
  });

  ours("five accounts fit the default maximum of five", async () => {
    const b = browser();
    const accounts = [];
    for (let i = 1; i <= 6; i++) accounts.push(await signUp(b, `ms-max-${i}`));
    assert.equal((await b.client.multiSession.listDeviceSessions()).data.length, 5);
    assert.equal(b.jar.get(MULTI + accounts[5].token.toLowerCase()), undefined);
  });
});

describe("one-time token with the official client", () => {
  test("a token from a signed-in browser gives another client the session, once", async () => {
    const b = browser();
    const account = await signUp(b, "ott");
    const made = await b.client.oneTimeToken.generate();
    assert.equal(made.error, null);
    const elsewhere = browser();
    const { data, error } = await elsewhere.client.oneTimeToken.verify({ token: made.data.token });
    assert.equal(error, null);
    assert.equal(data.session.token, account.token);
    assert.equal(data.user.email, account.email);
    const again = await elsewhere.client.oneTimeToken.verify({ token: made.data.token });
    assert.equal(again.error.status, 400);
    assert.equal(again.error.code, "INVALID_TOKEN");
    assert.equal((await browser().client.oneTimeToken.generate()).error.status, 401);
  });

  ours("a session that expired since the token was made is not handed out", async () => {
    const b = browser();
    const account = await signUp(b, "ott-stale");
    const made = await b.client.oneTimeToken.generate();
    sql(`UPDATE session SET expiresAt = '2000-01-01T00:00:00.000Z' WHERE token = '${account.token}'`);
    const { error } = await browser().client.oneTimeToken.verify({ token: made.data.token });
    assert.equal(error.status, 400);
    assert.equal(error.code, "SESSION_EXPIRED");
  });
});
