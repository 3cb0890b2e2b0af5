// Mailed links across implementations: the reference Better Auth 1.2.12 and our server run at the same time
// on ONE SQLite file with the same secret, and a link one of them mails (verification JWT, reset token,
// change-email JWT, delete-account token) is opened on the other, as happens when a deployment switches
// servers while mails are in flight. Links are read from each server's outbox. Plain fetch, as in
// reference-compat.test.mjs, because cookies move between two origins.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startOurs, startReference, tempDir, TEST_SECRET } from "../lib/servers.mjs";

const SESSION_COOKIE = "better-auth.session_token";
const PASSWORD = "links-password-123";

let dir;
let ref;
let ours;
let counter = 0;

before(async () => {
  dir = tempDir("ba-links-");
  const dbPath = path.join(dir, "shared.sqlite");
  // The reference first: its migrations create every table; ours then starts on the existing file.
  ref = await startReference({ dbPath, outbox: path.join(dir, "ref-outbox.jsonl"), env: { REF_DELETE_VERIFICATION: "1" } });
  ours = await startOurs({ dbPath, outbox: path.join(dir, "ours-outbox.jsonl") });
});

after(async () => {
  await ours?.stop();
  await ref?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@links.test`;
}

/** POST JSON as a browser on that server's page would: Origin is the server's own base URL. */
async function post(server, route, body, cookie) {
  const headers = { "content-type": "application/json", origin: server.baseURL };
  if (cookie) headers.cookie = cookie;
  const res = await fetch(server.apiURL + route, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null), cookie: sessionCookie(res) };
}

/** GET a (mailed) link without following redirects. */
async function open(url, cookie) {
  const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch {}
  return { status: res.status, location: res.headers.get("location"), body, cookie: sessionCookie(res) };
}

function sessionCookie(res) {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const pair = line?.split(";")[0];
  return pair && pair !== `${SESSION_COOKIE}=` ? pair : undefined;
}

async function getSession(server, cookie) {
  const res = await fetch(`${server.apiURL}/get-session`, { headers: { cookie } });
  assert.equal(res.status, 200, `${server.baseURL} get-session status`);
  return res.json();
}

async function signUp(server, label) {
  const address = email(label);
  const res = await post(server, "/sign-up/email", { email: address, password: PASSWORD, name: `Links ${label}` });
  assert.equal(res.status, 200, `sign-up on ${server.baseURL}: ${JSON.stringify(res.body)}`);
  assert.ok(res.cookie, "sign-up sets a session cookie");
  return { email: address, user: res.body.user, cookie: res.cookie };
}

async function signIn(server, address, password) {
  return post(server, "/sign-in/email", { email: address, password });
}

/** The same link, pointed at the other server (a mail sent before a switch, opened after it). */
function onServer(link, from, to) {
  assert.ok(link.startsWith(from.apiURL + "/"), `link ${link} is not under ${from.apiURL}`);
  return to.apiURL + link.slice(from.apiURL.length);
}

/** The newest outbox entry of a kind for an address; fails the test if there is none. */
function mailed(server, kind, to) {
  const entry = server.lastMessage(kind, to);
  assert.ok(entry, `${server === ref ? "the reference" : "ours"} sent no ${kind} to ${to}`);
  return entry;
}

/** An HS256 JWT as Better Auth makes it (header {"alg":"HS256"}), signed with any key. */
function makeJwt(payload, secret) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${enc({ alg: "HS256" })}.${enc(payload)}`;
  return `${input}.${crypto.createHmac("sha256", secret).update(input).digest("base64url")}`;
}

describe("links mailed by one implementation work on the other (one SQLite file, one secret)", () => {
  test("a verification link from the reference verifies the email on ours", async () => {
    const u = await signUp(ref, "ref-verify");
    const sent = await post(ref, "/send-verification-email", { email: u.email, callbackURL: "/verified" }, u.cookie);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const { token, url } = mailed(ref, "verify-email", u.email);
    assert.equal(url, `${ref.apiURL}/verify-email?token=${token}&callbackURL=/verified`);

    const res = await open(onServer(url, ref, ours));
    assert.equal(res.status, 302, JSON.stringify(res.body));
    assert.equal(res.location, "/verified");
    assert.equal((await getSession(ref, u.cookie)).user.emailVerified, true, "the reference sees the address verified");
    assert.equal((await getSession(ours, u.cookie)).user.emailVerified, true);

    // Without a callback both answer the same JSON for the same (still valid) token.
    const plainOurs = await open(`${ours.apiURL}/verify-email?token=${token}`);
    const plainRef = await open(`${ref.apiURL}/verify-email?token=${token}`);
    assert.equal(plainOurs.status, 200);
    assert.equal(plainRef.status, 200);
    assert.deepEqual(plainOurs.body, plainRef.body);
    assert.deepEqual(plainOurs.body, { status: true, user: null });
  });

  test("a verification link from ours verifies the email on the reference", async () => {
    const u = await signUp(ours, "ours-verify");
    const sent = await post(ours, "/send-verification-email", { email: u.email, callbackURL: "/verified" }, u.cookie);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const { token, url } = mailed(ours, "verify-email", u.email);
    assert.equal(url, `${ours.apiURL}/verify-email?token=${token}&callbackURL=/verified`);

    const res = await open(onServer(url, ours, ref));
    assert.equal(res.status, 302, JSON.stringify(res.body));
    assert.equal(res.location, "/verified");
    assert.equal((await getSession(ref, u.cookie)).user.emailVerified, true);
    assert.equal((await getSession(ours, u.cookie)).user.emailVerified, true);
  });

  test("a reset link from the reference resets the password on ours, once", async () => {
    const u = await signUp(ref, "ref-reset");
    const sent = await post(ref, "/request-password-reset", { email: u.email, redirectTo: "/reset" });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const { token, url } = mailed(ref, "reset-password", u.email);
    assert.equal(url, `${ref.apiURL}/reset-password/${token}?callbackURL=${encodeURIComponent("/reset")}`);

    const res = await open(onServer(url, ref, ours));
    assert.equal(res.status, 302, JSON.stringify(res.body));
    assert.equal(res.location, `${ours.baseURL}/reset?token=${token}`);

    const reset = await post(ours, "/reset-password", { newPassword: "reset-on-ours-1", token });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.deepEqual(reset.body, { status: true });
    assert.equal((await signIn(ref, u.email, "reset-on-ours-1")).status, 200, "the reference accepts the new password");
    assert.equal((await signIn(ref, u.email, PASSWORD)).status, 401, "and refuses the old one");

    // Consumed on ours, so both refuse it now, with the same error.
    const againRef = await post(ref, "/reset-password", { newPassword: "reset-again-22", token });
    const againOurs = await post(ours, "/reset-password", { newPassword: "reset-again-22", token });
    assert.equal(againRef.status, 400);
    assert.equal(againOurs.status, 400);
    assert.deepEqual(againOurs.body, againRef.body);
    const spentRef = await open(url);
    const spentOurs = await open(onServer(url, ref, ours));
    assert.equal(spentRef.status, 302);
    assert.equal(spentOurs.status, 302);
    assert.equal(spentRef.location, `${ref.baseURL}/reset?error=INVALID_TOKEN`);
    assert.equal(spentOurs.location, `${ours.baseURL}/reset?error=INVALID_TOKEN`);
  });

  test("a reset link from ours resets the password on the reference", async () => {
    const u = await signUp(ours, "ours-reset");
    const sent = await post(ours, "/forget-password", { email: u.email, redirectTo: "/reset" });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const { token, url } = mailed(ours, "reset-password", u.email);
    assert.equal(url, `${ours.apiURL}/reset-password/${token}?callbackURL=${encodeURIComponent("/reset")}`);

    const res = await open(onServer(url, ours, ref));
    assert.equal(res.status, 302, JSON.stringify(res.body));
    assert.equal(res.location, `${ref.baseURL}/reset?token=${token}`);
    const reset = await post(ref, "/reset-password", { newPassword: "reset-on-ref-1", token });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal((await signIn(ours, u.email, "reset-on-ref-1")).status, 200);
    assert.equal((await signIn(ours, u.email, PASSWORD)).status, 401);
  });

  test("a change-email confirmation from the reference moves the account on ours, in the user's session only", async () => {
    const u = await signUp(ref, "ref-change");
    await post(ref, "/send-verification-email", { email: u.email }, u.cookie);
    const verify = await open(mailed(ref, "verify-email", u.email).url);
    assert.equal(verify.status, 302);
    assert.equal((await getSession(ref, u.cookie)).user.emailVerified, true);

    const newAddress = email("moved");
    const change = await post(ref, "/change-email", { newEmail: newAddress, callbackURL: "/moved" }, u.cookie);
    assert.equal(change.status, 200, JSON.stringify(change.body));
    const { token, url, newEmail } = mailed(ref, "change-email", u.email);
    assert.equal(newEmail, newAddress);
    assert.equal(url, `${ref.apiURL}/verify-email?token=${token}&callbackURL=/moved`);
    const link = onServer(url, ref, ours);

    const stranger = await open(link);
    assert.equal(stranger.status, 302);
    assert.equal(stranger.location, "/moved?error=unauthorized");
    assert.equal((await getSession(ref, u.cookie)).user.email, u.email);

    const res = await open(link, u.cookie);
    assert.equal(res.status, 302, JSON.stringify(res.body));
    assert.equal(res.location, "/moved");
    const session = await getSession(ref, u.cookie);
    assert.equal(session.user.email, newAddress);
    assert.equal(session.user.emailVerified, false);
    // Ours then mails a verification link to the new address, which the reference accepts.
    const next = mailed(ours, "verify-email", newAddress);
    assert.equal((await open(onServer(next.url, ours, ref))).status, 302);
    assert.equal((await getSession(ref, u.cookie)).user.emailVerified, true);
    assert.equal((await signIn(ref, newAddress, PASSWORD)).status, 200);
  });

  test("a delete-account link from the reference deletes the user on ours", async () => {
    const u = await signUp(ref, "ref-delete");
    const del = await post(ref, "/delete-user", { callbackURL: "/bye" }, u.cookie);
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.deepEqual(del.body, { success: true, message: "Verification email sent" });
    const { token, url } = mailed(ref, "delete-account", u.email);
    assert.match(token, /^[0-9a-z]{32}$/);
    assert.equal(url, `${ref.apiURL}/delete-user/callback?token=${token}&callbackURL=/bye`);
    const link = onServer(url, ref, ours);

    // Without the user's session both refuse the same way.
    const strangerOurs = await open(link);
    const strangerRef = await open(url);
    assert.equal(strangerOurs.status, 404);
    assert.equal(strangerRef.status, 404);
    assert.deepEqual(strangerOurs.body, strangerRef.body);

    const res = await open(link, u.cookie);
    assert.equal(res.status, 302, JSON.stringify(res.body));
    assert.equal(res.location, "/bye");
    assert.equal(await getSession(ref, u.cookie), null, "the session is gone on the reference");
    assert.equal((await signIn(ref, u.email, PASSWORD)).status, 401, "and so is the user");
  });

  test("verification JWTs with a foreign signature or past expiry are refused alike", async () => {
    const u = await signUp(ours, "bad-jwt");
    const now = Math.floor(Date.now() / 1000);
    const cases = {
      invalid_token: makeJwt({ email: u.email, iat: now, exp: now + 3600 }, "some-other-secret-0123456789abcdef"),
      token_expired: makeJwt({ email: u.email, iat: now - 7200, exp: now - 3600 }, TEST_SECRET),
    };
    for (const [code, token] of Object.entries(cases)) {
      const fromOurs = await open(`${ours.apiURL}/verify-email?token=${token}`);
      const fromRef = await open(`${ref.apiURL}/verify-email?token=${token}`);
      assert.equal(fromRef.status, 401, `${code}: reference status`);
      assert.equal(fromOurs.status, 401, `${code}: our status`);
      assert.deepEqual(fromOurs.body, fromRef.body, `${code}: body`);
      assert.equal(fromOurs.body.message, code);

      const redirectOurs = await open(`${ours.apiURL}/verify-email?token=${token}&callbackURL=/v`);
      const redirectRef = await open(`${ref.apiURL}/verify-email?token=${token}&callbackURL=/v`);
      assert.equal(redirectRef.location, `/v?error=${code}`);
      assert.equal(redirectOurs.location, redirectRef.location);
    }
    // A JWT signed with the shared secret by hand is as good as a mailed one on both.
    const good = makeJwt({ email: u.email, iat: now, exp: now + 600 }, TEST_SECRET);
    assert.equal((await open(`${ref.apiURL}/verify-email?token=${good}&callbackURL=/v`)).location, "/v");
    assert.equal((await getSession(ours, u.cookie)).user.emailVerified, true);
  });
});
