// Log scan: our server at Trace level (its own categories, ASP.NET Core, Kestrel, EF Core) runs every flow that
// handles a secret — passwords, session tokens and cookies, bearer tokens, reset and verification tokens and
// links, one-time codes, TOTP secrets and codes, backup codes — and the whole log is then searched for each secret
// value, as sent and URL-encoded, and for BETTER_AUTH_SECRET. One hit fails the test with the line it is on.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate } from "otplib";
import { startOurs, TEST_SECRET } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const SESSION_COOKIE = "better-auth.session_token";
/** Every category at Trace; appsettings.json lowers Microsoft.AspNetCore and EF Core, so those are set by name too. */
const TRACE_LOGGING = {
  Logging__LogLevel__Default: "Trace",
  Logging__LogLevel__Microsoft: "Trace",
  "Logging__LogLevel__Microsoft.AspNetCore": "Trace",
  "Logging__LogLevel__Microsoft.EntityFrameworkCore": "Trace",
  "Logging__LogLevel__Microsoft.Hosting.Lifetime": "Trace",
  "Logging__LogLevel__BetterAuth.Server.Requests": "Trace",
  // Ten-digit codes, so a code found in the log cannot be a coincidental number.
  Plugins__EmailOtp__OtpLength: "10",
  Plugins__PhoneNumber__OtpLength: "10",
  Plugins__TwoFactor__OtpOptions__Digits: "10",
};

let server;
/** label → secret value the log must not contain. */
const secrets = new Map();
const keep = (label, value) => {
  assert.ok(value, `the flow produced no ${label}`);
  secrets.set(label, String(value));
  return value;
};

before(async () => {
  server = await startOurs({ env: TRACE_LOGGING, keepAllLogs: true });
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

/** One request through a browser-like jar; keeps the session cookie and the token inside it as secrets. */
async function call(jar, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers }, redirect: "manual" };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await jar.fetch(path.startsWith("http") ? path : server.apiURL + path, init);
  const text = await res.text();
  const cookie = jar.get(SESSION_COOKIE);
  if (cookie) {
    keep(`session cookie ${cookie.slice(0, 6)}`, cookie);
    keep(`session token ${cookie.slice(0, 6)}`, decodeURIComponent(cookie).split(".")[0]);
  }
  const bearer = res.headers.get("set-auth-token");
  if (bearer) keep(`set-auth-token ${bearer.slice(0, 6)}`, bearer);
  return { status: res.status, headers: res.headers, body: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

const browser = () => new CookieJar(server.baseURL);
const lastMessage = (kind, to) => server.lastMessage(kind, to) ?? assert.fail(`no ${kind} message to ${to}`);
const totp = async (totpURI) => generate({ secret: new URL(totpURI).searchParams.get("secret") });

async function passwordFlows() {
  const email = "leak-check@example.com";
  const signUpPassword = keep("sign-up password", "Signup-Password-4c1d9e");
  const alice = browser();
  assert.equal((await call(alice, "POST", "/sign-up/email", { email, password: signUpPassword, name: "Alice" })).status, 200);
  const wrong = await call(browser(), "POST", "/sign-in/email", { email, password: keep("wrong password", "Wrong-Password-77ab0f") });
  assert.equal(wrong.status, 401);
  const signedIn = await call(alice, "POST", "/sign-in/email", { email, password: signUpPassword });
  const bearer = signedIn.headers.get("set-auth-token");
  assert.equal((await call(browser(), "GET", "/get-session", undefined, { authorization: `Bearer ${bearer}` })).body.user.email, email);
  assert.equal((await call(alice, "GET", "/list-sessions")).status, 200);

  // Reset by link: the token travels in a URL path (/reset-password/{token}) and then in a query string.
  assert.equal((await call(browser(), "POST", "/request-password-reset", { email, redirectTo: "/reset" })).status, 200);
  const reset = lastMessage("reset-password", email);
  keep("reset token", reset.token);
  keep("reset link", reset.url);
  const landing = await call(browser(), "GET", reset.url);
  assert.equal(landing.status, 302);
  const resetPassword = keep("reset password", "Reset-Password-93e2aa");
  assert.equal((await call(browser(), "POST", "/reset-password", { token: reset.token, newPassword: resetPassword })).status, 200);

  // Email verification: a JWT in the query string.
  assert.equal((await call(browser(), "POST", "/send-verification-email", { email, callbackURL: "/verified" })).status, 200);
  const verification = lastMessage("verify-email", email);
  keep("verification token", verification.token);
  assert.equal((await call(browser(), "GET", verification.url)).status, 302);
  return { email, password: resetPassword };
}

async function twoFactorFlows({ email, password }) {
  const alice = browser();
  assert.equal((await call(alice, "POST", "/sign-in/email", { email, password })).status, 200);
  const enabled = await call(alice, "POST", "/two-factor/enable", { password });
  assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
  keep("TOTP URI", enabled.body.totpURI);
  keep("TOTP secret", new URL(enabled.body.totpURI).searchParams.get("secret"));
  enabled.body.backupCodes.forEach((code, i) => keep(`backup code ${i}`, code));
  const enrolCode = keep("TOTP code", await totp(enabled.body.totpURI));
  assert.equal((await call(alice, "POST", "/two-factor/verify-totp", { code: enrolCode })).status, 200);

  const challenged = async () => {
    const jar = browser();
    const answer = await call(jar, "POST", "/sign-in/email", { email, password });
    assert.deepEqual(answer.body, { twoFactorRedirect: true });
    keep("two-factor cookie", jar.get("better-auth.two_factor"));
    return jar;
  };
  const byOtp = await challenged();
  assert.equal((await call(byOtp, "POST", "/two-factor/send-otp", {})).status, 200);
  const otp = keep("two-factor OTP", lastMessage("two-factor-otp", email).otp);
  assert.equal((await call(byOtp, "POST", "/two-factor/verify-otp", { code: otp })).status, 200);
  const byBackup = await challenged();
  assert.equal((await call(byBackup, "POST", "/two-factor/verify-backup-code", { code: enabled.body.backupCodes[0] })).status, 200);

  const changed = keep("changed password", "Changed-Password-5f00c3");
  const change = await call(byBackup, "POST", "/change-password", { currentPassword: password, newPassword: changed, revokeOtherSessions: true });
  assert.equal(change.status, 200);
}

async function oneTimeCodeFlows() {
  const email = "otp-leak-check@example.com";
  const bob = browser();
  assert.equal((await call(bob, "POST", "/email-otp/send-verification-otp", { email, type: "sign-in" })).status, 200);
  const otp = keep("email OTP", lastMessage("email-otp:sign-in", email).otp);
  assert.equal((await call(bob, "POST", "/sign-in/email-otp", { email, otp })).status, 200);

  const phoneNumber = "+14155552671";
  const sent = await call(bob, "POST", "/phone-number/send-otp", { phoneNumber });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const code = keep("phone OTP", lastMessage("phone-otp", phoneNumber).otp);
  const verified = await call(bob, "POST", "/phone-number/verify", { phoneNumber, code, updatePhoneNumber: true });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  assert.equal((await call(browser(), "POST", "/phone-number/request-password-reset", { phoneNumber })).status, 200);
  const resetOtp = keep("phone reset OTP", lastMessage("phone-reset-password-otp", phoneNumber).otp);
  const newPassword = keep("phone reset password", "Phone-Reset-Password-2b7e44");
  assert.equal((await call(browser(), "POST", "/phone-number/reset-password", { phoneNumber, otp: resetOtp, newPassword })).status, 200);
}

/** Where in the log a secret appears (as sent or URL-encoded), or null. Codes must stand alone as a number. */
function findInLog(log, value) {
  for (const form of new Set([value, encodeURIComponent(value)])) {
    const at = /^\d+$/.test(form) ? log.search(new RegExp(`(?<![0-9.])${form}(?![0-9])`)) : log.indexOf(form);
    if (at >= 0) return log.slice(log.lastIndexOf("\n", at) + 1, log.indexOf("\n", at)).slice(0, 300);
  }
  return null;
}

test("a Trace-level log of every secret-handling flow contains none of the secrets", async () => {
  keep("BETTER_AUTH_SECRET", TEST_SECRET);
  const credentials = await passwordFlows();
  await twoFactorFlows(credentials);
  await oneTimeCodeFlows();
  await server.stop(); // the console logger flushes its queue on shutdown

  const log = server.logs();
  // The scan means something only if the framework really logged at Trace: requests, routing and SQL.
  assert.ok(log.includes("\ntrce: "), "Trace messages in the log");
  assert.ok(log.includes("Microsoft.EntityFrameworkCore.Database.Command"), "EF Core command messages in the log");
  assert.ok(log.includes("Microsoft.AspNetCore.Routing"), "routing messages in the log");
  // Requests are still logged, by the server's own request log, with URL secrets replaced.
  assert.ok(/HTTP\/1\.1 GET \/api\/auth\/reset-password\/\*\*\*\?callbackURL=%2Freset responded 302/.test(log), "the redacted request line for the reset link");
  assert.ok(/GET \/api\/auth\/verify-email\?token=\*\*\*&callbackURL=\/verified responded 302/.test(log), "the redacted request line for the verification link");
  assert.ok(secrets.size >= 25, `${secrets.size} secrets collected`);
  const leaks = [...secrets].flatMap(([label, value]) => {
    const line = findInLog(log, value);
    return line ? [`${label}: ${line}`] : [];
  });
  console.log(`log scan: ${secrets.size} secrets, ${log.length} characters of Trace log, ${leaks.length} leaks`);
  if (leaks.length) {
    const kept = path.join(os.tmpdir(), `security-logs-${process.pid}.log`);
    fs.writeFileSync(kept, log);
    console.log(`the full log is kept in ${kept}`);
  }
  assert.deepEqual(leaks, []);
});
