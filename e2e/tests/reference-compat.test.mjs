// Cross-compatibility with the real Better Auth 1.2.12: the reference and our server run at the
// same time on ONE SQLite file (WAL) with the same secret, so a deployment can switch between them
// (or run both) without users re-registering or being signed out. Plain fetch is used because the
// tests move cookies between two origins, which the client would hide.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startOurs, startReference, tempDir } from "../lib/servers.mjs";

const SESSION_COOKIE = "better-auth.session_token";

const PASSWORD = "compat-password-123";

let dir;
let ref;
let ours;
let counter = 0;

before(async () => {
  dir = tempDir("ba-compat-");
  const dbPath = path.join(dir, "shared.sqlite");
  // The reference first: its migrations create every table and plugin column; ours then starts
  // on the existing file and must accept that schema as it is.
  ref = await startReference({ dbPath, outbox: path.join(dir, "ref-outbox.jsonl") });
  ours = await startOurs({ dbPath, outbox: path.join(dir, "ours-outbox.jsonl") });
});

after(async () => {
  await ours?.stop();
  await ref?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@compat.test`;
}

/** POST JSON as a browser on that server's page would: Origin is the server's own base URL. */
async function post(server, route, body, cookie) {
  const headers = { "content-type": "application/json", origin: server.baseURL };
  if (cookie) headers.cookie = cookie;
  const res = await fetch(server.apiURL + route, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null), cookie: sessionCookie(res) };
}

/** "better-auth.session_token=<signed>" from a response's Set-Cookie, or undefined. */
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
  const res = await post(server, "/sign-up/email", { email: address, password: PASSWORD, name: `Compat ${label}` });
  assert.equal(res.status, 200, `sign-up on ${server.baseURL}: ${JSON.stringify(res.body)}`);
  return { email: address, user: res.body.user, cookie: res.cookie };
}

async function signIn(server, address, password = PASSWORD) {
  return post(server, "/sign-in/email", { email: address, password });
}

const sortedKeys = (o) => Object.keys(o).sort();

// Better Auth's core schema (no plugins): these must exist, with equal values, on both sides.
const CORE_KEYS = {
  session: ["id", "token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent"],
  user: ["id", "email", "name", "emailVerified", "image", "createdAt", "updatedAt"],
};

describe("reference and our server on one SQLite file", () => {
  test("(a) a user signed up on the reference signs in on ours", async () => {
    const { email: address, user } = await signUp(ref, "ref-user");
    const res = await signIn(ours, address);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.id, user.id);
    assert.ok(res.cookie, "ours must set a session cookie");
    // The reference's scrypt hash is really verified, not just accepted.
    const wrong = await signIn(ours, address, "not-the-password-1");
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, "INVALID_EMAIL_OR_PASSWORD");
  });

  test("(b) a user signed up on ours signs in on the reference", async () => {
    const { email: address, user } = await signUp(ours, "ours-user");
    const res = await signIn(ref, address);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.id, user.id);
    assert.ok(res.cookie, "the reference must set a session cookie");
    const wrong = await signIn(ref, address, "not-the-password-1");
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, "INVALID_EMAIL_OR_PASSWORD");
  });

  test("a password changed on ours is the one the reference accepts", async () => {
    const { email: address, cookie } = await signUp(ours, "ours-changepw");
    const changed = await post(ours, "/change-password", { currentPassword: PASSWORD, newPassword: "changed-pass-456" }, cookie);
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((await signIn(ref, address)).status, 401);
    assert.equal((await signIn(ref, address, "changed-pass-456")).status, 200);
  });

  test("(c) a session cookie minted by the reference works on ours", async () => {
    const { email: address } = await signUp(ref, "ref-cookie");
    const res = await signIn(ref, address);
    assert.ok(res.cookie);
    const session = await getSession(ours, res.cookie);
    assert.notEqual(session, null, "ours must accept the reference's signed cookie");
    assert.equal(session.session.token, res.body.token);
    assert.equal(session.user.email, address);
  });

  test("(d) a session cookie minted by ours works on the reference", async () => {
    const { email: address } = await signUp(ours, "ours-cookie");
    const res = await signIn(ours, address);
    assert.ok(res.cookie);
    const session = await getSession(ref, res.cookie);
    assert.notEqual(session, null, "the reference must accept our signed cookie");
    assert.equal(session.session.token, res.body.token);
    assert.equal(session.user.email, address);
  });

  test("a session signed out on ours is gone on the reference too", async () => {
    const { cookie } = await signUp(ref, "ref-signout");
    assert.notEqual(await getSession(ref, cookie), null);
    const out = await post(ours, "/sign-out", {}, cookie);
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assert.equal(await getSession(ref, cookie), null);
  });

  // (e) For the same session, read from both sides. Split in two so a failure says which part differs.
  const mints = [
    ["reference", () => ref],
    ["ours", () => ours],
  ];

  for (const [minter, server] of mints) {
    test(`(e) get-session core fields agree in value (session minted by ${minter})`, async () => {
      const { cookie } = await signUp(server(), `values-${minter}`);
      const fromRef = await getSession(ref, cookie);
      const fromOurs = await getSession(ours, cookie);
      for (const [part, keys] of Object.entries(CORE_KEYS)) {
        for (const key of keys) {
          assert.ok(key in fromRef[part] && key in fromOurs[part], `${part}.${key} must be on both sides`);
          assert.deepEqual(fromOurs[part][key], fromRef[part][key], `${part}.${key}`);
        }
      }
    });

    test(`(e) get-session has the same key set on both sides (session minted by ${minter})`, async () => {
      const { cookie } = await signUp(server(), `keys-${minter}`);
      const fromRef = await getSession(ref, cookie);
      const fromOurs = await getSession(ours, cookie);
      assert.deepEqual(sortedKeys(fromOurs), sortedKeys(fromRef));
      // The reference returns every column of its schema, plugin columns included (admin, two-factor,
      // username, anonymous, phone-number, organization); a client typed against it reads them.
      // One assertion over both parts, so a failure lists every missing or extra key at once.
      const difference = {};
      for (const part of ["session", "user"]) {
        difference[part] = {
          onlyOnReference: Object.keys(fromRef[part]).filter((k) => !(k in fromOurs[part])).sort(),
          onlyOnOurs: Object.keys(fromOurs[part]).filter((k) => !(k in fromRef[part])).sort(),
        };
      }
      // Every plugin the reference runs is served here too, so the rows carry the same columns.
      const none = { onlyOnReference: [], onlyOnOurs: [] };
      assert.deepEqual(difference, { session: none, user: none }, "get-session keys differ");
    });
  }
});

// Phone numbers as Better Auth stores them: any string, not normalised. Users the reference created with numbers
// in other formats sign in and reset here by phone, with the strict E.164 option off (default) and on.
describe("phone numbers written by the reference in other formats", () => {
  // Numbers are unique per user: each test takes its own two final digits.
  const numbers = (nn) => ({ national: `(555) 010-01${nn}`, fictional: `+1 555 01${nn}`, french: `06123456${nn}` });
  const VIA_CODE = "(555) 010-0170";

  async function phoneUsersOnReference(nn) {
    const users = {};
    for (const [label, phoneNumber] of Object.entries(numbers(nn))) {
      const address = email(`ref-phone-${label}`);
      const res = await post(ref, "/sign-up/email", { email: address, password: PASSWORD, name: `Phone ${label}`, phoneNumber });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const byPhone = await post(ref, "/sign-in/phone-number", { phoneNumber, password: PASSWORD });
      assert.equal(byPhone.body?.user?.phoneNumber, phoneNumber, "the reference stores the number as sent");
      users[label] = { email: address, id: res.body.user.id, phoneNumber };
    }
    return users;
  }

  /** Sign-in with number and password, then a reset by texted code, on `server`; the reference accepts the new password. */
  async function signInAndReset(server, user, newPassword) {
    const signIn = await post(server, "/sign-in/phone-number", { phoneNumber: user.phoneNumber, password: user.password ?? PASSWORD });
    assert.equal(signIn.status, 200, `${user.phoneNumber}: ${JSON.stringify(signIn.body)}`);
    assert.equal(signIn.body.user.id, user.id);
    const request = await post(server, "/phone-number/request-password-reset", { phoneNumber: user.phoneNumber });
    assert.equal(request.status, 200, JSON.stringify(request.body));
    const otp = server.lastMessage("phone-reset-password-otp", user.phoneNumber).otp;
    const reset = await post(server, "/phone-number/reset-password", { phoneNumber: user.phoneNumber, otp, newPassword });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    user.password = newPassword;
    const onRef = await post(ref, "/sign-in/phone-number", { phoneNumber: user.phoneNumber, password: newPassword });
    assert.equal(onRef.status, 200, `the reference accepts the password reset on ours: ${JSON.stringify(onRef.body)}`);
  }

  async function signInByCode(server, phoneNumber, id) {
    assert.equal((await post(server, "/phone-number/send-otp", { phoneNumber })).status, 200);
    const code = server.lastMessage("phone-otp", phoneNumber).otp;
    const verified = await post(server, "/phone-number/verify", { phoneNumber, code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.user.id, id);
    assert.ok(verified.cookie);
  }

  test("with the default options, each signs in by password and by code, and resets", async () => {
    const users = await phoneUsersOnReference("71");
    for (const user of Object.values(users)) {
      await signInAndReset(ours, user, "reset-on-ours-1");
      await signInByCode(ours, user.phoneNumber, user.id);
    }
    // A user the reference signed up by code (its signUpOnVerification) signs in by code here.
    assert.equal((await post(ref, "/phone-number/send-otp", { phoneNumber: VIA_CODE })).status, 200);
    const refCode = ref.lastMessage("phone-otp", VIA_CODE).otp;
    const created = await post(ref, "/phone-number/verify", { phoneNumber: VIA_CODE, code: refCode });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    await signInByCode(ours, VIA_CODE, created.body.user.id);
  });

  test("with the strict E.164 option on, stored numbers still work as stored; new ones are refused", async () => {
    const users = await phoneUsersOnReference("72");
    const strict = await startOurs({ dbPath: ref.dbPath, outbox: path.join(dir, "strict-outbox.jsonl"), env: { Plugins__PhoneNumber__ValidateE164: "true" } });
    try {
      for (const user of Object.values(users)) {
        await signInAndReset(strict, user, "reset-on-strict-1");
        await signInByCode(strict, user.phoneNumber, user.id);
      }
      const unknown = await post(strict, "/phone-number/send-otp", { phoneNumber: "(555) 010-0179" });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.code, "INVALID_PHONE_NUMBER");
    } finally {
      await strict.stop();
      fs.rmSync(strict.dir, { recursive: true, force: true });
    }
  });
});
