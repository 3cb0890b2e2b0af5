// The two-factor plugin end to end: the official twoFactorClient (better-auth 1.2.12) against our
// server, with TOTP codes computed by otplib from the otpauth URI exactly as an authenticator app
// would; then a user enrolled by the reference on a shared SQLite file signing in here (and the
// other way round), which proves the secret encryption and TOTP parameters are Better Auth's.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createAuthClient } from "better-auth/client";
import { twoFactorClient } from "better-auth/client/plugins";
import { startOurs, startReference, tempDir } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";
import { totpCode } from "../lib/totp.mjs";

const PASSWORD = "two-factor-password-1";
const TWO_FACTOR_COOKIE = "better-auth.two_factor";
const TRUST_COOKIE = "better-auth.trust_device";
const SESSION_COOKIE = "better-auth.session_token";

let counter = 0;
function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@two-factor.test`;
}

/** A browser on `server`: a cookie jar and the official client with the two-factor plugin. */
function browser(server) {
  const jar = new CookieJar(server.baseURL);
  const redirects = [];
  const client = createAuthClient({
    baseURL: server.baseURL,
    plugins: [twoFactorClient({ onTwoFactorRedirect: () => { redirects.push(Date.now()); } })],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  return { jar, client, redirects };
}

/** Signs up in a new browser and enrols in two-factor with a first TOTP code (this step's). */
async function enrolled(server, label) {
  const b = browser(server);
  const address = email(label);
  assert.equal((await b.client.signUp.email({ email: address, password: PASSWORD, name: "Two Factor" })).error, null);
  const enable = await b.client.twoFactor.enable({ password: PASSWORD });
  assert.equal(enable.error, null, JSON.stringify(enable.error));
  const verify = await b.client.twoFactor.verifyTotp({ code: await totpCode(enable.data.totpURI) });
  assert.equal(verify.error, null, JSON.stringify(verify.error));
  return { ...b, email: address, totpURI: enable.data.totpURI, backupCodes: enable.data.backupCodes };
}

/** A new browser past the password step: it holds the two_factor cookie and no session. */
async function challenged(server, address, extra = {}) {
  const b = browser(server);
  const { data, error } = await b.client.signIn.email({ email: address, password: PASSWORD, ...extra });
  assert.equal(error, null);
  assert.deepEqual(data, { twoFactorRedirect: true });
  assert.equal(b.redirects.length, 1, "onTwoFactorRedirect must be called");
  assert.ok(b.jar.get(TWO_FACTOR_COOKIE));
  assert.equal(b.jar.get(SESSION_COOKIE), undefined);
  return b;
}

describe("two-factor with the official client against our server", () => {
  let server;
  before(async () => { server = await startOurs(); });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("enable returns an otpauth URI and ten backup codes; the first code switches 2FA on", async () => {
    const b = browser(server);
    const address = email("enable");
    await b.client.signUp.email({ email: address, password: PASSWORD, name: "Enable" });
    const { data, error } = await b.client.twoFactor.enable({ password: PASSWORD });
    assert.equal(error, null);
    assert.match(data.totpURI, /^otpauth:\/\/totp\/Better%20Auth:.+\?secret=[A-Z2-7]{52}&issuer=Better\+Auth&digits=6&period=30$/);
    assert.equal(data.backupCodes.length, 10);
    // Not on until a first code is verified; null (as on the reference) for a user who never had it on.
    assert.equal((await b.client.getSession()).data.user.twoFactorEnabled, null);

    const wrong = await b.client.twoFactor.verifyTotp({ code: "000000" });
    assert.equal(wrong.error.status, 401);
    const ok = await b.client.twoFactor.verifyTotp({ code: await totpCode(data.totpURI) });
    assert.equal(ok.error, null);
    assert.equal(ok.data.user.email, address);
    const session = await b.client.getSession();
    assert.equal(session.data.user.twoFactorEnabled, true);
    assert.equal(session.data.session.token, ok.data.token);
  });

  test("sign-in asks for the second factor; a TOTP code completes it", async () => {
    const user = await enrolled(server, "totp");
    const b = await challenged(server, user.email);
    assert.equal((await b.client.getSession()).data, null);
    const wrong = await b.client.twoFactor.verifyTotp({ code: "123456" });
    assert.equal(wrong.error.status, 401);
    assert.equal(wrong.error.code, "INVALID_CODE");

    const { data, error } = await b.client.twoFactor.verifyTotp({ code: await totpCode(user.totpURI, 1) });
    assert.equal(error, null);
    const session = await b.client.getSession();
    assert.equal(session.data.user.email, user.email);
    assert.equal(session.data.session.token, data.token);
  });

  test("a TOTP code is accepted once", async () => {
    const user = await enrolled(server, "replay");
    const code = await totpCode(user.totpURI, 1);
    const first = await challenged(server, user.email);
    assert.equal((await first.client.twoFactor.verifyTotp({ code })).error, null);
    const second = await challenged(server, user.email);
    const replay = await second.client.twoFactor.verifyTotp({ code });
    assert.equal(replay.error.status, 401);
    assert.equal(replay.error.code, "INVALID_CODE");
  });

  test("an emailed one-time code completes the sign-in, once", async () => {
    const user = await enrolled(server, "otp");
    const b = await challenged(server, user.email);
    const sent = await b.client.twoFactor.sendOtp();
    assert.equal(sent.error, null);
    assert.deepEqual(sent.data, { status: true });
    const { otp } = server.lastMessage("two-factor-otp", user.email);
    assert.match(otp, /^\d{6}$/);
    assert.equal((await b.client.twoFactor.verifyOtp({ code: otp })).error, null);
    assert.equal((await b.client.getSession()).data.user.email, user.email);

    const again = await challenged(server, user.email);
    const reused = await again.client.twoFactor.verifyOtp({ code: otp });
    assert.equal(reused.error.code, "OTP_HAS_EXPIRED");
  });

  test("a backup code completes the sign-in and is then spent", async () => {
    const user = await enrolled(server, "backup");
    const b = await challenged(server, user.email);
    assert.equal((await b.client.twoFactor.verifyBackupCode({ code: user.backupCodes[0] })).error, null);
    assert.equal((await b.client.getSession()).data.user.email, user.email);

    const again = await challenged(server, user.email);
    const reused = await again.client.twoFactor.verifyBackupCode({ code: user.backupCodes[0] });
    assert.equal(reused.error.code, "INVALID_BACKUP_CODE");
  });

  test("trusting the device skips the next challenge", async () => {
    const user = await enrolled(server, "trust");
    const b = await challenged(server, user.email);
    const verified = await b.client.twoFactor.verifyTotp({ code: await totpCode(user.totpURI, 1), trustDevice: true });
    assert.equal(verified.error, null);
    assert.ok(b.jar.get(TRUST_COOKIE));
    assert.equal(b.jar.get(TWO_FACTOR_COOKIE), undefined);
    assert.equal((await b.client.signOut()).error, null);

    const again = await b.client.signIn.email({ email: user.email, password: PASSWORD });
    assert.equal(again.error, null);
    assert.equal(again.data.user.email, user.email);
    assert.equal(b.redirects.length, 1, "no second redirect");
  });

  test("get-totp-uri and generate-backup-codes need the password", async () => {
    const user = await enrolled(server, "manage");
    const uri = await user.client.twoFactor.getTotpUri({ password: PASSWORD });
    assert.equal(uri.error, null);
    assert.equal(new URL(uri.data.totpURI).searchParams.get("secret"), new URL(user.totpURI).searchParams.get("secret"));
    assert.equal((await user.client.twoFactor.getTotpUri({ password: "wrong-password" })).error.code, "INVALID_PASSWORD");

    const codes = await user.client.twoFactor.generateBackupCodes({ password: PASSWORD });
    assert.equal(codes.error, null);
    assert.equal(codes.data.status, true);
    assert.equal(codes.data.backupCodes.length, 10);
    const b = await challenged(server, user.email);
    assert.equal((await b.client.twoFactor.verifyBackupCode({ code: user.backupCodes[1] })).error.code, "INVALID_BACKUP_CODE");
    assert.equal((await b.client.twoFactor.verifyBackupCode({ code: codes.data.backupCodes[1] })).error, null);
  });

  test("disable switches back to a one-step sign-in", async () => {
    const user = await enrolled(server, "disable");
    const { data, error } = await user.client.twoFactor.disable({ password: PASSWORD });
    assert.equal(error, null);
    assert.deepEqual(data, { status: true });
    assert.equal((await user.client.getSession()).data.user.twoFactorEnabled, false);
    const b = browser(server);
    const signIn = await b.client.signIn.email({ email: user.email, password: PASSWORD });
    assert.equal(signIn.error, null);
    assert.equal(signIn.data.user.email, user.email);
    assert.equal(b.redirects.length, 0);
  });
});

describe("two-factor across the reference and our server on one SQLite file", () => {
  let dir;
  let ref;
  let ours;
  before(async () => {
    dir = tempDir("ba-2fa-compat-");
    const dbPath = path.join(dir, "shared.sqlite");
    ref = await startReference({ dbPath, outbox: path.join(dir, "ref-outbox.jsonl") });
    ours = await startOurs({ dbPath, outbox: path.join(dir, "ours-outbox.jsonl") });
  });
  after(async () => {
    await ours?.stop();
    await ref?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a user enrolled by the reference completes two-factor sign-in here", async () => {
    const user = await enrolled(ref, "from-ref");
    const b = await challenged(ours, user.email);
    const { data, error } = await b.client.twoFactor.verifyTotp({ code: await totpCode(user.totpURI, 1) });
    assert.equal(error, null, JSON.stringify(error));
    assert.equal((await b.client.getSession()).data.session.token, data.token);

    const backup = await challenged(ours, user.email);
    assert.equal((await backup.client.twoFactor.verifyBackupCode({ code: user.backupCodes[2] })).error, null);
    // The code is spent for the reference too: it reads the list we re-encrypted.
    const onRef = await challenged(ref, user.email);
    const reused = await onRef.client.twoFactor.verifyBackupCode({ code: user.backupCodes[2] });
    assert.equal(reused.error.code, "INVALID_BACKUP_CODE");
    assert.equal((await onRef.client.twoFactor.verifyBackupCode({ code: user.backupCodes[3] })).error, null);
  });

  test("a user enrolled here completes two-factor sign-in on the reference", async () => {
    const user = await enrolled(ours, "from-ours");
    const b = await challenged(ref, user.email);
    const { error } = await b.client.twoFactor.verifyTotp({ code: await totpCode(user.totpURI, 1) });
    assert.equal(error, null, JSON.stringify(error));
    assert.equal((await b.client.getSession()).data.user.email, user.email);
  });
});
